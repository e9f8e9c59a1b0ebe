"""Fixtures for the judge tests; the records and helpers live in judge_helpers.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from judge_helpers import EVAL_WATCHLIST, SYNTHETIC_WATCHLIST

from redline.ingest.lists.watchlist import load_watchlist
from redline.store.db import Store


@pytest.fixture
def store() -> Iterator[Store]:
    with Store(":memory:") as s:
        load_watchlist(s.conn, SYNTHETIC_WATCHLIST, dataset="synthetic")
        load_watchlist(s.conn, EVAL_WATCHLIST, dataset="eval-watchlist")
        yield s
