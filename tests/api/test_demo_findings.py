"""The findings API on a real server over the DEMO store (`redline demo` on the mirror)."""

from __future__ import annotations

from pathlib import Path

import httpx

from redline.store.db import Store

EVENTS_CSV = "events/mexico_prc_vendor_events.csv"


def test_border_inspection_findings_are_nuctech_with_evidence(demo: httpx.Client) -> None:
    body = demo.get("/findings", params={"sector": "border_inspection"}).json()
    assert body["total"] == len(body["items"]) >= 1
    ocids = sorted(f["ocid"] for f in body["items"])
    # MX-007/MX-009: equipment in use at ANAM; MX-008: the Nuctech-led consortium's lost bid
    assert ocids == ["redline-events-MX-007", "redline-events-MX-008", "redline-events-MX-009"]
    for item in body["items"]:
        # a breach rule met on a press report: capped at watch, the strength shown beside it
        assert item["severity"] == "watch" and item["supplier_name"].startswith("Nuctech")
        assert item["evidence_strength"] == "press_report"
        assert item["listed_caption"] == "Tongfang NucTech Technology Ltd."
        detail = demo.get(f"/findings/{item['finding_id']}").json()
        by_kind: dict[str, list[dict[str, object]]] = {}
        for row in detail["ledger"]:
            by_kind.setdefault(str(row["kind"]), []).append(row)
        (release,) = by_kind["release"]
        assert str(release["ref"]).startswith(item["ocid"] + "/")
        assert str(release["source"]).endswith(EVENTS_CSV)
        assert str(release["detail"]["pointer"]).startswith("line:")  # type: ignore[index]
        (listing,) = [x for x in by_kind["listing"]
                      if x["detail"]["list_code"] == "us-bis-entity-list"]  # type: ignore[index]  # fmt: skip
        assert str(listing["source"]).startswith("https://www.ecfr.gov/")
        assert listing["detail"]["start_date"] == "2020-12-22"  # type: ignore[index]
        # the events table publishes no procedure fields: the red flags are not computed
        (context,) = [c for c in detail["risk"]["components"]
                      if c["name"] == "procurement_red_flags"]  # fmt: skip
        assert (context["computed"], context["points"], context["max_points"]) == (False, 0, 10)


def test_healthz_and_overview_count_the_demo_store(demo: httpx.Client, demo_store: Path) -> None:
    with Store(demo_store, read_only=True) as st:
        found, entities = st.conn.execute(
            "SELECT (SELECT count(*) FROM findings), (SELECT count(*) FROM entities)"
        ).fetchone() or (0, 0)
    health = demo.get("/healthz").json()
    assert (health["findings"], health["entities"]) == (found, entities) and found
    overview = demo.get("/overview").json()
    assert sum(overview["severity"].values()) == found
    # per source, the fields the procurement red flags read that it does not publish
    lacks = {r["publisher"].split(" (")[0]: r["lacks"] for r in overview["coverage"]["red_flags"]}
    assert any(k.startswith("ComprasMX") and "tender.numberOfTenderers" in v
               for k, v in lacks.items())  # fmt: skip
