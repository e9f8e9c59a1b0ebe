"""The open-source anchor: nomenklatura's ``logic-v1`` and ``logic-v2`` (what yente scores with).

Reach for it only from ``bench/match_bench.py``: it puts Redline's figures beside those of the
matchers the OpenSanctions yente service uses, on the same sets and the same bulk names.
nomenklatura comes with the ``bench`` extra (``make bench`` installs it); nothing in
``src/redline`` imports it.

Fairness, as the issue asks:

- each query becomes an FtM ``Company`` (name, country) with an id used once, and each load of a
  watchlist gets ids of its own too: nomenklatura caches name analysis by entity id, so a reused
  id returns the first entity's names (``d-casc`` of the plain set carries a Chinese alias that
  the hard set's ``d-casc`` does not — with shared ids the hard set scored on the wrong names);
- candidates: on the small development sets every entity of the watchlist is scored (no
  blocking loss for the anchor at all); on the bulk names nomenklatura's own DuckDB blocking
  index (:class:`nomenklatura.blocker.index.Index`, offline) proposes them;
- the same ownership step: scores go through :func:`redline.resolve.matcher.resolve_scores`, so a
  match to an unlisted subsidiary resolves to its listed owner exactly as Redline's do;
- each algorithm's default threshold: its ``CONFIG`` when it defines one (4.17 defines none),
  else yente's default ``SCORE_THRESHOLD`` 0.70.
"""

from __future__ import annotations

import itertools
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import orjson
from followthemoney import Dataset, StatementEntity
from nomenklatura.blocker.index import Index
from nomenklatura.matching import get_algorithm
from nomenklatura.matching.types import ScoringAlgorithm, ScoringConfig
from nomenklatura.resolver import Linker
from nomenklatura.store.memory import MemoryStore

from redline.resolve.matcher import Query, QueryResult, resolve_scores
from redline.resolve.ownership import Reach
from redline.store.db import Store

ALGORITHMS = ("logic-v1", "logic-v2")
#: yente's default match threshold (yente/settings.py ``SCORE_THRESHOLD``), used when the
#: algorithm's own CONFIG has no threshold entry
YENTE_SCORE_THRESHOLD = 0.70

_LISTS = Dataset.make({"name": "redline_lists", "title": "Redline watchlist entities"})
_QUERIES = Dataset.make({"name": "redline_queries", "title": "Redline anchor queries"})
_unique = itertools.count()


def algorithm(name: str) -> tuple[type[ScoringAlgorithm], ScoringConfig, float]:
    """The algorithm class, its default configuration and its default threshold."""
    algo = get_algorithm(name)
    if algo is None:
        raise ValueError(f"nomenklatura has no algorithm {name!r}")
    config = algo.default_config() if hasattr(algo, "default_config") else ScoringConfig.defaults()
    threshold = config.config.get("threshold")
    return algo, config, float(threshold) if threshold is not None else YENTE_SCORE_THRESHOLD


def watchlist_entities(store: Store) -> dict[str, StatementEntity]:
    """The store's entities as FtM entities under ids unique to this call → our entity id."""
    load = next(_unique)
    out: dict[str, StatementEntity] = {}
    for entity_id, ftm in store.conn.execute("SELECT id, ftm FROM entities ORDER BY id").fetchall():
        data = orjson.loads(ftm)
        data["id"] = f"anchor-w{load}-{entity_id}"
        out[entity_id] = StatementEntity.from_data(_LISTS, data)
    return out


def query_entity(query: Query) -> StatementEntity:
    """A fresh Company with the query's name and country, under an id never used before."""
    entity = StatementEntity(_QUERIES, {"id": f"anchor-q{next(_unique)}", "schema": "Company"})
    entity.add("name", query.name)
    if query.country:
        entity.add("country", query.country)
    return entity


def _best(
    algo: type[ScoringAlgorithm],
    config: ScoringConfig,
    query: StatementEntity,
    candidates: Iterable[tuple[str, StatementEntity]],
) -> dict[str, float]:
    out: dict[str, float] = {}
    for entity_id, candidate in candidates:
        if candidate.schema.matchable:
            out[entity_id] = algo.compare(query, candidate, config).score
    return out


def screen_all(
    store: Store, queries: Sequence[Query], name: str, *, as_of: date | None = None
) -> list[QueryResult]:
    """Score every query against every watchlist entity (small sets only) and resolve."""
    algo, config, threshold = algorithm(name)
    entities = watchlist_entities(store)
    scores = [_best(algo, config, query_entity(q), entities.items()) for q in queries]
    reach = _reach(store, scores, threshold, as_of or date.today())
    return [
        resolve_scores(q, s, reach, threshold=threshold)
        for q, s in zip(queries, scores, strict=True)
    ]


def _reach(
    store: Store, scores: Sequence[dict[str, float]], threshold: float, as_of: date
) -> Reach:
    """Where every entity scoring ``threshold`` or more leads: one walk for all the queries."""
    matched = [entity_id for found in scores for entity_id, s in found.items() if s >= threshold]
    return Reach.of(store.conn, matched, as_of=as_of, max_depth=3)


def build_index(entities: Iterable[StatementEntity], work: Path) -> Index:
    """nomenklatura's blocking index over the watchlist entities, in ``work``."""
    store: MemoryStore[Dataset, StatementEntity] = MemoryStore(_LISTS, Linker({}))
    writer = store.writer()
    for entity in entities:
        writer.add_entity(entity)
    writer.flush()
    index = Index(store.default_view(), work)
    index.build()
    return index


def _blocked(index: Index, queries: list[StatementEntity]) -> Iterator[tuple[str, list[str]]]:
    for query_id, matches in index.match_entities(queries):
        yield str(query_id), [str(m) for m, _ in matches]


def bulk(store: Store, queries: Sequence[Query], names: Sequence[str]) -> dict[str, Any]:
    """Time the anchor on bulk names: nomenklatura's blocking index, then each algorithm.

    CPU seconds (all threads of this process) are the per-core figure; the index build over
    the lists is reported apart and left out of names/CPU-s (generous to the anchor).
    """
    entities = watchlist_entities(store)
    by_id = {e.id: (entity_id, e) for entity_id, e in entities.items()}
    q_entities = [query_entity(q) for q in queries]
    out: dict[str, Any] = {"names": len(queries)}
    with tempfile.TemporaryDirectory(prefix="anchor-index-") as tmp:
        cpu = time.process_time()
        index = build_index(entities.values(), Path(tmp))
        out["index_build_cpu_s"] = round(time.process_time() - cpu, 2)
        cpu, wall = time.process_time(), time.perf_counter()
        blocked = dict(_blocked(index, q_entities))
        out["blocking_cpu_s"] = round(time.process_time() - cpu, 2)
        out["blocking_wall_s"] = round(time.perf_counter() - wall, 2)
        index.close()
    out["candidate_pairs"] = sum(len(v) for v in blocked.values())
    out["queries_with_candidates"] = len(blocked)
    for name in names:
        algo, config, threshold = algorithm(name)
        cpu, wall = time.process_time(), time.perf_counter()
        scores = []
        for q_entity in q_entities:
            cands = [by_id[c] for c in blocked.get(str(q_entity.id), []) if c in by_id]
            scores.append(_best(algo, config, q_entity, cands))
        reach = _reach(store, scores, threshold, date.today())
        with_match = sum(
            bool(resolve_scores(query, found, reach, threshold=threshold).matches)
            for query, found in zip(queries, scores, strict=True)
        )
        out[name] = {
            "scoring_cpu_s": round(time.process_time() - cpu, 2),
            "scoring_wall_s": round(time.perf_counter() - wall, 2),
            "with_match": with_match,
            "threshold": threshold,
        }
    return out
