"""resolve.ownership.paths_from: many ownership walks at once, each as if walked alone, and the
same routes as the engine's walk (one SQL text, two places to run it)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from redline.engine.duckdb_engine import DuckDBEngine
from redline.ingest.lists.watchlist import scratch_watchlist
from redline.resolve.ownership import (
    Reach,
    ReachCache,
    paths_from,
    register_ownership,
    walk_to_listed,
)

WATCHLIST = Path(__file__).parents[1] / "resolve" / "fixtures" / "synthetic_watchlist.ftm.jsonl"
DAY = date(2026, 7, 1)


def test_walks_together_equal_walks_alone_and_follow_the_edges() -> None:
    with scratch_watchlist(WATCHLIST) as store:
        ids = [r[0] for r in store.conn.execute("SELECT id FROM entities ORDER BY id").fetchall()]
        # a cycle in one walk must not cut another: add one edge back from the top owner
        store.conn.execute(
            "INSERT INTO ownership (edge_id, child_id, parent_id, relation, dataset, ftm) "
            "VALUES ('syn-cycle', 'syn-tianlong', 'syn-tianlong-mx', 'ownership', 'x', '{}')"
        )
        together = paths_from(store.conn, [*ids, ids[0]], max_depth=3, as_of=DAY)
        alone = {i: paths_from(store.conn, [i], max_depth=3, as_of=DAY)[i] for i in ids}
    assert together == alone
    # the SYNTHETIC chain: the Mexican subsidiary → its holding → the listed parent
    routes = [(p.listed_id, [e.edge_id for e in p.edges]) for p in together["syn-tianlong-mx"]]
    assert routes == [("syn-tianlong", ["syn-own-1", "syn-own-2"])]
    assert [p.edges for p in together["syn-tianlong"]] == [()]
    assert together["syn-tianlong-mx"][0].entity_ids[0] == "syn-tianlong-mx"


def test_the_engine_walk_finds_the_same_routes() -> None:
    with scratch_watchlist(WATCHLIST) as store, DuckDBEngine() as engine:
        ids = [r[0] for r in store.conn.execute("SELECT id FROM entities ORDER BY id").fetchall()]
        store.conn.execute(  # a cycle: both walks must stop at it alike
            "INSERT INTO ownership (edge_id, child_id, parent_id, relation, dataset, ftm) "
            "VALUES ('syn-cycle', 'syn-tianlong', 'syn-tianlong-mx', 'ownership', 'x', '{}')"
        )
        here = paths_from(store.conn, ids, max_depth=3, as_of=DAY)
        register_ownership(engine, store.conn, DAY)
        engine.register("rl_met", store.conn.execute(
            "SELECT id AS matched_id FROM entities").to_arrow_table())  # fmt: skip
        walk_to_listed(engine, "rl_met", 3)
        there = engine.to_arrow("SELECT matched_id, node, edges FROM rl_paths").to_pylist()
    expected = sorted(
        (start, p.listed_id, "|" + "".join(f"{e.edge_id}|" for e in p.edges))
        for start, found in here.items()
        for p in found
    )
    assert sorted((r["matched_id"], r["node"], r["edges"]) for r in there) == expected
    assert any(edges != "|" for _, _, edges in expected)  # an ownership route, not only direct


def test_the_reach_cache_answers_as_a_fresh_walk_and_reads_held_entities_no_more() -> None:
    with scratch_watchlist(WATCHLIST) as store:
        ids = [r[0] for r in store.conn.execute("SELECT id FROM entities ORDER BY id").fetchall()]
        cache = ReachCache(size=3)
        fresh = Reach.of(store.conn, ids, as_of=DAY, max_depth=3)
        assert cache.of(store.conn, ids, as_of=DAY, max_depth=3) == fresh
        held = ["syn-tianlong-mx", "syn-tianlong"]
        cache.of(store.conn, held, as_of=DAY, max_depth=3)
    # the store is closed: what is held is answered without it
    again = cache.of(store.conn, held, as_of=DAY, max_depth=3)
    assert again.paths == {i: fresh.paths[i] for i in held}
    assert again.listings["syn-tianlong"] == fresh.listings["syn-tianlong"]
    assert len(cache._held) == 3  # bounded: the least recently used went out
