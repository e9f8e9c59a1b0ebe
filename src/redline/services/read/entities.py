"""Watchlist entities as the front ends show them: one entity whole, captions, datasets.

Reach for these when the API, the dashboard or a use case needs what the store knows of a
listed entity (the search box's ranking is :mod:`.search`). Example:
``entity_detail(conn, id)`` is the dashboard's entity page (listings with dates and sources,
owners, subsidiaries); ``summaries(conn, ids)`` is what a yente ``/match``
result shows of each entity it names.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb
import orjson

from redline.services.read.base import rows


def captions(conn: duckdb.DuckDBPyConnection, ids: Sequence[str]) -> dict[str, str]:
    """Entity id → caption, for the ids the store knows."""
    found = conn.execute(
        "SELECT id, caption FROM entities WHERE list_contains(?, id)", [list(ids)]
    ).fetchall()
    return {str(i): str(c) for i, c in found}


def entity_detail(conn: duckdb.DuckDBPyConnection, entity_id: str) -> dict[str, Any] | None:
    """An entity with its listings (dates, sources), owners and known subsidiaries."""
    cur = conn.execute(
        "SELECT id, schema, caption, names, countries, dataset, merged_from, merge_reason "
        "FROM entities WHERE id = ?",
        [entity_id],
    )
    found = rows(cur)
    if not found:
        return None
    entity = found[0]
    entity["identifiers"] = rows(
        conn.execute(
            "SELECT scheme, value, source FROM entity_identifiers WHERE entity_id = ? "
            "ORDER BY scheme, value",
            [entity_id],
        )
    )
    entity["listings"] = rows(
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
    entity["owners"] = rows(
        conn.execute(
            f"SELECT {edge_cols}, o.parent_id AS entity_id, e.caption FROM ownership o "
            "LEFT JOIN entities e ON e.id = o.parent_id WHERE o.child_id = ? ORDER BY e.caption",
            [entity_id],
        )
    )
    entity["subsidiaries"] = rows(
        conn.execute(
            f"SELECT {edge_cols}, o.child_id AS entity_id, e.caption FROM ownership o "
            "LEFT JOIN entities e ON e.id = o.child_id WHERE o.parent_id = ? ORDER BY e.caption",
            [entity_id],
        )
    )
    return entity


def datasets(conn: duckdb.DuckDBPyConnection) -> set[str]:
    """The datasets the store's entities come from (one per loaded list or watchlist)."""
    return {str(r[0]) for r in conn.execute("SELECT DISTINCT dataset FROM entities").fetchall()}


def ids_in_dataset(conn: duckdb.DuckDBPyConnection, dataset: str) -> set[str]:
    """The ids of the entities of one dataset."""
    found = conn.execute("SELECT id FROM entities WHERE dataset = ?", [dataset]).fetchall()
    return {str(r[0]) for r in found}


def lists_version(conn: duckdb.DuckDBPyConnection) -> str | None:
    """When the lists were last loaded whole, as a UTC stamp ``YYYYMMDDhhmmss``; ``None`` when
    they never were."""
    row = conn.execute(
        "SELECT strftime(timezone('UTC', max(finished_at)), '%Y%m%d%H%M%S') FROM ingest_runs "
        "WHERE kind = 'lists' AND status = 'ok'"
    ).fetchone()
    return str(row[0]) if row and row[0] else None


def summaries(conn: duckdb.DuckDBPyConnection, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Entity id → caption, schema, dataset, ``referents`` (the ids merged into it), its FtM
    ``properties`` and ``target`` (listed itself), for the ids the store knows."""
    found = conn.execute(
        "SELECT id, caption, schema, dataset, coalesce(merged_from, []), ftm, "
        "EXISTS (SELECT 1 FROM listings l WHERE l.entity_id = e.id) "
        "FROM entities e WHERE list_contains(?, id)",
        [list(ids)],
    ).fetchall()
    return {
        str(i): {"caption": c, "schema": s, "dataset": d, "referents": list(m),
                 "properties": orjson.loads(f).get("properties", {}), "target": bool(t)}
        for i, c, s, d, m, f, t in found
    }  # fmt: skip
