"""The general rules of issue 12, each on names that are in none of the evaluation sets."""

from __future__ import annotations

from redline.resolve.consortium import members
from redline.resolve.matcher import DEFAULT_THRESHOLD
from redline.resolve.normalise import tokens
from redline.resolve.numerals import numerals
from redline.resolve.score import compare
from redline.resolve.variants import name_variants


def _score(query: str, listed: str) -> float:
    return compare(name_variants(query)[0], name_variants(listed, listed=True)[0]).score


def test_an_adjacent_transposition_is_one_edit() -> None:
    assert _score("Kongsbreg Defence Systems", "Kongsberg Defence Systems") >= DEFAULT_THRESHOLD
    assert _score("Embarer Aircraft Company", "Embraer Aircraft Company") >= DEFAULT_THRESHOLD
    # two changed letters in a short word are another firm
    assert _score("Saba Defence Systems", "Saab Defence Systems") < DEFAULT_THRESHOLD


def test_a_legal_form_glued_to_the_name_comes_off() -> None:
    assert tokens("EMBRAERCORPORATION") == tokens("Embraer Corporation") == ("embraer",)
    assert tokens("KongsbergGmbH") == tokens("Kongsberg GmbH")
    assert tokens("LeonardoS.A.") == tokens("Leonardo S.A.")
    assert tokens("FincantieriGroup") == ("fincantieri", "group")


def test_full_legal_forms_in_other_languages_are_legal_forms() -> None:
    short = tokens("Leonardo Germany GmbH")
    assert tokens("Leonardo Germany Gesellschaft mit beschränkter Haftung") == short
    assert tokens("LEONARDO GERMANY GESELLSCHAFT MIT BESCHRANKTER HAFTUNG") == short
    assert tokens("Mecanica Fina Sociedad Anonima de Capital Variable") == tokens(
        "Mecánica Fina, S.A. de C.V."
    )
    assert tokens("Uralvagonzavod Aktsionernoe Obshchestvo") == tokens("AO Uralvagonzavod")
    assert tokens("Arsenal Societate pe Actiuni") == tokens("Arsenal S.A.")
    assert tokens("Talleres Unidos, S.C.") == tokens("Talleres Unidos")


def test_numbers_meet_in_every_spelling_and_only_the_same_number() -> None:
    same = tokens("The 23rd Research Institute of CASIC")
    assert tokens("No. 23 Research Institute of CASIC") == tuple(sorted(same, key=same.index))
    assert set(tokens("Twenty-Third Research Institute of CASIC")) == set(same)
    assert "23" in same
    assert numerals(["nr", "9", "plant"]) == ["9", "plant"]
    assert numerals(["tercera", "planta"]) == ["3", "planta"]
    assert _score("25th Research Institute of CASIC", "23rd Research Institute of CASIC") < (
        DEFAULT_THRESHOLD
    )


def test_only_joint_bid_markers_split_a_consortium() -> None:
    assert members("Pinturas y Recubrimientos del Centro, S.A. de C.V.") == []
    assert members("Ingenieria Total 360/24 S.A.") == []
    assert members("Obras Alfa SA DE CV Y Montajes Beta SA DE CV") == [
        "Obras Alfa SA DE CV",
        "Montajes Beta SA DE CV",
    ]
    assert members("Obras Alfa, S.A. y/o Montajes Beta, S.A.") == [
        "Obras Alfa, S.A",
        "Montajes Beta, S.A",
    ]
    assert members("Consorcio: Obras Alfa, Montajes Beta y Gama Redes") == [
        "Obras Alfa",
        "Montajes Beta",
        "Gama Redes",
    ]


def test_a_legal_form_after_a_comma_stays_with_its_firm_in_a_declared_joint_bid() -> None:
    # inside "Consorcio: ..." a comma lists members, but ", Ltd" or ", S.A. de C.V." ends one
    assert members("Consorcio: Redes Norte Co., Ltd y Obras Sur, S.A. de C.V.") == [
        "Redes Norte Co., Ltd",
        "Obras Sur, S.A. de C.V",
    ]
    assert members("Propuesta conjunta: Kappa Sistemas, Inc., Lambda Montajes") == [
        "Kappa Sistemas, Inc",
        "Lambda Montajes",
    ]
