"""Which words a listed entity goes by alone: real list names, real supplier shapes.

The names of the mangled forms are as the shipped lists write them (BIS Entity List, SAT/SFP
records); the demo store holds the mirror's lists (``demo_store`` fixture).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from redline.resolve.block import WatchIndex
from redline.resolve.stems import common_words, goes_by_alone, is_distinctive
from redline.resolve.variants import name_variants
from redline.services.match import Query, match_names
from redline.store.db import Store

# (list name, the one-word form normalisation leaves of it)
MANGLED = [
    ("IS'Vision", "vision"),  # split at the apostrophe, "is" then dropped
    ("CONSTRUCTORA OF, S.A. DE C.V.", "constructora"),  # "of" dropped as a stop word
    ("E&E CONSTRUCCIONES, S.A. DE C.V.", "construccione"),
    ("COS CAMPESTRE, S.A. DE C.V.", "campestre"),  # "cos" read as "companies"
    ("A. Leib Ltd.", "leib"),
]
WHOLE = [
    ("CRRC Corporation Limited", "crrc"),
    ("CORPORACION INOVARE, S.A. DE C.V.", "inovare"),
    ("AIPR Y COMPAÑIA, S.A. DE C.V.", "aipr"),  # "y" joins the legal form
    ("Mirza and Co.", "mirza"),
    ("INTERGENERIC, S.A, DE C.V.", "intergeneric"),
    ("WIPFEL, S DE R.L DE C.V.", "wipfel"),
    ("The Sadidians", "sadidian"),
]


@pytest.mark.parametrize(("name", "stem"), MANGLED)
def test_a_form_left_by_dropping_words_of_the_name_is_not_gone_by_alone(
    name: str, stem: str
) -> None:
    assert [v.tokens for v in name_variants(name, listed=True) if v.kind == "name"] == [(stem,)]
    assert not goes_by_alone(name, stem)


@pytest.mark.parametrize(("name", "stem"), WHOLE)
def test_a_name_less_its_legal_forms_is_gone_by_alone(name: str, stem: str) -> None:
    assert goes_by_alone(name, stem)


@pytest.mark.parametrize(
    "word",
    ["best", "class", "star", "region", "solid", "vision", "signal", "wheel", "element",
     "alliance", "terminal", "chip", "integral", "radar", "cherry", "quantum"],
)  # fmt: skip
def test_common_words_are_not_distinctive(word: str) -> None:
    assert word in common_words() and not is_distinctive(word)


@pytest.mark.parametrize(
    "word", ["huawei", "alibaba", "tencent", "baidu", "crrc", "cccc", "hikvision", "zte"]
)
def test_brands_are_distinctive(word: str) -> None:
    assert is_distinctive(word)


def test_common_words_are_read_from_spanish_as_well_folded() -> None:
    # "región" in wordfreq's Spanish table, "region" as our tokens have it
    assert {"construccion", "region", "servicio"} <= common_words()


def test_the_lists_stems_keep_brands_and_lose_mangled_and_common_words(demo_store: Path) -> None:
    with Store(demo_store, read_only=True) as st:
        stems = WatchIndex.of(st.conn).stems
    assert {"hikvision", "huawei", "crrc"} <= stems.keys()
    assert not {"vision", "chip", "constructora", "best", "star"} & stems.keys()


def test_a_joint_bid_with_a_common_word_is_no_affiliate_and_a_brand_still_is(
    demo_store: Path,
) -> None:
    # the demo's false alarm (redline-poder-318): "vision" was IS'Vision's stem
    queries = [
        Query("rocha", "CONSTRUCCIONES ROCHA SA DE CV Y VISION GLOBAL INDUSTRIAL SA DE CV"),
        # made-up supplier names (SYNTHETIC) of the "<brand> <more>" shape
        Query("hik", "Hikvision Monterrey Seguridad SA de CV"),
        Query("crrc", "CRRC Servicios Ferroviarios del Norte SA de CV"),
    ]
    with Store(demo_store, read_only=True) as st:
        rocha, hik, crrc = match_names(st, queries)
    assert rocha.matches == [] and rocha.possible_affiliates == []
    for result in (hik, crrc):
        [first, *_] = result.possible_affiliates
        assert first.explanation["name"]["feature"] == "name-stem"
