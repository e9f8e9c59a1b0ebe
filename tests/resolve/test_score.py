from __future__ import annotations

import pytest

from redline.resolve.matcher import DEFAULT_THRESHOLD
from redline.resolve.score import compare
from redline.resolve.variants import name_variants


def best(query: str, listed: str) -> float:
    return max(
        (
            compare(q, c).score
            for q in name_variants(query)
            for c in name_variants(listed, listed=True)
        ),
        default=0.0,
    )


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Hua Mei Trading", "Huawei Technologies Co., Ltd."),
        ("Hua Mei Trading", "Huawei"),
        ("CRC Ingeniería", "CRRC Corporation Limited"),
        ("CRC Ingeniería", "CRRC"),
        ("CRC Ingeniería", "China Railway Construction Corporation Limited"),
        ("CRC Ingeniería", "CRCC"),
        ("Servicios Tianlong de Occidente", "China Tianlong Heavy Industry Group Corporation"),
        ("Beijing Technology Co Ltd", "Beijing Tianlong Technology Co., Ltd."),
        ("Railway Services Holdings", "China Railway Rolling Technology Corporation"),
    ],
)
def test_made_up_negatives_stay_below_threshold(query: str, listed: str) -> None:
    assert best(query, listed) < DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("中国天龙重工集团有限公司", "China Tianlong Heavy Industries Group Corporation"),
        ("CHINA TIANLONG HVY INDS GRP CORP", "China Tianlong Heavy Industries Group Corporation"),
        (
            "Tianlong Heavy Industries China Group",
            "China Tianlong Heavy Industries Group Corporation",
        ),
        (
            "China Tianlomg Heavy Industries Group",
            "China Tianlong Heavy Industries Group Corporation",
        ),
        ("TIAN LONG HEAVY INDUSTRY GROUP", "Tianlong Heavy Industry Group"),
        ("Corporación Ferroviaria Rodante (CRRT)", "CRRT"),
    ],
)
def test_made_up_variants_pass_threshold(query: str, listed: str) -> None:
    assert best(query, listed) >= DEFAULT_THRESHOLD


def test_typo_in_a_short_word_is_not_forgiven_but_in_a_long_one_is() -> None:
    q, c = name_variants("Zeta Solutions")[0], name_variants("Zeta Solutiins")[0]
    assert compare(q, c).matched[1][2] == pytest.approx(1 - 1 / 8)  # "solution": one edit in eight
    q, c = name_variants("Zeta Grup")[0], name_variants("Zota Grup")[0]
    assert compare(q, c).unmatched_query == ["zeta"]


def test_explanation_names_unmatched_distinctive_tokens() -> None:
    q = name_variants("Autel Intelligent Technology")[0]
    c = name_variants("Autel Robotics Co., Ltd.")[0]
    result = compare(q, c)
    assert result.unmatched_list == ["robotic"]
    assert result.score < DEFAULT_THRESHOLD


def test_similarity_exactly_at_the_cut_off_counts() -> None:
    # "nort"/"north" is exactly 0.8: a boundary rapidfuzz's own score_cutoff would drop
    q = name_variants("Tianlong Nort Machinery")[0]
    c = name_variants("Tianlong North Machinery")[0]
    assert ("nort", "north", 0.8) in compare(q, c).matched
