"""Identifiers meet exactly, after validation: RFC (Mexico), USCC (China, check digit), LEI.

Reach for :func:`identifier_hits` when a query carries a registration number. It is classified
and canonicalised by the same function the list loader used (so both sides agree on the form);
an invalid value (bad check digit) cleans to nothing and never matches.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pyarrow as pa

from redline.model.values import classify_identifier
from redline.store.arrow_io import registered


def canonical(raw: str | None) -> tuple[str, str] | None:
    """(scheme, value) of a query identifier, or ``None`` when empty or invalid."""
    if not raw or not raw.strip():
        return None
    return classify_identifier(raw.strip())


def identifier_hits(
    conn: duckdb.DuckDBPyConnection, wanted: Sequence[tuple[int, str, str]]
) -> list[tuple[int, str, str, str]]:
    """(query index, entity id, scheme, value) for every (index, scheme, value) found."""
    if not wanted:
        return []
    table = pa.table(
        {
            "qidx": pa.array([w[0] for w in wanted], pa.int32()),
            "scheme": pa.array([w[1] for w in wanted], pa.string()),
            "value": pa.array([w[2] for w in wanted], pa.string()),
        }
    )
    with registered(conn, "rl_query_ids", table):
        rows = conn.execute(
            "SELECT q.qidx, i.entity_id, i.scheme, i.value FROM rl_query_ids q "
            "JOIN entity_identifiers i ON i.scheme = q.scheme AND i.value = q.value "
            "ORDER BY q.qidx, i.entity_id"
        ).fetchall()
    return [(int(r[0]), str(r[1]), str(r[2]), str(r[3])) for r in rows]
