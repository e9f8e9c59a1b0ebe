"""The default engine: an in-memory DuckDB connection; tables are DuckDB temp tables.

Reach for it through ``DUCKDB.open()`` (:data:`redline.engine.spec.DUCKDB`, the default
:class:`~redline.engine.spec.EngineSpec`). Batch functions run in this process over the source
table's Arrow batches, the same functions Spark runs on its executors.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from redline.engine.base import BatchFn, Engine
from redline.errors import InputError, Problem
from redline.store.arrow_io import temp_table
from redline.store.db import apply_limits
from redline.store.location import Location, is_remote

_BATCH_ROWS = 65_536


def _local(location: Location) -> Path:
    """``location`` as a local path; a URI is one line saying which engine reads it."""
    if is_remote(location):
        raise InputError([Problem(str(location), "", "the duckdb engine reads and writes local "
                                  "paths only: use --engine spark for a URI")])  # fmt: skip
    return Path(location)


class DuckDBEngine(Engine):
    """Steps on one machine; memory and threads follow REDLINE_MEMORY_LIMIT / REDLINE_THREADS."""

    name = "duckdb"

    def __init__(self) -> None:
        self.conn = duckdb.connect(":memory:")
        apply_limits(self.conn)
        self.conn.execute("SET preserve_insertion_order = false")  # lets big joins stream

    def _drop(self, name: str) -> None:
        # a name may switch between view (Parquet) and table (Arrow) when a step is re-run
        row = self.conn.execute(
            "SELECT table_type FROM information_schema.tables WHERE table_name = ?", [name]
        ).fetchone()
        if row:
            self.conn.execute(f"DROP {'VIEW' if row[0] == 'VIEW' else 'TABLE'} {name}")

    def register(self, name: str, data: pa.Table | Location) -> None:
        self._drop(name)
        if not isinstance(data, pa.Table):
            data = _local(data)
            source = str(data / "*.parquet") if data.is_dir() else str(data)
            quoted = source.replace("'", "''")  # a view cannot take a prepared parameter
            self.conn.execute(
                f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT * FROM read_parquet('{quoted}')"
            )
            return
        temp_table(self.conn, name, data)

    def create(self, name: str, sql: str) -> None:
        self.conn.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")

    def map_batches(self, name: str, source: str, fn: BatchFn, schema: pa.Schema) -> None:
        # materialise first: a live result reader on the same connection deadlocks the insert
        table = self.conn.execute(f"SELECT * FROM {source}").to_arrow_table()
        out = pa.Table.from_batches(list(fn(iter(table.to_batches(_BATCH_ROWS)))), schema)
        temp_table(self.conn, name, out)

    def to_arrow(self, sql: str) -> pa.Table:
        return self.conn.execute(sql).to_arrow_table()

    def write_parquet(self, name: str, path: Location) -> None:
        path = _local(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        quoted = str(path).replace("'", "''")
        self.conn.execute(f"COPY {name} TO '{quoted}' (FORMAT parquet, COMPRESSION zstd)")

    def close(self) -> None:
        self.conn.close()
