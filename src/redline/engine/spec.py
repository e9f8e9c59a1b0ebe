"""Which engine runs the set-based steps: the names Redline knows and how one is opened.

Reach for :func:`open_engine` with a name from :data:`ENGINES` (``"duckdb"``, the default, or
``"spark"``); front ends check a user's ``--engine`` with :func:`check_engine` first. The
adapters (:mod:`.duckdb_engine`, :mod:`.spark_engine`) are imported only when opened, so DuckDB
users never import PySpark.
"""

from __future__ import annotations

from redline.engine.base import Engine
from redline.errors import InputError, Problem

ENGINES = ("duckdb", "spark")


def check_engine(engine: str) -> None:
    """Raise a one-line :class:`InputError` unless ``engine`` is one Redline has."""
    if engine not in ENGINES:
        raise InputError(
            [Problem("--engine", "", f"unknown engine {engine!r}; expected {' or '.join(ENGINES)}")]
        )


def open_engine(name: str = "duckdb", *, master: str | None = None) -> Engine:
    """An engine by name; ``master`` is the Spark master URL (default SPARK_MASTER, local[*])."""
    if name == "duckdb":
        from redline.engine.duckdb_engine import DuckDBEngine

        return DuckDBEngine()
    if name == "spark":
        from redline.engine.spark_engine import SparkEngine

        return SparkEngine(master=master)
    raise ValueError(f"unknown engine {name!r}; expected one of {', '.join(ENGINES)}")
