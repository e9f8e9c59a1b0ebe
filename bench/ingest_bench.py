"""Ingest benchmark: `ingest_ocds` against DuckDB's own JSON scan of the same synthetic file.

The baseline is ``read_json(file, format='newline_delimited')`` hashing every row as a whole
(``hash(t)`` of the row struct), so every column is parsed and materialised, not only the ones a
query names. Both run in fresh child processes, one after the other, so peak RSS
(``ru_maxrss``) is each one's own. The figure to watch is ``ratio``: ingest seconds over scan
seconds in the same run (target ≤ 3); ``cpu_ratio`` compares CPU seconds (user + system),
which a busy neighbour on a shared machine disturbs less than wall time. ``tree_peak_rss_mb``
is the largest sum of the RSS of the measured process and its children (the ingest workers),
sampled every 0.1 s from ``/proc`` (Linux only; the sum of each one's own peak overstates it).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_MB = 200.0
SEED = 1
#: the OCDS schema (merge rules) comes from the data directory, as for `redline ingest`
DATA = Path(os.environ.get("REDLINE_DATA") or ROOT.parent / "shared" / "data")
_CPU_FIELDS = ("ru_utime", "ru_stime")
SCAN_SQL = (
    "SELECT count(*), bit_xor(hash(t)), sum(len(t.releases)) "
    "FROM read_json(?, format = 'newline_delimited') t"
)


def synthetic_file(work_dir: Path, size_mb: float) -> Path:
    """The synthetic OCDS file of this size, generated once and kept in ``work_dir``."""
    path = work_dir / f"ocds_synthetic_{size_mb:g}mb_seed{SEED}.jsonl"
    if not path.exists():
        from redline.synth.packages import write_packages

        write_packages(path, size_mb, seed=SEED)
    return path


class _TreePeak:
    """Samples the RSS of this process and its children in a thread: the largest sum seen."""

    def __init__(self, every: float = 0.1) -> None:
        self.peak_kb = 0
        self._every, self._stop = every, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> _TreePeak:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        me = os.getpid()
        if not Path(f"/proc/{me}/task").is_dir():  # not Linux: no figure
            return
        while not self._stop.is_set():
            self.peak_kb = max(self.peak_kb, sum(map(_rss_kb, [me, *_children(me)])))
            self._stop.wait(self._every)


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            kids += [int(k) for k in (task / "children").read_text().split()]
        except OSError:  # (a thread that just ended)
            continue
    return kids


def _rss_kb(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:  # (a worker that just ended)
        return 0
    line = next((x for x in status.splitlines() if x.startswith("VmRSS:")), "VmRSS: 0 kB")
    return int(line.split()[1])


def _child(mode: str, path: Path, store: Path | None) -> dict[str, Any]:
    """Runs inside the child process: one measurement, timed after imports."""
    with _TreePeak() as tree:
        out = _one(mode, path, store)
    out["tree_peak_rss_mb"] = round(tree.peak_kb / 1024, 1) if tree.peak_kb else None
    return out


def _one(mode: str, path: Path, store: Path | None) -> dict[str, Any]:
    cpu_before = _cpu_seconds()
    main_before = sum(getattr(resource.getrusage(resource.RUSAGE_SELF), f) for f in _CPU_FIELDS)
    if mode == "scan":
        import duckdb

        conn = duckdb.connect()
        started = time.perf_counter()
        row = conn.execute(SCAN_SQL, [str(path)]).fetchone()
        seconds = time.perf_counter() - started
        assert row is not None
        detail: dict[str, Any] = {"lines": row[0], "releases": int(row[2])}
    else:
        from redline.ingest.ocds.workers import cpu_count
        from redline.services.ingest import ingest_ocds
        from redline.settings import get_settings
        from redline.store.db import Store

        assert store is not None
        started = time.perf_counter()
        with Store(store) as st:
            report = ingest_ocds(st, [path], data_dir=DATA)
        seconds = time.perf_counter() - started
        detail = {
            "releases": report.releases_stored,
            "records": report.records_compiled,
            "rejected": report.items_rejected + report.files_rejected,
            "workers": get_settings().workers or cpu_count(),  # as ingest_ocds chooses
        }
    cpu = _cpu_seconds() - cpu_before
    main_cpu = sum(getattr(resource.getrusage(resource.RUSAGE_SELF), f) for f in _CPU_FIELDS)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    # workers' peak (the largest one child reached; RUSAGE_CHILDREN reports the maximum)
    child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    peak = round(peak_kb / 1024, 1)
    return {
        "seconds": seconds, "cpu_seconds": cpu, "main_cpu_seconds": main_cpu - main_before,
        "peak_rss_mb": peak, "worker_peak_rss_mb": round(child_kb / 1024, 1), **detail,
    }  # fmt: skip


def _cpu_seconds() -> float:
    """User + system seconds of this process and of its finished children (ingest workers)."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def _measure(mode: str, path: Path, store: Path | None = None) -> dict[str, Any]:
    args = [sys.executable, "-m", "bench.ingest_bench", mode, str(path)]
    done = subprocess.run([*args, str(store or "")], capture_output=True, cwd=ROOT, text=True)
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-1:] or ["no message"]
        raise RuntimeError(f"{mode} child failed ({done.returncode}): {tail[0]}")
    result: dict[str, Any] = orjson.loads(done.stdout)
    return result


def run(work_dir: Path, size_mb: float = DEFAULT_MB) -> dict[str, Any]:
    """Generate (once) the file, scan it, ingest it into a fresh store; figures and table."""
    path = synthetic_file(work_dir, size_mb)
    mb = path.stat().st_size / 1e6
    store = work_dir / "ingest_bench.duckdb"
    for stale in (store, store.with_name(store.name + ".wal")):
        stale.unlink(missing_ok=True)
    with path.open("rb") as fh:  # warm the page cache so neither step pays for the disk
        while fh.read(1 << 24):
            pass
    # the scan is cheap: take the best of three, around the ingest, so a neighbour's burst of
    # work on this shared machine does not pass for a slow baseline
    scans = [_measure("scan", path)]
    ingest = _measure("ingest", path, store)
    scans += [_measure("scan", path), _measure("scan", path)]
    scan = min(scans, key=lambda s: float(s["seconds"]))
    scan_cpu = min(float(s["cpu_seconds"]) for s in scans)
    if ingest["releases"] != scan["releases"]:
        raise RuntimeError(f"ingest stored {ingest['releases']} of {scan['releases']} releases")
    figures = {
        "file_mb": round(mb, 1),
        "releases": scan["releases"],
        "scan_seconds": round(scan["seconds"], 4),
        "ingest_seconds": round(ingest["seconds"], 4),
        "scan_mb_s": round(mb / scan["seconds"], 1),
        "ingest_mb_s": round(mb / ingest["seconds"], 1),
        "ratio": round(ingest["seconds"] / scan["seconds"], 2),
        "scan_cpu_seconds": round(scan_cpu, 4),
        "ingest_cpu_seconds": round(ingest["cpu_seconds"], 4),
        "cpu_ratio": round(ingest["cpu_seconds"] / scan_cpu, 2),
        "scan_peak_rss_mb": scan["peak_rss_mb"],
        "ingest_peak_rss_mb": ingest["peak_rss_mb"],
        "store_mb": round(store.stat().st_size / 1e6, 1),
        "records": ingest["records"],
        "ingest_workers": ingest["workers"],
        "ingest_main_cpu_seconds": round(ingest["main_cpu_seconds"], 4),
        "ingest_worker_peak_rss_mb": ingest["worker_peak_rss_mb"],
        "ingest_tree_peak_rss_mb": ingest["tree_peak_rss_mb"],
    }
    table = [
        {
            "step": "DuckDB read_json full scan (baseline)",
            "MB/s": figures["scan_mb_s"],
            "seconds": round(scan["seconds"], 2),
            "× baseline": 1.0,
            "CPU s": round(scan_cpu, 2),
            "× baseline CPU": 1.0,
            "peak RSS MB": figures["scan_peak_rss_mb"],
        },
        {
            "step": "redline ingest_ocds into a fresh store",
            "MB/s": figures["ingest_mb_s"],
            "seconds": round(ingest["seconds"], 2),
            "× baseline": figures["ratio"],
            "CPU s": round(ingest["cpu_seconds"], 2),
            "× baseline CPU": figures["cpu_ratio"],
            "peak RSS MB": figures["ingest_peak_rss_mb"],
        },
    ]
    summary = (
        f"Input `{path.name}`: {figures['file_mb']} MB, {figures['releases']:,} releases, "
        f"{figures['records']:,} records compiled; store after ingest {figures['store_mb']} MB. "
        f"Ingest used {figures['ingest_workers']} worker processes (REDLINE_WORKERS) beside the "
        f"main one: CPU s counts all of them, {figures['ingest_main_cpu_seconds']:.1f} s of it "
        f"in the main process; peak RSS is the main process's (each worker "
        f"{figures['ingest_worker_peak_rss_mb']} MB; all processes together "
        f"{figures['ingest_tree_peak_rss_mb']} MB)."
    )
    return {"input": path.name, "figures": figures, "table": table, "summary": summary}


if __name__ == "__main__":
    mode, file, store_arg = sys.argv[1], Path(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else ""
    out = _child(mode, file, Path(store_arg) if store_arg else None)
    sys.stdout.write(orjson.dumps(out).decode() + "\n")
