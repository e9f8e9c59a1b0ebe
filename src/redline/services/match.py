"""Use case: screen organisation names against the watchlists — one name or a CSV of them.

Reach for :func:`match_names` from any front end or other service (``redline screen`` calls it
with every supplier in the store). :func:`read_queries` and :func:`write_results` are the bulk
file formats of ``redline match --input/--output``.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from functools import partial
from pathlib import Path

import orjson

from redline.engine.base import ENGINES, open_engine
from redline.engine.store import Store
from redline.errors import InputError, Problem
from redline.resolve.matcher import DEFAULT_THRESHOLD, Match, Query, QueryResult, match_queries
from redline.settings import get_settings

__all__ = [
    "DEFAULT_THRESHOLD",
    "Match",
    "Query",
    "QueryResult",
    "check_engine",
    "match_names",
    "read_queries",
    "write_results",
]


def default_threshold() -> float:
    """REDLINE_MATCH_THRESHOLD when set, else the tuned default."""
    return get_settings().match_threshold or DEFAULT_THRESHOLD


def check_engine(engine: str) -> None:
    """Raise a one-line :class:`InputError` unless ``engine`` is one Redline has."""
    if engine not in ENGINES:
        raise InputError(
            [Problem("--engine", "", f"unknown engine {engine!r}; expected {' or '.join(ENGINES)}")]
        )


def match_names(
    store: Store,
    queries: Sequence[Query],
    *,
    threshold: float | None = None,
    as_of: date | None = None,
    max_depth: int = 3,
    on_progress: Callable[[int], None] | None = None,
    engine: str = "duckdb",
    spark_master: str | None = None,
) -> list[QueryResult]:
    """Screen names against the lists in ``store``; one result per query, in order.

    ``as_of`` (default today) decides which listings are in force; ``max_depth`` how many
    ownership edges are followed from a matched entity to a listed one. ``engine="spark"``
    runs blocking (the join over every name's keys) on Spark at ``spark_master`` (default
    SPARK_MASTER, else local); scoring, identifiers and ownership stay here, so the results
    are the same as on ``"duckdb"``, which blocks inside the store.
    """
    check_engine(engine)
    run = partial(
        match_queries,
        store.conn,
        queries,
        threshold=default_threshold() if threshold is None else threshold,
        as_of=as_of or date.today(),
        max_depth=max_depth,
        on_progress=on_progress,
    )
    if engine == "duckdb":
        return run()
    from redline.engine.steps import candidate_pairs  # pulls the engine's batch functions

    with open_engine(engine, master=spark_master) as eng:
        return run(candidates=candidate_pairs(eng, store.conn))


def read_queries(path: Path) -> list[Query]:
    """Queries from a CSV with columns ``id,name`` and optional ``country``, ``identifier``.

    Raises :class:`InputError` listing every problem (missing columns, empty names or ids,
    duplicate ids), each with file and line.
    """
    problems: list[Problem] = []
    queries: list[Query] = []
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise InputError([Problem(str(path), "", f"cannot read: {exc.strerror}")]) from exc
    with handle:
        reader = csv.DictReader(handle)
        columns = set(reader.fieldnames or [])
        missing = [c for c in ("id", "name") if c not in columns]
        if missing:
            raise InputError(
                [Problem(str(path), "line 1", f"missing column(s): {', '.join(missing)}")]
            )
        seen: set[str] = set()
        for row in reader:
            line = f"line {reader.line_num}"
            qid, name = (row.get("id") or "").strip(), (row.get("name") or "").strip()
            if not qid:
                problems.append(Problem(str(path), line, "empty id"))
            elif qid in seen:
                problems.append(Problem(str(path), line, f"duplicate id {qid!r}"))
            if not name:
                problems.append(Problem(str(path), line, "empty name"))
            seen.add(qid)
            queries.append(
                Query(
                    qid,
                    name,
                    (row.get("country") or "").strip().lower() or None,
                    (row.get("identifier") or "").strip() or None,
                )
            )
    if problems:
        raise InputError(problems)
    return queries


def write_results(path: Path, results: Iterable[QueryResult]) -> int:
    """One JSON object per query to ``path``; written to a temp file and renamed, so a failure
    leaves no half-written output. Returns the number of lines written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    count = 0
    try:
        with os.fdopen(fd, "wb") as handle:
            for result in results:
                row = result.to_dict()
                row.pop("name")
                handle.write(orjson.dumps(row) + b"\n")
                count += 1
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return count
