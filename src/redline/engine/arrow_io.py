"""Arrow tables into a DuckDB connection: copied into a temp table, or visible for one query.

Reach for :func:`temp_table` when later statements read the rows (the copy outlives the Arrow
table) and for :func:`registered` when one statement reads them: DuckDB scans a registered
table lazily, so fetch the result inside the ``with`` block. Example::

    temp_table(conn, "rl_watch_keys", keys)                  # CREATE OR REPLACE TEMP TABLE
    with registered(conn, "rl_query_ids", ids):
        rows = conn.execute("SELECT ... FROM rl_query_ids ...").fetchall()
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import pyarrow as pa


@contextmanager
def registered(conn: duckdb.DuckDBPyConnection, name: str, data: pa.Table) -> Iterator[str]:
    """``data`` readable as ``name`` inside the block, unregistered after (even on error)."""
    conn.register(name, data)
    try:
        yield name
    finally:
        conn.unregister(name)


def temp_table(
    conn: duckdb.DuckDBPyConnection, name: str, data: pa.Table, columns: str = "*"
) -> None:
    """Replace the temp table ``name`` with ``SELECT columns`` of ``data``."""
    with registered(conn, f"{name}_arrow", data) as view:
        conn.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT {columns} FROM {view}")
