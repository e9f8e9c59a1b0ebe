from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from redline.ingest.lists.watchlist import scratch_watchlist
from redline.store.db import Store

FIXTURES = Path(__file__).parent / "fixtures"
EVAL = Path(os.environ["REDLINE_DATA"]).parent / "eval" / "matching"  # the mirror's sibling


@pytest.fixture()
def synthetic() -> Iterator[Store]:
    """A scratch store with the synthetic (fictional) watchlist loaded."""
    store = scratch_watchlist(FIXTURES / "synthetic_watchlist.ftm.jsonl")
    yield store
    store.close()
