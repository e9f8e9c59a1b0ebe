from __future__ import annotations

from redline.resolve.consortium import members
from redline.resolve.variants import name_variants, segment_han


def _kinds(name: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for v in name_variants(name):
        out.setdefault(v.kind, []).append(v.text)
    return out


def test_han_name_not_in_eval_set_renders_in_english_via_glossary() -> None:
    # a made-up company: the glossary knows the corporate words, the trade name goes to pinyin
    kinds = _kinds("中国天龙重工集团有限公司")
    assert "china tianlong heavy industry group" in kinds["english"]
    assert kinds["pinyin"] == ["zhongguo tianlong zhonggong jituan"]


def test_segmentation_takes_longest_glossary_match_and_keeps_unknown_runs() -> None:
    assert segment_han("深圳市道通智能") == [("深圳市", True), ("道通", False), ("智能", True)]


def test_bracketed_acronym_is_its_own_form_but_a_bracketed_place_is_not() -> None:
    kinds = _kinds("Corporación de Maquinaria Pesada de China (CMPC)")
    assert kinds["acronym"] == ["cmpc"]
    assert "acronym" not in _kinds("Tianlong Lines (México), S.A. de C.V.")


def test_list_names_get_initials() -> None:
    listed = {
        v.text
        for v in name_variants("China Railway Rolling Technology Corporation", listed=True)
        if v.kind == "initials"
    }
    assert listed == {"crrtc", "crrt"}


def test_consortium_members() -> None:
    name = "Alfa Obras, S.A. de C.V. en participación conjunta con Beta Ingeniería, S.A. de C.V."
    assert members(name) == ["Alfa Obras, S.A. de C.V", "Beta Ingeniería, S.A. de C.V"]
    assert members("Propuesta conjunta: Gamma Lines (México) / Transportes Delta") == [
        "Gamma Lines (México)",
        "Transportes Delta",
    ]
    assert members("Tianlong Heavy Industry") == []
