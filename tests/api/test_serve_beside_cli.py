"""`redline serve` and the CLI on one store at the same time (issue 16): real processes.

The server holds no connection between requests; `screen` judges on a read-only connection and
opens the store for writing only for its two short writes. So while a screen runs, the
dashboard keeps answering, and after it the server reads the findings the screen saved.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import httpx
import synthetic_store
from live_server import start_server, stop

CLI = [sys.executable, "-c", "from redline.cli import main; main()"]


def _redline(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen([*CLI, *args], env={**os.environ, **(env or {})}, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip


def test_screen_runs_while_serve_serves_and_the_server_sees_its_findings(
    demo_store: Path, tmp_path: Path
) -> None:
    store = tmp_path / "shared.duckdb"
    shutil.copy(demo_store, store)
    with duckdb.connect(str(store)) as conn:  # the server starts with no findings saved
        saved = conn.execute("SELECT count(*) FROM findings").fetchone()
        conn.execute("DELETE FROM finding_evidence")
        conn.execute("DELETE FROM findings")
    assert saved and saved[0] > 0
    proc, base = start_server(store, {"REDLINE_DATA": str(synthetic_store.MIRROR)})
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            assert client.get("/healthz").json()["findings"] == 0
            screen = _redline("--store", str(store), "screen", "--json")
            answered = []
            while screen.poll() is None:  # the dashboard answers all through the screen
                answered.append(client.get("/overview").status_code)
                time.sleep(0.2)
            out, errors = screen.communicate()
            assert screen.returncode == 0, errors
            assert answered and set(answered) == {200}, answered
            summary = json.loads(out)
            assert summary["findings"] == saved[0] and summary["saved"]["added"] == saved[0]
            # the server reads what the screen committed, on its next request
            assert client.get("/healthz").json()["findings"] == saved[0]
            assert len(client.get("/findings", params={"limit": 100}).json()["items"]) == saved[0]
            # and a read-only command runs beside the server too
            status = subprocess.run([*CLI, "--store", str(store), "status"],
                                    capture_output=True, text=True, timeout=120)  # fmt: skip
            assert status.returncode == 0, status.stderr
    finally:
        stop(proc)


def test_serve_refuses_a_missing_store_and_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "typo" / "store.duckdb"
    run = subprocess.run([*CLI, "serve", "--store", str(missing), "--port", "1"],
                         capture_output=True, text=True, timeout=60)  # fmt: skip
    assert run.returncode == 1
    assert run.stderr.strip().count("\n") == 0 and "no store here yet" in run.stderr
    assert "http://" not in run.stderr and not missing.parent.exists()


def test_a_port_in_use_is_one_line_exit_1_and_no_url(demo_store: Path, tmp_path: Path) -> None:
    store = tmp_path / "demo.duckdb"
    shutil.copy(demo_store, store)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = subprocess.run([*CLI, "serve", "--store", str(store), "--port", str(port)],
                             capture_output=True, text=True, timeout=60)  # fmt: skip
    assert run.returncode == 1, run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "in use" in lines[0] and "http://" not in run.stderr, lines


def test_ingest_screen_and_review_from_the_cli_while_serve_serves(tmp_path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))
    from synthetic_screen import files

    tracker, mapping, watchlist, policy = files(tmp_path)
    store = tmp_path / "s.duckdb"

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*CLI, "--store", str(store), *args], capture_output=True,
                              text=True, timeout=300)  # fmt: skip

    first = cli("ingest", "tracker", str(tracker), "--mapping", str(mapping))
    assert first.returncode == 0, first.stderr
    proc, base = start_server(store, {"REDLINE_DATA": str(synthetic_store.MIRROR)})
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            assert client.get("/healthz").json()["findings"] == 0
            again = cli("ingest", "tracker", str(tracker), "--mapping", str(mapping))
            assert again.returncode == 0, again.stderr
            done = cli("screen", "--json", "--watchlist", str(watchlist), "--policy", str(policy))
            assert done.returncode == 0, done.stderr
            (item,) = client.get("/findings").json()["items"]
            review = cli("review", item["finding_id"], "--dismiss", "--note", "namesake")
            assert review.returncode == 0, review.stderr
            seen = client.get(f"/findings/{item['finding_id']}").json()["review"]
            assert (seen["action"], seen["note"]) == ("dismiss", "namesake")
    finally:
        stop(proc)
