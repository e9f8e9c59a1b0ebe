"""A small SYNTHETIC store for the report, API and dashboard tests.

What is real and what is not:
- Listings of Nuctech, Hikvision and Huawei are built from the rows of the read-only mirror
  (BIS Entity List subset, NDAA s.889 file) at test time — their dates and sources are the
  mirror's, never typed here. Nothing is copied from the mirror into the repository.
- Procurement records, awards, amounts and findings are SYNTHETIC (ocids ``ocds-synthetic-*``,
  publisher "SYNTHETIC test publisher"). The Nuctech award is modelled on documented event
  MX-009 of events/mexico_prc_vendor_events.csv (ANAM bought detection arches from Nuctech,
  2022-11); its amount is invented.
- "Synthetic Listed Holding" and its subsidiary are invented companies on an invented list
  (``synthetic-watchlist``), used only to exercise an ownership path.
"""

from __future__ import annotations

import csv
import json
import os
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

from redline.ingest.lists.watchlist import load_watchlist
from redline.judge.persist import save_findings
from redline.model import (
    EvidenceLedger,
    Explanation,
    Finding,
    ListingEvidence,
    MatchEvidence,
    OwnershipEvidence,
    Recommendation,
    ReleaseEvidence,
    RiskComponent,
    RiskScore,
    RuleMet,
    SignalEvidence,
)
from redline.store.db import Store

#: the read-only data mirror, found as tests/conftest.py finds it (REDLINE_DATA, else beside the
#: checkout), so CI's copy of shared/ works as well as this machine's
MIRROR = Path(
    os.environ.get("REDLINE_DATA") or Path(__file__).resolve().parents[3] / "shared" / "data"
)
PUBLISHER = "SYNTHETIC test publisher"


def _csv_row(path: Path, column: str, value: str) -> dict[str, str]:
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row[column].strip() == value:
                return row
    raise LookupError(f"{value!r} not in {path}")


def _fr_date(citation: str) -> str | None:
    """'85 FR 83420, 12/22/20' → '2020-12-22' (the Federal Register date of the listing)."""
    part = citation.rsplit(",", 1)[-1].strip()
    month, day, year = part.split("/")
    return f"20{year}-{int(month):02d}-{int(day):02d}"


def watchlist_lines(mirror: Path = MIRROR) -> list[dict[str, object]]:
    """FtM entities for the real listings (read from the mirror) plus the synthetic chain."""
    bis = _csv_row(
        mirror / "lists/bis_entity_list_china_mexico_subset.csv",
        "name",
        "Tongfang NucTech Technology Ltd.",
    )
    s889 = mirror / "lists/us_ndaa_section_889_entities.csv"
    lines: list[dict[str, object]] = [
        {
            "id": "rl-nuctech",
            "schema": "Company",
            "properties": {"name": [bis["name"]], "alias": [bis["aliases"]], "country": ["cn"]},
        },
        {
            "id": "rl-nuctech-bis",
            "schema": "Sanction",
            "properties": {
                "entity": ["rl-nuctech"],
                "programId": ["us-bis-entity-list"],
                "program": ["BIS Entity List"],
                "authority": ["US Department of Commerce, BIS"],
                "reason": [bis["notes"]],
                "startDate": [_fr_date(bis["federal_register"])],
                "sourceUrl": [
                    "https://www.ecfr.gov/current/title-15/part-744/appendix-Supplement%20No.%204%20to%20Part%20744"
                ],
            },
        },
    ]
    for key, name in (
        ("hikvision", "Hangzhou Hikvision Digital Technology Company"),
        ("huawei", "Huawei Technologies Company"),
    ):
        row = _csv_row(s889, "name", name)
        lines.append(
            {"id": f"rl-{key}", "schema": "Company", "properties": {"name": [row["name"]]}}
        )
        sanction: dict[str, list[str]] = {
            "entity": [f"rl-{key}"],
            "programId": ["us-ndaa-889"],
            "program": [row["program"]],
            "authority": [row["authority"]],
            "sourceUrl": [row["source_url"]],
        }
        if row["start-date"]:
            sanction["startDate"] = [row["start-date"]]
        lines.append({"id": f"rl-{key}-889", "schema": "Sanction", "properties": sanction})
    lines += [
        {
            "id": "syn-holding",
            "schema": "Company",
            "properties": {"name": ["Synthetic Listed Holding Co"], "country": ["cn"]},
        },
        {
            "id": "syn-holding-list",
            "schema": "Sanction",
            "properties": {
                "entity": ["syn-holding"],
                "programId": ["synthetic-watchlist"],
                "program": ["SYNTHETIC test watchlist"],
                "startDate": ["2019-05-01"],
            },
        },
        {
            "id": "syn-sub",
            "schema": "Company",
            "properties": {"name": ["Synthetic Cam Distribuidora SA de CV"], "country": ["mx"]},
        },
        {
            "id": "syn-own",
            "schema": "Ownership",
            "properties": {"owner": ["syn-holding"], "asset": ["syn-sub"], "percentage": ["80"]},
        },
    ]
    return lines


def _caption(store: Store, entity_id: str) -> str:
    row = store.conn.execute("SELECT caption FROM entities WHERE id = ?", [entity_id]).fetchone()
    return str(row[0]) if row else entity_id


def _listing(store: Store, entity_id: str) -> ListingEvidence:
    row = store.conn.execute(
        "SELECT listing_id, entity_id, list_code, list_name, authority, start_date, end_date, "
        "source_url, source_file, source_row FROM listings WHERE entity_id = ?",
        [entity_id],
    ).fetchone()
    assert row is not None
    return ListingEvidence(*row)


# (key, supplier, matched, listed, severity, class, buyer, award date, amount, currency, signal)
CASES = [
    ("nuctech", "NUCTECH COMPANY LIMITED", "rl-nuctech", "rl-nuctech", "breach",
     "border_inspection", "Agencia Nacional de Aduanas de México", date(2022, 11, 2),
     48_500_000.0, "MXN", "arcos detectores de rayos x para aduanas"),
    ("hikvision", "Hikvision Digital Technology", "rl-hikvision", "rl-hikvision", "high",
     "video_surveillance", "SYNTHETIC Centro de Mando C5", date(2021, 6, 15),
     12_000_000.0, "MXN", "camaras de videovigilancia"),
    ("huawei", "Huawei Technologies de México", "rl-huawei", "rl-huawei", "watch",
     "telecom_core", "SYNTHETIC Red troncal estatal", date(2019, 3, 1),
     3_000_000.0, "USD", "equipo de red troncal"),
    ("chain", "Synthetic Cam Distribuidora SA de CV", "syn-sub", "syn-holding", "high",
     "video_surveillance", "SYNTHETIC Centro de Mando C5", date(2022, 2, 10),
     7_250_000.0, "MXN", "camaras de videovigilancia"),
]  # fmt: skip


def build(path: Path, mirror: Path = MIRROR) -> Path:
    """Write the synthetic store at ``path`` and return it."""
    wl = path.parent / "synthetic_watchlist.ftm.json"
    wl.write_text("\n".join(json.dumps(x) for x in watchlist_lines(mirror)) + "\n")
    now = datetime(2024, 1, 1, tzinfo=UTC)
    with Store(path) as store:
        load_watchlist(store.conn, wl, dataset="synthetic-test-lists")
        findings = []
        for n, case in enumerate(CASES, 1):
            key, supplier, matched, listed, sev, cls, buyer, day, amount, cur, text = case
            ocid = f"ocds-synthetic-{n:03d}"
            prov = ["synthetic.json", f"/releases/{n}", f"{ocid}-r1", "run-synthetic", now]
            store.conn.execute(
                "INSERT INTO processes (ocid, title, buyer_name, date, publisher, source_file, "
                "pointer, release_id, run_id, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [ocid, f"SYNTHETIC {text}", buyer, day, PUBLISHER, *prov],
            )
            store.conn.execute(
                "INSERT INTO awards (ocid, award_id, date, amount, currency, publisher, "
                "source_file, pointer, release_id, run_id, ingested_at) "
                "VALUES (?, '1', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [ocid, day, amount, cur, PUBLISHER, *prov],
            )
            ownership: tuple[OwnershipEvidence, ...] = ()
            if matched != listed:
                ownership = (
                    OwnershipEvidence("syn-own", matched, listed, "ownership", 80.0,
                                      "synthetic_watchlist.ftm.json", None),
                )  # fmt: skip
            ledger = EvidenceLedger(
                release=ReleaseEvidence(ocid, f"{ocid}-r1", PUBLISHER, "synthetic.json",
                                        f"/releases/{n}"),
                match=MatchEvidence(supplier, matched, matched, 0.93,
                                    Explanation({"test_matcher": f"name match '{supplier}'"})),
                listings=(_listing(store, listed),),
                signals=(SignalEvidence(cls, "keyword", text, "item.description", "award",
                                        "1", "1"),),
                ownership=ownership,
            )  # fmt: skip
            points = {"breach": 80.0, "high": 60.0, "watch": 30.0}[sev]
            findings.append(
                Finding(
                    finding_id=f"syn-{key}",
                    rule_id=f"synthetic-rule-{sev}",
                    severity=sev,  # type: ignore[arg-type]
                    sentence=f"SYNTHETIC: {supplier} supplied {cls} to {buyer}",
                    basis="SYNTHETIC basis for tests",
                    basis_url="https://example.invalid/synthetic-basis",
                    supplier_name=supplier,
                    supplier_party_id=f"p{n}",
                    ocid=ocid,
                    award_id="1",
                    award_date=day,
                    amount=amount,
                    currency=cur,
                    buyer_name=buyer,
                    class_id=cls,
                    listed_entity_id=listed,
                    listed_caption=_caption(store, listed),
                    list_codes=(ledger.listings[0].list_code,),
                    listed_at_award=True,
                    listed_now=True,
                    as_of=date(2024, 1, 1),
                    risk=RiskScore(
                        (RiskComponent("listing", points, 100.0, "fixed", {}),), "official_record"
                    ),
                    evidence=ledger,
                    alternatives=(
                        Recommendation(
                            cls, "SYNTHETIC trusted vendor", "us", "https://example.invalid/vendor"
                        ),
                    ),
                    guard_rails=("SYNTHETIC guard rail: no remote vendor access",),
                )
            )
        # the breach also meets a second SYNTHETIC rule through the same listing (also_meets)
        findings[0] = replace(
            findings[0],
            also_meets=(
                RuleMet("synthetic-rule-high", "high", "SYNTHETIC: a second rule met by NUCTECH",
                        "SYNTHETIC basis for tests", "https://example.invalid/synthetic-basis-2",
                        "rl-nuctech", findings[0].listed_caption, findings[0].list_codes,
                        "listed directly", "border_inspection", 60.0, True, True,
                        findings[0].evidence),
            ),
        )  # fmt: skip
        save_findings(store, findings, {})
    return path
