"""One rule for "in force" in every stage: a listing's end date is its first day out of force.

The SYNTHETIC 1260H listing of "Synthetic Rail Vehicles Co." (fixtures/synthetic_watchlist)
ends 2024-01-31 (FtM ``endDate``: the day the sanctioned status ended). The matcher (resolve)
and the judge must both count it in force on 2024-01-30 and over on 2024-01-31.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pytest
from judge_helpers import add_award

from redline.judge.evidence import in_force
from redline.model import ListingEvidence
from redline.resolve import ownership
from redline.services.match import Query, match_names
from redline.services.screen import screen_store
from redline.store.db import Store

RAIL = "Synthetic Rail Vehicles Co."
END = date(2024, 1, 31)
DAY_BEFORE = date(2024, 1, 30)


@pytest.mark.parametrize(("day", "bound"), [(DAY_BEFORE, True), (END, False)])
def test_both_functions_say_the_same_at_the_end_day(day: date, bound: bool) -> None:
    listing = ListingEvidence("l", "e", "us-dod-1260h", "1260H", "DoD", date(2021, 6, 3), END,
                              None, None, None)  # fmt: skip
    assert in_force(listing, day) is bound
    assert ownership.in_force(date(2021, 6, 3), END, day) is bound
    assert ownership.in_force(day, None, day)  # the start day is in force


@pytest.mark.parametrize(("day", "bound"), [(DAY_BEFORE, True), (END, False)])
def test_matcher_at_the_end_day(store: Store, day: date, bound: bool) -> None:
    (result,) = match_names(store, [Query("q", RAIL)], as_of=day)
    found = result.matches if bound else result.not_in_force
    assert [m.entity_id for m in found] == ["syn-rail"]
    assert not (result.not_in_force if bound else result.matches)
    (listing,) = found[0].listings
    assert (listing["end_date"], listing["in_force"]) == (END.isoformat(), bound)


@pytest.mark.parametrize(("day", "bound"), [(DAY_BEFORE, True), (END, False)])
def test_judge_at_the_end_day(store: Store, day: date, bound: bool) -> None:
    rail = [("rail_rolling_stock_signalling", "keyword", "material rodante")]
    add_award(store, "ocds-syn-rail", RAIL, day=date(2022, 5, 1), signals=rail)
    report = screen_store(store, as_of=day, classify=False, save=False)
    (finding,) = [f for f in report.findings if f.supplier_name == RAIL]
    assert finding.listed_entity_id == "syn-rail"
    assert (finding.listed_at_award, finding.listed_now) == (True, bound)
    assert any("not listed" in n for n in finding.notes) is not bound


@pytest.mark.parametrize("day", [date(2021, 6, 2), date(2021, 6, 3), DAY_BEFORE, END])
@pytest.mark.parametrize("start", [None, date(2021, 6, 3)])
@pytest.mark.parametrize("end", [None, END])
def test_the_sql_rule_says_the_same(day: date, start: date | None, end: date | None) -> None:
    conn = duckdb.connect()
    conn.execute("CREATE TABLE t (start_date DATE, end_date DATE)")
    conn.execute("INSERT INTO t VALUES (?, ?)", [start, end])
    for alias in (None, "t"):
        row = conn.execute(f"SELECT {ownership.in_force_sql(day, alias)} FROM t").fetchone()
        assert row == (ownership.in_force(start, end, day),)
