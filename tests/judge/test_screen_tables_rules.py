"""``screen --tables``: each matching rule of store mode holds when the records come as tables.

SYNTHETIC records (invented companies, publisher "Redline synthetic data") against SYNTHETIC
lists (fixtures/synthetic_watchlist.ftm.jsonl and synthetic_rules_watchlist.ftm.jsonl): one
record per rule the engine's first pass must let through — an identifier (LEI) under an
unrelated name, a consortium member, initials corroborated by the rest of the name (a score the
threshold alone would drop), a tenderer with no award — and one record nothing meets, which the
judge must never read. Store mode runs the same first pass on the store's own tables: it must
give the findings and matches of judging every record (``prefilter=False``), as the tables do.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import duckdb
import pytest
from judge_helpers import (
    FIXTURES,
    PUBLISHER,
    SYNTHETIC_WATCHLIST,
    add_award,
    assert_same_findings,
    export_tables,
)

from redline.ingest.lists.watchlist import load_watchlist
from redline.judge.export import render
from redline.services.screen import screen_store
from redline.services.screen_tables import screen_tables
from redline.store.db import Store

AS_OF = date(2026, 7, 1)
RULES_WATCHLIST = FIXTURES / "synthetic_rules_watchlist.ftm.jsonl"
XRAY = "Equipo de rayos X para inspección no intrusiva de contenedores en aduanas (synthetic)"
CCTV = "Sistema de videovigilancia con cámaras IP (synthetic)"
#: ocid → (supplier or tenderer, item, the listed entity the matcher must reach, why)
RECORDS = {
    "syn-id-1": ("Proveedora Sintetica Alfa SA de CV", XRAY, "syn-lei-co", "identifier"),
    "syn-cons-1": ("Consorcio: Constructora Sintetica Beta SA de CV / Synthetic Camera Co., Ltd.",
                   CCTV, "syn-camco", "member"),
    "syn-init-1": ("Quorvan Servicios Marítimos (QEC)", CCTV, "syn-quorvan", "initials"),
    "syn-tender-1": ("Synthetic Scanner Technology Co.", XRAY, "syn-scanco", "tenderer"),
}  # fmt: skip
LEI = "5493SYNTH00000000163"  # invented, valid check digits (synthetic_rules_watchlist)


def _lists(store: Store) -> None:
    load_watchlist(store.conn, SYNTHETIC_WATCHLIST, dataset="synthetic")
    load_watchlist(store.conn, RULES_WATCHLIST, dataset="synthetic-rules")


def _records(store: Store) -> None:
    for ocid, (name, item, _, why) in RECORDS.items():
        if why == "tenderer":  # bid only: a party with role tenderer, no award
            add_award(store, ocid, "Otro Proveedor Sintetico SA", item=item)
            store.conn.execute(
                "INSERT INTO parties (ocid, party_id, name, roles, publisher, source_file, "
                "pointer, release_id, run_id, ingested_at) VALUES (?, 't1', ?, ['tenderer'], ?, "
                "?, '/releases/0/parties/1', ?, 'run-syn', now())",
                [ocid, name, PUBLISHER, f"synthetic/{ocid}.json", f"{ocid}-r1"],
            )
            continue
        add_award(store, ocid, name, item=item)
    store.conn.execute(
        "UPDATE award_suppliers SET identifier_id = ? WHERE ocid = 'syn-id-1'", [LEI]
    )
    add_award(store, "syn-none-1", "Papeleria Sintetica Gamma SA", item="Papel bond (synthetic)")


@pytest.fixture(scope="module")
def screened(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("rules")
    with Store(root / "full.duckdb") as full:
        _lists(full)
        _records(full)
        export_tables(full, root / "tables")
        want = screen_store(full, as_of=AS_OF, save=False, prefilter=False)
        store_mode = screen_store(full, as_of=AS_OF, save=False)
    with Store(root / "lists.duckdb") as lists:
        _lists(lists)
        got = screen_tables(lists, root / "tables", root / "out", as_of=AS_OF)
    return {"want": want, "got": got, "store_mode": store_mode, "out": root / "out"}


def test_every_rule_gives_the_findings_of_judging_every_record(screened: dict[str, Any]) -> None:
    want, got, store_mode = screened["want"], screened["got"], screened["store_mode"]
    reference = json.loads(render(want.findings, "json"))
    assert_same_findings(json.loads(render(got.screen.findings, "json")), reference)
    assert_same_findings(json.loads(render(store_mode.findings, "json")), reference)
    # the engine's pass let through exactly the records a rule meets, on the tables and in the
    # store: the judge never read the stationery supplier's
    assert got.records == store_mode.records_judged == len(RECORDS)
    assert got.screen.candidates == store_mode.candidates == want.candidates - 1
    assert store_mode.matched_hits == want.matched_hits


def test_each_rule_is_a_match_written_beside_the_findings(screened: dict[str, Any]) -> None:
    source = screened["out"] / "matches.parquet"
    rows = duckdb.sql(f"SELECT * FROM read_parquet('{source}')").to_arrow_table().to_pylist()
    by_ocid: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_ocid.setdefault(row["ocid"], []).append(row)
    assert set(by_ocid) == set(RECORDS)
    for ocid, (name, _, listed, why) in RECORDS.items():
        (row,) = [r for r in by_ocid[ocid] if r["listed_id"] == listed]
        explanation = json.loads(row["explanation"])
        assert row["supplier_name"] == name
        if why == "identifier":
            assert row["identifier"] == LEI and row["score"] == 1.0
            assert explanation["identifiers"] == [{"scheme": "lei", "value": LEI}]
        elif why == "member":
            assert row["member"] == "Synthetic Camera Co., Ltd"  # as the split gives it
        elif why == "initials":
            assert 0.85 <= row["score"] < 1.0
            assert explanation["name"]["feature"] == "initials"
        else:
            assert row["award_id"] is None  # screened against the process as a whole
    # the matches are the store mode matcher's own, hit for hit
    want = {(c.ocid, c.name, h.entity_id, h.score, h.explanation.to_json())
            for c, hits in screened["want"].matched_hits for h in hits}  # fmt: skip
    assert {(r["ocid"], r["supplier_name"], r["listed_id"], r["score"], r["explanation"])
            for r in rows} == want  # fmt: skip
