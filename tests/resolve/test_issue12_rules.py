"""The general rules of issue 12, each on names that are in none of the evaluation sets."""

from __future__ import annotations

from redline.resolve.block import MIN_OVERLAP, keys
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


def _best(query: str, listed: str) -> float:
    """The best score over every form of both names, as the matcher takes it."""
    return max(
        compare(q, c).score
        for q in name_variants(query)
        for c in name_variants(listed, listed=True)
    )


def _blocked(query: str, listed: str) -> bool:
    """Whether blocking makes the pair a candidate (a shared key worth MIN_OVERLAP)."""
    shared = 0.0
    for q in name_variants(query):
        q_keys = dict(keys(q))
        for c in name_variants(listed, listed=True):
            c_keys = dict(keys(c))
            shared = max(shared, sum(min(w, c_keys[k]) for k, w in q_keys.items() if k in c_keys))
    return shared >= MIN_OVERLAP


def test_two_letters_swapped_are_half_an_edit_and_keep_the_blocking_key() -> None:
    # a swap inside the first letters used to lose the prefix key: no candidate at all
    for typo, name in [
        ("Lenoardo S.p.A.", "Leonardo S.p.A."),
        ("Fnicantieri S.p.A.", "Fincantieri S.p.A."),
        ("Elbti Systems Ltd.", "Elbit Systems Ltd."),
    ]:
        assert _blocked(typo, name), typo
        assert _best(typo, name) >= DEFAULT_THRESHOLD, typo
    # one-word names keep their letters for the typo ("Embraer" is not folded as a plural)
    assert _best("Embrear S.A.", "Embraer S.A.") >= DEFAULT_THRESHOLD
    # two letters changed, or a five-letter name, still need the name as it is
    assert _best("Lenardi S.p.A.", "Leonardo S.p.A.") < DEFAULT_THRESHOLD
    assert _best("Sbaa AB", "Saab AB") < DEFAULT_THRESHOLD
    assert _best("Elbti", "Elbit") < DEFAULT_THRESHOLD


def test_words_split_or_joined_inside_a_name_meet_as_written() -> None:
    assert _blocked("Fincan Tieri S.p.A.", "Fincantieri S.p.A.")
    assert _best("Fincan Tieri S.p.A.", "Fincantieri S.p.A.") >= DEFAULT_THRESHOLD
    # "Tech" alone reads as the abbreviation "technology"; as written it is half a word
    assert _best("Elbit Sys Tems Ltd.", "Elbit Systems Ltd.") >= DEFAULT_THRESHOLD
    assert _best("Leonardo Tech nologies", "Leonardo Technologies") >= DEFAULT_THRESHOLD
    assert _best("DassaultAviation SA", "Dassault Aviation SA") >= DEFAULT_THRESHOLD
    assert _best("Kellogg's Company", "Kelloggs Company") >= DEFAULT_THRESHOLD
    # spacing is all it forgives: another word is another firm
    assert _best("Dassault Systemes", "Dassault Aviation") < DEFAULT_THRESHOLD


def test_polish_abbreviated_forms_are_legal_forms() -> None:
    assert tokens("Mesko Sp. z o.o.") == tokens("MESKO SP Z OO") == ("mesko",)
    assert tokens("Mesko sp.k.") == tokens("Mesko sp. j.") == ("mesko",)


def test_contracted_sector_words_of_chinese_names_render_in_english() -> None:
    # X建 for X建设 in registered SOE names (中国电建, 中国能建): not in the variants set
    assert _best("中国电建集团有限公司", "Power Construction Corporation of China") >= (
        DEFAULT_THRESHOLD
    )
    assert _best("中国能建集团有限公司", "China Energy Engineering Group Co., Ltd.") >= (
        DEFAULT_THRESHOLD
    )
    assert _best("安徽移动通信有限公司", "Anhui Mobile Communications Co., Ltd.") >= (
        DEFAULT_THRESHOLD
    )
    # the sector words alone do not make another firm's name
    assert _best("中国电建集团有限公司", "China Energy Engineering Group Co., Ltd.") < (
        DEFAULT_THRESHOLD
    )


def test_a_name_of_sector_words_with_one_more_word_is_another_firm() -> None:
    listed = "Advanced Optical Engineering Corporation"
    assert _best("Advanced Optical Engineering Corp.", listed) >= DEFAULT_THRESHOLD
    assert _best("Advanced Optical Engineering Services Corp.", listed) < DEFAULT_THRESHOLD
    assert _best("Advanced Optical Engineering Instruments", listed) < DEFAULT_THRESHOLD
    # a country or an organisation type added is no other business: the soft-Dice decides
    assert _best("Advanced Optical Engineering Group", listed) >= DEFAULT_THRESHOLD
    # a name with a distinctive word keeps it: "Velqor Optical Services" is still a variant
    assert _best("Velqor Optical Services", "Velqor Optical") >= DEFAULT_THRESHOLD
