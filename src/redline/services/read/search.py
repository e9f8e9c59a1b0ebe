"""The dashboard's search: entities ranked exact → alias → matcher → prefix → contains, and the
contracts and buyers whose text holds the query.

Reach for :func:`ranked_entities` with the ids the matcher found (``services.search`` runs it)
and :func:`search_contracts` / :func:`search_buyers` for the procurement side. Example:
``ranked_entities(conn, "huawei", ["rl-cn-uscc-…"])`` puts the entity named exactly "Huawei"
(or carrying it as an alias) first, then what the matcher scored, then names starting with
"huawei", then names merely containing it — not 111 hits in alphabetical order.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from redline.services.read.base import Page, contains, count, rows

#: why an entity is in the results, by rank (the API returns the word, the dashboard shows it)
REASONS = ("exact", "alias", "matcher", "prefix", "contains")


def _prefix(text: str) -> str:
    return contains(text)[1:]  # the same wildcard-safe text, anchored at the start


def ranked_entities(
    conn: duckdb.DuckDBPyConnection,
    q: str,
    matched: Sequence[str] = (),
    *,
    limit: int = 20,
    offset: int = 0,
) -> Page:
    """Entities whose caption or a name contains ``q``, or whose id is ``q`` or in ``matched``
    (the matcher's ids, best first), each with ``reason`` and ``rank`` (0 = exact caption)."""
    ids = list(matched)
    where = (
        " WHERE caption ILIKE $pat OR len(list_filter(names, n -> n ILIKE $pat)) > 0 "
        "OR id = $q OR list_contains($ids, id)"
    )
    params = {"pat": contains(q), "q": q, "ids": ids}
    total = count(conn, f"SELECT count(*) FROM entities{where}", params)  # type: ignore[arg-type]
    cur = conn.execute(
        "SELECT id, schema, caption, names, countries, dataset, "
        "(SELECT list(DISTINCT list_code ORDER BY list_code) FROM listings l "
        " WHERE l.entity_id = e.id) AS list_codes, "
        "CASE WHEN lower(caption) = lower($q) OR id = $q THEN 0 "
        " WHEN list_contains(list_transform(names, n -> lower(n)), lower($q)) THEN 1 "
        " WHEN list_contains($ids, id) THEN 2 "
        " WHEN caption ILIKE $pre OR len(list_filter(names, n -> n ILIKE $pre)) > 0 THEN 3 "
        " ELSE 4 END AS rank "
        f"FROM entities e{where} "
        "ORDER BY rank, list_position($ids, id) NULLS LAST, length(caption), caption, id "
        "LIMIT $limit OFFSET $offset",
        {**params, "pre": _prefix(q), "limit": limit, "offset": offset},
    )
    items = rows(cur)
    for item in items:
        item["reason"] = REASONS[int(item["rank"])]
    return Page(total, limit, offset, items)


def search_contracts(conn: duckdb.DuckDBPyConnection, q: str, *, limit: int = 20) -> Page:
    """Procurement processes whose ocid, title, description, buyer or a supplier holds ``q``,
    with their awarded value and whether a finding rests on them."""
    hit = (
        "concat_ws(' ', p.ocid, p.title, p.description, p.buyer_name, "
        "(SELECT string_agg(s.name, ' ') FROM award_suppliers s WHERE s.ocid = p.ocid)) ILIKE ?"
    )
    total = count(conn, f"SELECT count(*) FROM processes p WHERE {hit}", [contains(q)])
    cur = conn.execute(
        # a title that is a code (the events table's ``vendor_selection``) gives way to the text
        "SELECT p.ocid, CASE WHEN regexp_matches(coalesce(p.title, ''), '^[a-z]+(_[a-z]+)+$') "
        " OR p.title IS NULL THEN left(p.description, 160) ELSE p.title END AS title, "
        "p.buyer_name, strftime(p.date, '%Y-%m-%d') AS date, "
        "(SELECT list(DISTINCT s.name ORDER BY s.name) FROM award_suppliers s "
        " WHERE s.ocid = p.ocid) AS suppliers, "
        "(SELECT sum(a.amount) FROM awards a WHERE a.ocid = p.ocid) AS awarded, "
        "(SELECT min(a.currency) FROM awards a WHERE a.ocid = p.ocid) AS currency, "
        "(SELECT count(*) FROM findings f WHERE f.ocid = p.ocid) AS findings "
        f"FROM processes p WHERE {hit} ORDER BY findings DESC, p.date DESC NULLS LAST, p.ocid "
        "LIMIT ?",
        [contains(q), limit],
    )
    return Page(total, limit, 0, rows(cur))


def search_buyers(conn: duckdb.DuckDBPyConnection, q: str, *, limit: int = 20) -> Page:
    """Buyers whose name holds ``q``: processes, awarded value (by currency) and findings."""
    hit = "buyer_name ILIKE ?"
    total = count(
        conn, f"SELECT count(DISTINCT buyer_name) FROM processes WHERE {hit}", [contains(q)]
    )
    cur = conn.execute(
        "SELECT p.buyer_name, count(*) AS processes, "
        "(SELECT count(*) FROM findings f WHERE f.data->>'buyer_name' = p.buyer_name) "
        " AS findings "
        f"FROM processes p WHERE {hit} GROUP BY p.buyer_name "
        "ORDER BY lower(p.buyer_name) = lower(?) DESC, findings DESC, processes DESC, "
        "p.buyer_name LIMIT ?",
        [contains(q), q, limit],
    )
    return Page(total, limit, 0, rows(cur))
