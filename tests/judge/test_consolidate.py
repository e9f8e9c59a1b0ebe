"""One finding per supplier on an award: headline, ``also_meets``, entity preference, re-runs.

The records are SYNTHETIC (see judge_helpers); "Synthetic Twin Electronics Co., Ltd." is an
invented parent (cn, Entity List + MEU) with an invented same-named affiliate (mx, Entity List).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import orjson
import pytest
from judge_helpers import add_award, exact_matcher

from redline.judge.candidates import read_candidates
from redline.judge.export import write_findings
from redline.judge.findings import Candidate, finding_id
from redline.judge.matching import NameHit, NameQuery
from redline.judge.policy import PolicySet, load_policies
from redline.judge.vocab import list_codes, sectors
from redline.model import Finding
from redline.services.screen import judge_store, screen_store
from redline.store.db import Store

AS_OF = date(2026, 7, 1)
TWIN = "Synthetic Twin Electronics Co., Ltd."
BORDER = [("border_inspection", "code", "UNSPSC 46171604")]


@pytest.fixture(scope="module")
def policies() -> PolicySet:
    return load_policies(known_sectors=set(sectors()), known_lists=list_codes())


def run(store: Store, policies: PolicySet, matcher: object = exact_matcher) -> list[Finding]:
    findings, _, _ = judge_store(
        store,
        policies,
        as_of=AS_OF,
        matcher=matcher,  # type: ignore[arg-type]  # the test matchers share the Matcher shape
        guarded=None,
    )
    return findings


def test_one_finding_carries_every_other_rule_with_its_evidence(
    store: Store, policies: PolicySet
) -> None:
    add_award(store, "ocds-syn-5", "Synthetic Telecom Holdings",
              signals=[("telecom_core", "keyword", "nucleo de red")])  # fmt: skip
    (finding,) = run(store, policies)
    # two breaches tie on severity and risk: the rule id decides, never the input order
    assert finding.rule_id == "designated-vendor-border-telecom-core"
    assert finding.severity == "breach"
    (other,) = finding.also_meets  # the watch rule is dropped under a stronger one
    assert (other.rule_id, other.severity, other.listed_entity_id, other.list_codes) == (
        "ndaa-fy24-805-1260h-contracting", "breach", "syn-tel-hold", ("us-dod-1260h",)
    )  # fmt: skip
    assert other.path == "listed directly"
    assert other.basis_url.startswith("https://")
    assert "Synthetic Telecom Holdings" in other.sentence
    assert [x.listing_id for x in other.evidence.listings] == ["syn-san-telhold"]
    # the id names the award and the supplier, not the rule: a new headline keeps it
    assert finding.finding_id == finding_id(_candidate(store, "ocds-syn-5"))


def _candidate(store: Store, ocid: str) -> Candidate:
    return next(c for c in read_candidates(store) if c.ocid == ocid)


def test_watch_only_supplier_keeps_its_watch(store: Store, policies: PolicySet) -> None:
    add_award(store, "ocds-syn-3", "Escaneres Sinteticos SA", signals=BORDER)
    (finding,) = run(store, policies)
    assert (finding.rule_id, finding.also_meets) == ("listed-vendor-watch", ())


def test_same_named_parent_and_affiliate_more_listings_first(
    store: Store, policies: PolicySet
) -> None:
    add_award(store, "ocds-syn-20", TWIN, signals=BORDER)
    (finding,) = run(store, policies)
    assert finding.listed_entity_id == "syn-twin"  # same score, no country: 2 listings beat 1
    (other,) = finding.also_meets
    assert (other.rule_id, other.listed_entity_id) == (finding.rule_id, "syn-twin-mx")
    assert other.score == finding.risk.total  # a true tie on risk: the fit decided


def test_same_named_affiliate_in_the_records_country_first(
    store: Store, policies: PolicySet
) -> None:
    add_award(store, "ocds-syn-21", TWIN, signals=BORDER, country="México")
    (finding,) = run(store, policies)
    assert finding.listed_entity_id == "syn-twin-mx"
    assert [m.listed_entity_id for m in finding.also_meets] == ["syn-twin"]


def test_higher_name_score_first(store: Store, policies: PolicySet) -> None:
    def fuzzy(st: Store, queries: Sequence[NameQuery], as_of: date) -> list[NameHit]:
        return [  # the parent met less well than the affiliate
            NameHit(h.query_id, h.matched_id, h.entity_id, 0.9, h.explanation)
            if h.matched_id == "syn-twin"
            else h
            for h in exact_matcher(st, queries, as_of)
        ]

    add_award(store, "ocds-syn-20", TWIN, signals=BORDER)
    (finding,) = run(store, policies, fuzzy)
    assert finding.listed_entity_id == "syn-twin-mx"
    assert finding.also_meets[0].evidence.match.score == 0.9


def test_consortium_member_is_its_own_finding(store: Store, policies: PolicySet) -> None:
    joint = f"{TWIN} / Proveedora Sintetica Local SA"

    def members(st: Store, queries: Sequence[NameQuery], as_of: date) -> list[NameHit]:
        asked = [NameQuery(q.id, TWIN) for q in queries if q.name == joint]
        return [
            NameHit(h.query_id, h.matched_id, h.entity_id, 1.0, h.explanation, member=TWIN)
            for h in exact_matcher(st, asked, as_of)
        ]

    add_award(store, "ocds-syn-22", joint, signals=BORDER)
    (finding,) = run(store, policies, members)
    assert (finding.supplier_name, finding.consortium_member) == (joint, TWIN)
    candidate = _candidate(store, "ocds-syn-22")
    assert finding.finding_id == finding_id(candidate, TWIN) != finding_id(candidate)


def test_a_new_listing_changes_the_headline_in_place(store: Store) -> None:
    add_award(store, "ocds-syn-3", "Escaneres Sinteticos SA", signals=BORDER)
    first = screen_store(store, as_of=AS_OF, matcher=exact_matcher, classify=False)
    assert [f.rule_id for f in first.findings] == ["listed-vendor-watch"]
    seen = store.conn.execute("SELECT finding_id, first_seen_at::VARCHAR FROM findings").fetchall()
    store.conn.execute(  # SYNTHETIC: the 30%-owned affiliate is now listed itself
        "INSERT INTO listings (listing_id, entity_id, list_code, list_name, start_date,"
        " source_url, dataset, ftm) VALUES ('syn-san-scan-mx', 'syn-scan-mx',"
        " 'us-bis-entity-list', 'Entity List', DATE '2026-01-15',"
        " 'https://example.org/synthetic/scan-mx', 'synthetic', '{}')"
    )
    second = screen_store(store, as_of=AS_OF, matcher=exact_matcher, classify=False)
    assert second.saved is not None and second.saved.__dict__ == {
        "added": 0, "updated": 1, "unchanged": 0, "removed": 0
    }  # fmt: skip
    (finding,) = second.findings
    assert (finding.rule_id, finding.also_meets) == ("designated-vendor-border-telecom-core", ())
    assert (
        store.conn.execute(
            "SELECT finding_id, first_seen_at::VARCHAR FROM findings WHERE rule_id = ?",
            [finding.rule_id],
        ).fetchall()
        == seen
    )


def test_ledger_rows_cite_the_also_meets_records_once(store: Store, tmp_path: Path) -> None:
    add_award(store, "ocds-syn-20", TWIN, signals=BORDER)
    second = screen_store(store, as_of=AS_OF, matcher=exact_matcher, classify=False)
    rows = store.conn.execute(
        "SELECT kind, ref, detail FROM finding_evidence ORDER BY seq"
    ).fetchall()
    extra = [(k, r) for k, r, d in rows if orjson.loads(d).get("for_rule")]
    # the affiliate's match and listing; release and signal are the headline's, cited once
    assert extra == [("match", "syn-twin-mx"), ("listing", "syn-san-twin-mx-el")]
    assert len(rows) == len(set((k, r) for k, r, _ in rows))
    (data,) = store.conn.execute("SELECT data FROM findings").fetchone() or ()
    also = orjson.loads(data)["also_meets"]
    out = tmp_path / "f.csv"
    write_findings(second.findings, out)
    (row,) = csv.DictReader(out.read_text().splitlines())
    assert row["also_meets"] == "breach designated-vendor-border-telecom-core via syn-twin-mx"
    assert [(a["rule_id"], a["listed_entity_id"]) for a in also] == [
        ("designated-vendor-border-telecom-core", "syn-twin-mx")
    ]
