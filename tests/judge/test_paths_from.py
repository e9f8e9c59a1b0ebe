"""judge.evidence.paths_from: many ownership walks at once, each as if walked alone."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from redline.ingest.lists.watchlist import scratch_watchlist
from redline.judge.evidence import paths_from

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
        together = paths_from(store, [*ids, ids[0]], max_depth=3, day=DAY)
        alone = {i: paths_from(store, [i], max_depth=3, day=DAY)[i] for i in ids}
    assert together == alone
    # the SYNTHETIC chain: the Mexican subsidiary → its holding → the listed parent
    routes = [(p.listed_id, [e.edge_id for e in p.edges]) for p in together["syn-tianlong-mx"]]
    assert routes == [("syn-tianlong", ["syn-own-1", "syn-own-2"])]
    assert [p.edges for p in together["syn-tianlong"]] == [()]
