"""Run one command in-process as a user would, and say what they would have seen."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from pathlib import Path

from redline.cli import run
from redline.store.db import Store


@dataclass(frozen=True)
class Seen:
    """A command's exit status and what it printed on stderr."""

    code: int
    err: str

    @property
    def errors(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.startswith("error:")]


def redline(*argv: str) -> Seen:
    """``redline ARGV`` in this process; an exception escaping it fails the test."""
    err, out = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        code = run(list(argv))
    return Seen(code, err.getvalue())


def snapshot(path: Path) -> dict[str, object]:
    """Every table's rows, to compare a store before and after a refused input."""
    if not path.exists():
        return {}
    with Store(path, read_only=True) as st:
        tables = [
            r[0]
            for r in st.conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
                "AND table_type = 'BASE TABLE' AND table_name NOT IN ('ingest_runs')"
            ).fetchall()
        ]
        return {
            t: sorted(map(repr, st.conn.execute(f'SELECT * FROM "{t}"').fetchall())) for t in tables
        }
