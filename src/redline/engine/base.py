"""The small engine interface: named tables, SQL that creates tables, batch functions, Parquet.

Reach for an engine through :meth:`redline.engine.spec.EngineSpec.open` (DuckDB or Spark) when
a set-based step must run the same on one machine and on a cluster. Steps are written once
against this interface (see
:mod:`redline.resolve.engine_steps`): SQL in DuckDB's dialect (Spark gets it through
:mod:`redline.engine.dialect`) and Python batch functions over Arrow record batches (Spark runs
them as vectorised ``mapInArrow`` UDFs). Example::

    with EngineSpec("duckdb").open() as eng:
        eng.register("t", pa.table({"x": [1, 2]}))
        eng.create("u", "SELECT x * 2 AS y FROM t")
        eng.to_arrow("SELECT * FROM u ORDER BY y")
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from types import TracebackType

import pyarrow as pa

from redline.store.location import Location

#: a shared step function: record batches in, record batches out (same code on every engine)
BatchFn = Callable[[Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]


class Engine(ABC):
    """Named tables inside one engine; every method takes or returns Arrow or Parquet."""

    name: str

    @abstractmethod
    def register(self, name: str, data: pa.Table | Location) -> None:
        """Make ``data`` (an Arrow table, or a Parquet file/folder: a path or a URI) the table
        ``name``."""

    @abstractmethod
    def create(self, name: str, sql: str) -> None:
        """Create table ``name`` from a SELECT written in DuckDB's dialect."""

    @abstractmethod
    def map_batches(self, name: str, source: str, fn: BatchFn, schema: pa.Schema) -> None:
        """Create table ``name`` by running ``fn`` over the batches of table ``source``."""

    @abstractmethod
    def to_arrow(self, sql: str) -> pa.Table:
        """Run a SELECT (DuckDB dialect) and bring the result to the driver."""

    @abstractmethod
    def write_parquet(self, name: str, path: Location) -> None:
        """Write table ``name`` to ``path`` (a file on DuckDB, a folder of parts on Spark)."""

    def close(self) -> None:  # noqa: B027 - engines without resources keep the default
        """Release what the engine holds (the Spark session stays for reuse in-process)."""

    def __enter__(self) -> Engine:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:  # fmt: skip
        self.close()
