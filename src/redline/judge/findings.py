"""Judge one rule: one supplier on one award, through one listed entity — with evidence.

Reach for :func:`evaluate` with everything already read from the store (the candidate, the
matcher's hit, one ownership path and its listings, the award's classifier signals); it
returns a :class:`~redline.model.Finding` headed by that rule when the rule is met, else
``None``. It does no I/O, so golden tests can feed it hand-made records. Several rules met by
the same supplier share the finding id and are merged by
:func:`redline.judge.consolidate.consolidate`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from redline.judge.alternatives import Guarded
from redline.judge.evidence import in_force
from redline.judge.matching import NameHit
from redline.judge.policy import Rule
from redline.judge.risk import RiskInputs, score
from redline.judge.vocab import Sector
from redline.model import (
    EvidenceLedger,
    Finding,
    ListingEvidence,
    MatchEvidence,
    ReleaseEvidence,
    SignalEvidence,
)
from redline.resolve.ownership import OwnershipPath


@dataclass(frozen=True)
class Candidate:
    """A supplier (or tenderer) on an award, with the record it was read from."""

    ocid: str
    award_id: str | None
    party_id: str | None
    name: str
    identifier: str | None
    award_date: date | None
    amount: float | None
    currency: str | None
    buyer_name: str | None
    release: ReleaseEvidence
    country: str | None = None  # ISO 3166-1 alpha-2, lower case, from the party's address

    @property
    def key(self) -> str:
        return self.party_id or self.name


def finding_id(candidate: Candidate, member: str | None = None) -> str:
    """Stable across re-runs and rule changes: the same award and supplier, the same id.

    ``member`` is the consortium member a match names: each member of a joint bid is its own
    finding. The rule and the listed entity are not part of the id, so a new listing or rule
    that changes the headline updates the finding in place.
    """
    parts = (candidate.ocid, candidate.award_id or "", candidate.key, *([member] if member else []))
    return "rf-" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:20]


def _ownership_ok(rule: Rule, path: OwnershipPath) -> bool:
    cond = rule.listing
    if path.depth == 0:
        return cond.direct
    if not cond.via_ownership or path.depth > cond.max_depth:
        return False
    if path.share is None:
        return cond.count_unstated_share
    return path.share * 100 >= cond.min_share


def describe_path(path: OwnershipPath) -> str:
    """How the supplier reaches the listed entity, in words ("listed directly", "owned …")."""
    if not path.edges:
        return "listed directly"
    share = path.share
    how = "owned (percentage not stated) by"
    if share is not None:
        how = f"owned {share * 100:.0f}% (aggregate) by"
    if path.has_control:
        how = "controlled by"
    return f"{how} {path.listed_id} through {path.depth} edge(s)"


def evaluate(
    rule: Rule,
    candidate: Candidate,
    hit: NameHit,
    matched_caption: str,
    listed_caption: str,
    path: OwnershipPath,
    listings: list[ListingEvidence],
    signals: dict[str, list[SignalEvidence]],
    sectors: dict[str, Sector],
    as_of: date,
    guarded: Guarded | None = None,
) -> Finding | None:
    """The finding if ``rule`` is met by this supplier through ``path``; else None."""
    if not rule.effective.applies(as_of, candidate.award_date):
        return None
    classes = [c for c in rule.sectors if signals.get(c)]
    if not classes or not _ownership_ok(rule, path):
        return None
    relevant = [lst for lst in listings if lst.list_code in rule.listing.lists]
    now = [lst for lst in relevant if in_force(lst, as_of)]
    award_day = candidate.award_date
    at_award = [lst for lst in relevant if award_day and in_force(lst, award_day)]
    # listed from a later date (e.g. a procurement ban with a statutory start): a fact to watch
    upcoming = [
        lst for lst in relevant
        if lst.start_date and lst.start_date > as_of and not (now or at_award)
    ]  # fmt: skip
    wanted = {
        "as_of": bool(now),
        "award": bool(at_award),
        "either": bool(now or at_award),
        "upcoming": bool(upcoming),
    }
    if not wanted[rule.listing.in_force]:
        return None
    cited = tuple(dict.fromkeys([*now, *at_award, *upcoming]))
    class_id = min(classes, key=lambda c: (sectors[c].tier if c in sectors else 3, c))
    sector = sectors.get(class_id) or Sector(class_id, class_id, 3, (), ())
    ledger = EvidenceLedger(
        release=candidate.release,
        match=MatchEvidence(
            candidate.name, hit.matched_id, matched_caption, hit.score, hit.explanation
        ),
        listings=cited,
        signals=tuple(signals[class_id]),
        ownership=path.edges,
    )
    codes = tuple(sorted({lst.list_code for lst in cited}))
    risk = score(
        RiskInputs(
            list_codes=codes,
            listing_refs=tuple(f"listing:{lst.listing_id}" for lst in cited),
            depth=path.depth,
            share=path.share,
            edge_refs=tuple(f"edge:{e.edge_id}" for e in path.edges),
            class_id=class_id,
            tier=sector.tier,
            exposes=sector.exposes,
            amount=candidate.amount,
            currency=candidate.currency,
            award_date=candidate.award_date,
            as_of=as_of,
            release_ref=f"release:{candidate.release.ocid}/{candidate.release.release_id}",
            upcoming=bool(upcoming) and not (now or at_award),
        )
    )
    recs, excluded = guarded.for_sector(class_id) if guarded else ((), ())
    sentence = rule.sentence.format(
        vendor=candidate.name,
        listed=listed_caption,
        lists=", ".join(codes),
        path=describe_path(path),
        sector=sector.title,
        buyer=candidate.buyer_name or "the buyer",
        ocid=candidate.ocid,
        # a tenderer with no award did not supply anything: the sentence must not say it did
        award=f"award {candidate.award_id}" if candidate.award_id else "no award to it",
        supplies="supplies" if candidate.award_id else "bid to supply",
        starts=min((str(lst.start_date) for lst in upcoming), default="-"),
        rule=rule.title,
    )
    notes = []
    if not now:
        notes.append(f"not listed on {', '.join(rule.listing.lists)} at the as-of date")
    if award_day is None:
        notes.append("the award has no date: 'listed at award' is unknown")
    return Finding(
        finding_id=finding_id(candidate, hit.member),
        rule_id=rule.id,
        severity=rule.severity,
        sentence=sentence,
        basis="; ".join(f"{b.instrument} ({b.citation})" for b in rule.basis),
        basis_url=rule.basis[0].url,
        supplier_name=candidate.name,
        supplier_party_id=candidate.party_id,
        ocid=candidate.ocid,
        award_id=candidate.award_id,
        award_date=award_day,
        amount=candidate.amount,
        currency=candidate.currency,
        buyer_name=candidate.buyer_name,
        class_id=class_id,
        listed_entity_id=path.listed_id,
        listed_caption=listed_caption,
        list_codes=codes,
        listed_at_award=None if award_day is None else bool(at_award),
        listed_now=bool(now),
        as_of=as_of,
        risk=risk,
        evidence=ledger,
        alternatives=recs,
        excluded_alternatives=excluded,
        guard_rails=sector.guard_rails,
        notes=tuple(notes),
        consortium_member=hit.member,
    )
