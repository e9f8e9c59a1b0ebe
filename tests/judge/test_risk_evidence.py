"""Risk components add up and can be recomputed; a finding cannot exist without evidence."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date

import pytest

from redline.judge.redflags import FLAG_IDS, RecordFlags, RedFlag
from redline.judge.risk import RiskInputs, score
from redline.model import (
    EvidenceLedger,
    EvidenceMissing,
    Explanation,
    ListingEvidence,
    MatchEvidence,
    OwnershipEvidence,
    ReleaseEvidence,
    RiskComponent,
    SignalEvidence,
    saved_form,
)

RELEASE = ReleaseEvidence("ocds-syn-1", "r1", "Redline synthetic data", "syn.json", "/releases/0")
LISTING = ListingEvidence("l1", "syn-parent", "us-dod-1260h", "1260H", None, date(2021, 6, 3),
                          None, "https://example.org/synthetic", None, None)  # fmt: skip
SIGNAL = SignalEvidence("ports_cranes", "keyword", "grua portico", "item.description", "award",
                        "1", "1")  # fmt: skip
# SYNTHETIC red flags on a made-up record "x"
R003 = RedFlag("x", "R003", None, "tender period of 3 days (< 15) in an open procedure", {})
R018 = RedFlag("x", "R018", None, "one tenderer in a competitive (open) procedure", {})
EDGE = OwnershipEvidence("e1", "syn-child", "syn-parent", "ownership", 60.0, "synthetic", None)


def inputs(**changes: object) -> RiskInputs:
    base = dict(
        list_codes=("us-dod-1260h",), listing_refs=("listing:l1",), depth=2, share=0.6,
        edge_refs=("edge:e1", "edge:e2"), class_id="ports_cranes", tier=2,
        exposes=("cargo manifests", "crane telemetry"), amount=50_000_000.0, currency="MXN",
        award_date=date(2023, 1, 1), as_of=date(2026, 1, 1), release_ref="release:x/r1",
        strength="official_record",
    )  # fmt: skip
    base.update(changes)
    return RiskInputs(**base)  # type: ignore[arg-type]


def test_total_is_the_sum_of_visible_components_and_recomputable() -> None:
    risk = score(inputs())
    parts = {c.name: c.points for c in risk.components}
    assert risk.total == pytest.approx(sum(parts.values()), abs=0.05)
    assert sum(c.max_points for c in risk.components) == 100
    # recompute each from its written formula and inputs: six at 0.9, procurement context 10
    k = 0.9
    assert parts["listing_strength"] == 22.5
    assert parts["ownership"] == pytest.approx(k * 20 * 0.6 * 0.8, abs=0.05)
    assert parts["sector_tier"] == pytest.approx(k * 13)
    assert parts["data_exposure"] == pytest.approx(k * 8)
    usd = 50_000_000 * 0.055
    value = k * 2.5 * math.log10(usd / 10_000)
    assert parts["contract_value"] == pytest.approx(value, abs=0.05)
    years = (date(2026, 1, 1) - date(2023, 1, 1)).days / 365.25
    assert parts["recency"] == pytest.approx(k * 10 * (1 - years / 10), abs=0.05)
    assert all(c.formula and c.inputs for c in risk.components)
    # no record read: the procurement context is "not computed", not a clean 0
    context = risk.components[-1]
    assert (context.name, context.points, context.computed) == ("procurement_red_flags", 0, False)
    assert str(context.inputs["R018"]).startswith("not computed: the record lacks")
    assert {e for c in risk.components for e in c.evidence} >= {"listing:l1", "edge:e1"}


def test_score_moves_the_right_way() -> None:
    base = score(inputs()).total
    assert score(inputs(depth=0, share=None)).total > base  # listed directly
    assert score(inputs(share=None)).total < base  # unstated share counts as 0.5
    assert score(inputs(tier=1)).total > base
    assert score(inputs(currency="XXX")).total < base  # unknown currency: no value points
    assert score(inputs(award_date=date(2010, 1, 1))).total < base
    top = inputs(depth=0, share=None, tier=1, list_codes=("us-ndaa-889",),
                 exposes=("a", "b", "c"), amount=1e12, currency="USD",
                 award_date=date(2026, 1, 1))  # fmt: skip
    assert score(top).total == 90  # the last 10 are the procurement red flags'
    flags = RecordFlags("x", (R003, R018), FLAG_IDS)
    assert score(replace(top, procurement=flags)).total == 100


def test_procurement_context_with_its_evidence_or_not_computed() -> None:
    flagged = score(inputs(procurement=RecordFlags("x", (R018,), FLAG_IDS)))
    part = flagged.components[-1]
    assert (part.points, part.max_points, part.computed) == (5.0, 10, True)
    assert part.evidence == ("redflag:x/R018",)
    assert part.inputs["R018"] == "one tenderer in a competitive (open) procedure"
    assert part.inputs["R003"] == "not raised"
    # computed and clean: 0 points, computed; fields absent: 0 points, not computed
    clean = score(inputs(procurement=RecordFlags("x", (), FLAG_IDS))).components[-1]
    assert (clean.points, clean.computed) == (0, True)
    bare = score(inputs(procurement=RecordFlags("x", (), ()))).components[-1]
    assert (bare.points, bare.computed) == (0, False)
    assert "not computed" in str(bare.inputs["MX-DIRECT"])
    with pytest.raises(ValueError, match="not computed"):
        RiskComponent("x", 1, 10, "f", {}, computed=False)


def test_component_outside_its_range_is_refused() -> None:
    with pytest.raises(ValueError):
        RiskComponent("x", 11, 10, "f", {})


def test_ledger_needs_listing_signal_and_a_connected_path() -> None:
    exact = Explanation({"test_matcher": "exact"})
    match = MatchEvidence("Syn Child SA", "syn-child", "Syn Child", 0.97, exact)
    EvidenceLedger(RELEASE, match, (LISTING,), (SIGNAL,), (EDGE,))  # complete: accepted
    with pytest.raises(EvidenceMissing, match="listing"):
        EvidenceLedger(RELEASE, match, (), (SIGNAL,), (EDGE,))
    with pytest.raises(EvidenceMissing, match="signal"):
        EvidenceLedger(RELEASE, match, (LISTING,), (), (EDGE,))
    with pytest.raises(EvidenceMissing, match="not listed"):
        EvidenceLedger(RELEASE, match, (LISTING,), (SIGNAL,), ())
    other = MatchEvidence("Other SA", "syn-other", "Other", 0.9, exact)
    with pytest.raises(EvidenceMissing, match="start at the matched"):
        EvidenceLedger(RELEASE, other, (LISTING,), (SIGNAL,), (EDGE,))
    no_release = ReleaseEvidence("ocds-syn-1", "", None, "syn.json", "/")
    with pytest.raises(EvidenceMissing, match="release"):
        EvidenceLedger(no_release, match, (LISTING,), (SIGNAL,), (EDGE,))


def test_explanation_stays_a_structure_until_it_is_saved() -> None:
    data = {"score": 0.97, "name": {"query_name": "Grúas SA"}, "since": date(2021, 6, 3)}
    explanation = Explanation(data)
    data["score"] = 0.1  # the matcher's own dict: the evidence keeps its copy
    assert explanation["score"] == 0.97 and explanation["name"]["query_name"] == "Grúas SA"
    with pytest.raises(AttributeError):
        explanation._data = {}  # type: ignore[misc]
    # the text saved and exported findings carry, as the matcher's dict was written before
    want = '{"name": {"query_name": "Grúas SA"}, "score": 0.97, "since": "2021-06-03"}'
    assert explanation.to_json() == want
    assert saved_form(explanation) == want
    with pytest.raises(TypeError):
        saved_form(object())
    match = MatchEvidence("Syn Child SA", "syn-child", "Syn Child", 0.97, explanation)
    copy = MatchEvidence(
        "Syn Child SA", "syn-child", "Syn Child", 0.97, Explanation(dict(explanation))
    )
    assert match == copy and hash(match) == hash(copy)  # as frozen as the ledger holding it
