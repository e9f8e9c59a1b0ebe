"""A store file this process shares with other processes: `redline serve` beside the CLI.

Reach for :class:`SharedStore` in a long-running process (the server) that must let the CLI
ingest and screen the same file while it runs. DuckDB lets one process open a file for writing
and then refuses every other process, read-only opens included; several processes may read it
at once. So the server holds no connection between requests: each read opens the file
read-only for the request and closes it, each write opens it for writing for the request and
closes it. Between requests the file is free for a CLI command; while a command writes, a
request waits for it (up to REDLINE_LOCK_WAIT, then 503) and then reads what it committed.

Inside this process a read-only and a read-write connection to one file cannot be open at the
same time (DuckDB refuses a second configuration of an open file). So a write waits for this
process's read-only connections to close, and a read that starts during a write borrows a
cursor of the writer's connection: it sees the last committed state, as DuckDB promises
readers inside the writing process.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from redline.store.db import Store


class SharedStore:
    """Opens ``path`` per use: :meth:`reading` for reads, :meth:`writing` for writes."""

    def __init__(self, path: Path, *, wait: float | None = None) -> None:
        self.path = path
        self.wait = wait
        self._cond = threading.Condition()
        self._write = threading.Lock()  # one writer at a time in this process
        self._readers = 0  # this process's read-only connections now open
        self._borrowers = 0  # reads now using a cursor of the writer's connection
        self._opening = False  # a writer waits for the read-only connections to close
        self._writer: Store | None = None

    @contextmanager
    def reading(self) -> Iterator[Store]:
        """A store to read: opened read-only for this use, or a view of the running write."""
        with self._cond:
            self._cond.wait_for(lambda: not self._opening)
            writer = self._writer
            if writer is None:
                self._readers += 1
            else:
                self._borrowers += 1
        try:
            if writer is not None:
                with Store.over(writer.conn.cursor(), self.path) as view:
                    yield view
            else:
                with Store(self.path, read_only=True, create=False, wait=self.wait) as store:
                    yield store
        finally:
            with self._cond:
                if writer is None:
                    self._readers -= 1
                else:
                    self._borrowers -= 1
                self._cond.notify_all()

    @contextmanager
    def writing(self) -> Iterator[Store]:
        """The store opened for writing for this use (the file's lock held until it ends)."""
        with self._write:
            with self._cond:
                self._opening = True
                self._cond.wait_for(lambda: self._readers == 0)
            try:
                store = Store(self.path, create=False, wait=self.wait)
            finally:
                with self._cond:
                    self._opening = False
                    self._cond.notify_all()
            with self._cond:
                self._writer = store
            try:
                yield store
            finally:
                with self._cond:
                    self._writer = None
                    self._cond.wait_for(lambda: self._borrowers == 0)
                store.close()
