"""Organisation-type words, parenthetical notes, country qualifiers and name-stem affiliates.

Every name here is made up (the watchlist is SYNTHETIC); the shapes are those of supplier
strings in real Mexican records and press: "X Group" for a listed "X Corporation Limited",
"X Company (consortium with Y and Z)", "X Technologies (UK) Co., Ltd.", "X <place> Locomotive".
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from redline.ingest.lists.watchlist import scratch_watchlist
from redline.resolve.block import WatchIndex
from redline.resolve.consortium import members
from redline.resolve.matcher import DEFAULT_THRESHOLD
from redline.resolve.score import compare
from redline.resolve.stems import is_distinctive, leading_stem
from redline.resolve.variants import name_variants
from redline.services.match import Query, QueryResult, match_names
from redline.store.db import Store

WATCHLIST = Path(__file__).parent / "fixtures" / "synthetic_affiliates.ftm.jsonl"


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    opened = scratch_watchlist(WATCHLIST)
    yield opened
    opened.close()


def screen(store: Store, name: str, country: str | None = None) -> QueryResult:
    [result] = match_names(store, [Query("q", name, country)])
    return result


def top(result: QueryResult) -> tuple[str, float] | None:
    return (result.matches[0].entity_id, result.matches[0].score) if result.matches else None


@pytest.mark.parametrize("query", ["Velqor Group", "Grupo Velqor", "Corporativo Velqor SA de CV",
                                   "VELQOR HOLDINGS LTD"])  # fmt: skip
def test_org_type_words_set_aside_meet_the_listed_name(store: Store, query: str) -> None:
    found = top(screen(store, query))
    assert found is not None and found[0] == "aff-velqor" and found[1] >= 0.95


@pytest.mark.parametrize("query", ["China Group", "Grupo Hua Mei", "Grupo China General",
                                   "Huawen Group Mexico Trading Partners"])  # fmt: skip
def test_org_type_words_open_no_false_positive(store: Store, query: str) -> None:
    assert screen(store, query).matches == []


def test_org_type_words_weigh_little_but_a_bare_short_name_still_needs_the_whole_name() -> None:
    # "CRQ Ingeniería" must not meet "CRQ Group" because group is set aside
    q, c = name_variants("CRQ Ingeniería")[0], name_variants("CRQ Group", listed=True)[0]
    assert compare(q, c).score < DEFAULT_THRESHOLD


def test_member_note_in_brackets_is_split_and_the_head_screened_without_it(store: Store) -> None:
    name = "Tarnix Company (consortium with Orvalo and LTQ Global Software)"
    assert members(name) == ["Tarnix Company", "Orvalo", "LTQ Global Software"]
    assert members("Velqor Rail Corporation (with Mota-Ferro)") == [
        "Velqor Rail Corporation",
        "Mota-Ferro",
    ]
    assert members("Velqor (en consorcio con Obras Beta y Gamma SA)") == [
        "Velqor",
        "Obras Beta",
        "Gamma SA",
    ]
    result = screen(store, name)
    assert top(result) == ("aff-tarnix", 1.0)
    evidence = result.matches[0].explanation["name"]
    assert evidence["consortium_member"] is True
    assert evidence["query_name"] == "Tarnix Company"


def test_a_qualifier_in_brackets_is_set_aside_or_screened_alone(store: Store) -> None:
    assert top(screen(store, "Tarnix (Tarnix Seguridad Mexico)")) == ("aff-tarnix", 1.0)
    assert top(screen(store, "Tongshan Tarnix Technology Ltd. (Tarnix)")) == ("aff-tarnix", 1.0)
    assert members("Huawen Telecom (Huawen Mexico)") == []  # a qualifier, not a partner


def test_a_country_on_one_side_only_costs_score(store: Store) -> None:
    result = screen(store, "Quorvex Technologies Co Ltd")
    assert [m.entity_id for m in result.matches] == ["aff-quorvex"]  # the UK affiliate is not
    q = name_variants("Quorvex Technologies Co Ltd")[0]
    uk = name_variants("Quorvex Technologies (UK) Co., Ltd.", listed=True)[0]
    assert uk.tokens == ("quorvex", "technology", "uk")  # "(UK)" stays part of the name
    assert compare(q, uk).score < DEFAULT_THRESHOLD
    assert "country named on one side only ['gb']" in compare(q, uk).penalties


def test_the_query_country_breaks_the_tie_between_parent_and_affiliate(store: Store) -> None:
    result = screen(store, "Quorvex Technologies Co Ltd", "gb")
    assert [m.entity_id for m in result.matches] == ["aff-quorvex-uk", "aff-quorvex"]
    assert result.matches[0].score == 1.0
    assert result.matches[1].score == 0.95  # country differs


def test_a_bracketed_country_on_the_query_side_keeps_the_affiliate(store: Store) -> None:
    assert top(screen(store, "Quorvex Technologies (UK) Limited")) == ("aff-quorvex-uk", 1.0)


def test_name_stem_affiliate_is_shown_below_the_threshold_unless_the_country_agrees(
    store: Store,
) -> None:
    alone = screen(store, "Velqor Lanzhou Locomotive")
    assert alone.matches == []
    [affiliate] = alone.possible_affiliates
    assert affiliate.entity_id == "aff-velqor" and affiliate.score < DEFAULT_THRESHOLD
    assert affiliate.explanation["name"]["feature"] == "name-stem"
    corroborated = screen(store, "Velqor Lanzhou Locomotive", "cn")
    assert top(corroborated) == ("aff-velqor", 0.86)
    assert corroborated.matches[0].explanation["name"]["support"] == ["country agrees (cn)"]
    assert screen(store, "Velqor Lanzhou Locomotive", "mx").matches == []


@pytest.mark.parametrize(
    "query",
    ["Zentrix Servicios Navales", "China Lanzhou Locomotive", "Beijing Velmark Services",
     "Sino Velmark Trading", "Grupo Constructor Lanzhou", "Orvalo Velqor Locomotive"],
)  # fmt: skip
def test_common_or_shared_stems_make_no_affiliate(store: Store, query: str) -> None:
    # "zentrix" is a whole list name, but four list entities carry it: not distinctive;
    # China/Beijing/Sino/Grupo are places or organisation types; "Velqor" not leading
    result = screen(store, query, "cn")
    assert result.matches == [] and result.possible_affiliates == []


def test_a_stem_the_query_leads_with_passes_the_rule_the_index_keeps_stems_by(
    store: Store,
) -> None:
    # both sides use stems.is_distinctive: the index's stems and the query's leading word
    stems = WatchIndex(store.conn).stems
    assert "velqor" in stems and all(is_distinctive(stem) for stem in stems)
    assert leading_stem(name_variants("Grupo China Velqor Lanzhou")[0].tokens) == "velqor"
    assert leading_stem(name_variants("China Beijing Group")[0].tokens) is None


@pytest.mark.parametrize(
    ("query", "country"),
    [
        ("Quorvex Technologies de México, S.A. de C.V.", "mx"),
        ("Quorvex Technologies México S. de R.L. de C.V.", None),
        ("Velqor Rail México, S.A.P.I. de C.V.", "cn"),  # the record's country says China
        ("Quorvex Technologies Brasil Ltda.", "br"),
    ],
)
def test_a_listed_name_with_a_country_it_does_not_name_is_a_possible_affiliate(
    store: Store, query: str, country: str | None
) -> None:
    result = screen(store, query, country)
    assert result.matches == []
    [first, *_] = result.possible_affiliates
    assert first.entity_id in ("aff-quorvex", "aff-velqor")
    assert first.score < DEFAULT_THRESHOLD
    assert "local affiliate by name" in " ".join(first.explanation["name"]["penalties"])


def test_a_country_the_entity_is_of_or_that_the_list_names_is_no_affiliate_sign(
    store: Store,
) -> None:
    # the UK company is listed under its own name: the query is that company
    assert top(screen(store, "Quorvex Technologies UK Limited")) == ("aff-quorvex-uk", 1.0)
    found = top(screen(store, "Velqor Rail China Co., Ltd."))
    assert found is not None and found[0] == "aff-velqor" and found[1] >= DEFAULT_THRESHOLD
