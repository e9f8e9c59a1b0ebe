"""Where the labelled set and the read-only data mirror are (as fixtures)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def mirror() -> Path:
    """The data mirror (REDLINE_DATA, else ../shared/data); skips the test when absent."""
    path = Path(os.environ.get("REDLINE_DATA") or ROOT.parent / "shared" / "data")
    if not (path / "SOURCES.md").exists():
        pytest.skip(f"no data mirror at {path}")
    return path


@pytest.fixture(scope="session")
def label_files() -> list[Path]:
    return sorted((Path(__file__).parent / "labels").glob("*.csv"))
