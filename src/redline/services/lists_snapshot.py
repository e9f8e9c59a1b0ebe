"""The lists a server matches against, held in memory between requests while the store's
file is unchanged.

Reach for :func:`current` in a route that only reads the watchlist tables (``/match``): it
answers from an in-memory copy of those tables and their index, so a request neither opens the
store (60 ms under load) nor digests the lists (20 ms). Whether the copy is still the store's
is told by the file: DuckDB writes every commit to the store file or its ``.wal`` beside it,
so while neither's (size, mtime) changed, nothing did. When one did (an ingest, a screen, a
list load, by this process or the CLI), the store is opened once and the lists' digest
(:func:`~redline.resolve.block.fingerprint`) read: the same lists keep the copy, other lists
replace it.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

from redline.ingest.lists.ftm_store import copy_lists
from redline.resolve.block import WatchIndex, fingerprint
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


@dataclass
class ListsSnapshot:
    """An in-memory store holding a copy of the watchlist tables, and their index."""

    store: Store
    watch: WatchIndex
    digest: str
    seen: Signature


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
            digest = fingerprint(store.conn)
            if held is not None and held.digest == digest:
                held.seen = seen
                return held
            copy = Store(":memory:")
            copy_lists(store.conn, copy.conn)
            # the index read from beside the store file (or built and kept there)
            fresh = ListsSnapshot(copy, WatchIndex.of(store.conn), digest, seen)
        _held[shared.path] = fresh
        return fresh
