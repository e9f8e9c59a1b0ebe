"""The embedded store: one DuckDB file, its schema created and migrated by numbered SQL files.

Reach for :class:`Store` whenever code reads or writes persisted data. Migrations live in
``store/sql/NNN_name.sql``; the store records the highest number applied in ``redline_meta``.
A store written by a newer Redline (higher number than this code knows) refuses to open, so an
old binary never half-understands new tables.
"""

from __future__ import annotations

import os
import re
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from types import TracebackType

import duckdb
import orjson

from redline.errors import NothingToDo, StoreError
from redline.settings import get_settings

_MIGRATION = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


def migrations() -> list[tuple[int, str, str]]:
    """(number, name, sql) of every migration shipped with the package, in order."""
    found = []
    for entry in resources.files("redline.store").joinpath("sql").iterdir():
        m = _MIGRATION.match(entry.name)
        if m:
            found.append((int(m.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    numbers = [n for n, _, _ in found]
    if numbers != list(range(1, len(numbers) + 1)):
        raise StoreError(f"migrations are not numbered 001..{len(numbers):03d}: {numbers}")
    return found


def apply_limits(conn: duckdb.DuckDBPyConnection) -> None:
    """Bound ``conn`` by REDLINE_THREADS and REDLINE_MEMORY_LIMIT (each only when set).

    Reach for this on every DuckDB connection Redline opens (the store, the engine's in-memory
    one), so one setting bounds them all. The memory limit is bounded by default (``auto``: a
    quarter of memory, see :func:`redline.settings.auto_memory_limit`): DuckDB keeps the rows of
    an open transaction in memory while its limit allows, so an unbounded 1M-release ingest
    reached 5.4 GB, and ``2GB`` kept it at 3.3 GB (docs/scaling.md).
    """
    settings = get_settings()
    # DuckDB's own progress bar prints on stdout after 2 s, where `--json` output goes
    conn.execute("SET enable_progress_bar = false")
    if settings.threads:
        conn.execute(f"SET threads = {int(settings.threads)}")
    if settings.memory_limit:
        conn.execute("SET memory_limit = ?", [settings.memory_limit])


def schema_version() -> int:
    """The schema version this code writes."""
    return len(migrations())


#: what loads a store, named by every refusal to read one that is missing or empty
LOADERS = (
    "`redline ingest ocds FILE` (or `ingest tracker`) loads procurement records, "
    "`redline lists load` the designation lists"
)


def run_owner() -> dict[str, object]:
    """Who runs an ingest, recorded in its ``ingest_runs.stats`` while it is ``running``."""
    return {"pid": os.getpid(), "host": socket.gethostname()}


def _alive(stats: str | None) -> bool:
    """Whether the process that wrote a ``running`` row may still be at work: on this host,
    its pid exists. A row without an owner predates owners; only a dead process leaves one."""
    owner = orjson.loads(stats) if stats else {}
    pid, host = owner.get("pid"), owner.get("host")
    if not isinstance(pid, int) or host != socket.gethostname():
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, someone else's
        return True
    return True


def reconcile_runs(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """Mark ``interrupted`` every ``running`` ingest run whose process is gone (killed, or the
    machine stopped): it would otherwise say ``running`` for ever (issue 15: 12 of 13 runs
    after ``kill -9``). Called on every writable open; returns the run ids it marked.

    Nothing else needs repair: a run's rows are written in one transaction, so a killed run
    stored all of a file or none of it; only its bookkeeping row was left behind.
    """
    rows = conn.execute(
        "SELECT run_id, CAST(stats AS VARCHAR) FROM ingest_runs WHERE status = 'running'"
    ).fetchall()
    gone = [(run_id, stats) for run_id, stats in rows if not _alive(stats)]
    now = datetime.now(UTC)
    for run_id, stats in gone:
        note = {**(orjson.loads(stats) if stats else {}), "interrupted": "process gone"}
        conn.execute(
            "UPDATE ingest_runs SET status = 'interrupted', finished_at = ?, stats = ? "
            "WHERE run_id = ? AND status = 'running'",
            [now, orjson.dumps(note).decode(), run_id],
        )
    return [run_id for run_id, _ in gone]


class StoreMissing(NothingToDo, StoreError):
    """No store at the path: only commands that load data create one (exit 1)."""


class StoreBusy(NothingToDo, StoreError):
    """Another process kept the store for writing longer than REDLINE_LOCK_WAIT (exit 1)."""


def _locked(exc: duckdb.Error) -> bool:
    return "Could not set lock" in str(exc) or "Conflicting lock" in str(exc)


def connect(path: Path, *, read_only: bool, wait: float) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection to ``path``, retried while another process holds the file's lock.

    DuckDB lets one process open a file for writing and refuses every other open (read-only
    too) while it does; readers in several processes share the file. So a command or a server
    request that meets a writer waits, re-trying with a growing pause, up to ``wait`` seconds,
    then raises :class:`StoreBusy` naming the holder. Example: `redline status` while a
    `redline screen` saves its findings answers a moment later instead of failing.
    """
    deadline, pause = time.monotonic() + wait, 0.02
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.Error as exc:
            if not _locked(exc):
                raise StoreError(f"{path}: cannot open store: {exc}") from exc
            left = deadline - time.monotonic()
            if left <= 0:
                holder = str(exc).split("Conflicting lock is held in", 1)[-1].split(". See")[0]
                raise StoreBusy(
                    f"{path}: store busy: another process writes it ({holder.strip()}); "
                    f"waited {wait:g} s (REDLINE_LOCK_WAIT), nothing was changed"
                ) from exc
            time.sleep(min(pause, left))
            pause = min(pause * 2, 0.5)


class Store:
    """An open store. Use as a context manager; ``conn`` is the DuckDB connection.

    ``create=False`` (every command that only reads or judges) refuses a path with no store
    instead of creating an empty one there: a typo in ``--store`` must not answer "0 findings".
    While another process writes the file, opening waits up to ``wait`` seconds
    (REDLINE_LOCK_WAIT when None), see :func:`connect`.
    """

    def __init__(
        self,
        path: Path | str | None = None,
        *,
        read_only: bool = False,
        create: bool = True,
        wait: float | None = None,
    ) -> None:
        settings = get_settings()
        self.path = Path(path) if path is not None else settings.store
        if (read_only or not create) and str(self.path) != ":memory:" and not self.path.exists():
            # reading must not leave an empty store behind, nor fail later on a missing table
            raise StoreMissing(f"{self.path}: no store here yet ({LOADERS}); nothing was created")
        if not read_only and str(self.path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.read_only = read_only
        self.conn = connect(
            self.path, read_only=read_only, wait=settings.lock_wait if wait is None else wait
        )
        apply_limits(self.conn)
        self._migrate(read_only=read_only)
        if not read_only and str(self.path) != ":memory:":
            reconcile_runs(self.conn)

    @classmethod
    def over(cls, conn: duckdb.DuckDBPyConnection, path: Path) -> Store:
        """A store around an open connection (a cursor of another store's), neither opened
        nor migrated here; closing it closes ``conn``. :mod:`redline.store.shared` lends one
        to a read that starts while this process writes."""
        view = cls.__new__(cls)
        view.path, view.read_only, view.conn = path, True, conn
        return view

    # -- schema -----------------------------------------------------------------------------
    def version(self) -> int:
        has_meta = self.conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'redline_meta'"
        ).fetchone()
        if not has_meta or not has_meta[0]:
            return 0
        row = self.conn.execute(
            "SELECT value FROM redline_meta WHERE key = 'schema_version'"
        ).fetchone()
        return int(row[0]) if row else 0

    def _migrate(self, *, read_only: bool) -> None:
        current = self.version()
        known = migrations()
        if current > len(known):
            self.conn.close()
            raise StoreError(
                f"{self.path}: store has schema version {current}, but this Redline knows only "
                f"up to {len(known)}; upgrade Redline to open it"
            )
        if current == len(known) or read_only:
            return
        with self.transaction():
            for number, _name, sql in known[current:]:
                self.conn.execute(sql)
                self.conn.execute(
                    "INSERT OR REPLACE INTO redline_meta VALUES ('schema_version', ?)",
                    [str(number)],
                )

    # -- transactions -----------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All or nothing: a crash, kill or exception inside leaves the store as before."""
        self.conn.execute("BEGIN TRANSACTION")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def table_counts(self) -> dict[str, int]:
        """Row count of every table we own (everything in the main schema)."""
        names = [
            r[0]
            for r in self.conn.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY table_name"
            ).fetchall()
        ]
        counts = {}
        for name in names:
            row = self.conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()
            counts[name] = int(row[0]) if row else 0
        return counts

    # -- lifecycle --------------------------------------------------------------------------
    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
