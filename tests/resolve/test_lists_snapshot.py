"""The server's in-memory copy of the lists: no store opened while the file is unchanged,
replaced as soon as the lists change (by this process or another)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from synthetic_lists import other_list

from redline.ingest.lists.watchlist import load_watchlist
from redline.services import lists_snapshot
from redline.services.lists_snapshot import current
from redline.store.db import Store
from redline.store.shared import SharedStore

WATCHLIST = Path(__file__).parent / "fixtures" / "synthetic_watchlist.ftm.jsonl"


@pytest.fixture
def shared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SharedStore]:
    monkeypatch.setattr(lists_snapshot, "_held", {})
    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        load_watchlist(store.conn, WATCHLIST)
    yield SharedStore(path)


def _ids(shared: SharedStore) -> set[str]:
    held = current(shared)
    return {
        str(r[0]) for r in held.store.conn.cursor().execute("SELECT id FROM entities").fetchall()
    }


def test_an_unchanged_store_is_not_opened(
    shared: SharedStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = current(shared)

    @contextmanager
    def refuse() -> Iterator[Store]:
        raise AssertionError("the store was opened although unchanged")
        yield  # pragma: no cover

    monkeypatch.setattr(shared, "reading", refuse)
    assert current(shared) is first
    assert "syn-tianlong" in {f.entity_id for f in first.watch.forms}


def test_a_list_loaded_by_another_connection_replaces_the_copy(
    shared: SharedStore, tmp_path: Path
) -> None:
    first = current(shared)
    assert "syn-ostrava" not in _ids(shared)
    with Store(shared.path) as store:  # as the CLI would, between two requests
        load_watchlist(store.conn, other_list(tmp_path / "synthetic_other.ftm.jsonl"))
    again = current(shared)
    assert again is not first and "syn-ostrava" in _ids(shared)
    assert "syn-ostrava" in {f.entity_id for f in again.watch.forms}


def test_a_write_that_leaves_the_lists_keeps_the_copy(shared: SharedStore) -> None:
    first = current(shared)
    with Store(shared.path) as store:
        store.conn.execute("INSERT INTO redline_meta VALUES ('synthetic-test', 'x')")
    assert current(shared) is first


def test_a_listing_ended_by_another_connection_replaces_the_copy(shared: SharedStore) -> None:
    """Same entities and names, one listing's end date changed (a delisting): the copy and
    what it keeps (ownership walks, summaries) must not outlive it."""
    first = current(shared)
    first.summaries(["syn-tianlong"])
    with Store(shared.path) as store:
        store.conn.execute(
            "UPDATE listings SET end_date = DATE '2021-01-01' WHERE entity_id = 'syn-tianlong'"
        )
    again = current(shared)
    assert again is not first and again.watch is first.watch  # the names' index is kept
    ends = (
        again.store.conn.cursor()
        .execute("SELECT DISTINCT end_date FROM listings WHERE entity_id = 'syn-tianlong'")
        .fetchall()
    )
    assert [str(r[0]) for r in ends] == ["2021-01-01"]


def test_an_ownership_edge_added_by_another_connection_replaces_the_copy(
    shared: SharedStore,
) -> None:
    """``redline ownership load`` adds edges between entities already there: names unchanged."""
    first = current(shared)
    with Store(shared.path) as store:
        store.conn.execute(
            "INSERT INTO ownership (edge_id, child_id, parent_id, relation, dataset, ftm) "
            "VALUES ('syn-own-added', 'syn-crrt', 'syn-tianlong', 'ownership', 'x', '{}')"
        )
    again = current(shared)
    assert again is not first and again.watch is first.watch
    [edge] = (
        again.store.conn.cursor()
        .execute("SELECT child_id FROM ownership WHERE edge_id = 'syn-own-added'")
        .fetchall()
    )
    assert edge == ("syn-crrt",)


def test_summaries_are_kept_and_match_the_store(shared: SharedStore) -> None:
    from redline.services.read import entities as read

    held = current(shared)
    wanted = ["syn-tianlong", "syn-tianlong-mx", "no-such-entity"]
    first = held.summaries(wanted)
    assert first == read.summaries(held.store.conn.cursor(), wanted)
    assert set(first) == {"syn-tianlong", "syn-tianlong-mx"}
    assert held.summaries(wanted)["syn-tianlong"] is first["syn-tianlong"]  # kept, not re-read
