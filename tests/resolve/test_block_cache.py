"""WatchIndex.of: one index per list content, shared by stores and requests, never stale."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from redline.ingest.lists.watchlist import load_watchlist, scratch_watchlist
from redline.resolve.block import WatchIndex, fingerprint
from redline.resolve.variants import name_variants
from redline.services.match import Query, match_names
from redline.store.db import Store

FIXTURES = Path(__file__).parent / "fixtures"
WATCHLIST = FIXTURES / "synthetic_watchlist.ftm.jsonl"
DAY = date(2026, 7, 1)


def _other_list(path: Path) -> Path:
    """A second SYNTHETIC list: one fictional company, listed since 2020."""
    rows = [
        {"id": "syn-velmora", "schema": "Company",
         "properties": {"name": ["Velmora Scanners Synthetic Limited"], "country": ["cn"],
                        "notes": ["SYNTHETIC test entity: fictional company"]}},
        {"id": "syn-velmora-listing", "schema": "Sanction",
         "properties": {"entity": ["syn-velmora"], "program": ["Synthetic test list"],
                        "authority": ["Synthetic authority"], "startDate": ["2020-01-01"]}},
    ]  # fmt: skip
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _met(store: Store, name: str) -> set[str]:
    """The listed entities ``name`` meets, through the default path (WatchIndex.of)."""
    [result] = match_names(store, [Query("q", name)], as_of=DAY)
    return {m.entity_id for m in result.matches}


def test_stores_holding_the_same_lists_share_one_index() -> None:
    with scratch_watchlist(WATCHLIST) as a, scratch_watchlist(WATCHLIST) as b:
        assert fingerprint(a.conn) == fingerprint(b.conn)
        index = WatchIndex.of(a.conn)
        assert WatchIndex.of(b.conn) is index
    # both stores are closed: blocking still runs (the keys live in the index's own database)
    pairs = index.candidates(name_variants("China Tianlong Heavy Industry Group Corporation"))
    assert "syn-tianlong" in {index.forms[vid].entity_id for _, vid in pairs}


def test_the_cached_index_blocks_as_a_fresh_one() -> None:
    queries = name_variants("Tianlong Maquinaria de Mexico") + name_variants("Huaxin Comms Tech")
    with scratch_watchlist(WATCHLIST) as store:
        fresh = WatchIndex(store.conn)
        cached = WatchIndex.of(store.conn)
        assert cached.candidates(queries) == fresh.candidates(queries) != []
        assert (cached.stems, cached.rare_cap) == (fresh.stems, fresh.rare_cap)


def test_the_index_follows_every_change_of_the_lists(tmp_path: Path) -> None:
    other = _other_list(tmp_path / "synthetic_other.ftm.jsonl")
    with scratch_watchlist(WATCHLIST) as store:
        first, before = fingerprint(store.conn), WatchIndex.of(store.conn)
        assert _met(store, "Velmora Scanners Synthetic Limited") == set()
        load_watchlist(store.conn, other)  # a watchlist added: no ingest run is recorded
        added = WatchIndex.of(store.conn)
        assert added is not before
        assert _met(store, "Velmora Scanners Synthetic Limited") == {"syn-velmora"}
        # a name revised under the same id, as a list ingest revises one
        store.conn.execute(
            "UPDATE entities SET names = ['Ostrava Radar Synthetic'] WHERE id = 'syn-velmora'"
        )
        assert WatchIndex.of(store.conn) is not added
        assert _met(store, "Velmora Scanners Synthetic Limited") == set()
        assert _met(store, "Ostrava Radar Synthetic") == {"syn-velmora"}
        for table in ("entities", "listings", "ownership", "entity_identifiers"):
            column = "dataset" if table != "entity_identifiers" else "entity_id"
            value = other.name if table != "entity_identifiers" else "syn-velmora"
            store.conn.execute(f"DELETE FROM {table} WHERE {column} = ?", [value])
        # back to the first lists: the same digest, and no match of the removed list
        assert fingerprint(store.conn) == first
        assert _met(store, "Ostrava Radar Synthetic") == set()
        assert _met(store, "China Tianlong Heavy Industry Group Corporation") == {"syn-tianlong"}
