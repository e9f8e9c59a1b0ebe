"""The national-year bench at tiny size: `python -m bench.run national --size-mb 0.3` runs end
to end on a SYNTHETIC ComprasMX file and reports consistent figures (results and docs into
tmp_path, so the committed figures stay those of the full 80,000-row run)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MIRROR = Path(os.environ.get("REDLINE_DATA") or ROOT.parent / "shared" / "data")


@pytest.mark.skipif(not (MIRROR / "standards").exists(), reason="ingest needs the OCDS schema")
def test_national_bench_ingests_the_synthetic_year_and_reports_both_peaks(tmp_path: Path) -> None:
    docs = tmp_path / "benchmarks.md"
    cmd = [sys.executable, "-m", "bench.run", "national", "--size-mb", "0.3"]
    cmd += ["--work", str(tmp_path / "work"), "--results", str(tmp_path / "results")]
    done = subprocess.run(
        [*cmd, "--docs", str(docs)], cwd=ROOT, capture_output=True, text=True, timeout=240,
        env={**os.environ, "REDLINE_DATA": str(MIRROR)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = json.loads((tmp_path / "results" / "national.json").read_text(encoding="utf-8"))
    f = result["figures"]
    assert "synthetic" in result["input"] and f["synthetic"] is True
    assert f["rows"] == 596 and f["quarter_rows"] == 149 and f["rejected"] == 0
    assert 0 < f["records"] < f["rows"]  # several contracts of one procedure: one record
    assert f["ratio"] == pytest.approx(f["ingest_seconds"] / f["scan_seconds"], rel=0.05)
    for key in ("ingest_peak_rss_mb", "quarter_peak_rss_mb", "limited_peak_rss_mb"):
        assert f[key] > 50  # a Python process with DuckDB loaded, measured as the child's own
    assert f["limited_peak_growth"] == pytest.approx(
        f["limited_peak_rss_mb"] / f["limited_quarter_peak_rss_mb"], rel=0.01
    )
    text = docs.read_text(encoding="utf-8")
    assert "<!-- bench:national -->" in text and "SYNTHETIC" in text
