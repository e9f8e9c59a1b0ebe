"""Portable SQL: steps are written in DuckDB's dialect and transpiled for Spark by SQLGlot.

Reach for :func:`to_spark` inside an engine, never in a step: a step's SQL is one string, and
what differs between engines (``position(.. IN ..)``, casts, NULL ordering, which Spark sorts
first and DuckDB last) is SQLGlot's job. SQLGlot makes NULL ordering explicit, so both engines
sort alike.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=256)
def to_spark(sql: str) -> str:
    """``sql`` (DuckDB dialect, one statement) in Spark SQL."""
    import sqlglot  # only the Spark engine needs it

    return str(sqlglot.transpile(sql, read="duckdb", write="spark")[0])
