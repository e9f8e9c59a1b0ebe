"""The nomenklatura anchor of the match bench: same ownership step, no stale cached names.

Skipped without the ``bench`` extra. Entities are made up (SYNTHETIC).
"""

from __future__ import annotations

import sys
from pathlib import Path

import orjson
import pytest

pytest.importorskip("nomenklatura")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench import anchor
from redline.ingest.lists.watchlist import scratch_watchlist
from redline.services.match import Query


def _watchlist(tmp_path: Path, parent_name: str) -> Path:
    rows = [
        {"id": "syn-parent", "schema": "Company", "properties": {
            "name": [parent_name], "country": ["cn"], "notes": ["SYNTHETIC"]}},
        {"id": "syn-child", "schema": "Company", "properties": {
            "name": ["Zarvenko Maquinaria de México"], "country": ["mx"], "notes": ["SYNTHETIC"]}},
        {"id": "syn-own", "schema": "Ownership", "properties": {
            "owner": ["syn-parent"], "asset": ["syn-child"], "percentage": ["100"]}},
        {"id": "syn-san", "schema": "Sanction", "properties": {
            "entity": ["syn-parent"], "program": ["Synthetic test list"]}},
    ]  # fmt: skip
    path = tmp_path / f"synthetic_{len(parent_name)}.ftm.jsonl"
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
    return path


@pytest.mark.parametrize("algorithm", anchor.ALGORITHMS)
def test_subsidiary_resolves_to_listed_owner(tmp_path: Path, algorithm: str) -> None:
    with scratch_watchlist(_watchlist(tmp_path, "Zarvenko Heavy Industry Group")) as store:
        [hit, miss] = anchor.screen_all(
            store,
            [Query("a", "Zarvenko Maquinaria de México", "mx"), Query("b", "Otra Empresa", "mx")],
            algorithm,
        )
    assert [(m.entity_id, m.path) for m in hit.matches] == [
        ("syn-parent", ["syn-child", "syn-parent"])
    ]
    assert miss.matches == []


def test_same_entity_id_with_other_names_is_not_scored_from_the_cache(tmp_path: Path) -> None:
    query = Query("q", "Zarvenko Heavy Industry Group", "cn")
    with scratch_watchlist(_watchlist(tmp_path, "Zarvenko Heavy Industry Group")) as store:
        [first] = anchor.screen_all(store, [query], "logic-v2")
    with scratch_watchlist(_watchlist(tmp_path, "Quillon Optical Instruments Limited")) as store:
        [second] = anchor.screen_all(store, [query], "logic-v2")
    assert [m.entity_id for m in first.matches] == ["syn-parent"]
    assert second.matches == []


def test_threshold_falls_back_to_yente_default() -> None:
    for name in anchor.ALGORITHMS:
        assert anchor.algorithm(name)[2] == anchor.YENTE_SCORE_THRESHOLD
