"""An ingest killed with ``kill -9`` leaves its ``ingest_runs`` row ``running``; the next
writable open marks it ``interrupted`` (issue 15: 12 of 13 killed runs said ``running`` for
ever). A run whose process is alive is left alone."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import orjson

from redline.store.db import Store, reconcile_runs, run_owner

# the child ingests the mirror's real OCDS and kills itself (SIGKILL: no handler, no finally)
# at the first progress callback, i.e. mid-run, after its run row was committed as 'running'
KILLED_INGEST = """
import os, signal, sys
from pathlib import Path
from redline.services.ingest import ingest_ocds
from redline.store.db import Store
store = Store(Path(sys.argv[1]))
ingest_ocds(store, [Path(sys.argv[2])], workers=1,
            on_progress=lambda _: os.kill(os.getpid(), signal.SIGKILL))
"""


def _runs(path: Path) -> list[tuple[str, str | None, dict[str, object]]]:
    with Store(path, read_only=True) as store:
        rows = store.conn.execute(
            "SELECT status, CAST(finished_at AS VARCHAR), CAST(stats AS VARCHAR) "
            "FROM ingest_runs ORDER BY started_at"
        ).fetchall()
    return [(s, f, orjson.loads(j) if j else {}) for s, f, j in rows]


def test_a_killed_ingest_is_marked_interrupted_on_the_next_open(
    tmp_path: Path, ocds_mexico: Path
) -> None:
    path = tmp_path / "store.duckdb"
    Store(path).close()
    sample = next(p for p in sorted(ocds_mexico.rglob("*.json*")) if p.is_file())
    child = subprocess.run([sys.executable, "-c", KILLED_INGEST, str(path), str(sample)],
                           capture_output=True, timeout=120)  # fmt: skip
    assert child.returncode == -signal.SIGKILL, child.stderr.decode()[-2000:]
    ((status, finished, stats),) = _runs(path)  # read-only: nothing reconciled yet
    assert (status, finished) == ("running", None)
    assert isinstance(stats["pid"], int) and stats["pid"] != 0

    Store(path).close()  # a writable open reconciles
    ((status, finished, stats),) = _runs(path)
    assert status == "interrupted" and finished is not None
    assert stats["interrupted"] == "process gone"


def test_a_live_run_and_a_finished_one_are_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "store.duckdb"
    sleeper = subprocess.Popen(["sleep", "60"])
    try:
        with Store(path) as store:
            live = {**run_owner(), "pid": sleeper.pid}
            rows = [("live", "running", live), ("mine", "running", run_owner()),
                    ("done", "ok", {"files": 1}), ("legacy", "running", None)]  # fmt: skip
            for run_id, status, stats in rows:
                store.conn.execute(
                    "INSERT INTO ingest_runs VALUES (?, 'ocds', now(), NULL, ?, [], ?)",
                    [run_id, status, orjson.dumps(stats).decode() if stats else None],
                )
            assert reconcile_runs(store.conn) == ["legacy"]  # no owner: from before owners
            status = dict(store.conn.execute("SELECT run_id, status FROM ingest_runs").fetchall())
            assert status == {"live": "running", "mine": "running", "done": "ok",
                              "legacy": "interrupted"}  # fmt: skip
    finally:
        sleeper.kill()
        sleeper.wait()
    with Store(path) as store:  # the sleeper is gone now; this process's own run still runs
        status = dict(store.conn.execute("SELECT run_id, status FROM ingest_runs").fetchall())
    assert status["live"] == "interrupted" and status["mine"] == "running"
