"""Evidence strength (issue 14): declared by the source, capping severity, ordering findings.

The events rows are read in place from the mirror; the demo store is the session's real run.
"""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from judge_helpers import add_award

from redline.ingest.lists.watchlist import load_watchlist
from redline.ingest.tracker import UNDECLARED, load_mappings
from redline.judge.strength import cap
from redline.model import STRENGTH_ORDER
from redline.services.read.findings import FindingFilter, finding_detail, findings_page
from redline.services.screen import screen_store
from redline.store.db import Store

EVENTS = "mexico-prc-vendor-events"


def test_a_press_report_or_a_vendor_claim_caps_at_watch_with_the_reason() -> None:
    for strength in ("press_report", "vendor_statement"):
        for rule in ("breach", "high"):
            severity, why = cap(rule, strength, "row MX-018", "ANAM")
            assert severity == "watch" and why and f"(rule: {rule})" in why and "MX-018" in why
    assert cap("watch", "vendor_statement", "x", None) == ("watch", None)


def test_a_breach_needs_a_named_buyer_and_a_firm_record() -> None:
    assert cap("breach", "official_record", "CompraNet", "ANAM") == ("breach", None)
    assert cap("breach", "researchers_table", "AEI row", "Tren Maya") == ("breach", None)
    severity, why = cap("breach", "official_record", "CompraNet", "  ")
    assert severity == "high" and why and "names no buyer" in why
    assert cap("high", "official_record", "CompraNet", None) == ("high", None)


def test_the_events_mapping_declares_each_rows_strength(data_dir: Path) -> None:
    mapping = load_mappings()[EVENTS]
    with (data_dir / "events" / "mexico_prc_vendor_events.csv").open(encoding="utf-8") as fh:
        rows = {r["event_id"]: r for r in csv.DictReader(fh)}
    declared = {key: mapping.evidence.of(row)["strength"] for key, row in rows.items()}
    # a company executive quoted in the press, and the company's own programme statement
    assert declared["MX-018"] == declared["MX-017"] == "vendor_statement"
    # the row that cites its AEI tracker row
    assert declared["MX-011"] == "researchers_table"
    # wire and press reports, and the press-cited monitor behind Metro Line 1
    assert declared["MX-001"] == declared["MX-009"] == declared["MX-010"] == "press_report"
    # a mapping that declares nothing is read as no firmer than the press
    assert UNDECLARED.of(rows["MX-001"])["strength"] == "press_report"


@pytest.fixture(scope="module")
def page(demo_store: Path) -> list[dict[str, object]]:
    with Store(demo_store, read_only=True) as st:
        return findings_page(st.conn, FindingFilter(), limit=100).items


def test_the_read_model_orders_by_strength_then_severity_and_shows_it(
    page: list[dict[str, object]],
) -> None:
    ranks = [STRENGTH_ORDER[str(item["evidence_strength"])] for item in page]
    assert ranks == sorted(ranks) and ranks[0] == 0
    assert all(item["listing_strength"] == "official_list" for item in page)
    # MX-018 (risk 88, the top of the list before) is a capped watch near the end
    mx018 = next(i for i in page if i["ocid"] == "redline-events-MX-018")
    assert mx018["severity"] == "watch" and mx018["evidence_strength"] == "vendor_statement"
    assert page.index(mx018) > page.index(
        next(i for i in page if i["ocid"] == "redline-events-MX-011")
    )


def test_crrc_zhuzhou_on_metro_line_1_is_judged_through_its_ownership_path(
    page: list[dict[str, object]],
) -> None:
    # Metro Line 1's CRRC Zhuzhou Locomotive has its ownership path (the shipped ownership
    # file): a finding on the rule itself, not a possible-affiliate review
    crrc = next(i for i in page if i["supplier_name"] == "CRRC Zhuzhou Locomotive")
    assert crrc["rule_id"] == "dod-1260h-critical-infrastructure"


#: a SYNTHETIC listed entity that goes by one word, and a Mexican firm named after it
VELMORAX = [
    {"id": "syn-velmorax", "schema": "Company",
     "properties": {"name": ["Velmorax Corporation"], "alias": ["Velmorax"], "country": ["cn"],
                    "notes": ["SYNTHETIC test entity: fictional company"]}},
    {"id": "syn-san-velmorax", "schema": "Sanction",
     "properties": {"entity": ["syn-velmorax"], "program": ["SYNTHETIC 1260H listing"],
                    "programId": ["us-dod-1260h"], "authority": ["Synthetic authority"],
                    "startDate": ["2021-06-03"], "sourceUrl": ["https://example.org/synthetic"]}},
]  # fmt: skip


def test_a_possible_affiliate_is_a_review_not_a_silent_pass(tmp_path: Path) -> None:
    # a name-stem affiliate with no ownership edge and no identifier: a review, never a pass
    watchlist = tmp_path / "synthetic_velmorax.ftm.jsonl"
    watchlist.write_text("".join(json.dumps(e) + "\n" for e in VELMORAX), encoding="utf-8")
    supplier = "Velmorax Servicios Ferroviarios de Mexico SA de CV"
    with Store(tmp_path / "s.duckdb") as st:
        load_watchlist(st.conn, watchlist, dataset="synthetic")
        rail = [("rail_rolling_stock_signalling", "keyword", "material rodante")]
        add_award(st, "ocds-syn-velmorax", supplier, day=date(2024, 5, 1), signals=rail)
        report = screen_store(st, as_of=date(2026, 7, 1), classify=False)
        (stem,) = [f for f in report.findings if f.supplier_name == supplier]
        assert (stem.rule_id, stem.severity) == ("review-possible-affiliate", "review")
        detail = finding_detail(st.conn, stem.finding_id)
    assert detail is not None
    data = detail.get("finding", detail)
    text = json.dumps(data, ensure_ascii=False)
    assert "name stem" in text and "Velmorax" in text
