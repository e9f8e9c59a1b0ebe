"""The screening pipeline's set-based steps, written once for every engine.

Reach for :func:`engine_scorer` when the matcher (``redline screen|match --engine``) should
block and score on an engine, and for :func:`score_names` (with
:func:`~redline.resolve.ownership.walk_to_listed`) as the pieces of the judge's first pass
(:mod:`redline.resolve.first_pass`, which ``screen --tables`` and store mode run).
The steps: names → forms and blocking keys (shared Python, vectorised),
candidate pairs by the blocking SQL of :mod:`redline.resolve.block` (the same statement the
matcher runs), scores by :func:`~redline.resolve.batch.compare_pairs` (the matcher's scorer,
with the query's country), and an ownership walk to listed entities as ``max_depth`` rounds of
joins (acyclic, edges in force on the as-of date). SQL here is DuckDB's dialect;
:mod:`redline.engine.dialect` carries it to Spark.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import duckdb
import pyarrow as pa

from redline.engine.base import Engine
from redline.errors import InputError, Problem
from redline.resolve.block import CANDIDATES_SQL, MIN_OVERLAP, TOP_K, WatchIndex
from redline.resolve.engine_udfs import (
    FORMS,
    KEYS,
    SCORES,
    decode,
    expand_names,
    form_keys,
    score_pairs,
)
from redline.resolve.matcher import Scored, Scorer
from redline.resolve.ownership import register_ownership
from redline.resolve.variants import Variant
from redline.store.location import Location, child


def _candidates_sql(rare_cap: int, top_k: int = TOP_K) -> str:
    # the matcher's own blocking statement over the same table names; parameters inlined
    sql = CANDIDATES_SQL
    for value in (rare_cap, MIN_OVERLAP, top_k):
        sql = sql.replace("?", repr(value), 1)
    return sql.strip()


def _register_watch(engine: Engine, watch: WatchIndex) -> None:
    """The list forms (rl_wforms) and their blocking keys (rl_watch_keys), as WatchIndex
    built them."""
    engine.register("rl_wforms", pa.table({
        "vid": pa.array(range(len(watch.forms)), pa.int64()),
        "entity_id": [f.entity_id for f in watch.forms],
        "kind": [f.variant.kind for f in watch.forms],
        "tokens": [f.variant.text for f in watch.forms],
    }))  # fmt: skip
    keys = watch.keys
    engine.register("rl_watch_keys", keys.set_column(0, "vid", keys["vid"].cast(pa.int64())))


def load_watch(
    engine: Engine,
    conn: duckdb.DuckDBPyConnection,
    as_of: date,
    watch: WatchIndex | None = None,
) -> WatchIndex:
    """Put the store's list forms, keys, ownership edges in force on ``as_of`` and listed ids
    in ``engine`` (the last two by :func:`~redline.resolve.ownership.register_ownership`);
    ``watch`` is the index of the lists in ``conn`` when the caller holds it already."""
    watch = watch or WatchIndex.of(conn)
    _register_watch(engine, watch)
    register_ownership(engine, conn, as_of)
    return watch


def block_and_score(engine: Engine, rare_cap: int) -> None:
    """rl_qdistinct (qvid, kind, tokens) and rl_qcountry (qvid, country) → rl_scores (qvid,
    vid, country, score ≥ keep floor, comparison JSON), scored by the shared score_pairs."""
    engine.map_batches("rl_query_keys", "rl_qdistinct", form_keys, KEYS)
    engine.create("rl_cand", _candidates_sql(rare_cap))
    engine.create(
        "rl_pairs",
        "SELECT c.qvid, c.vid, k.country, q.kind AS qkind, q.tokens AS qtokens, "
        "w.kind AS wkind, w.tokens AS wtokens FROM rl_cand c "
        "JOIN rl_qcountry k ON k.qvid = c.qvid JOIN rl_qdistinct q ON q.qvid = c.qvid "
        "JOIN rl_wforms w ON w.vid = c.vid",
    )
    engine.map_batches("rl_scores", "rl_pairs", score_pairs, SCORES)


def score_names(engine: Engine, rare_cap: int) -> None:
    """rl_names (name) → rl_qforms (every form of each name) and rl_scores: each distinct form
    blocked and scored by :func:`block_and_score` without a country (award suppliers and the
    judge's queries carry none)."""
    engine.map_batches("rl_qforms", "rl_names", expand_names, FORMS)
    engine.create(
        "rl_qdistinct",
        "SELECT qvid, min(kind) AS kind, min(tokens) AS tokens FROM rl_qforms GROUP BY qvid",
    )
    engine.create("rl_qcountry", "SELECT qvid, '' AS country FROM rl_qdistinct")
    block_and_score(engine, rare_cap)


def engine_scorer(engine: Engine) -> Scorer:
    """A :data:`~redline.resolve.matcher.Scorer` for ``match_queries(..., scorer=...)`` that
    blocks and scores on ``engine``.

    The blocking SQL and :func:`~redline.resolve.engine_udfs.score_pairs` (``compare_pairs``
    with the query's country) run on the engine — Spark as a ``mapInArrow`` UDF on its executors;
    only the pairs kept (≥ the keep floor) come back, their comparisons rebuilt from JSON, in the
    order of the store's scorer, so the matcher's results do not change with the engine.
    """

    def run(
        watch: WatchIndex, forms: Sequence[Variant], countries: Mapping[int, set[str]]
    ) -> list[Scored]:
        _register_watch(engine, watch)
        engine.register("rl_qdistinct", pa.table({
            "qvid": pa.array(range(len(forms)), pa.int64()),
            "kind": [v.kind for v in forms], "tokens": [v.text for v in forms],
        }))  # fmt: skip
        uses = [(fid, c) for fid, some in countries.items() for c in sorted(some)]
        engine.register("rl_qcountry", pa.table({
            "qvid": pa.array([fid for fid, _ in uses], pa.int64()),
            "country": pa.array([c for _, c in uses], pa.string()),
        }))  # fmt: skip
        block_and_score(engine, watch.rare_cap)
        found = engine.to_arrow(
            "SELECT qvid, vid, country, comparison FROM rl_scores ORDER BY country, qvid, vid"
        ).to_pydict()
        return [
            (q, v, c, decode(j))
            for q, v, c, j in zip(
                found["qvid"], found["vid"], found["country"], found["comparison"], strict=True
            )
        ]

    return run


def register_tables(engine: Engine, tables: Location, wanted: Mapping[str, Sequence[str]]) -> None:
    """Register each ``tables``/<table> of ``wanted`` as engine table rl_in_<table>; one
    :class:`InputError` names every table lacking a wanted column."""
    problems = []
    for table, columns in wanted.items():
        engine.register(f"rl_in_{table}", child(tables, table))
        have = set(engine.to_arrow(f"SELECT * FROM rl_in_{table} LIMIT 0").schema.names)
        if missing := [c for c in columns if c not in have]:
            where = str(child(tables, table))
            problems.append(Problem(where, "schema", f"missing column(s): {', '.join(missing)}"))
    if problems:
        raise InputError(problems)
