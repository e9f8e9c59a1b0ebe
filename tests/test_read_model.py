"""The read model is the only reader: the API holds no SQL, the renderer reads nothing.

Every number a front end shows comes from one query in :mod:`redline.services.read`, so the
briefing, ``GET /overview`` and the dashboard cannot disagree. These checks read the source
text, so a query pasted back into a route or a renderer fails here, naming the file and line.
"""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "redline"
#: what running SQL looks like in our code: a DuckDB call, or a statement's first word in text
SQL = re.compile(r"\.(execute|sql|query)\(|\bSELECT\b|\bINSERT\b|\bUPDATE\b|\bDELETE\b")


def _offences(folder: str, pattern: re.Pattern[str]) -> list[str]:
    found = []
    for path in sorted((PACKAGE / folder).rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                found.append(f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}")
    return found


def test_the_api_runs_no_sql() -> None:
    assert _offences("api", SQL) == [], "move the query into redline.services.read"


def test_the_renderer_reads_nothing() -> None:
    reads = re.compile(r"\bimport duckdb\b|\bfrom duckdb\b|" + SQL.pattern)
    assert _offences("report", reads) == [], "read in redline.services.read, render in report"
