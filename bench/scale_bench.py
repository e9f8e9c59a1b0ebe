"""Bench: the pipeline at 10k, 100k and 1M SYNTHETIC releases on DuckDB and Spark local.

Convention shared by bench/run.py: ``run(work_dir) -> dict``. For each size, ``redline synth``'s
generator writes the releases once (seed 1, cached in the work dir) as OCDS JSON Lines. Each
engine then runs two stages, each in a fresh child process: **ingest** (``ingest_to_parquet``:
parse, check, compile, extract the JSON Lines into one Parquet folder per table; on DuckDB an
ingest into a scratch store exported to Parquet) and **screen** (``screen_tables``, what
``redline screen --tables`` runs: the first pass on the engine over every supplier and tenderer
name of that ingest's tables against every list of the mirror, then the judge on the records it
kept, in a scratch store; matches and findings written as Parquet). The figures are each
child's wall time and peak RSS; on Spark the peak is the largest single process among the child
and its descendants (the JVM, Python workers), not their sum. Recall of the screen's matches is
checked against the generator's truth file. REDLINE_BENCH_SCALE_SIZES (e.g. ``10000,100000``),
REDLINE_BENCH_SCALE_ENGINES (``duckdb``) and REDLINE_BENCH_SCALE_STAGES (``screen``: no timed
ingest; the screen reads that engine's tables of an earlier run, else a DuckDB build made
untimed once) narrow a run. A log-log plot of seconds against releases goes to
docs/benchmarks-scale.svg.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
MIRROR = Path(os.environ.get("REDLINE_DATA") or ROOT.parent / "shared" / "data")
SIZES = [
    int(s) for s in os.environ.get("REDLINE_BENCH_SCALE_SIZES", "10000,100000,1000000").split(",")
]
ENGINES = os.environ.get("REDLINE_BENCH_SCALE_ENGINES", "duckdb,spark").split(",")
STAGES = os.environ.get("REDLINE_BENCH_SCALE_STAGES", "ingest,screen").split(",")
MASTER = "local[2]"
AS_OF = date(2025, 1, 1)
PLOT = ROOT / "docs" / "benchmarks-scale.svg"


def _lists_store(work: Path) -> Path:
    path = work / "lists.duckdb"
    if not path.exists():
        from redline.services.lists import load_lists
        from redline.store.db import Store

        with Store(path) as store:
            load_lists(store, MIRROR)
    return path


def _synthetic(work: Path, releases: int, lists: Path) -> Path:
    out = work / f"synthetic_{releases}"
    if not (out / "synthetic_manifest.json").exists():
        from redline.services.synth import synthesise
        from redline.store.db import Store
        from redline.synth import SynthSpec

        with Store(lists, read_only=True) as store:
            synthesise(out, SynthSpec(releases, seed=1), store=store, data_dir=None)
    return out


def _peak_kb() -> int:
    # this process and every finished descendant (Spark's Python workers); a live JVM is not
    # counted
    return max(resource.getrusage(who).ru_maxrss
               for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))  # fmt: skip


def _child_ingest(engine: str, releases: Path, tables: Path) -> dict[str, Any]:
    """Runs in a fresh process: one ingest of the JSON Lines into Parquet tables."""
    from redline.engine.spec import EngineSpec
    from redline.services.ingest_parquet import ingest_to_parquet

    spec = EngineSpec(engine, MASTER)
    started = time.perf_counter()
    report = ingest_to_parquet(spec, [releases], tables, data_dir=MIRROR)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "peak_kb": _peak_kb(), "rows": report.counts,
            "stage_seconds": report.stage_seconds}  # fmt: skip


def _child(engine: str, tables: Path, lists: Path, out: Path) -> dict[str, Any]:
    """Runs in a fresh process: one ``screen --tables`` of an ingest's ``tables`` against the
    lists store, timed from before the engine starts."""
    from redline.engine.spec import EngineSpec
    from redline.services.screen_tables import screen_tables
    from redline.store.db import Store

    started = time.perf_counter()
    with Store(lists, read_only=True) as store:
        report = screen_tables(store, tables, out, as_of=AS_OF,
                               engine=EngineSpec(engine, MASTER))  # fmt: skip
        seconds = time.perf_counter() - started
        peak = _peak_kb()
    return {"seconds": seconds, "peak_kb": peak, "names": report.names,
            "records": report.records, "matches": report.matches,
            "findings": len(report.screen.findings)}  # fmt: skip


def _spawn(call: str, *args: str) -> dict[str, Any]:
    code = (
        "import json, sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]); "
        f"from bench.scale_bench import {call}; "
        f"print(json.dumps({call}(sys.argv[2], *map(Path, sys.argv[3:]))))"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(ROOT), *args],
                          capture_output=True, text=True)  # fmt: skip
    if proc.returncode != 0:
        # the whole stderr goes to a log beside the data; the message names its first error
        log = Path(args[1]).parent / f"{call.strip('_')}_{args[0]}.log"
        log.write_text(proc.stderr, encoding="utf-8")
        lines = proc.stderr.strip().splitlines() or [""]
        first = next((x for x in lines if "Error" in x or "Exception" in x), lines[-1])
        raise RuntimeError(f"{call} {args[0]} failed ({proc.returncode}): {first}; see {log}")
    figures: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    figures["peak_rss_mb"] = figures.pop("peak_kb") / 1024
    return figures


def _ingest(engine: str, data: Path) -> tuple[dict[str, Any], Path]:
    tables = data / f"tables_{engine}"
    figures = _spawn("_child_ingest", engine, str(data / "synthetic_releases.jsonl"), str(tables))
    return figures, tables


def _tables(engine: str, data: Path) -> Path:
    """The tables a screen without a timed ingest reads: that engine's build of an earlier run,
    else a DuckDB build made here once (not timed)."""
    for built in (data / f"tables_{engine}", data / "tables_duckdb"):
        if (built / "_manifest.json").is_file():
            return built
    from redline.engine.spec import DUCKDB
    from redline.services.ingest_parquet import ingest_to_parquet

    built = data / "tables_duckdb"
    ingest_to_parquet(DUCKDB, [data / "synthetic_releases.jsonl"], built, data_dir=MIRROR)
    return built


def _measure(engine: str, data: Path, lists: Path, tables: Path) -> dict[str, Any]:
    out = data / f"screen_{engine}"
    figures = _spawn("_child", engine, str(tables), str(lists), str(out))
    figures["recall"] = _recall(data, out)
    return figures


def _recall(data: Path, out: Path) -> float:
    import duckdb

    truth = str(data / "synthetic_truth.jsonl")
    matches = str(out / "matches.parquet")
    source = matches + "/*.parquet" if Path(matches).is_dir() else matches
    row = duckdb.sql(
        "SELECT count(*) FILTER (WHERE m.award_id IS NOT NULL) / count(*) "
        f"FROM read_json('{truth}') t "
        f"LEFT JOIN (SELECT DISTINCT award_id, listed_id FROM read_parquet('{source}')) m "
        "ON m.award_id = t.award_id AND m.listed_id = t.listed_id"
    ).fetchone()
    return round(float(row[0]), 4) if row else 0.0


def _plot(rows: list[dict[str, Any]]) -> str:
    try:
        import altair as alt
        import vl_convert as vlc
    except ImportError:
        return _plot_matplotlib(rows)
    data = alt.Data(values=rows)  # type: ignore[no-untyped-call]  # altair leaves Data unannotated
    chart = (
        alt.Chart(data).mark_line(point=True)
        .encode(x=alt.X("releases:Q", scale=alt.Scale(type="log")),
                y=alt.Y("seconds:Q", scale=alt.Scale(type="log")), color="engine:N",
                strokeDash="stage:N")
    )  # fmt: skip
    PLOT.write_text(vlc.vegalite_to_svg(chart.to_dict()), encoding="utf-8")
    return str(PLOT.relative_to(ROOT))


def _plot_matplotlib(rows: list[dict[str, Any]]) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    for engine in ENGINES:
        for stage in ("ingest", "screen"):
            pts = [(r["releases"], r["seconds"]) for r in rows
                   if r["engine"] == engine and r.get("stage", "screen") == stage]  # fmt: skip
            if pts:
                ax.loglog(*zip(*pts, strict=True), marker="o", label=f"{engine} {stage}")
    ax.set_xlabel("releases")
    ax.set_ylabel("seconds")
    ax.legend()
    fig.savefig(PLOT)
    return str(PLOT.relative_to(ROOT))


def _row(stage: str, engine: str, releases: int, figures: dict[str, Any]) -> dict[str, Any]:
    return {"stage": stage, "engine": engine, "releases": releases,
            "seconds": round(figures["seconds"], 2),
            "us_per_release": round(figures["seconds"] / releases * 1e6, 1),
            "peak_rss_mb": round(figures["peak_rss_mb"], 1)}  # fmt: skip


def run(work_dir: Path) -> dict[str, Any]:
    work = work_dir / "scale"
    work.mkdir(parents=True, exist_ok=True)
    lists = _lists_store(work)
    rows: list[dict[str, Any]] = []
    for releases in SIZES:
        data = _synthetic(work, releases, lists)
        for engine in ENGINES:
            if "ingest" in STAGES:
                figures, tables = _ingest(engine, data)
                row = _row("ingest", engine, releases, figures)
                row["award_suppliers"] = figures["rows"].get("award_suppliers")
                row["compiled"] = figures["rows"].get("ocds_compiled")
                rows.append(row)
            else:
                tables = _tables(engine, data)
            figures = _measure(engine, data, lists, tables)
            row = _row("screen", engine, releases, figures)
            row |= {k: figures[k] for k in ("names", "records", "matches", "findings", "recall")}
            rows.append(row)
    growth: dict[str, float] = {}
    for stage in ("ingest", "screen"):
        for engine in ENGINES:
            per = {r["releases"]: r["us_per_release"] for r in rows
                   if r["engine"] == engine and r["stage"] == stage}  # fmt: skip
            if 100_000 in per and 1_000_000 in per:
                growth[f"{engine} {stage}"] = round(per[1_000_000] / per[100_000], 2)
    plot = _plot(rows)
    summary = (
        "per-release cost at 1M / at 100k: "
        + ", ".join(f"{k} {g}x" for k, g in growth.items())
        + f" (target ≤ 1.5x); log-log plot: {plot}. Screen is `screen --tables` (first pass on"
        " the engine, judge on the records kept) over the ingest's own Parquet tables."
    )
    return {"figures": {"growth_1m_over_100k": growth}, "table": rows, "summary": summary}


if __name__ == "__main__":
    print(json.dumps(run(ROOT / "bench" / "work"), indent=2))
