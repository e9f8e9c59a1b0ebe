"""What every read of the read model shares: a page of rows, rows as dicts, UTC stamps as text.

Reach for these only inside :mod:`redline.services.read`; front ends get :class:`Page` back
from its queries. Example: ``Page(total=120, limit=50, offset=50, items=[{...}, ...])`` is the
second page of ``GET /findings``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb


@dataclass
class Page:
    total: int
    limit: int
    offset: int
    items: list[dict[str, Any]] = field(default_factory=list)


def rows(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """The rows of the last query on ``cur`` as dicts keyed by column name."""
    names = [d[0] for d in cur.description or []]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def count(conn: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> int:
    """The single number a ``SELECT count(*) …`` returns (0 when it returns no row)."""
    row = conn.execute(sql, params or []).fetchone()
    return int(row[0]) if row else 0


def utc_text(column: str) -> str:
    """A select item: TIMESTAMPTZ ``column`` as ISO text in UTC, under its own name."""
    # DuckDB would need pytz to hand out aware datetimes
    return f"strftime(timezone('UTC', {column}), '%Y-%m-%dT%H:%M:%SZ') AS {column}"


def contains(text: str) -> str:
    """An ILIKE pattern matching ``text`` anywhere, ``text``'s own wildcards made harmless."""
    # ILIKE has no ESCAPE clause by default in DuckDB; drop the two wildcards instead
    return f"%{text.replace('%', '').replace('_', ' ')}%"
