""" "Review" findings: a listed vendor no rule could judge is not passed in silence.

Reach for :func:`undecided` when a supplier reaches a listed entity but its award has no
sector signal at all, and for :func:`possible_affiliate` when the matcher only offers a
name-stem affiliate (strong name evidence below the match threshold) of a listed entity in a
sector a rule covers. Each returns a :class:`~redline.model.Finding` of severity "review" that
says what could not be decided, or ``None``. Examples from the demo: Huawei on the events
table's ``MX-003`` (financing of the Red Compartida: no sector decided) and "CRRC Zhuzhou
Locomotive" on CDMX Metro Line 1 (``MX-010``: a CRRC name, no ownership edge loaded).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from redline.judge.findings import (
    Case,
    Context,
    Listed,
    award_fields,
    describe_path,
    evaluate,
    listed_for,
    match_evidence,
    ownership_ok,
    risk_of,
)
from redline.judge.policy import Rule
from redline.judge.risk import as_unproven_affiliate
from redline.judge.vocab import Sector
from redline.model import SEVERITY_ORDER, EvidenceLedger, Finding

UNDECIDED_RULE = "review-sector-undecided"
AFFILIATE_RULE = "review-possible-affiliate"
#: the class a finding names when no class could be decided; its risk reads it as tier 3
UNDECIDED = Sector("undecided", "sector not decided", 3, (), ())
#: the score from which a name-stem affiliate is strong name evidence: the matcher's score of
#: a stem alone (a distinctive word the listed entity goes by, docs/matching.md); a stem with
#: a penalty (e.g. the countries differ) scores less and stays a line of the demo's summary
AFFILIATE_REVIEW_MIN = 0.75


def _reached(rules: Sequence[Rule], case: Case, context: Context) -> tuple[Rule, Listed] | None:
    """The most severe rule that counts the case's listing and path on the day it asks,
    sectors aside, with its listings; None when no rule does."""
    found = []
    for rule in rules:
        if not rule.effective.applies(context.as_of, case.candidate.award_date):
            continue
        listed = listed_for(rule, case, context.as_of) if ownership_ok(rule, case.path) else None
        if listed is not None:
            found.append((rule, listed))
    return min(found, key=lambda x: (SEVERITY_ORDER[x[0].severity], x[0].id), default=None)


def undecided(rules: Sequence[Rule], case: Case, context: Context) -> Finding | None:
    """A review finding when the case's award has no sector signal and some rule counts its
    listing and path: the rule might apply, and nobody can tell from the record."""
    if any(case.signals.values()):
        return None
    reached = _reached(rules, case, context)
    if reached is None:
        return None
    rule, listed = reached
    cand, path = case.candidate, case.path
    cited = listed.cited
    codes = tuple(sorted({lst.list_code for lst in cited}))
    sentence = (
        f"{cand.name} ({describe_path(path)}: {case.listed_caption}, on {', '.join(codes)}) "
        f"is on {cand.ocid} ({'award ' + cand.award_id if cand.award_id else 'no award'}), "
        "but the sector of this contract could not be decided from its record: review it. "
        f"If it is one of {', '.join(rule.sectors)}, rule {rule.id} ({rule.severity}) applies."
    )
    return Finding(
        **award_fields(rule, case, listed, codes, context.as_of),
        rule_id=UNDECIDED_RULE,
        severity="review",
        sentence=sentence,
        class_id=UNDECIDED.id,
        risk=risk_of(case, listed, codes, (UNDECIDED.id, UNDECIDED), context.as_of),
        evidence=EvidenceLedger(
            release=cand.release,
            match=match_evidence(case),
            listings=cited,
            signals=(),
            ownership=path.edges,
            sector_undecided=True,
        ),
        notes=("no sector signal on this award (codes, keywords or the text model): the "
               "classifier could not decide its sector; scored as the least sensitive tier",),
    )  # fmt: skip


def possible_affiliate(rules: Sequence[Rule], case: Case, context: Context) -> Finding | None:
    """A review finding when a name-stem affiliate with strong name evidence would meet a rule
    if the link were established (the sector is one the rule covers); else None."""
    if case.hit.score < AFFILIATE_REVIEW_MIN:
        return None
    met = [f for rule in rules if (f := evaluate(rule, case, context)) is not None]
    if not met:
        return None
    best = min(met, key=lambda f: (SEVERITY_ORDER[f.capped_from or f.severity], f.rule_id))
    cand, hit = case.candidate, case.hit
    name = hit.explanation.get("name") or {}
    stem = (name.get("list_form") or {}).get("text", "?")
    sentence = (
        f"{cand.name} may be an affiliate of {case.listed_caption} (name stem “{stem}”, score "
        f"{hit.score:.2f}, below the match threshold; no ownership edge or identifier links "
        f"them) on {cand.ocid} in {best.class_id}: review it. If the link is established, rule "
        f"{best.rule_id} ({best.capped_from or best.severity}) applies."
    )
    return dataclasses.replace(
        best,
        rule_id=AFFILIATE_RULE,
        severity="review",
        sentence=sentence,
        risk=as_unproven_affiliate(best.risk),
        notes=(f"possible affiliate by name only: would meet {best.rule_id}", *best.notes),
        capped_from=None,
        also_meets=(),
    )
