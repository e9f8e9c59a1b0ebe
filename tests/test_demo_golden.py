"""The demo's findings, whole (ids, risk, evidence), against a golden file.

Captured before the layout change of issue 11 and compared after every change since: a change
meant to keep behaviour (a refactor, a speed-up) must leave this file as it is. A change meant to
move findings regenerates it on purpose, and the diff of ``tests/golden/demo_findings.json`` is
then the review of what moved::

    REDLINE_REGEN_GOLDEN=1 .venv/bin/pytest -q tests/test_demo_golden.py
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

from redline.cli import run

GOLDEN = Path(__file__).parent / "golden" / "demo_findings.json"
#: fixed, so that "listed now" and recency read the same every day
AS_OF = "2026-12-01"


def _findings(demo_store: Path, data_dir: Path, tmp_path: Path) -> list[dict[str, Any]]:
    copy = tmp_path / "demo.duckdb"
    shutil.copy(demo_store, copy)
    out = tmp_path / "findings.json"
    code = run(["--store", str(copy), "screen", "--as-of", AS_OF, "--output", str(out)])
    assert code == 0
    # the events table's path is where this checkout's mirror is: kept as a placeholder
    text = out.read_text(encoding="utf-8").replace(str(data_dir), "${REDLINE_DATA}")
    found: list[dict[str, Any]] = json.loads(text)
    return found


def test_demo_findings_match_the_golden_file(
    demo_store: Path, data_dir: Path, tmp_path: Path
) -> None:
    found = _findings(demo_store, data_dir, tmp_path)
    if os.environ.get("REDLINE_REGEN_GOLDEN"):
        GOLDEN.write_text(json.dumps(found, indent=2, ensure_ascii=False) + "\n", "utf-8")
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert [f["finding_id"] for f in found] == [f["finding_id"] for f in golden]
    for now, before in zip(found, golden, strict=True):
        assert now == before, f"finding {before['finding_id']} changed"
