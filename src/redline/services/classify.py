"""Use case: classify everything in the store into sector classes, with evidence.

Reach for :func:`classify_store` after ingest; it rebuilds table ``classifications`` in one
transaction. Set-based: the store's texts, codes and buyer names are reduced to their DISTINCT
values in DuckDB, only those go through the Python regexes, and the hits are joined back in
SQL — so the regex cost grows with the number of different descriptions, not of releases.
For one description, an event or a tracker row use :func:`classify_text`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from redline.classify.classifier import Assignment, Classifier, classify_text
from redline.classify.sources import event_subjects, investment_subjects
from redline.store.arrow_io import temp_table
from redline.store.db import Store

# (ocid, parent, parent_id, item_id, field, text, source_file, pointer) of every text we read
_TEXTS_SQL = """
CREATE OR REPLACE TEMP TABLE _cl_texts AS
SELECT * FROM (
  SELECT ocid, 'tender' AS parent, NULL::VARCHAR AS parent_id, NULL::VARCHAR AS item_id,
         'tender.title' AS field, title AS text, source_file, pointer FROM processes
  UNION ALL SELECT ocid, 'tender', NULL, NULL, 'tender.description', description,
         source_file, pointer FROM processes
  UNION ALL SELECT ocid, 'award', award_id, NULL, 'award.title', title, source_file, pointer
         FROM awards
  UNION ALL SELECT ocid, 'award', award_id, NULL, 'award.description', description,
         source_file, pointer FROM awards
  UNION ALL SELECT ocid, 'contract', contract_id, NULL, 'contract.title', title,
         source_file, pointer FROM contracts
  UNION ALL SELECT ocid, 'contract', contract_id, NULL, 'contract.description', description,
         source_file, pointer FROM contracts
  UNION ALL SELECT ocid, parent, parent_id, coalesce(item_id, ''), 'item.description',
         description, source_file, pointer FROM items
  UNION ALL SELECT ocid, parent, parent_id, coalesce(item_id, ''),
         'item.classification_description', classification_description, source_file, pointer
         FROM items
) WHERE text IS NOT NULL AND trim(text) <> ''
"""

_CODES_SQL = """
CREATE OR REPLACE TEMP TABLE _cl_codes AS
SELECT * FROM (
  SELECT ocid, parent, parent_id, coalesce(item_id, '') AS item_id,
         'item.classification' AS field, classification_scheme AS scheme,
         classification_id AS code, source_file, pointer FROM items
  UNION ALL
  SELECT ocid, parent, parent_id, coalesce(item_id, ''), 'item.additional_classifications',
         ac.scheme, ac.id, source_file, pointer
  FROM (SELECT *, unnest(additional_classifications) AS ac FROM items)
) WHERE scheme IS NOT NULL AND code IS NOT NULL
"""

_BUYERS_SQL = """
CREATE OR REPLACE TEMP TABLE _cl_buyers AS
SELECT DISTINCT ocid, name FROM (
  SELECT ocid, buyer_name AS name FROM processes UNION ALL SELECT ocid, name FROM buyers
) WHERE name IS NOT NULL AND trim(name) <> ''
"""

_INSERT_SQL = """
INSERT INTO classifications
WITH ev AS (
  SELECT t.ocid, t.parent, t.parent_id, t.item_id, h.class_id, h.kind, h.value,
         t.field, h.detail, CASE h.kind WHEN 'model' THEN $model ELSE $kw END AS weight,
         t.source_file, t.pointer
  FROM _cl_texts t JOIN _cl_text_hits h ON t.text = h.text
  UNION ALL
  SELECT c.ocid, c.parent, c.parent_id, c.item_id, h.class_id, 'code', h.value, c.field,
         h.detail, $code, c.source_file, c.pointer
  FROM _cl_codes c JOIN _cl_code_hits h ON c.scheme = h.scheme AND c.code = h.code
),
assigned AS (
  SELECT ocid, parent, parent_id, item_id, class_id,
         any_value(source_file) AS source_file, any_value(pointer) AS pointer
  FROM ev GROUP BY ALL
),
bev AS (
  SELECT a.ocid, a.parent, a.parent_id, a.item_id, a.class_id, 'buyer', bh.value, 'buyer',
         bh.detail, $buyer, a.source_file, a.pointer
  FROM assigned a JOIN _cl_buyers b ON a.ocid = b.ocid
  JOIN _cl_buyer_hits bh ON bh.name = b.name AND bh.class_id = a.class_id
),
dedup AS (
  SELECT ocid, parent, parent_id, item_id, class_id, kind, value, field,
         min(detail) AS detail, any_value(weight) AS weight,
         min(source_file) AS source_file, min(pointer) AS pointer
  FROM (SELECT * FROM ev UNION ALL SELECT * FROM bev) GROUP BY ALL
)
SELECT d.ocid, d.parent, d.parent_id, nullif(d.item_id, ''), d.class_id, k.tier, d.kind,
       d.value, d.field, d.detail, d.weight,
       sum(d.weight) OVER (PARTITION BY d.ocid, d.parent, d.parent_id, d.item_id, d.class_id),
       d.source_file, d.pointer, now()
FROM dedup d JOIN _cl_tiers k ON k.class_id = d.class_id
"""


@dataclass
class ClassifyReport:
    """What one `classify_store` run did; ``by_class`` counts classified subjects per class."""

    subjects: int = 0
    classified_subjects: int = 0
    rows: int = 0
    unique_texts: int = 0
    unique_codes: int = 0
    seconds: float = 0.0
    by_class: dict[str, int] = field(default_factory=dict)


def _hits_table(rows: list[dict[str, str]], keys: list[str]) -> pa.Table:
    return pa.table({k: pa.array([r[k] for r in rows], type=pa.string()) for k in keys})


def classify_store(store: Store, classifier: Classifier | None = None) -> ClassifyReport:
    """Rebuild ``classifications`` from processes, awards, contracts, items and buyers."""
    started = time.perf_counter()
    clf = classifier or Classifier()
    conn = store.conn
    report = ClassifyReport()
    with store.transaction():
        for sql in (_TEXTS_SQL, _CODES_SQL, _BUYERS_SQL):
            conn.execute(sql)
        text_rows = [
            {
                "text": text,
                "class_id": h.class_id,
                "kind": h.kind,
                "value": h.value,
                "detail": h.detail,
            }
            for (text,) in conn.execute("SELECT DISTINCT text FROM _cl_texts").fetchall()
            for h in clf.text_hits(text)
        ]
        codes = conn.execute("SELECT DISTINCT scheme, code FROM _cl_codes").fetchall()
        code_rows = [
            {"scheme": s, "code": c, "class_id": h.class_id, "value": h.value, "detail": h.detail}
            for s, c in codes
            for h in clf.matcher.code_hits(s, c)
        ]
        buyer_rows = [
            {"name": name, "class_id": h.class_id, "value": h.value, "detail": h.detail}
            for (name,) in conn.execute("SELECT DISTINCT name FROM _cl_buyers").fetchall()
            for h in clf.matcher.buyer_hits(name)
        ]
        tiers = [{"class_id": c.id, "tier": str(c.tier)} for c in clf.taxonomy.classes]
        hit_cols = ["class_id", "value", "detail"]
        tables = {
            "_cl_text_hits": _hits_table(text_rows, ["text", "kind", *hit_cols]),
            "_cl_code_hits": _hits_table(code_rows, ["scheme", "code", *hit_cols]),
            "_cl_buyer_hits": _hits_table(buyer_rows, ["name", *hit_cols]),
        }
        for name, table in tables.items():
            temp_table(conn, name, table)
        tier_table = _hits_table(tiers, ["class_id", "tier"])
        temp_table(conn, "_cl_tiers", tier_table, "class_id, tier::INTEGER AS tier")
        conn.execute("DELETE FROM classifications")
        w = clf.taxonomy.weights
        conn.execute(
            _INSERT_SQL, {"kw": w.keyword, "code": w.code, "buyer": w.buyer, "model": w.model}
        )
        report.unique_texts = int(_one(conn, "SELECT count(DISTINCT text) FROM _cl_texts"))
        report.unique_codes = len(codes)
        report.subjects = int(
            _one(
                conn,
                "SELECT count(*) FROM (SELECT DISTINCT ocid, parent, parent_id, item_id "
                "FROM (SELECT ocid, parent, parent_id, item_id FROM _cl_texts UNION ALL "
                "SELECT ocid, parent, parent_id, item_id FROM _cl_codes))",
            )
        )
        report.rows = int(_one(conn, "SELECT count(*) FROM classifications"))
        subject = "ocid, parent, coalesce(parent_id, ''), coalesce(item_id, '')"
        report.classified_subjects = int(
            _one(conn, f"SELECT count(DISTINCT ({subject})) FROM classifications")
        )
        per_class = conn.execute(
            f"SELECT class_id, count(DISTINCT ({subject})) FROM classifications "
            "GROUP BY class_id ORDER BY class_id"
        ).fetchall()
        report.by_class = {str(c): int(n) for c, n in per_class}
        for name in ("_cl_texts", "_cl_codes", "_cl_buyers", *tables, "_cl_tiers"):
            conn.execute(f"DROP TABLE IF EXISTS {name}")
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _one(conn: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = conn.execute(sql).fetchone()
    return int(row[0]) if row else 0


def classify_events_file(path: Path) -> list[tuple[str, list[Assignment]]]:
    """(event_id, assignments) for every row of the events table CSV."""
    clf = Classifier()
    return [(key, clf.classify(subject)) for key, subject in event_subjects(path)]


def classify_investments_file(
    path: Path, country: str = "Mexico"
) -> list[tuple[str, list[Assignment]]]:
    """("row:N", assignments) for the tracker rows of ``country``."""
    clf = Classifier()
    return [(key, clf.classify(subject)) for key, subject in investment_subjects(path, country)]


__all__ = [
    "Assignment",
    "ClassifyReport",
    "classify_events_file",
    "classify_investments_file",
    "classify_store",
    "classify_text",
]
