"""Helpers for the judge tests: a small in-memory store with SYNTHETIC procurement records.

The OCDS rows below are invented (publisher "Redline synthetic data"); the companies in
fixtures/synthetic_watchlist.ftm.jsonl are invented too. The eval watchlist is read in place
from the shared mirror. ``exact_matcher`` is a deliberately simple stand-in for the project's
matcher (case-insensitive equality with any listed name), so the rule tests pin the judge's
logic, not matching quality.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from redline.judge.matching import NameHit, NameQuery
from redline.model import Explanation
from redline.store.db import Store

FIXTURES = Path(__file__).parent / "fixtures"
SYNTHETIC_WATCHLIST = FIXTURES / "synthetic_watchlist.ftm.jsonl"
#: the read-only shared folder beside the checkout (data mirror and eval sets), read in place
SHARED = Path(os.environ["REDLINE_DATA"]).parent  # the data mirror's folder (set by conftest)
EVAL_WATCHLIST = SHARED / "eval" / "matching" / "watchlist.ftm.jsonl"
PUBLISHER = "Redline synthetic data"


def exact_matcher(store: Store, queries: Sequence[NameQuery], as_of: date) -> list[NameHit]:
    rows = store.conn.execute(
        "SELECT id, lower(n) FROM entities, unnest(names) AS t(n) ORDER BY id"
    ).fetchall()
    by_name: dict[str, list[str]] = {}
    for entity_id, name in rows:
        by_name.setdefault(name, []).append(entity_id)
    return [
        NameHit(q.id, entity_id, entity_id, 1.0, Explanation({"test_matcher": "exact name"}))
        for q in queries
        for entity_id in by_name.get(q.name.lower(), [])
    ]


def add_award(
    store: Store,
    ocid: str,
    supplier: str,
    *,
    award_id: str = "1",
    day: date | None = date(2024, 3, 1),
    amount: float | None = 2_000_000.0,
    currency: str | None = "MXN",
    buyer: str = "Agencia Nacional de Aduanas de México (synthetic)",
    signals: Sequence[tuple[str, str, str]] = (),
    item: str | None = None,
    country: str | None = None,
) -> None:
    """A synthetic process, one award to ``supplier``, classifier rows (class, kind, value)."""
    now = datetime.now(UTC)
    prov = [PUBLISHER, f"synthetic/{ocid}.json", "/releases/0", f"{ocid}-r1", "run-syn", now]
    stamp = datetime(day.year, day.month, day.day, tzinfo=UTC) if day else None
    c = store.conn
    c.execute(
        "INSERT INTO processes (ocid, title, buyer_name, date, publisher, source_file, pointer,"
        " release_id, run_id, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [ocid, f"SYNTHETIC process {ocid}", buyer, stamp, *prov],
    )
    c.execute(
        "INSERT INTO awards (ocid, award_id, date, amount, currency, publisher, source_file,"
        " pointer, release_id, run_id, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [ocid, award_id, stamp, amount, currency, *prov],
    )
    c.execute(
        "INSERT INTO award_suppliers (ocid, award_id, party_id, name, publisher, source_file,"
        " pointer, release_id, run_id, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [ocid, award_id, f"{ocid}-p1", supplier, *prov],
    )
    if country is not None:  # the supplier's address country, as the record spells it
        c.execute(
            "INSERT INTO parties (ocid, party_id, name, roles, country, publisher, source_file,"
            " pointer, release_id, run_id, ingested_at)"
            " VALUES (?, ?, ?, ['supplier'], ?, ?, ?, ?, ?, ?, ?)",
            [ocid, f"{ocid}-p1", supplier, country, *prov],
        )
    if item is not None:  # a real item row, for tests that run the classifier
        c.execute(
            "INSERT INTO items (ocid, parent, parent_id, item_id, description, publisher,"
            " source_file, pointer, release_id, run_id, ingested_at)"
            " VALUES (?, 'award', ?, '1', ?, ?, ?, ?, ?, ?, ?)",
            [ocid, award_id, item, *prov],
        )
    for class_id, kind, value in signals:
        c.execute(
            "INSERT INTO classifications (ocid, parent, parent_id, item_id, class_id, tier,"
            " signal_kind, signal_value, signal_field, weight, score, classified_at)"
            " VALUES (?, 'award', ?, '1', ?, 1, ?, ?, 'item.description', 1.0, 1.0, ?)",
            [ocid, award_id, class_id, kind, value, now],
        )


def export_tables(store: Store, out: Path) -> None:
    """Every record table of ``store`` as ``out/<table>/part-0.parquet``, in the columns an
    ingest's ``--out`` build writes (the input of ``redline screen --tables``)."""
    from redline.ingest.ocds.spark_udfs import OUTPUTS

    for table, schema in OUTPUTS.items():
        (out / table).mkdir(parents=True)
        part = out / table / "part-0.parquet"
        columns = ", ".join(f'"{c}"' for c in schema.names)
        store.conn.execute(f"COPY (SELECT {columns} FROM {table}) TO '{part}' (FORMAT parquet)")


def _risk(finding: dict[str, Any]) -> float:
    return float(sum(c["points"] for c in finding["risk"]["components"]))


def assert_same_findings(got: list[dict[str, Any]], want: list[dict[str, Any]]) -> None:
    """Findings as exported JSON: the same ids in the same order, risk to 1e-9, and every
    verdict and piece of evidence (then everything else)."""
    assert want, "the reference screen found nothing: the comparison would prove nothing"
    assert [f["finding_id"] for f in got] == [f["finding_id"] for f in want]
    for g, w in zip(got, want, strict=True):
        assert abs(_risk(g) - _risk(w)) <= 1e-9
        verdict = ("rule_id", "severity", "listed_at_award", "listed_now", "also_meets")
        assert [g[k] for k in verdict] == [w[k] for k in verdict]
        assert g["evidence"] == w["evidence"]
        assert g == w  # alternatives, guard rails, notes, sentences
