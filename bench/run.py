"""Run the benchmarks, write ``bench/results/<name>.json`` and refresh docs/benchmarks.md.

``python -m bench.run`` runs them all; ``python -m bench.run ingest`` selects by name;
``--size-mb 20`` makes a quick run of the size-dependent ones. Quick runs write to
``--results``/``--docs`` if given, so the committed figures stay those of the full run.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import os
import platform
import re
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import orjson

ROOT = Path(__file__).resolve().parents[1]
#: every ``bench/<name>_bench.py`` is a benchmark; its ``run(work_dir, [size_mb])`` returns
#: ``{"figures": {...}, "table": [row, ...], "summary": "..."}`` (table and summary optional)
BENCHMARKS = {
    p.stem.removesuffix("_bench"): f"bench.{p.stem}"
    for p in sorted(Path(__file__).parent.glob("*_bench.py"))
}


def machine() -> dict[str, Any]:
    """What the figures depend on, recorded beside them."""
    cpu = platform.processor()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text(encoding="utf-8"))
        cpu = found.group(1).strip() if found else cpu
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") if os.name == "posix" else 0
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "memory_gb": round(memory / 2**30, 1),
    }


def run_one(name: str, work_dir: Path, size_mb: float | None) -> dict[str, Any]:
    module = importlib.import_module(BENCHMARKS[name])
    kwargs: dict[str, Any] = {}
    if size_mb is not None and "size_mb" in inspect.signature(module.run).parameters:
        kwargs["size_mb"] = size_mb
    started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    result: dict[str, Any] = module.run(work_dir, **kwargs)
    if "figures" not in result:  # a module that returns bare figures
        result = {"figures": result}
    return {"name": name, "date": started, "machine": machine(), **result}


def _flat(data: dict[str, Any], prefix: str = "") -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for key, value in data.items():
        if isinstance(value, dict):
            rows += _flat(value, f"{prefix}{key}.")
        elif not isinstance(value, list):
            rows.append({"figure": f"{prefix}{key}", "value": value})
    return rows


def _table(rows: list[dict[str, Any]]) -> str:
    heads = list(dict.fromkeys(key for row in rows for key in row))  # rows may differ in shape
    lines = ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
    lines += ["| " + " | ".join(str(r.get(h, "")) for h in heads) + " |" for r in rows]
    return "\n".join(lines)


def render(result: dict[str, Any]) -> str:
    """The generated block for one benchmark: its table and what it ran on."""
    m = result["machine"]
    summary = f"{result['summary']}\n" if result.get("summary") else ""
    return (
        f"{_table(result.get('table') or _flat(result['figures']))}\n\n{summary}"
        f"Measured {result['date']} on {m['cpu']} ({m['cpus']} CPUs, {m['memory_gb']} GB), "
        f"Python {m['python']}, DuckDB {m['duckdb']}. Raw figures: "
        f"`bench/results/{result['name']}.json`."
    )


def update_docs(docs: Path, results: dict[str, dict[str, Any]]) -> None:
    """Replace each ``<!-- bench:NAME -->`` … ``<!-- /bench:NAME -->`` block; append new ones."""
    text = docs.read_text(encoding="utf-8") if docs.exists() else "# Benchmarks\n"
    for name, result in sorted(results.items()):
        block = f"<!-- bench:{name} -->\n{render(result)}\n<!-- /bench:{name} -->"
        pattern = re.compile(rf"<!-- bench:{name} -->.*?<!-- /bench:{name} -->", re.S)
        if pattern.search(text):
            text = pattern.sub(block.replace("\\", "\\\\"), text)
        else:
            text = text.rstrip("\n") + f"\n\n## {name}\n\n{block}\n"
    docs.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("names", nargs="*", help=f"benchmarks to run: {sorted(BENCHMARKS)}")
    parser.add_argument("--size-mb", type=float, help="input size for a quick run")
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "work")
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--docs", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s) {unknown}; known: {sorted(BENCHMARKS)}")
    args.work.mkdir(parents=True, exist_ok=True)
    args.results.mkdir(parents=True, exist_ok=True)
    failed = []
    for name in args.names or list(BENCHMARKS):
        try:
            result = run_one(name, args.work, args.size_mb)
        except Exception as exc:  # one broken benchmark must not hide the others' figures
            sys.stderr.write(f"{name}: FAILED: {type(exc).__name__}: {exc}\n")
            failed.append(name)
            continue
        out = args.results / f"{name}.json"
        out.write_bytes(orjson.dumps(result, option=orjson.OPT_INDENT_2) + b"\n")
        sys.stderr.write(f"{name}: {orjson.dumps(result['figures']).decode()}\n")
    # the docs show every result on file, not only the ones run now
    every = {p.stem: orjson.loads(p.read_bytes()) for p in sorted(args.results.glob("*.json"))}
    update_docs(args.docs, every)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
