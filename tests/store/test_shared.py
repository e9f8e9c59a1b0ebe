"""One store file, several processes (issue 16): a bounded wait for another process's write,
and a server's reads beside its own write (:mod:`redline.store.shared`)."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from redline.errors import EXIT_REFUSED
from redline.store.db import Store, StoreBusy
from redline.store.shared import SharedStore

HOLD = """
import sys, time, duckdb
conn = duckdb.connect(sys.argv[1])
print("held", flush=True)
time.sleep(float(sys.argv[2]))
conn.close()
"""


def _hold(path: Path, seconds: float) -> subprocess.Popen[str]:
    """Another process holding ``path`` for writing for ``seconds``."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(path), str(seconds)],
                            stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_a_writer_elsewhere_is_waited_for_then_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    Store(path).close()
    holder = _hold(path, 30)
    try:
        started = time.monotonic()
        with pytest.raises(StoreBusy) as refused:
            Store(path, read_only=True, wait=0.5)
        assert 0.4 < time.monotonic() - started < 5
        message = str(refused.value)
        assert "store busy" in message and "\n" not in message and "REDLINE_LOCK_WAIT" in message
        assert refused.value.exit_code == EXIT_REFUSED
    finally:
        holder.kill()
        holder.wait()
        assert holder.stdout is not None
        holder.stdout.close()


def test_an_open_waits_out_a_short_write_elsewhere(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    Store(path).close()
    holder = _hold(path, 1.0)
    try:
        with Store(path, wait=20) as store:  # opens once the other process lets go
            assert store.version() > 0
    finally:
        holder.wait()
        assert holder.stdout is not None
        holder.stdout.close()


def test_reads_during_this_process_write_see_the_last_commit(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        store.conn.execute("CREATE TABLE t (a INT)")
        store.conn.execute("INSERT INTO t VALUES (1)")
    shared = SharedStore(path, wait=5)
    seen: list[int] = []
    writing, read = threading.Event(), threading.Event()

    def reader() -> None:
        writing.wait()
        with shared.reading() as view:  # borrows a cursor of the writer's connection
            row = view.conn.execute("SELECT count(*) FROM t").fetchone()
            seen.append(row[0] if row else -1)
        read.set()

    thread = threading.Thread(target=reader)
    thread.start()
    with shared.writing() as store, store.transaction() as conn:
        conn.execute("INSERT INTO t VALUES (2)")
        writing.set()
        assert read.wait(10)
    thread.join()
    assert seen == [1]  # the uncommitted row is not seen
    with shared.reading() as view:  # and after the write, a read-only open sees it
        row = view.conn.execute("SELECT count(*) FROM t").fetchone()
        assert row == (2,) and view.read_only
