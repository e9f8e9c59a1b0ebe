"""The `redline ingest ocds` and `redline status` commands, run as real subprocesses.

Includes the kill case: a SIGKILL in the middle of a file leaves the store exactly as before
that file, and running the same command again completes it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from redline.cli import run
from redline.store.db import Store

OCDS_TABLES = ("ocds_releases", "ocds_compiled", "processes", "parties", "awards", "items")


def _redline(store: Path, data: Path, *args: str | Path) -> list[str]:
    # the console script installed beside this interpreter (pip install -e .)
    script = Path(sys.executable).parent / "redline"
    return [str(script), "--store", str(store), "--data", str(data), *map(str, args)]


def _snapshot(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with Store(path) as store:
        return {
            t: sorted(store.conn.execute(f"SELECT ocid, count(*) FROM {t} GROUP BY 1").fetchall())
            for t in OCDS_TABLES
        }


def test_cli_rejects_bad_file_with_exit_1(
    tmp_path: Path, data_dir: Path, ocds_mexico: Path
) -> None:
    bad = tmp_path / "bad_synthetic.json"
    bad.write_bytes(b'{"releases": [{"id": "1"}]}')
    good = ocds_mexico / "inai/sample/releases/PC-0011-PC-0011.json"
    done = subprocess.run(
        _redline(tmp_path / "s.duckdb", data_dir, "ingest", "ocds", "--json", bad, good),
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert f"rejected: {bad}:/releases/0: release has no ocid" in done.stderr.splitlines()
    summary = orjson.loads(done.stdout)
    assert (summary["files"], summary["files_rejected"], summary["releases_stored"]) == (2, 1, 1)
    status = subprocess.run(
        _redline(tmp_path / "s.duckdb", data_dir, "status", "--json"),
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    data = orjson.loads(status.stdout)
    assert data["tables"]["processes"] == 1
    assert data["publishers"][0]["records"] == 1
    assert data["runs"][0]["status"] == "partial" and data["runs"][0]["stats"]["rejected"] == 1


def _synthetic_jsonl(path: Path, count: int) -> Path:
    """``count`` small synthetic releases (fictional parties, labelled synthetic)."""
    with path.open("wb") as fh:
        for i in range(count):
            supplier = {"id": f"SYN-{i}", "name": f"Proveedor Sintético {i} S.A. de C.V."}
            rel = {
                "ocid": f"ocds-synthetic-{i:06d}", "id": "1", "date": "2021-03-04T05:06:07Z",
                "tag": ["award"], "packageInfo": {"publisher": {"name": "Redline synthetic data"}},
                "buyer": {"id": "SYN-BUYER", "name": "Comprador Sintético"},
                "parties": [{**supplier, "roles": ["supplier"]},
                            {"id": "SYN-BUYER", "name": "Comprador Sintético", "roles": ["buyer"]}],
                "awards": [{"id": "a1", "value": {"amount": 1000 + i, "currency": "MXN"},
                            "suppliers": [supplier]}],
            }  # fmt: skip
            fh.write(orjson.dumps(rel) + b"\n")
    return path


def _children(pid: int) -> set[int]:
    """Every live descendant of ``pid`` (from /proc/<pid>/task/*/children)."""
    found: set[int] = set()
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except (FileNotFoundError, ProcessLookupError):
        return found
    for task in tasks:
        try:
            found.update(int(c) for c in (task / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError):
            continue  # a thread that ended meanwhile
    for child in list(found):
        found |= _children(child)
    return found


def _workers(pid: int) -> set[int]:
    """The multiprocessing workers among the descendants of ``pid``."""
    found = set()
    for child in _children(pid):
        try:
            if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes():
                found.add(child)
        except (FileNotFoundError, ProcessLookupError):
            continue
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"  # a zombie has exited


def _read_position(pid: int, target: Path) -> int | None:
    """How far process ``pid`` has read into ``target`` (from /proc/<pid>/fdinfo)."""
    fd_dir = Path(f"/proc/{pid}/fd")
    try:
        for fd in fd_dir.iterdir():
            if os.readlink(fd) == str(target):
                info = Path(f"/proc/{pid}/fdinfo/{fd.name}").read_text()
                return int(info.split("pos:")[1].split()[0])
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    return None


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/fdinfo").exists(), reason="needs Linux /proc")
def test_kill_mid_file_leaves_store_as_before_and_rerun_completes(
    tmp_path: Path, data_dir: Path, ocds_mexico: Path
) -> None:
    store = tmp_path / "s.duckdb"
    first = ocds_mexico / "inai"
    subprocess.run(_redline(store, data_dir, "ingest", "ocds", first), check=True,
                   capture_output=True)  # fmt: skip
    before = _snapshot(store)
    # several batches (ocds_load.BATCH) are written inside the file's transaction before the kill
    count = 12_000
    big = _synthetic_jsonl(tmp_path / "big_synthetic.jsonl", count)
    size = big.stat().st_size
    proc = subprocess.Popen(
        _redline(store, data_dir, "ingest", "ocds", big),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "REDLINE_WORKERS": "2"},  # worker processes even on one CPU
    )  # fmt: skip
    deadline = time.monotonic() + 120
    killed_at = None
    workers: set[int] = set()
    while time.monotonic() < deadline and proc.poll() is None:
        pos = _read_position(proc.pid, big)
        # (the file's sha256 is read first, before any worker starts: not mid-ingest yet)
        if pos is not None and pos > size * 0.6 and (workers := _workers(proc.pid)):
            proc.send_signal(signal.SIGKILL)
            killed_at = pos
            break
        time.sleep(0.01)
    proc.wait()
    assert killed_at is not None, "the ingest finished before it could be killed mid-file"
    assert killed_at < size and proc.returncode == -signal.SIGKILL
    # the file is large enough for worker processes (REDLINE_WORKERS); they die with the ingest
    assert workers, "no worker processes: the pooled path was not exercised"
    deadline = time.monotonic() + 10
    while any(map(_alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(map(_alive, workers)), "worker processes outlived the killed ingest"
    # exactly as before the big file: nothing of it, everything of the first run
    assert _snapshot(store) == before
    with Store(store) as opened:
        runs = opened.conn.execute("SELECT status FROM ingest_runs ORDER BY started_at").fetchall()
    # the killed run is visible as never finished: the next writable open marks it interrupted
    assert runs == [("ok",), ("interrupted",)]
    # the next run completes it
    subprocess.run(_redline(store, data_dir, "ingest", "ocds", big), check=True,
                   capture_output=True)  # fmt: skip
    after = _snapshot(store)
    assert len(after["ocds_compiled"]) == len(before["ocds_compiled"]) + count
    assert {k: [r for r in v if not str(r[0]).startswith("ocds-synthetic")] for k, v in
            after.items()} == before  # fmt: skip


def test_unknown_engine_is_one_line_before_the_store_is_opened(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the same check and words as match and screen (engine.spec.EngineSpec)
    store = tmp_path / "s.duckdb"
    assert run(["--store", str(store), "ingest", "ocds", str(tmp_path), "--engine", "flink"]) != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["error: --engine: unknown engine 'flink'; expected duckdb or spark"]
    assert not store.exists()
