"""Use case: screen organisation names against the watchlists — one name or a CSV of them.

Reach for :func:`match_names` from any front end or other service (``redline screen`` calls it
with every supplier in the store). :func:`read_queries` and :func:`write_results` are the bulk
file formats of ``redline match --input/--output``: CSV in and JSON Lines out, or Parquet
(a ``.parquet`` file, or a folder of parts) in and out through the engine, so on Spark any path
Spark reads.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from functools import partial
from pathlib import Path

import orjson
import pyarrow as pa

from redline.engine.spec import DUCKDB, EngineSpec
from redline.errors import InputError, Problem
from redline.files import atomic_write
from redline.judge.matching import NameHit, NameQuery
from redline.model import Explanation
from redline.resolve.block import WatchIndex
from redline.resolve.matcher import DEFAULT_THRESHOLD, Match, Query, QueryResult, match_queries
from redline.resolve.ownership import ReachCache
from redline.settings import get_settings
from redline.store.db import Store
from redline.store.location import Location, is_remote, suffix

__all__ = [
    "DEFAULT_THRESHOLD",
    "Match",
    "Query",
    "QueryResult",
    "is_parquet",
    "match_names",
    "read_queries",
    "redline_matcher",
    "results_format",
    "with_captions",
    "write_results",
]


def default_threshold() -> float:
    """REDLINE_MATCH_THRESHOLD when set, else the tuned default."""
    return get_settings().match_threshold or DEFAULT_THRESHOLD


def match_names(
    store: Store,
    queries: Sequence[Query],
    *,
    threshold: float | None = None,
    as_of: date | None = None,
    max_depth: int = 3,
    on_progress: Callable[[int], None] | None = None,
    engine: EngineSpec = DUCKDB,
    watch: WatchIndex | None = None,
    reach: ReachCache | None = None,
) -> list[QueryResult]:
    """Screen names against the lists in ``store``; one result per query, in order.

    ``as_of`` (default today) decides which listings are in force; ``max_depth`` how many
    ownership edges are followed from a matched entity to a listed one. A Spark ``engine``
    runs blocking (the join over every name's keys) and scoring (``compare_pairs`` as a
    vectorised UDF) on Spark at its master; identifiers and ownership stay here, so the results
    are the same as on DuckDB (the default), which blocks in the store and scores in this
    process.
    """
    run = partial(
        match_queries,
        store.conn,
        queries,
        threshold=default_threshold() if threshold is None else threshold,
        as_of=as_of or date.today(),
        max_depth=max_depth,
        on_progress=on_progress,
        watch=watch,  # the index of the store's lists, when the caller holds it
        reach=reach,  # the ownership walks kept for unchanging lists (a server's copy)
    )
    if engine.name == "duckdb":
        return run()
    from redline.resolve.engine_steps import engine_scorer  # pulls the engine's batch functions

    with engine.open() as eng:
        return run(scorer=engine_scorer(eng))


def with_captions(store: Store, results: list[QueryResult]) -> list[QueryResult]:
    """Give every match, and every ownership edge in its explanation, the names of the
    entities it names by id (``child_caption``, ``parent_caption``): a reader sees
    "Nuctech Company Limited (NK-…)", never an id alone. ``results`` is changed in place.

    Reach for this where results are shown (``redline match``); a screen's saved explanations
    stay as the matcher wrote them (their text is part of a finding's evidence)."""
    matches = [m for r in results for m in (*r.matches, *r.not_in_force, *r.possible_affiliates)]
    edges = [e for m in matches for e in (m.explanation.get("ownership") or {}).get("edges", [])]
    ids = {i for m in matches for i in (m.entity_id, m.matched_id)}
    ids |= {str(e[k]) for e in edges for k in ("child", "parent") if e.get(k)}
    if not ids:
        return results
    rows = store.conn.execute(
        "SELECT id, caption FROM entities WHERE list_contains(?, id)", [sorted(ids)]
    ).fetchall()
    names = {str(i): str(c) for i, c in rows if c}
    for m in matches:
        m.entity_caption = names.get(m.entity_id, "")
        m.matched_caption = names.get(m.matched_id, "")
    for edge in edges:
        edge["child_caption"] = names.get(str(edge.get("child")), "")
        edge["parent_caption"] = names.get(str(edge.get("parent")), "")
    return results


def redline_matcher(
    store: Store,
    queries: Sequence[NameQuery],
    as_of: date,
    *,
    engine: EngineSpec = DUCKDB,
    watch: WatchIndex | None = None,
    affiliates: bool = False,
) -> list[NameHit]:
    """The judge's :data:`~redline.judge.matching.Matcher` backed by :func:`match_names`.

    ``affiliates``: the name-stem affiliates under the threshold come back too, as hits
    marked ``possible`` (the screen offers them for review; no rule counts them).

    Matches whose listing is not in force at ``as_of`` count too: the judge decides with the
    listing dates whether the supplier was listed at the award date. ``engine`` says where
    blocking runs (see ``match_names``), ``watch`` is the index of
    the store's lists when the caller built it already; bind them with ``functools.partial``
    to get a :data:`Matcher`.
    """
    asked = [Query(q.id, q.name, q.country, q.identifier) for q in queries]
    hits: list[NameHit] = []
    found = match_names(store, asked, as_of=as_of, engine=engine, watch=watch)
    for result in found:
        weak = result.possible_affiliates if affiliates else []
        for match in [*result.matches, *result.not_in_force, *weak]:
            name = match.explanation.get("name") or {}
            member = str(name["query_name"]) if name.get("consortium_member") else None
            hits.append(
                NameHit(
                    result.id,
                    match.matched_id,
                    match.entity_id,
                    match.score,
                    Explanation(match.explanation),
                    member,
                    possible=any(match is w for w in weak),
                )
            )
    return hits


def is_parquet(path: Location) -> bool:
    """A bulk file read or written as Parquet: a ``.parquet`` name, a folder of parts, or any
    URI (only the engine opens those)."""
    return suffix(path) == ".parquet" or is_remote(path) or Path(path).is_dir()


Rows = list[tuple[str, dict[str, object]]]  # (position for a Problem, row)


def _csv_rows(path: Path) -> tuple[list[str], Rows]:
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise InputError([Problem(str(path), "", f"cannot read: {exc.strerror}")]) from exc
    with handle:
        reader = csv.DictReader(handle)
        columns = list(reader.fieldnames or [])
        rows: Rows = [(f"line {reader.line_num}", dict(row)) for row in reader]
    return columns, rows


def _parquet_rows(path: Location, engine: EngineSpec) -> tuple[list[str], Rows]:
    if not is_remote(path) and not Path(path).exists():
        raise InputError([Problem(str(path), "", "cannot read: no such file or folder")])
    with engine.open() as eng:
        eng.register("rl_bulk_queries", path)
        table = eng.to_arrow("SELECT * FROM rl_bulk_queries")
    return table.schema.names, [(f"row {n}", row) for n, row in enumerate(table.to_pylist(), 1)]


def _text(row: dict[str, object], column: str) -> str:
    value = row.get(column)
    return "" if value is None else str(value).strip()


def read_queries(path: Location, *, engine: EngineSpec = DUCKDB) -> list[Query]:
    """Queries from a CSV, or a Parquet file or folder read by ``engine``, with columns ``id``,
    ``name`` and optional ``country``, ``identifier``.

    Raises :class:`InputError` listing every problem (missing columns, empty names or ids,
    duplicate ids), each with file and line (CSV) or row (Parquet).
    """
    parquet = is_parquet(path)
    columns, rows = _parquet_rows(path, engine) if parquet else _csv_rows(Path(path))
    missing = [c for c in ("id", "name") if c not in columns]
    if missing:
        where = "schema" if parquet else "line 1"
        raise InputError([Problem(str(path), where, f"missing column(s): {', '.join(missing)}")])
    problems: list[Problem] = []
    queries: list[Query] = []
    seen: set[str] = set()
    for where, row in rows:
        qid, name = _text(row, "id"), _text(row, "name")
        if not qid:
            problems.append(Problem(str(path), where, "empty id"))
        elif qid in seen:
            problems.append(Problem(str(path), where, f"duplicate id {qid!r}"))
        if not name:
            problems.append(Problem(str(path), where, "empty name"))
        seen.add(qid)
        country, identifier = _text(row, "country").lower(), _text(row, "identifier")
        queries.append(Query(qid, name, country or None, identifier or None))
    if problems:
        raise InputError(problems)
    return queries


#: the Parquet results: one row per query; the lists are JSON as in the JSON Lines output
RESULTS = pa.schema([
    ("id", pa.string()), ("top_entity_id", pa.string()), ("top_score", pa.float64()),
    ("matches", pa.string()), ("not_in_force", pa.string()), ("possible_affiliates", pa.string()),
])  # fmt: skip


#: ``--output`` of ``redline match``: its format by the file name's ending
RESULT_FORMATS = {".csv": "csv", ".json": "json", ".jsonl": "jsonl", ".parquet": "parquet"}
#: the columns of the CSV form: one row per query, its best match named
CSV_COLUMNS = ("id", "name", "matched", "top_entity_id", "top_entity_caption", "top_score",
               "lists", "matches", "not_in_force", "possible_affiliates")  # fmt: skip


def results_format(path: Location) -> str:
    """``csv``, ``json``, ``jsonl`` or ``parquet`` from the name of ``path`` (a remote URI is
    Parquet); any other ending is refused in one line, before any matching runs."""
    if is_remote(path):
        return "parquet"
    found = RESULT_FORMATS.get(suffix(path).lower())
    if found is None:
        raise InputError([Problem(str(path), "", "output must end in .csv, .json, .jsonl or "
                                  ".parquet (the format follows the name)")])  # fmt: skip
    return found


def _csv_row(result: QueryResult) -> list[object]:
    top = result.matches[0] if result.matches else None
    lists = sorted({x["list_name"] for x in (top.listings if top else []) if x.get("in_force")})
    return [result.id, result.name, "yes" if top else "no",
            top.entity_id if top else "", top.entity_caption if top else "",
            f"{top.score:.3f}" if top else "", "; ".join(lists), len(result.matches),
            len(result.not_in_force), len(result.possible_affiliates)]  # fmt: skip


def write_results(
    path: Location,
    results: Iterable[QueryResult],
    *,
    engine: EngineSpec = DUCKDB,
) -> int:
    """Write one record per query to ``path`` in the format its name says
    (:func:`results_format`) and return how many: CSV (one row per query, its best match
    named), JSON (one array), JSON Lines, or Parquet through ``engine`` (a folder of parts on
    Spark). Local files go to a temp file renamed at the end, so a failure leaves no
    half-written output; Parquet rows carry the best match's entity and score beside the JSON
    lists.
    """
    form = results_format(path)
    if form == "parquet":
        return _write_parquet(path, results, engine)
    done = list(results)
    rows = [result.to_dict() for result in done]
    with atomic_write(Path(path)) as handle:
        if form == "csv":
            text = io.StringIO()
            writer = csv.writer(text)
            writer.writerow(CSV_COLUMNS)
            writer.writerows(_csv_row(r) for r in done)
            handle.write(text.getvalue().encode("utf-8"))
        elif form == "json":
            handle.write(orjson.dumps(rows, option=orjson.OPT_INDENT_2) + b"\n")
        else:
            for row in rows:
                handle.write(orjson.dumps(row) + b"\n")
    return len(rows)


def _write_parquet(path: Location, results: Iterable[QueryResult], engine: EngineSpec) -> int:
    cols: dict[str, list[object]] = {name: [] for name in RESULTS.names}
    for result in results:
        row = result.to_dict()
        top = result.matches[0] if result.matches else None
        values = (result.id, top.entity_id if top else None, top.score if top else None,
                  *(orjson.dumps(row[k]).decode()
                    for k in ("matches", "not_in_force", "possible_affiliates")))  # fmt: skip
        for name, value in zip(RESULTS.names, values, strict=True):
            cols[name].append(value)
    with engine.open() as eng:
        eng.register("rl_bulk_results", pa.Table.from_pydict(cols, schema=RESULTS))
        eng.write_parquet("rl_bulk_results", path)
    return len(cols["id"])
