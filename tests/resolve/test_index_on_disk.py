"""The list index kept beside its store: read back by the next process, never stale."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from synthetic_lists import other_list

from redline.ingest.lists.watchlist import load_watchlist
from redline.memo import Kept
from redline.resolve import normalise
from redline.resolve.block import CACHED, WatchIndex, fingerprint
from redline.resolve.variants import name_variants
from redline.store.db import Store

FIXTURES = Path(__file__).parent / "fixtures"
WATCHLIST = FIXTURES / "synthetic_watchlist.ftm.jsonl"
QUERIES = name_variants("Tianlong Maquinaria de Mexico") + name_variants("Huaxin Comms Tech")


def _fresh_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """As a new process: no index in memory (and none may be built unless allowed)."""
    monkeypatch.setattr(WatchIndex, "_cache", Kept(CACHED))


def test_a_new_process_reads_the_index_instead_of_building_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        load_watchlist(store.conn, WATCHLIST)
        _fresh_process(monkeypatch)
        built = WatchIndex.of(store.conn)
        assert [p.suffix for p in sorted((tmp_path / "s.duckdb.index").iterdir())] == [
            ".arrow",
            ".json",
        ]
        _fresh_process(monkeypatch)

        def refuse(self: WatchIndex, conn: object) -> None:
            raise AssertionError("built again although kept on disk")

        with monkeypatch.context() as m:
            m.setattr(WatchIndex, "__init__", refuse)
            read = WatchIndex.of(store.conn)
    assert read is not built
    assert read.forms == built.forms and read.countries == built.countries
    assert (read.stems, read.rare_cap) == (built.stems, built.rare_cap)
    assert read.keys.equals(built.keys)
    assert read.candidates(QUERIES) == built.candidates(QUERIES) != []


def test_a_change_of_the_lists_is_never_read_from_an_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        load_watchlist(store.conn, WATCHLIST)
        _fresh_process(monkeypatch)
        WatchIndex.of(store.conn)
        first = fingerprint(store.conn)
        load_watchlist(store.conn, other_list(tmp_path / "synthetic_other.ftm.jsonl"))
        _fresh_process(monkeypatch)
        changed = WatchIndex.of(store.conn)
        assert "syn-ostrava" in {f.entity_id for f in changed.forms}
        kept = sorted(p.name for p in (tmp_path / "s.duckdb.index").iterdir())
        assert len(kept) == 2 and not any(first.split(":")[1] in name for name in kept)


def test_a_damaged_file_is_skipped_and_the_index_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        load_watchlist(store.conn, WATCHLIST)
        _fresh_process(monkeypatch)
        built = WatchIndex.of(store.conn)
        for kept in (tmp_path / "s.duckdb.index").iterdir():
            kept.write_bytes(b"\x00 not an index")
        _fresh_process(monkeypatch)
        again = WatchIndex.of(store.conn)
    assert again.candidates(QUERIES) == built.candidates(QUERIES)


def test_the_kept_territory_table_answers_as_rigour(monkeypatch: pytest.MonkeyPatch) -> None:
    words = ["mexico", "uk", "china", "deutschland", "beijing", "nuctech", "espana", "russia"]
    rigour = [normalise.place_country.__wrapped__(w) for w in words]
    monkeypatch.setattr(normalise, "_territory_codes", normalise.territory_codes())
    kept = [normalise.place_country.__wrapped__(w) for w in words]
    assert kept == rigour and "mx" in kept


def test_the_rare_keys_kept_block_as_the_shared_statement() -> None:
    """RARE_CANDIDATES_SQL over the kept rare keys = CANDIDATES_SQL (the engines' statement)."""
    from redline.ingest.lists.watchlist import scratch_watchlist
    from redline.resolve.block import CANDIDATES_SQL, MIN_OVERLAP, TOP_K, key_table
    from redline.store.arrow_io import registered

    with scratch_watchlist(WATCHLIST) as store:
        index = WatchIndex(store.conn)
    queries = QUERIES + name_variants("China Tianlong Heavy Industry Group Corporation")
    with index._db.cursor() as cur, registered(cur, "rl_query_keys", key_table("qvid", queries)):
        rows = cur.execute(CANDIDATES_SQL, [index.rare_cap, MIN_OVERLAP, TOP_K]).fetchall()
    assert index.candidates(queries) == [tuple(r) for r in rows] != []


def test_an_index_kept_by_another_stem_rule_is_built_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # stems are kept on disk: a file written before a change of the rule (or of wordfreq's
    # data) must not hand its stems to the next process
    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        load_watchlist(store.conn, WATCHLIST)
        _fresh_process(monkeypatch)
        WatchIndex.of(store.conn)
        [kept] = (tmp_path / "s.duckdb.index").glob("*.json")
        data = json.loads(kept.read_text(encoding="utf-8"))
        data["stem_rule"], data["stems"] = "an older rule", {"bogus": [0]}
        kept.write_text(json.dumps(data), encoding="utf-8")
        _fresh_process(monkeypatch)
        again = WatchIndex.of(store.conn)
    assert "bogus" not in again.stems
