"""Initials we derive from a list name are weak evidence: they carry a match only with support.

The real case: "NEC Corporation" met the initials ``nec`` of the BIS Entity List entry "Nezhad
Enterprise Company". The names below are made up (SYNTHETIC); the list entry has no alias, so
only its derived initials can meet an acronym.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from redline.ingest.lists.watchlist import scratch_watchlist
from redline.resolve.matcher import DEFAULT_THRESHOLD, INITIALS_SUPPORTED_SCORE
from redline.services.match import Query, match_names
from redline.store.db import Store

ENTITIES = [
    {"id": "syn-quorvan", "schema": "Company", "properties": {
        "name": ["Quorvan Enterprise Company"], "country": ["ir"],
        "notes": ["SYNTHETIC test entity: fictional company"]}},
    {"id": "syn-quorvan-san", "schema": "Sanction", "properties": {
        "entity": ["syn-quorvan"], "program": ["Synthetic test list"],
        "authority": ["Synthetic authority"]}},
    {"id": "syn-velmora", "schema": "Company", "properties": {
        "name": ["Velmora Aerospace Systems Corporation"], "alias": ["VASC"], "country": ["cn"],
        "notes": ["SYNTHETIC test entity: fictional company"]}},
    {"id": "syn-velmora-san", "schema": "Sanction", "properties": {
        "entity": ["syn-velmora"], "program": ["Synthetic test list"],
        "authority": ["Synthetic authority"]}},
]  # fmt: skip


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[Store]:
    path = tmp_path / "synthetic_initials.ftm.jsonl"
    path.write_bytes(b"".join(orjson.dumps(e) + b"\n" for e in ENTITIES))
    with scratch_watchlist(path) as scratch:
        yield scratch


def _top(store: Store, name: str, country: str | None = None) -> tuple[str | None, float]:
    [result] = match_names(store, [Query("q", name, country)], threshold=0.0)
    best = result.matches[0] if result.matches else None
    return (best.entity_id, best.score) if best else (None, 0.0)


@pytest.mark.parametrize(
    ("name", "country"),
    [
        ("QEC Corporation", None),  # a whole name that is a short token, nothing else known
        ("QEC Corporation", "jp"),  # a country that disagrees
        ("QEC", "mx"),
        ("Servicios Integrales (QEC)", "mx"),  # bracketed, but the rest of the name is unrelated
    ],
)
def test_derived_initials_alone_stay_below_threshold(
    store: Store, name: str, country: str | None
) -> None:
    entity, score = _top(store, name, country)
    assert entity == "syn-quorvan"  # found, and shown to a reviewer who lowers the threshold
    assert score < DEFAULT_THRESHOLD
    [result] = match_names(store, [Query("q", name, country)])
    assert result.matches == []


def test_initials_with_the_same_country_pass(store: Store) -> None:
    [result] = match_names(store, [Query("q", "QEC", "ir")])
    top = result.matches[0]
    assert (top.entity_id, top.score) == ("syn-quorvan", INITIALS_SUPPORTED_SCORE)
    assert top.explanation["name"]["feature"] == "initials"
    assert top.explanation["name"]["support"] == ["country agrees (ir)"]


def test_bracketed_acronym_with_a_rest_that_partly_meets_passes(store: Store) -> None:
    # "Quorvan Servicios" alone scores below threshold; with its acronym it is enough
    assert _top(store, "Quorvan Servicios Marítimos", "mx")[1] < DEFAULT_THRESHOLD
    [result] = match_names(store, [Query("q", "Quorvan Servicios Marítimos (QEC)", "mx")])
    top = result.matches[0]
    assert top.entity_id == "syn-quorvan"
    assert top.score == pytest.approx(INITIALS_SUPPORTED_SCORE * 0.95)  # country differs
    assert top.explanation["name"]["support"] == ["another form of the name meets it (0.5882)"]


def test_an_acronym_the_source_states_needs_no_support(store: Store) -> None:
    assert _top(store, "VASC", "mx") == ("syn-velmora", 0.95)  # 1.0 x country differs
    assert _top(store, "Corporación de Sistemas Aeroespaciales Velmora (VASC)", "mx")[1] >= 0.95
