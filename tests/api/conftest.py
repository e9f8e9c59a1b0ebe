"""A real `redline serve` process on a loopback port, over the SYNTHETIC test store."""

from __future__ import annotations

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
