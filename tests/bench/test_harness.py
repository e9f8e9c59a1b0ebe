"""The benchmark harness at tiny size: it runs end to end, and what it reports is consistent.

Runs `python -m bench.run` in a subprocess (the entry point `make bench` uses) on a 1 MB
synthetic file, writing results and docs into tmp_path so the committed figures stay put.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from redline.synth.packages import write_packages

ROOT = Path(__file__).resolve().parents[2]
MIRROR = Path(os.environ.get("REDLINE_DATA") or ROOT.parent / "shared" / "data")


@pytest.mark.skipif(not (MIRROR / "standards").exists(), reason="ingest needs the OCDS schema")
def test_bench_run_writes_results_and_refreshes_only_its_block(tmp_path: Path) -> None:
    docs = tmp_path / "benchmarks.md"
    intro = "# Benchmarks\n\nHand-written intro that must survive.\n"
    docs.write_text(intro + "\n<!-- bench:ingest -->\nstale\n<!-- /bench:ingest -->\ntail\n")
    cmd = [sys.executable, "-m", "bench.run", "ingest", "--size-mb", "1"]
    cmd += ["--work", str(tmp_path / "work"), "--results", str(tmp_path / "results")]
    done = subprocess.run(
        [*cmd, "--docs", str(docs)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "REDLINE_DATA": str(MIRROR)},
    )
    assert done.returncode == 0, done.stderr
    result = json.loads((tmp_path / "results" / "ingest.json").read_text(encoding="utf-8"))
    f = result["figures"]
    assert result["input"] == "ocds_synthetic_1mb_seed1.jsonl"
    assert 1.0 <= f["file_mb"] < 1.1
    assert f["releases"] > 100 and f["records"] <= f["releases"]
    assert f["ratio"] == pytest.approx(f["ingest_seconds"] / f["scan_seconds"], rel=0.05)
    assert f["ingest_mb_s"] == pytest.approx(f["file_mb"] / f["ingest_seconds"], rel=0.05)
    assert f["scan_peak_rss_mb"] > 10 and f["ingest_peak_rss_mb"] > 10
    # the whole process tree, sampled: at least the interpreter, at most main + every worker
    # (2 % slack: the main peak is read when the ingest returns, the sampler stops a moment
    # later, and a small file runs in the main process alone: 229.2 vs 229.0 MB was seen)
    workers_peak = f["ingest_workers"] * f["ingest_worker_peak_rss_mb"]
    assert 10 < f["ingest_tree_peak_rss_mb"] <= (f["ingest_peak_rss_mb"] + workers_peak) * 1.02
    assert result["machine"]["cpus"] == os.cpu_count()
    text = docs.read_text(encoding="utf-8")
    assert text.startswith(intro) and text.endswith("tail\n")
    assert "stale" not in text
    assert f"| redline ingest_ocds into a fresh store | {f['ingest_mb_s']} |" in text


def test_synthetic_ocds_is_deterministic_and_labelled(tmp_path: Path) -> None:
    a, b = tmp_path / "a_synthetic.jsonl", tmp_path / "b_synthetic.jsonl"
    write_packages(a, 0.3, seed=7)
    write_packages(b, 0.3, seed=7)
    assert a.read_bytes() == b.read_bytes()
    write_packages(b, 0.3, seed=8)
    assert a.read_bytes() != b.read_bytes()
    lines = [json.loads(line) for line in a.read_bytes().splitlines()]
    assert {p["publisher"]["name"] for p in lines} == {"Redline synthetic data"}
    releases = [p["releases"][0] for p in lines]
    tags_by_ocid: dict[str, list[str]] = {}
    for r in releases:
        tags_by_ocid.setdefault(r["ocid"], []).extend(r["tag"])
        assert r["ocid"].startswith("ocds-rlsynt-")
        supplier = next(p for p in r["parties"] if "supplier" in p["roles"])
        assert supplier["identifier"]["scheme"] == "MX-RFC"
        assert len(supplier["identifier"]["id"]) == 12  # RFC of a legal person
    chains = [t for t in tags_by_ocid.values() if t == ["tender", "award", "contract"]]
    assert len(chains) == len(tags_by_ocid)  # every process reaches a contract
    assert len(releases) > len(tags_by_ocid)  # and some did so over several releases
    amounts = [r["contracts"][0]["value"] for r in releases if "contracts" in r]
    assert {v["currency"] for v in amounts} == {"MXN"}


def test_synthetic_file_name_must_say_so(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="must contain 'synthetic'"):
        write_packages(tmp_path / "ocds.jsonl", 0.1)
