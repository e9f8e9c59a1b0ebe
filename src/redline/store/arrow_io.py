"""Arrow tables into a DuckDB connection, and Arrow tables across a process boundary.

Reach for :func:`temp_table` when later statements read the rows (the copy outlives the Arrow
table), for :func:`registered` when one statement reads them (DuckDB scans a registered table
lazily, so fetch the result inside the ``with`` block), and for :func:`insert` to append them to
a table. No statement finds an Arrow table by the name of a Python variable. Example::

    temp_table(conn, "rl_watch_keys", keys)                  # CREATE OR REPLACE TEMP TABLE
    with registered(conn, "rl_query_ids", ids):
        rows = conn.execute("SELECT ... FROM rl_query_ids ...").fetchall()
    insert(conn, "awards", rows, casts={"date": "TIMESTAMPTZ"})   # INSERT ... BY NAME

Reach for :func:`write_ipc` / :func:`read_ipc` to hand a table to another process (a worker's
chunk written to a scratch file, a Spark task's tables in a binary column): one Arrow IPC
stream per table, read back without copying its buffers. Example::

    blob = write_ipc(table)                       # pa.Buffer: bytes for a column or a pipe
    with pa.OSFile(name, "wb") as sink:
        length = write_ipc(table, sink)           # appended to a file: its length in bytes
    same = read_ipc(blob)                         # or read_ipc(mapped.slice(start, length))
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, overload

import pyarrow as pa

if TYPE_CHECKING:  # (ingest workers import this module: duckdb would cost each 55 ms)
    import duckdb


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


def insert(
    conn: duckdb.DuckDBPyConnection,
    table: str,
    data: pa.Table,
    *,
    casts: Mapping[str, str] | None = None,
) -> None:
    """Append ``data`` to ``table`` by column name: a column of ``table`` that ``data`` lacks
    gets NULL (not a declared DEFAULT), a column of ``data`` that ``table`` lacks is a
    :class:`ValueError`. ``casts`` maps a column to the type it is read as (``TRY_CAST``: a
    value that is not one becomes NULL).

    ``data`` is scanned through a relation, not a registered view: inside a transaction a
    dropped view keeps its Arrow table alive until the commit (measured: 30 inserts of 40 MB
    in one transaction held 1.3 GB), and an ingest inserts a whole file in one transaction.
    """
    columns = conn.table(table).columns
    extra = sorted(set(data.column_names) - set(columns))
    if extra:
        raise ValueError(f"{table} has no column(s) {', '.join(extra)}")
    given, casts = set(data.column_names), casts or {}
    values = (
        "NULL" if c not in given else f'TRY_CAST("{c}" AS {casts[c]})' if c in casts else f'"{c}"'
        for c in columns
    )  # in the table's order: a relation inserts by position
    select = ", ".join(f'{v} AS "{c}"' for v, c in zip(values, columns, strict=True))
    conn.from_arrow(data).project(select).insert_into(table)


@overload
def write_ipc(data: pa.Table) -> pa.Buffer: ...
@overload
def write_ipc(data: pa.Table, sink: pa.NativeFile) -> int: ...
def write_ipc(data: pa.Table, sink: pa.NativeFile | None = None) -> pa.Buffer | int:
    """``data`` as one Arrow IPC stream: in a new buffer, or appended to ``sink`` (then the
    stream's length in bytes; it starts at ``sink.tell()`` before the call)."""
    target = pa.BufferOutputStream() if sink is None else sink
    start = target.tell()
    with pa.ipc.new_stream(target, data.schema) as writer:
        writer.write_table(data)
    if sink is None:
        return target.getvalue()
    return int(target.tell() - start)


def read_ipc(stream: pa.Buffer | bytes) -> pa.Table:
    """The table of one stream :func:`write_ipc` wrote. A buffer (e.g. a slice of a memory-
    mapped file) is read in place: the table's columns point into it, keeping it alive."""
    return pa.ipc.open_stream(stream).read_all()
