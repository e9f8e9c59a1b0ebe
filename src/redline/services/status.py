"""Status use case: what the store holds, for `redline status` and the API.

Reach for :func:`store_status` to get one JSON-ready dict: row counts per table, compiled
records and releases per publisher, and the last ingest runs with their stats.
"""

from __future__ import annotations

from typing import Any

import orjson

from redline.errors import NothingToDo
from redline.store.db import Store

_RECORDS = (
    "no procurement records ({}: `redline ingest ocds FILE` or `redline ingest tracker` loads them)"
)
_LISTS = (
    "no designation lists ({}: `redline lists load` loads the shipped lists, "
    "`--watchlist FILE` your own)"
)


def require(store: Store, *, records: bool = False, lists: bool = False) -> None:
    """Refuse (:class:`~redline.errors.NothingToDo`, exit 1) a store that lacks what a command
    reads, naming the command that loads it: a screen of no records, or against no list, would
    otherwise answer "0 findings" as if it had looked."""
    conn = store.conn
    missing = []
    if records and not _count(conn, "SELECT count(*) FROM processes"):
        missing.append(_RECORDS.format(store.path))
    if lists and not _count(conn, "SELECT count(*) FROM listings"):
        missing.append(_LISTS.format(store.path))
    if missing:
        raise NothingToDo("; ".join(missing))


def _count(conn: Any, sql: str) -> int:
    row = conn.execute(sql).fetchone()
    return int(row[0]) if row else 0


def store_status(store: Store, *, runs: int = 10) -> dict[str, Any]:
    """Counts per table, per publisher, and the ``runs`` most recent ingest runs."""
    conn = store.conn
    publishers = [
        {"publisher": r[0], "records": r[1], "releases": r[2]}
        for r in conn.execute(
            "SELECT coalesce(c.publisher, '(unknown)'), count(*), "
            "(SELECT count(*) FROM ocds_releases r "
            " WHERE r.publisher IS NOT DISTINCT FROM c.publisher) "
            "FROM ocds_compiled c GROUP BY c.publisher ORDER BY 2 DESC, 1"
        ).fetchall()
    ]
    # timestamps as text: fetching TIMESTAMPTZ into Python would need pytz
    recent = [
        {
            "run_id": r[0],
            "kind": r[1],
            "started_at": r[2],
            "finished_at": r[3],
            "status": r[4],
            "inputs": r[5],
            "stats": orjson.loads(r[6]) if r[6] else None,
        }
        for r in conn.execute(
            "SELECT run_id, kind, CAST(started_at AS VARCHAR), CAST(finished_at AS VARCHAR), "
            "status, inputs, CAST(stats AS VARCHAR) FROM ingest_runs "
            "ORDER BY started_at DESC LIMIT ?",
            [runs],
        ).fetchall()
    ]
    return {
        "store": str(store.path),
        "schema_version": store.version(),
        "tables": store.table_counts(),
        "publishers": publishers,
        "runs": recent,
    }
