"""Request-scoped access to the store: a DuckDB cursor per request, closed afterwards.

Reach for :func:`cursor` in read routes (DuckDB cursors on one database may run in parallel
threads) and for :func:`locked_store` in routes that write or run the matcher, which use the
store's own connection and so take the app's lock.
"""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
from fastapi import Request

from redline.store.db import Store


def cursor(request: Request) -> Iterator[duckdb.DuckDBPyConnection]:
    cur = request.app.state.store.conn.cursor()
    try:
        yield cur
    finally:
        cur.close()


def locked_store(request: Request) -> Iterator[Store]:
    with request.app.state.lock:
        yield request.app.state.store
