"""Which engine runs the set-based steps: one value, chosen once at the front end.

Reach for :class:`EngineSpec` where an engine is chosen (``--engine``/``--spark-master``, a
benchmark, a notebook): it is checked when built and then passed down whole, as splink passes
its ``db_api``, to the step that calls :meth:`EngineSpec.open`. :data:`DUCKDB` is the default.
The adapters (:mod:`.duckdb_engine`, :mod:`.spark_engine`) are imported only when opened, so
DuckDB users never import PySpark. Example::

    spec = EngineSpec("spark", master="spark://head:7077")  # EngineSpec("flink"): InputError
    with spec.open() as eng:
        eng.to_arrow("SELECT 1 AS x")
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from redline.errors import InputError, Problem

if TYPE_CHECKING:  # the interface pulls in pyarrow: built specs need not
    from redline.engine.base import Engine

#: the engine names Redline has
ENGINES = ("duckdb", "spark")


@dataclass(frozen=True)
class EngineSpec:
    """An engine ``name`` from :data:`ENGINES` and, for Spark, its ``master`` URL (None:
    SPARK_MASTER, else ``local[*]``; DuckDB ignores it).

    An unknown name raises a one-line :class:`InputError` naming ``--engine``, so a typo fails
    before any work starts.
    """

    name: str = "duckdb"
    master: str | None = None

    def __post_init__(self) -> None:
        if self.name not in ENGINES:
            expected = " or ".join(ENGINES)
            raise InputError(
                [Problem("--engine", "", f"unknown engine {self.name!r}; expected {expected}")]
            )

    def open(self) -> Engine:
        """A fresh engine of this kind (use it as a context manager: ``close`` on exit)."""
        if self.name == "spark":
            from redline.engine.spark_engine import SparkEngine

            return SparkEngine(master=self.master)
        from redline.engine.duckdb_engine import DuckDBEngine

        return DuckDBEngine()


#: the default: DuckDB in this process
DUCKDB = EngineSpec()
