"""Bench: name-matching quality per variant kind on the labelled sets, and bulk throughput.

Convention shared by bench/run.py: ``run(work_dir) -> dict`` of figures. Run alone with
``python bench/match_bench.py`` (REDLINE_DATA or ../shared/data is the mirror;
REDLINE_BENCH_MATCH_SIZES, e.g. ``10000,100000,1000000``, picks the throughput sizes).
Throughput screens SYNTHETIC supplier names (scripts/synth_names.py) against every list in the
mirror loaded with the lists service; peak memory is the process's maximum resident set.
"""

from __future__ import annotations

import csv
import json
import os
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from redline.engine.store import Store  # noqa: E402
from redline.ingest.watchlist import scratch_watchlist  # noqa: E402
from redline.services.lists import load_lists  # noqa: E402
from redline.services.match import Query, match_names  # noqa: E402
from synth_names import names  # noqa: E402

EVAL = Path("/work/shared/eval/matching")
SETS = {
    "plain": ("watchlist.ftm.jsonl", "queries.csv"),
    "hard": ("hard_watchlist.ftm.jsonl", "hard_queries.csv"),
}


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(2 * p * r / max(p + r, 1e-9), 4),
    }


def quality(watchlist: str, queries: str) -> dict[str, Any]:
    with (EVAL / queries).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with scratch_watchlist(EVAL / watchlist) as store:
        results = match_names(
            store, [Query(r["id"], r["name"], r["country"] or None) for r in rows]
        )
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    misses = []
    for row, result in zip(rows, results, strict=True):
        got = result.matches[0].entity_id if result.matches else None
        for key in (row["kind"], "all"):
            c = counts[key]
            c[0] += int(got is not None and got == row["expected"])
            c[1] += int(got is not None and got != row["expected"])
            c[2] += int(bool(row["expected"]) and got != row["expected"])
        if got != (row["expected"] or None):
            misses.append({"id": row["id"], "expected": row["expected"], "got": got})
    return {"per_kind": {k: _prf(*v) for k, v in sorted(counts.items())}, "misses": misses}


def throughput(data: Path, sizes: list[int]) -> dict[str, Any]:
    store = Store(":memory:")
    started = time.perf_counter()
    load_lists(store, data)
    load_s = time.perf_counter() - started
    listed = [r[0] for r in store.conn.execute("SELECT caption FROM entities").fetchall()]
    out: dict[str, Any] = {
        "lists_entities": len(listed),
        "lists_load_s": round(load_s, 2),
        "runs": [],
    }
    for size in sizes:
        queries = [Query(i, n) for i, n, _ in names(size, listed, 0.01, 7)]
        started = time.perf_counter()
        results = match_names(store, queries)
        took = time.perf_counter() - started
        out["runs"].append({
            "names": size,
            "seconds": round(took, 2),
            "names_per_s": round(size / took),
            "with_match": sum(1 for r in results if r.matches),
            "peak_rss_gb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6, 2),
        })  # fmt: skip
    store.close()
    return out


def run(work_dir: Path) -> dict[str, Any]:
    data = Path(os.environ.get("REDLINE_DATA") or ROOT.parent / "shared" / "data")
    sizes = [int(x) for x in os.environ.get("REDLINE_BENCH_MATCH_SIZES", "10000,100000").split(",")]
    figures: dict[str, Any] = {name: quality(*files) for name, files in SETS.items()}
    figures["throughput"] = throughput(data, sizes)
    figures["cores"] = os.cpu_count()
    work_dir.mkdir(parents=True, exist_ok=True)
    (work_dir / "match_bench.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return figures


if __name__ == "__main__":
    print(json.dumps(run(ROOT / "bench" / "work" / "match"), indent=2))
