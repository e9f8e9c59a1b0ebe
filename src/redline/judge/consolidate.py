"""One finding per supplier on an award: the most severe rule heads it, the rest ride along.

Reach for :func:`consolidate` with every rule a supplier meets on one award (each a
:class:`~redline.model.Finding` from :func:`~redline.judge.findings.evaluate`, all with the same
``finding_id``). Example: Huawei on a Red Compartida award meets the s.889 breach, the s.1260H
"high" rule and the Entity List "high" rule, and reaches Huawei's listed parent through
ownership; an analyst gets one breach whose ``also_meets`` lists the other rules.

Order, best first: severity; then risk; then the fit of the listed entity to the supplier —
the higher name score, a country that agrees with the record, more listings (a PRC parent and a
same-named foreign affiliate often both match one supplier name); then rule and entity ids, so
the choice never depends on input order. Watch rules are fallbacks: when a stronger rule is met,
the supplier's watch matches are dropped, not listed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from redline.judge.findings import describe_path
from redline.model import SEVERITY_ORDER, Finding, RuleMet
from redline.resolve.ownership import OwnershipPath


@dataclass(frozen=True)
class Fit:
    """How well the listed entity behind one rule fits the supplier (breaks ties)."""

    score: float  # the matcher's name score
    country_agrees: bool  # the matched entity's country is the supplier's country on record
    listings: int  # listing rows of the listed entity, any list, any date


Met = tuple[Finding, Fit]


def rank(met: Met) -> tuple[int, int, float, float, bool, int, str, str]:
    """Sort key of one rule met, best first. Of rules the evidence capped to the same
    severity, the one whose own severity was higher heads (its cap reason is then shown)."""
    f, fit = met
    return (
        SEVERITY_ORDER[f.severity],
        SEVERITY_ORDER[f.capped_from or f.severity],
        -f.risk.total,
        -fit.score,
        not fit.country_agrees,
        -fit.listings,
        f.rule_id,
        f.listed_entity_id,
    )


def rule_met(f: Finding) -> RuleMet:
    """The part of a one-rule finding that rides along on another headline."""
    ev = f.evidence
    path = OwnershipPath(f.listed_entity_id, ev.ownership)
    return RuleMet(
        rule_id=f.rule_id,
        severity=f.severity,
        sentence=f.sentence,
        basis=f.basis,
        basis_url=f.basis_url,
        listed_entity_id=f.listed_entity_id,
        listed_caption=f.listed_caption,
        list_codes=f.list_codes,
        path=describe_path(path),
        class_id=f.class_id,
        score=f.risk.total,
        listed_at_award=f.listed_at_award,
        listed_now=f.listed_now,
        evidence=ev,
    )


def consolidate(met: Sequence[Met]) -> Finding:
    """The headline finding of one supplier on one award, carrying every other rule met.

    A rule met through the same listed entity by several paths or matches counts once (its
    best). Raises ``ValueError`` on an empty input or on findings of different suppliers.
    """
    if not met:
        raise ValueError("nothing to consolidate")
    if len({f.finding_id for f, _ in met}) > 1:
        raise ValueError("findings of different suppliers or awards")
    best: dict[tuple[str, str], Met] = {}
    for item in sorted(met, key=rank):
        best.setdefault((item[0].rule_id, item[0].listed_entity_id), item)
    ordered = list(best.values())  # in rank order: filled from the sorted input
    headline = ordered[0][0]
    rest = [f for f, _ in ordered[1:]]
    if headline.severity != "watch":
        rest = [f for f in rest if f.severity != "watch"]
    return dataclasses.replace(headline, also_meets=tuple(rule_met(f) for f in rest))


def consolidate_all(met: Sequence[Met]) -> list[Finding]:
    """Group by finding id (award and supplier) and consolidate each group; order kept stable."""
    groups: dict[str, list[Met]] = {}
    for item in met:
        groups.setdefault(item[0].finding_id, []).append(item)
    return [consolidate(group) for group in groups.values()]
