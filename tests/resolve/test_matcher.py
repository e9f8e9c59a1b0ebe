from __future__ import annotations

from datetime import date

from redline.resolve.matcher import _Hit, resolve_scores
from redline.resolve.ownership import Reach
from redline.services.match import Query, match_names
from redline.store.db import Store


def test_han_query_meets_english_list_name_through_the_glossary(synthetic: Store) -> None:
    [result] = match_names(synthetic, [Query("q", "中国天龙重工集团有限公司", "cn")])
    assert result.matches[0].entity_id == "syn-tianlong"
    name = result.matches[0].explanation["name"]
    assert name["query_form"]["kind"] == "english"


def test_subsidiary_leads_to_listed_parent_with_aggregate_percentage(synthetic: Store) -> None:
    [result] = match_names(synthetic, [Query("q", "TIANLONG MAQUINARIA DE MEXICO SA DE CV", "mx")])
    top = result.matches[0]
    assert top.entity_id == "syn-tianlong"
    assert top.matched_id == "syn-tianlong-mx"
    assert top.path == ["syn-tianlong-mx", "syn-tianlong-hold", "syn-tianlong"]
    ownership = top.explanation["ownership"]
    assert ownership["aggregate_percentage"] == 60.0  # 80% of 75%
    assert ownership["wording"] == "owned ≥ 50% (aggregate) by"
    assert [e["percentage"] for e in ownership["edges"]] == [80.0, 75.0]


def test_depth_limit_stops_the_walk(synthetic: Store) -> None:
    [result] = match_names(synthetic, [Query("q", "Tianlong Maquinaria de México")], max_depth=1)
    assert result.matches == []


def test_lapsed_listing_is_shown_as_not_in_force_not_as_a_hit(synthetic: Store) -> None:
    q = [Query("q", "QINGYUN HARBOR ENGINEERING CO LTD")]
    [now] = match_names(synthetic, q, as_of=date(2024, 1, 1))
    assert now.matches == []
    assert now.not_in_force[0].entity_id == "syn-lapsed"
    assert now.not_in_force[0].listings[0]["in_force"] is False
    [then] = match_names(synthetic, q, as_of=date(2021, 1, 1))
    assert then.matches[0].entity_id == "syn-lapsed"


def test_listing_not_yet_started_is_not_a_hit(synthetic: Store) -> None:
    [result] = match_names(
        synthetic, [Query("q", "China Tianlong Heavy Industry Group")], as_of=date(2019, 6, 1)
    )
    assert result.matches == []
    assert result.not_in_force


def test_identifier_matches_exactly_after_validation(synthetic: Store) -> None:
    good, bad = "9111 0000 0000 0000 1H", "91110000000000001J"  # second: wrong check digit
    results = match_names(
        synthetic,
        [
            Query("a", "Unrelated Name SA de CV", identifier=good),
            Query("b", "Unrelated Name", identifier=bad),
        ],
    )
    assert results[0].matches[0].entity_id == "syn-huaxin"
    assert results[0].matches[0].explanation["identifiers"] == [
        {"scheme": "cn-uscc", "value": "91110000000000001H"}
    ]
    assert results[1].matches == []


def test_consortium_member_is_named(synthetic: Store) -> None:
    name = (
        "Obras Alfa, S.A. de C.V. en participación conjunta con "
        "China Railway Rolling Technology Corp"
    )
    [result] = match_names(synthetic, [Query("q", name)])
    top = result.matches[0]
    assert top.entity_id == "syn-crrt"
    assert top.explanation["name"]["consortium_member"] is True
    assert top.explanation["name"]["query_name"] == "China Railway Rolling Technology Corp"


def test_results_keep_input_order_and_serialise(synthetic: Store) -> None:
    queries = [Query(str(i), n) for i, n in enumerate(["Nothing Here", "CRRT", "Otra Empresa"])]
    results = match_names(synthetic, queries)
    assert [r.id for r in results] == ["0", "1", "2"]
    assert [bool(r.matches) for r in results] == [False, True, False]
    assert results[1].to_dict()["matches"][0]["entity_id"] == "syn-crrt"


def test_scores_of_another_matcher_resolve_through_the_same_walk(synthetic: Store) -> None:
    # two equal routes from a made-up subsidiary to the listed parent: the walk lists them by
    # owner (t-b first), the matcher shows the one with the lowest edge ids (t-e1, via t-c)
    for edge, child, parent in [
        ("t-e2", "t-a", "t-b"),
        ("t-e3", "t-b", "syn-tianlong"),
        ("t-e1", "t-a", "t-c"),
        ("t-e4", "t-c", "syn-tianlong"),
    ]:
        synthetic.conn.execute(
            "INSERT INTO ownership (edge_id, child_id, parent_id, relation, dataset, ftm) "
            "VALUES (?, ?, ?, 'ownership', 'x', '{}')", [edge, child, parent],
        )  # fmt: skip
    reach = Reach.of(synthetic.conn, ["t-a"], as_of=date(2026, 7, 1), max_depth=3)
    assert [p.entity_ids for p in reach.paths["t-a"]] == [
        ["t-a", "t-b", "syn-tianlong"], ["t-a", "t-c", "syn-tianlong"]
    ]  # fmt: skip
    result = resolve_scores(Query("q", "T A"), {"t-a": 0.9, "t-x": 0.4}, reach, threshold=0.7)
    assert [(m.entity_id, m.path) for m in result.matches] == [
        ("syn-tianlong", ["t-a", "t-c", "syn-tianlong"])
    ]
    assert (
        result.matches[0].explanation["ownership"]["wording"] == "owned by (percentage not stated)"
    )


def test_a_hits_name_evidence_is_made_once_and_only_when_read() -> None:
    made: list[int] = []

    def evidence() -> dict[str, object]:
        made.append(1)
        return {"feature": "fuzzy", "penalties": []}

    hit = _Hit(0.9, evidence, [], feature="fuzzy")
    assert made == [] and hit.feature == "fuzzy"
    hit.feature = "local-affiliate"  # decided before the evidence is read: it is carried over
    assert hit.name is not None and hit.name["feature"] == "local-affiliate"
    assert hit.name is hit.name and made == [1]
