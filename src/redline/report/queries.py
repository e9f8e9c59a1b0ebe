"""Every number Redline shows — in the briefing, its charts, the API and the dashboard.

Reach for these functions whenever a front end needs a count, a total or a list of findings:
the briefing text and its charts, ``GET /findings`` and the dashboard overview all call the
same query, so a number printed in a paragraph and the bar drawn for it cannot disagree.
Everything is read with parameterised SQL; filters never become SQL text.

This module is longer than most (store queries for findings, entities and coverage live
together) because "one place for numbers" is the point; the CSV-backed context series (trade,
investment) live in :mod:`redline.report.context`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import duckdb
import orjson

#: severities in the order a reader should meet them
SEVERITIES = ("breach", "high", "watch")


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
            params.append(f"%{_escape_like(self.buyer)}%")
        if self.year is not None:
            clauses.append("year(award_date) = ?")
            params.append(self.year)
        if self.vendor:
            clauses.append("supplier_name ILIKE ?")
            params.append(f"%{_escape_like(self.vendor)}%")
        if self.q:
            clauses.append(
                "concat_ws(' ', supplier_name, data->>'buyer_name', data->>'listed_caption', "
                "sentence, ocid) ILIKE ?"
            )
            params.append(f"%{_escape_like(self.q)}%")
        if self.since is not None:
            clauses.append("updated_at >= ?")
            params.append(self.since)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _escape_like(text: str) -> str:
    # ILIKE has no ESCAPE clause by default in DuckDB; drop the two wildcards instead
    return text.replace("%", "").replace("_", " ")


@dataclass(frozen=True)
class SectorSeverity:
    class_id: str
    severity: str
    findings: int


@dataclass(frozen=True)
class Trend:
    """Findings and the value of the distinct awards behind them, by award year and sector."""

    year: int
    class_id: str
    findings: int
    awards: int
    value: float
    currency: str


@dataclass
class Page:
    total: int
    limit: int
    offset: int
    items: list[dict[str, Any]] = field(default_factory=list)


def _ts(column: str) -> str:
    # TIMESTAMPTZ → ISO text in UTC: DuckDB would need pytz to hand out aware datetimes
    return f"strftime(timezone('UTC', {column}), '%Y-%m-%dT%H:%M:%SZ') AS {column}"


_LIST_COLUMNS = (
    "finding_id, rule_id, severity, score, ocid, award_id, supplier_name, listed_entity_id, "
    "list_codes, class_id, award_date, listed_at_award, listed_now, as_of, sentence, "
    f"basis_url, {_ts('first_seen_at')}, {_ts('updated_at')}, data->>'buyer_name' AS buyer_name, "
    "TRY_CAST(data->>'amount' AS DOUBLE) AS amount, data->>'currency' AS currency, "
    "data->>'listed_caption' AS listed_caption"
)


def _rows(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cur.description or []]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def by_sector_severity(conn: duckdb.DuckDBPyConnection) -> list[SectorSeverity]:
    """Count of findings per (sector, severity), most severe first."""
    rows = conn.execute(
        "SELECT class_id, severity, count(*) FROM findings GROUP BY class_id, severity "
        "ORDER BY list_position(['breach','high','watch'], severity), class_id"
    ).fetchall()
    return [SectorSeverity(str(c), str(s), int(n)) for c, s, n in rows]


def severity_totals(conn: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Findings per severity, every severity present (0 when none)."""
    totals = dict.fromkeys(SEVERITIES, 0)
    for row in by_sector_severity(conn):
        totals[row.severity] = totals.get(row.severity, 0) + row.findings
    return totals


def findings_page(
    conn: duckdb.DuckDBPyConnection, filt: FindingFilter, *, limit: int = 50, offset: int = 0
) -> Page:
    """One page of findings matching ``filt``: most severe, then highest score, first."""
    where, params = filt.where()
    total_row = conn.execute(f"SELECT count(*) FROM findings{where}", params).fetchone()
    cur = conn.execute(
        f"SELECT {_LIST_COLUMNS} FROM findings{where} "
        "ORDER BY list_position(['breach','high','watch'], severity), score DESC, finding_id "
        "LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    return Page(int(total_row[0]) if total_row else 0, limit, offset, _rows(cur))


def finding_detail(conn: duckdb.DuckDBPyConnection, finding_id: str) -> dict[str, Any] | None:
    """The whole stored finding (risk, evidence, alternatives, guard rails) plus its ledger rows
    and the ownership path as nodes and edges ready to draw; ``None`` when unknown."""
    row = conn.execute(
        f"SELECT data, {_ts('first_seen_at')}, {_ts('updated_at')}, policy_file FROM findings "
        "WHERE finding_id = ?",
        [finding_id],
    ).fetchone()
    if row is None:
        return None
    detail: dict[str, Any] = orjson.loads(row[0])
    detail.update(first_seen_at=row[1], updated_at=row[2], policy_file=row[3])
    ledger = conn.execute(
        "SELECT seq, kind, ref, source, detail FROM finding_evidence WHERE finding_id = ? "
        "ORDER BY seq",
        [finding_id],
    )
    detail["ledger"] = [{**r, "detail": orjson.loads(r["detail"])} for r in _rows(ledger)]
    detail["graph"] = ownership_graph(conn, detail)
    return detail


def captions(conn: duckdb.DuckDBPyConnection, ids: Sequence[str]) -> dict[str, str]:
    """Entity id → caption, for the ids the store knows."""
    rows = conn.execute(
        "SELECT id, caption FROM entities WHERE list_contains(?, id)", [list(ids)]
    ).fetchall()
    return {str(i): str(c) for i, c in rows}


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
    """Every breach in full (as :func:`finding_detail`), highest score first."""
    ids = conn.execute(
        "SELECT finding_id FROM findings WHERE severity = 'breach' ORDER BY score DESC, finding_id"
    ).fetchall()
    return [d for (fid,) in ids if (d := finding_detail(conn, str(fid))) is not None]


def trends(conn: duckdb.DuckDBPyConnection) -> list[Trend]:
    """Findings and awarded value by award year and sector; each award's value counted once
    per sector even when several rules fired on it. Findings without an award date are left
    out (counted by :func:`undated_findings`)."""
    rows = conn.execute(
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
        Trend(int(y), str(c), int(n), int(a), float(v), str(cur)) for y, c, n, a, v, cur in rows
    ]


def undated_findings(conn: duckdb.DuckDBPyConnection) -> int:
    row = conn.execute("SELECT count(*) FROM findings WHERE award_date IS NULL").fetchone()
    return int(row[0]) if row else 0


def alerts(conn: duckdb.DuckDBPyConnection, since: datetime, *, limit: int = 100) -> Page:
    """Findings first seen or changed at or after ``since`` (``GET /alerts``), newest first."""
    cur = conn.execute(
        f"SELECT {_LIST_COLUMNS}, first_seen_at >= ? AS is_new FROM findings "
        "WHERE updated_at >= ? ORDER BY updated_at DESC, finding_id LIMIT ?",
        [since, since, limit],
    )
    items = _rows(cur)
    for item in items:
        item["change"] = "new" if item.pop("is_new") else "changed"
    total = conn.execute("SELECT count(*) FROM findings WHERE updated_at >= ?", [since]).fetchone()
    return Page(int(total[0]) if total else 0, limit, 0, items)


# -- entities --------------------------------------------------------------------------------


def search_entities(
    conn: duckdb.DuckDBPyConnection, q: str, *, limit: int = 20, offset: int = 0
) -> Page:
    """Watchlist entities whose caption or any name contains ``q`` (case-insensitive)."""
    pattern = f"%{_escape_like(q)}%"
    where = " WHERE caption ILIKE ? OR len(list_filter(names, n -> n ILIKE ?)) > 0 OR id = ?"
    params = [pattern, pattern, q]
    total = conn.execute(f"SELECT count(*) FROM entities{where}", params).fetchone()
    cur = conn.execute(
        "SELECT id, schema, caption, names, countries, dataset, "
        "(SELECT list(DISTINCT list_code ORDER BY list_code) FROM listings l "
        " WHERE l.entity_id = e.id) AS list_codes "
        f"FROM entities e{where} ORDER BY caption, id LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    return Page(int(total[0]) if total else 0, limit, offset, _rows(cur))


def entity_detail(conn: duckdb.DuckDBPyConnection, entity_id: str) -> dict[str, Any] | None:
    """An entity with its listings (dates, sources), owners and known subsidiaries."""
    cur = conn.execute(
        "SELECT id, schema, caption, names, countries, dataset, merged_from, merge_reason "
        "FROM entities WHERE id = ?",
        [entity_id],
    )
    found = _rows(cur)
    if not found:
        return None
    entity = found[0]
    entity["identifiers"] = _rows(
        conn.execute(
            "SELECT scheme, value, source FROM entity_identifiers WHERE entity_id = ? "
            "ORDER BY scheme, value",
            [entity_id],
        )
    )
    entity["listings"] = _rows(
        conn.execute(
            "SELECT listing_id, list_code, list_name, authority, program, legal_basis, reason, "
            "start_date, end_date, start_text, end_text, source_url, source_file, source_row "
            "FROM listings WHERE entity_id = ? ORDER BY start_date NULLS LAST, list_code",
            [entity_id],
        )
    )
    edge_cols = (
        "o.edge_id, o.relation, o.percentage, o.start_date, o.end_date, o.source, o.source_url"
    )
    entity["owners"] = _rows(
        conn.execute(
            f"SELECT {edge_cols}, o.parent_id AS entity_id, e.caption FROM ownership o "
            "LEFT JOIN entities e ON e.id = o.parent_id WHERE o.child_id = ? ORDER BY e.caption",
            [entity_id],
        )
    )
    entity["subsidiaries"] = _rows(
        conn.execute(
            f"SELECT {edge_cols}, o.child_id AS entity_id, e.caption FROM ownership o "
            "LEFT JOIN entities e ON e.id = o.child_id WHERE o.parent_id = ? ORDER BY e.caption",
            [entity_id],
        )
    )
    return entity


# -- coverage --------------------------------------------------------------------------------


def coverage(conn: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """What the store could see: publishers with their years, lists with their dates."""
    publishers = _rows(
        conn.execute(
            # the years a publisher covers are those of its awards, contracts and tenders, not
            # of its release dates (a tracker row's release date is when Redline first saw it)
            "WITH dated AS (SELECT p.ocid, p.publisher, coalesce("
            " (SELECT min(a.date) FROM awards a WHERE a.ocid = p.ocid),"
            " (SELECT min(c.date_signed) FROM contracts c WHERE c.ocid = p.ocid),"
            " p.tender_start, p.tender_end) AS day FROM processes p) "
            "SELECT coalesce(publisher, '(unnamed)') AS publisher, count(*) AS processes, "
            "min(year(day)) AS first_year, max(year(day)) AS last_year, "
            "count(*) FILTER (WHERE day IS NULL) AS undated "
            "FROM dated GROUP BY ALL ORDER BY processes DESC, publisher"
        )
    )
    lists = _rows(
        conn.execute(
            "SELECT list_code, any_value(list_name) AS list_name, "
            "any_value(authority) AS authority, count(*) AS listings, "
            "min(start_date) AS first_listed, max(start_date) AS last_listed, "
            "count(*) FILTER (WHERE start_date IS NULL) AS undated, "
            "list(DISTINCT source_file) FILTER (WHERE source_file IS NOT NULL) AS files "
            "FROM listings GROUP BY list_code ORDER BY list_code"
        )
    )
    counts = conn.execute(
        "SELECT (SELECT count(*) FROM processes), (SELECT count(*) FROM awards), "
        "(SELECT count(*) FROM findings), (SELECT count(*) FROM entities)"
    ).fetchone()
    processes, awards, findings, entities = counts if counts else (0, 0, 0, 0)
    return {
        "publishers": publishers,
        "lists": lists,
        "processes": int(processes),
        "awards": int(awards),
        "findings": int(findings),
        "entities": int(entities),
        "undated_findings": undated_findings(conn),
    }
