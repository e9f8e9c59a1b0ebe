"""An identifier on both sides decides; a Mexican RFC says person or company (issue 12).

The watchlist is SYNTHETIC (fictional names, RFCs made with a valid check digit by
``stdnum.mx.rfc``): a company with an RFC, and a firm and a person with the same name words.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from redline.ingest.lists.watchlist import scratch_watchlist
from redline.services.match import Query, match_names
from redline.store.db import Store

WATCHLIST = Path(__file__).parent / "fixtures" / "synthetic_rfc.ftm.jsonl"
NAME = "VELMISA SERVICIOS INDUSTRIALES SA DE CV"


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    opened = scratch_watchlist(WATCHLIST)
    yield opened
    opened.close()


def _top(store: Store, name: str, identifier: str | None) -> list[str]:
    [result] = match_names(store, [Query("q", name, "mx", identifier)])
    return [m.entity_id for m in result.matches]


def test_an_rfc_on_both_sides_decides(store: Store) -> None:
    assert _top(store, NAME, None) == ["rfc-velmisa"]  # the name alone
    assert _top(store, NAME, "VSI100412AB1") == ["rfc-velmisa"]  # the same RFC
    assert _top(store, NAME, "VSI090315K79") == []  # another firm's RFC: not this one
    # a value that is no RFC (no 13th month) says nothing: the name decides
    assert _top(store, NAME, "VSI091315K79") == ["rfc-velmisa"]


def test_a_persons_rfc_meets_persons_and_a_companys_rfc_companies(store: Store) -> None:
    person, company = "QUYM8503216H5", "QUY120101JK0"
    assert _top(store, "MARISELA QUINTERO YBARRA", person) == ["rfc-quybar-p"]
    assert _top(store, "QUINTERO YBARRA MARISELA", company) == ["rfc-quybar-co"]
    assert set(_top(store, "MARISELA QUINTERO YBARRA", None)) == {"rfc-quybar-p", "rfc-quybar-co"}
