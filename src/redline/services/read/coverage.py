"""What the store holds and could see: row totals, publishers with their years, lists with dates.

Reach for :func:`totals` for the store's size (``GET /healthz``) and :func:`coverage` for what a
reader must know before trusting an absence of findings (the briefing's last section, ``GET
/overview``). Example: each of ``coverage(conn)["publishers"]`` is one publisher's
``{"publisher", "processes", "contracts", "suppliers", "first_year", "last_year",
"undated"}``: a year outside its range was not seen, so no finding can exist for it;
``contracts`` (awards) and ``suppliers`` (distinct award suppliers) say how much of it was
screened.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import duckdb

from redline.judge.redflags import coverage as flag_coverage
from redline.services.read.base import rows
from redline.services.read.findings import undated_findings


@dataclass(frozen=True)
class Totals:
    """Rows in the store's main tables."""

    processes: int
    awards: int
    findings: int
    entities: int


def totals(conn: duckdb.DuckDBPyConnection) -> Totals:
    """How many processes, awards, findings and watchlist entities the store holds."""
    row = conn.execute(
        "SELECT (SELECT count(*) FROM processes), (SELECT count(*) FROM awards), "
        "(SELECT count(*) FROM findings), (SELECT count(*) FROM entities)"
    ).fetchone()
    processes, awards, findings, entities = row if row else (0, 0, 0, 0)
    return Totals(int(processes), int(awards), int(findings), int(entities))


def _screened(conn: duckdb.DuckDBPyConnection) -> dict[str, tuple[int, int]]:
    """Per publisher (as :func:`coverage` names it): its contracts (awards, each a supplier's
    contract the screen reads) and its distinct suppliers (by identifier, else by name)."""
    found = conn.execute(
        "WITH c AS (SELECT coalesce(p.publisher, '(unnamed)') AS pub, count(*) AS n "
        " FROM awards a JOIN processes p USING (ocid) GROUP BY ALL), "
        "s AS (SELECT coalesce(p.publisher, '(unnamed)') AS pub, count(DISTINCT coalesce("
        " coalesce(s.identifier_scheme, '') || ':' || s.identifier_id, upper(trim(s.name)))) AS n "
        " FROM award_suppliers s JOIN processes p USING (ocid) GROUP BY ALL) "
        "SELECT pub, coalesce(c.n, 0), coalesce(s.n, 0) FROM c FULL JOIN s USING (pub)"
    ).fetchall()
    return {str(pub): (int(contracts), int(suppliers)) for pub, contracts, suppliers in found}


def coverage(conn: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """What the store could see: publishers with their years, lists with their dates."""
    publishers = rows(
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
    screened = _screened(conn)
    for p in publishers:
        p["contracts"], p["suppliers"] = screened.get(p["publisher"], (0, 0))
    lists = rows(
        conn.execute(
            "SELECT list_code, any_value(list_name) AS list_name, "
            "any_value(authority) AS authority, count(*) AS listings, "
            "min(start_date) AS first_listed, max(start_date) AS last_listed, "
            "count(*) FILTER (WHERE start_date IS NULL) AS undated, "
            "list(DISTINCT source_file) FILTER (WHERE source_file IS NOT NULL) AS files "
            "FROM listings GROUP BY list_code ORDER BY list_code"
        )
    )
    held = totals(conn)
    return {
        "publishers": publishers,
        "lists": lists,
        "processes": held.processes,
        "awards": held.awards,
        "findings": held.findings,
        "entities": held.entities,
        "undated_findings": undated_findings(conn),
        "red_flags": red_flags(conn),
    }


#: the OCDS fields the procurement red flags read, by the count of ``Coverage`` holding them
FLAG_FIELDS = {
    "with_method": "tender.procurementMethod",
    "with_details": "tender.procurementMethodDetails",
    "with_period": "tender.tenderPeriod",
    "with_tenderers": "tender.numberOfTenderers",
}


def red_flags(conn: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Per publisher: records, how many carry each field the procurement red flags read, how
    many raised a flag, and ``lacks``, the fields none of its records carries (where a flag
    cannot be computed, its risk component says "not computed")."""
    out = []
    for c in flag_coverage(conn):
        row = asdict(c) | {"publisher": c.publisher or "(unnamed)"}
        row["lacks"] = [name for key, name in FLAG_FIELDS.items() if not row[key]]
        out.append(row)
    return out
