"""The lists a server matches against, held in memory between requests while the store's
file is unchanged.

Reach for :func:`current` in a route that only reads the watchlist tables (``/match``): it
answers from an in-memory copy of those tables and their index, so a request neither opens the
store (60 ms under load) nor digests the lists (20 ms). Whether the copy is still the store's
is told by the file: DuckDB writes every commit to the store file or its ``.wal`` beside it,
so while neither's (size, mtime) changed, nothing did. When one did (an ingest, a screen, a
list load, an ownership load, by this process or the CLI), the store is opened once and a
digest of the four watchlist tables read (:func:`lists_digest`): the same rows keep the copy,
other rows replace it (the index is shared whenever the entities' names are unchanged, see
:meth:`~redline.resolve.block.WatchIndex.of`).

A copy also keeps what requests ask of it again and again, since its rows never change: the
ownership walk from each matched entity (:class:`~redline.resolve.ownership.ReachCache`), the
entities' summaries and the datasets. Each is bounded, so a long-running server does not grow.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from redline.ingest.lists.ftm_store import WATCHLIST_TABLES, copy_lists
from redline.memo import Kept
from redline.resolve.block import WatchIndex
from redline.resolve.ownership import ReachCache
from redline.services.read import entities as read
from redline.store.db import Store
from redline.store.shared import SharedStore

#: (size, mtime ns) of the store file and of its write-ahead log (None when absent)
Signature = tuple[tuple[int, int] | None, tuple[int, int] | None]


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_size, found.st_mtime_ns


def signature(path: Path) -> Signature:
    """What changes whenever anything is committed to the store file at ``path``."""
    return _stat(path), _stat(Path(f"{path}.wal"))


#: entity summaries a copy keeps (least recently used out first)
SUMMARIES_KEPT = 4096


def lists_digest(conn: duckdb.DuckDBPyConnection) -> str:
    """A digest of every row of the watchlist tables (entities, identifiers, listings,
    ownership): equal digests, equal copies. About 40 ms for the shipped lists."""
    parts = []
    for table in WATCHLIST_TABLES:
        row = conn.execute(
            f"SELECT count(*) || ':' || coalesce(sum(hash(t)::HUGEINT), 0) FROM \"{table}\" t"
        ).fetchone()
        parts.append(f"{table}={row[0] if row else ''}")
    return ";".join(parts)


@dataclass
class ListsSnapshot:
    """An in-memory store holding a copy of the watchlist tables, their index, and what
    requests keep asking of them."""

    store: Store
    watch: WatchIndex
    digest: str
    seen: Signature
    reach: ReachCache = field(default_factory=ReachCache)
    _datasets: set[str] | None = None
    _summaries: Kept[str, dict[str, Any] | None] = field(
        default_factory=lambda: Kept(SUMMARIES_KEPT)
    )

    def datasets(self) -> set[str]:
        """The datasets of the copy's entities (``read.entities.datasets``)."""
        if self._datasets is None:
            with self.store.conn.cursor() as cur:
                self._datasets = read.datasets(cur)
        return self._datasets

    def summaries(self, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """:func:`~redline.services.read.entities.summaries` of ``ids``, kept per id (shared
        between requests: read them, never change them)."""
        known = self._summaries.found(ids)
        missing = [i for i in ids if i not in known]
        if missing:
            with self.store.conn.cursor() as cur:
                fresh = read.summaries(cur, missing)
            read_now = {i: fresh.get(i) for i in missing}  # an id the copy lacks is kept as None
            self._summaries.keep(read_now)
            known |= read_now
        return {i: found for i, found in known.items() if found is not None}


_lock = threading.Lock()
_held: dict[Path, ListsSnapshot] = {}


def current(shared: SharedStore) -> ListsSnapshot:
    """The lists of ``shared``'s store as last committed, from memory when unchanged."""
    seen = signature(shared.path)
    held = _held.get(shared.path)
    if held is not None and held.seen == seen:
        return held
    with _lock:  # one request looks; the others then find its answer
        held = _held.get(shared.path)
        seen = signature(shared.path)
        if held is not None and held.seen == seen:
            return held
        with shared.reading() as store:
            digest = lists_digest(store.conn)
            if held is not None and held.digest == digest:
                held.seen = seen
                return held
            copy = Store(":memory:")
            copy_lists(store.conn, copy.conn)
            # the index read from beside the store file (or built and kept there)
            watch = WatchIndex.of(store.conn)
            watch.serve_small_batches()  # request after request: block names here, not by SQL
            fresh = ListsSnapshot(copy, watch, digest, seen)
        _held[shared.path] = fresh
        return fresh
