"""Cold-match benchmark: one ``redline match NAME --store S`` in a fresh process (issue 16:
under 2 s), beside ``redline --version`` in the same run as the baseline (what starting Python
and the CLI costs on this machine at this moment).

The store holds the mirror's shipped lists (``lists load``), built once in ``work_dir``. Three
cases, each in fresh child processes, median of ``REDLINE_BENCH_COLD_RUNS`` (default 3):
``version``; ``match_first`` (the list index not yet kept beside the store: it is built and
written, as after every list change); ``match`` (the index read back from beside the store:
the usual cold match). Wall seconds and CPU seconds (user + system of the child) are both
given: a busy neighbour on a shared machine stretches wall time, much less CPU time. The
figure to watch is ``match.wall_s`` (target < 2) and ``ratio`` (match over version, wall).
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("REDLINE_DATA") or ROOT.parent / "shared" / "data")
NAME = "Nuctech"
CLI = "import sys; from redline.cli import main; sys.exit(main())"


def _store(work_dir: Path) -> Path:
    """A store with the mirror's lists, loaded once (kept for later runs)."""
    from redline.services.lists import load_lists
    from redline.store.db import Store

    path = work_dir / "coldmatch" / "lists.duckdb"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        with Store(path) as store:
            load_lists(store, DATA)
    return path


def _timed(args: list[str]) -> tuple[float, float]:
    """(wall s, CPU s) of one fresh ``redline ARGS`` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CLI, *args], capture_output=True, env={**os.environ}, check=False
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"redline {' '.join(args)}: exit {done.returncode}: {done.stderr!r}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _median(runs: list[tuple[float, float]]) -> dict[str, float]:
    return {
        "wall_s": round(statistics.median(w for w, _ in runs), 3),
        "cpu_s": round(statistics.median(c for _, c in runs), 3),
    }


def run(work_dir: Path) -> dict[str, Any]:
    store = _store(work_dir)
    kept = Path(str(store) + ".index")
    times = int(os.environ.get("REDLINE_BENCH_COLD_RUNS", "3"))
    match = ["match", NAME, "--store", str(store)]
    version = [_timed(["--version"]) for _ in range(times)]
    first = []
    for _ in range(times):
        shutil.rmtree(kept, ignore_errors=True)
        first.append(_timed(match))
    cold = [_timed(match) for _ in range(times)]
    figures: dict[str, Any] = {
        "version": _median(version),
        "match_first": _median(first),
        "match": _median(cold),
        "runs": times,
        "load_average_1min": round(os.getloadavg()[0], 2),
    }
    figures["ratio"] = round(figures["match"]["wall_s"] / figures["version"]["wall_s"], 2)
    figures["cpu_ratio"] = round(figures["match"]["cpu_s"] / figures["version"]["cpu_s"], 2)
    table = [{"case": case, **figures[case]} for case in ("version", "match_first", "match")]
    summary = (
        f"A cold `redline match {NAME} --store S` (shipped lists, index kept beside the store) "
        f"took {figures['match']['wall_s']} s wall, {figures['match']['cpu_s']} s CPU: "
        f"{figures['ratio']}× `redline --version` in the same run (target < 2 s). The first "
        f"match after a list change builds and keeps the index: "
        f"{figures['match_first']['wall_s']} s. Load average during the run: "
        f"{figures['load_average_1min']} on {os.cpu_count()} CPUs."
    )
    return {"figures": figures, "table": table, "summary": summary}
