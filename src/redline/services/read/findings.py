"""The findings as the front ends show them: pages, one finding whole, counts, trends, alerts.

Reach for these whenever a front end needs a count, a total or a list of findings: the briefing
text and its charts, ``GET /findings``, ``GET /alerts`` and the dashboard overview all call the
same query, so a number printed in a paragraph and the bar drawn for it cannot disagree.
Example: ``findings_page(conn, FindingFilter(severity="breach"), limit=20)`` is the first page
the dashboard's table shows for breaches. Everything is read with parameterised SQL; filters
never become SQL text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import duckdb
import orjson

from redline.judge.reviews import latest, trail
from redline.model.briefing import SEVERITIES, BuyerYear, SectorSeverity, Trend
from redline.services.read.base import Page, contains, count, rows, utc_text
from redline.services.read.entities import captions


@dataclass(frozen=True)
class FindingFilter:
    """What ``GET /findings`` and the dashboard table may narrow on (all optional, ANDed).

    Example: ``FindingFilter(sector="border_inspection", severity="breach", year=2022)``.
    ``buyer`` and ``vendor`` are case-insensitive substrings; ``q`` searches supplier, buyer,
    listed entity and sentence; ``since`` keeps findings first seen or changed at/after it.
    """

    sector: str | None = None
    severity: str | None = None
    buyer: str | None = None
    year: int | None = None
    vendor: str | None = None
    q: str | None = None
    since: datetime | None = None
    list_code: str | None = None  # findings whose supplier is on this list
    listed_id: str | None = None  # findings that reach this listed entity (its entity page)
    date_from: date | None = None  # award date at or after
    date_to: date | None = None  # award date at or before
    strength: str | None = None  # evidence strength (model.strength), e.g. official_record

    def where(self) -> tuple[str, list[Any]]:
        """A WHERE clause of fixed text and its parameters (values are never spliced in)."""
        clauses: list[str] = []
        params: list[Any] = []
        if self.sector:
            clauses.append("class_id = ?")
            params.append(self.sector)
        if self.severity:
            clauses.append("severity = ?")
            params.append(self.severity)
        if self.buyer:
            clauses.append("coalesce(data->>'buyer_name', '') ILIKE ?")
            params.append(contains(self.buyer))
        if self.year is not None:
            clauses.append("year(award_date) = ?")
            params.append(self.year)
        if self.vendor:
            clauses.append("supplier_name ILIKE ?")
            params.append(contains(self.vendor))
        if self.q:
            clauses.append(
                "concat_ws(' ', supplier_name, data->>'buyer_name', data->>'listed_caption', "
                "sentence, ocid) ILIKE ?"
            )
            params.append(contains(self.q))
        if self.since is not None:
            clauses.append("updated_at >= ?")
            params.append(self.since)
        self._more(clauses, params)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def _more(self, clauses: list[str], params: list[Any]) -> None:
        """The dashboard's further filters: list, listed entity, award-date range, strength."""
        if self.list_code:
            clauses.append("list_contains(list_codes, ?)")
            params.append(self.list_code)
        if self.listed_id:
            clauses.append(
                "(listed_entity_id = ? OR "
                "json_extract_string(data, '$.evidence.match.matched_id') = ?)"
            )
            params += [self.listed_id, self.listed_id]
        if self.date_from is not None:
            clauses.append("award_date >= ?")
            params.append(self.date_from)
        if self.date_to is not None:
            clauses.append("award_date <= ?")
            params.append(self.date_to)
        if self.strength:
            clauses.append("evidence_strength = ?")
            params.append(self.strength)


#: the award date at the precision its source gives (a tracker row dated "2020" says the year
#: only, kept as ``redlineDatePrecision`` on its release): "2020", "2020-03" or "2020-03-05"
AWARD_WHEN = (
    "CASE (SELECT any_value(r.data->>'redlineDatePrecision') FROM ocds_releases r "
    "WHERE r.ocid = findings.ocid) WHEN 'year' THEN strftime(award_date, '%Y') "
    "WHEN 'month' THEN strftime(award_date, '%Y-%m') "
    "ELSE strftime(award_date, '%Y-%m-%d') END AS award_when"
)
_LIST_COLUMNS = (
    "finding_id, rule_id, severity, score, ocid, award_id, supplier_name, listed_entity_id, "
    "list_codes, class_id, award_date, listed_at_award, listed_now, as_of, sentence, "
    f"basis_url, {utc_text('first_seen_at')}, {utc_text('updated_at')}, "
    "data->>'buyer_name' AS buyer_name, "
    "TRY_CAST(data->>'amount' AS DOUBLE) AS amount, data->>'currency' AS currency, "
    "data->>'listed_caption' AS listed_caption, evidence_strength, listing_strength, "
    f"data->>'strength_basis' AS strength_basis, {AWARD_WHEN}, "
    # a rule judging the signature too names it in its sentence (judge.dates)
    "data->>'signed_date' AS signed_date, "
    "TRY_CAST(data->>'listed_at_signature' AS BOOLEAN) AS listed_at_signature, "
    "TRY_CAST(data->>'award_dated' AS BOOLEAN) AS award_dated"
)
#: the one order of findings: strongest evidence, then severity, then score
ORDER = (
    "strength_rank, list_position(['breach','high','watch','review'], severity), score DESC, "
    "finding_id"
)


def by_sector_severity(conn: duckdb.DuckDBPyConnection) -> list[SectorSeverity]:
    """Count of findings per (sector, severity), most severe first."""
    found = conn.execute(
        "SELECT class_id, severity, count(*) FROM findings GROUP BY class_id, severity "
        "ORDER BY list_position(['breach','high','watch','review'], severity), class_id"
    ).fetchall()
    return [SectorSeverity(str(c), str(s), int(n)) for c, s, n in found]


def severity_totals(conn: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Findings per severity, every severity present (0 when none)."""
    totals = dict.fromkeys(SEVERITIES, 0)
    for row in by_sector_severity(conn):
        totals[row.severity] = totals.get(row.severity, 0) + row.findings
    return totals


def findings_page(
    conn: duckdb.DuckDBPyConnection, filt: FindingFilter, *, limit: int = 50, offset: int = 0
) -> Page:
    """One page of findings matching ``filt``: the strongest evidence first, then the most
    severe, then the highest score (:data:`ORDER`)."""
    where, params = filt.where()
    total = count(conn, f"SELECT count(*) FROM findings{where}", params)
    cur = conn.execute(
        f"SELECT {_LIST_COLUMNS} FROM findings{where} ORDER BY {ORDER} LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    items = rows(cur)
    reviews = latest(conn, [str(i["finding_id"]) for i in items])
    for item in items:  # the dashboard's table shows each row's review beside it
        found = reviews.get(str(item["finding_id"]))
        item["review"] = found.as_dict() if found else None
    return Page(total, limit, offset, items)


def finding_detail(conn: duckdb.DuckDBPyConnection, finding_id: str) -> dict[str, Any] | None:
    """The whole stored finding (risk, evidence, alternatives, guard rails) plus its ledger rows
    and the ownership path as nodes and edges ready to draw; ``None`` when unknown."""
    row = conn.execute(
        f"SELECT data, {utc_text('first_seen_at')}, {utc_text('updated_at')}, policy_file, "
        f"{AWARD_WHEN} FROM findings WHERE finding_id = ?",
        [finding_id],
    ).fetchone()
    if row is None:
        return None
    detail: dict[str, Any] = orjson.loads(row[0])
    detail.update(first_seen_at=row[1], updated_at=row[2], policy_file=row[3], award_when=row[4])
    ledger = conn.execute(
        "SELECT seq, kind, ref, source, detail FROM finding_evidence WHERE finding_id = ? "
        "ORDER BY seq",
        [finding_id],
    )
    detail["ledger"] = [{**r, "detail": orjson.loads(r["detail"])} for r in rows(ledger)]
    detail["graph"] = ownership_graph(conn, detail)
    review = latest(conn, [finding_id]).get(finding_id)
    detail["review"] = review.as_dict() if review else None
    detail["review_trail"] = trail(conn, finding_id)
    return detail


def ownership_graph(conn: duckdb.DuckDBPyConnection, finding: dict[str, Any]) -> dict[str, Any]:
    """Supplier → matched entity → … → listed entity, as ``{"nodes": [...], "edges": [...]}``."""
    evidence = finding.get("evidence") or {}
    match = evidence.get("match") or {}
    edges = list(evidence.get("ownership") or [])
    ids = [str(i) for i in [match.get("matched_id"), *(e["parent_id"] for e in edges)] if i]
    names = captions(conn, ids)
    listed = finding.get("listed_entity_id")
    nodes = [{"id": "supplier", "label": finding.get("supplier_name"), "kind": "supplier"}]
    nodes += [
        {"id": i, "label": names.get(i, i), "kind": "listed" if i == listed else "entity"}
        for i in ids
    ]
    links = (
        [{"from": "supplier", "to": ids[0], "label": f"match {match.get('score', '')}"}]
        if ids
        else []
    )
    links += [
        {
            "from": e["child_id"],
            "to": e["parent_id"],
            "label": e.get("relation", "")
            + (f" {e['percentage']:g}%" if e.get("percentage") is not None else ""),
        }
        for e in edges
    ]
    return {"nodes": nodes, "edges": links}


def breaches(conn: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every breach in full (as :func:`finding_detail`), in the order of :data:`ORDER`."""
    ids = conn.execute(
        f"SELECT finding_id FROM findings WHERE severity = 'breach' ORDER BY {ORDER}"
    ).fetchall()
    return [d for (fid,) in ids if (d := finding_detail(conn, str(fid))) is not None]


def by_buyer_year(conn: duckdb.DuckDBPyConnection) -> list[BuyerYear]:
    """Findings and awarded value by buyer and award year (each award's value once, summed
    per currency, never across). Findings without an award date are left out."""
    found = conn.execute(
        """
        WITH f AS (
            SELECT coalesce(data->>'buyer_name', '') AS buyer, year(award_date) AS year, ocid,
                   award_id, TRY_CAST(data->>'amount' AS DOUBLE) AS amount,
                   coalesce(data->>'currency', '') AS currency
            FROM findings WHERE award_date IS NOT NULL
        ), awards AS (SELECT DISTINCT buyer, year, ocid, award_id, amount, currency FROM f)
        SELECT a.buyer, a.year, n.findings, count(*), coalesce(sum(a.amount), 0), a.currency
        FROM awards a JOIN (SELECT buyer, year, count(*) AS findings FROM f GROUP BY ALL) n
          USING (buyer, year)
        GROUP BY a.buyer, a.year, n.findings, a.currency
        ORDER BY a.buyer, a.year, a.currency
        """
    ).fetchall()
    return [BuyerYear(str(b), int(y), int(n), int(a), float(v), str(c))
            for b, y, n, a, v, c in found]  # fmt: skip


def trends(conn: duckdb.DuckDBPyConnection) -> list[Trend]:
    """Findings and awarded value by award year and sector; each award's value counted once
    per sector even when several rules fired on it. Findings without an award date are left
    out (counted by :func:`undated_findings`)."""
    found = conn.execute(
        """
        WITH f AS (
            SELECT year(award_date) AS year, class_id, ocid, award_id,
                   TRY_CAST(data->>'amount' AS DOUBLE) AS amount,
                   coalesce(data->>'currency', '') AS currency
            FROM findings WHERE award_date IS NOT NULL
        ), awards AS (
            SELECT DISTINCT year, class_id, ocid, award_id, amount, currency FROM f
        )
        SELECT a.year, a.class_id, n.findings, count(*) AS awards,
               coalesce(sum(a.amount), 0) AS value, a.currency
        FROM awards a
        JOIN (SELECT year, class_id, count(*) AS findings FROM f GROUP BY ALL) n
          USING (year, class_id)
        GROUP BY a.year, a.class_id, n.findings, a.currency
        ORDER BY a.year, a.class_id, a.currency
        """
    ).fetchall()
    return [
        Trend(int(y), str(c), int(n), int(a), float(v), str(cur)) for y, c, n, a, v, cur in found
    ]


def undated_findings(conn: duckdb.DuckDBPyConnection) -> int:
    """Findings without an award date: in every count, in no trend year."""
    return count(conn, "SELECT count(*) FROM findings WHERE award_date IS NULL")


def alerts(conn: duckdb.DuckDBPyConnection, since: datetime, *, limit: int = 100) -> Page:
    """Findings first seen or changed at or after ``since`` (``GET /alerts``), newest first."""
    cur = conn.execute(
        f"SELECT {_LIST_COLUMNS}, first_seen_at >= ? AS is_new FROM findings "
        "WHERE updated_at >= ? ORDER BY updated_at DESC, finding_id LIMIT ?",
        [since, since, limit],
    )
    items = rows(cur)
    for item in items:
        item["change"] = "new" if item.pop("is_new") else "changed"
    total = count(conn, "SELECT count(*) FROM findings WHERE updated_at >= ?", [since])
    return Page(total, limit, 0, items)
