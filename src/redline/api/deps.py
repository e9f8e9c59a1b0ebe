"""Request-scoped access to the store: a DuckDB cursor per request, closed afterwards.

Reach for :data:`Cursor` in read routes (DuckDB cursors on one database may run in parallel
threads) and hand it to the read model (:mod:`redline.services.read`), which holds every query;
reach for :data:`ReadStore` in read routes that call a service taking a store (the matcher:
``POST /match`` runs in parallel threads, each on its own cursor, with no lock), and for
:data:`LockedStore` in routes that write, which use the store's own connection and so take the
app's lock. None runs SQL here: this only opens and closes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

import duckdb
from fastapi import Depends, Request

from redline.store.db import Store


def cursor(request: Request) -> Iterator[duckdb.DuckDBPyConnection]:
    cur = request.app.state.store.conn.cursor()
    try:
        yield cur
    finally:
        cur.close()


def read_store(request: Request) -> Iterator[Store]:
    store: Store = request.app.state.store
    view = Store.over(store.conn.cursor(), store.path)
    try:
        yield view
    finally:
        view.close()


def locked_store(request: Request) -> Iterator[Store]:
    with request.app.state.lock:
        yield request.app.state.store


#: a route parameter: a fresh cursor on the store for this request
Cursor = Annotated[duckdb.DuckDBPyConnection, Depends(cursor)]
#: a route parameter: the store itself, this request holding the app's lock
LockedStore = Annotated[Store, Depends(locked_store)]
#: a route parameter: a store object over a fresh cursor, for read-only services (no lock)
ReadStore = Annotated[Store, Depends(read_store)]
