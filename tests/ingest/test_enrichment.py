"""Sourced Chinese legal names reach their listed entities, and say where they came from."""

from __future__ import annotations

from pathlib import Path

import pytest

from redline.ingest.lists.enrich import enrichments
from redline.services.lists import load_lists
from redline.services.match import Query, match_names
from redline.store.db import Store


@pytest.fixture(scope="module")
def lists_store(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Store:
    store = Store(tmp_path_factory.mktemp("enrich") / "s.duckdb")
    report = load_lists(store, data_dir)
    assert report.totals["enrichment aliases not placed"] == 0
    return store


def test_every_entry_has_a_public_source() -> None:
    assert enrichments()
    assert all(e.source.startswith("https://") and e.note for e in enrichments())


def test_chinese_legal_name_meets_the_listed_entity(lists_store: Store) -> None:
    # the issue's own example: a customs record naming Nuctech in Chinese script
    (result,) = match_names(lists_store, [Query("q", "同方威视技术股份有限公司")])
    assert (
        result.matches and result.matches[0].matched_id == "rl-tongfang-nuctech-technology-0c6e6479"
    )
    reason = lists_store.conn.execute(
        "SELECT merge_reason FROM entities WHERE id = ?", [result.matches[0].matched_id]
    ).fetchone()
    assert reason is not None and "https://www.nuctech.com/" in reason[0]


def test_enrichment_does_not_make_other_han_names_match(lists_store: Store) -> None:
    (result,) = match_names(lists_store, [Query("q", "同方股份有限公司")])  # a different company
    assert all(m.matched_id != "rl-tongfang-nuctech-technology-0c6e6479" for m in result.matches)
