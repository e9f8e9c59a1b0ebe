"""schemathesis against the real server's ``/openapi.json`` with its default checks: 0 failures
(issue 15). Every operation, examples, coverage and fuzzing phases, a fixed seed and a bounded
number of cases so the run stays under about a minute; with the API key so the writing
operations are reached too (on the session's SYNTHETIC store)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from live_server import API_KEY, start_server, stop

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")


@pytest.mark.timeout(240)
def test_schemathesis_finds_no_failure(synthetic_store_path: Path, tmp_path: Path) -> None:
    """On its own server over a copy of the store: the fuzzer ingests, reviews and screens."""
    copy = tmp_path / "fuzzed.duckdb"
    shutil.copy(synthetic_store_path, copy)
    proc, server = start_server(copy, {"REDLINE_API_KEY": API_KEY})
    try:
        _run(server, tmp_path)
    finally:
        stop(proc)


def _run(server: str, tmp_path: Path) -> None:
    if not SCHEMATHESIS.exists() and not shutil.which("schemathesis"):
        pytest.fail("schemathesis is not installed (pip install -e '.[dev]')")
    command = [
        str(SCHEMATHESIS) if SCHEMATHESIS.exists() else "schemathesis",
        "run", f"{server}/openapi.json",
        "--max-examples", "15", "--seed", "20250115", "--no-color",
        "--request-timeout", "30", "--header", f"X-API-Key: {API_KEY}",
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=230, cwd=tmp_path)
    assert done.returncode == 0, done.stdout[-8000:] + done.stderr[-2000:]
