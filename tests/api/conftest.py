"""Real `redline serve` processes on loopback ports: over the SYNTHETIC test store and over a
copy of the demo store (`redline demo` on the mirror)."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "report"))
import synthetic_store
from live_server import API_KEY, start_server, stop


@pytest.fixture(scope="session")
def synthetic_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthetic_store.build(tmp_path_factory.mktemp("api") / "synthetic.duckdb")


@pytest.fixture(scope="session")
def server(synthetic_store_path: Path) -> Iterator[str]:
    proc, base = start_server(
        synthetic_store_path,
        {"REDLINE_API_KEY": API_KEY, "REDLINE_API_MAX_BODY": "200000",
         "REDLINE_DATA": str(synthetic_store.MIRROR)},
    )  # fmt: skip
    yield base
    stop(proc)


@pytest.fixture()
def client(server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server, timeout=60) as c:
        yield c


@pytest.fixture(scope="session")
def demo_server(demo_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real server on a copy of the demo store (a DuckDB file takes one process at a time)."""
    copy = tmp_path_factory.mktemp("api-demo") / "demo.duckdb"
    shutil.copy(demo_store, copy)
    proc, base = start_server(copy, {"REDLINE_DATA": str(synthetic_store.MIRROR)})
    yield base
    stop(proc)


@pytest.fixture()
def demo(demo_server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=demo_server, timeout=60) as c:
        yield c
