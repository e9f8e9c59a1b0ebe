"""Fixtures every test can use: a fresh store, and where the read-only data mirror is."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from redline.engine.store import Store

ROOT = Path(__file__).resolve().parents[1]
#: the read-only data mirror: REDLINE_DATA, else ../shared/data beside the checkout
MIRROR = Path(os.environ.get("REDLINE_DATA") or ROOT.parent / "shared" / "data")
OCDS_MEXICO = MIRROR / "procurement" / "ocds-mexico"
# code under test that reads settings (e.g. the OCDS schema for merging) finds the same mirror
os.environ.setdefault("REDLINE_DATA", str(MIRROR))


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[Store]:
    """An empty, migrated store in a file under tmp_path."""
    with Store(tmp_path / "store.duckdb") as opened:
        yield opened


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The data mirror; skips the test when it is absent (e.g. a fresh clone without data)."""
    if not (MIRROR / "SOURCES.md").exists():
        pytest.skip(f"no data mirror at {MIRROR}")
    return MIRROR


@pytest.fixture(scope="session")
def ocds_mexico(data_dir: Path) -> Path:
    """The real OCDS samples of four Mexican publishers (read-only)."""
    return data_dir / "procurement" / "ocds-mexico"
