"""Request-scoped access to the store: opened for the request, closed afterwards.

Reach for :data:`Cursor` in read routes and hand it to the read model
(:mod:`redline.services.read`), which holds every query; for :data:`ReadStore` in routes that
run the matcher over the store; for :data:`Lists` in routes that read only the watchlist
tables (``/match``: no store opened while it is unchanged, see
:mod:`redline.services.lists_snapshot`); for :data:`LockedStore` in routes that write. The
server holds no connection between requests, so the CLI can write the same store while it serves
(:mod:`redline.store.shared`). Neither runs SQL here: this only opens and closes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

import duckdb
from fastapi import Depends, Request

from redline.services.lists_snapshot import ListsSnapshot, current
from redline.store.db import Store


def cursor(request: Request) -> Iterator[duckdb.DuckDBPyConnection]:
    with request.app.state.shared.reading() as store:
        yield store.conn


def read_store(request: Request) -> Iterator[Store]:
    with request.app.state.shared.reading() as store:
        yield store


def lists_snapshot(request: Request) -> ListsSnapshot:
    return current(request.app.state.shared)


def locked_store(request: Request) -> Iterator[Store]:
    with request.app.state.shared.writing() as store:
        yield store


#: a route parameter: a connection reading the store for this request
Cursor = Annotated[duckdb.DuckDBPyConnection, Depends(cursor)]
#: a route parameter: the store, opened read-only for this request
ReadStore = Annotated[Store, Depends(read_store)]
#: a route parameter: the watchlist tables and their index, in memory while the store is unchanged
Lists = Annotated[ListsSnapshot, Depends(lists_snapshot)]
#: a route parameter: the store opened for writing, this request its one writer
LockedStore = Annotated[Store, Depends(locked_store)]
