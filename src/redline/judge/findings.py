"""Judge one rule: one supplier on one award, through one listed entity — with evidence.

Reach for :func:`evaluate` with everything already read from the store, as a :class:`Case`
(the candidate, the matcher's hit, one ownership path and its listings, the award's classifier
signals) and the screening's :class:`Context` (as-of date, sectors, alternatives); it
returns a :class:`~redline.model.Finding` headed by that rule when the rule is met, else
``None``. It does no I/O, so golden tests can feed it hand-made records. Several rules met by
the same supplier share the finding id and are merged by
:func:`redline.judge.consolidate.consolidate`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from redline.judge.alternatives import Guarded
from redline.judge.dates import AwardDays, judged_dates, signature_fields, when_words
from redline.judge.evidence import in_force
from redline.judge.matching import NameHit
from redline.judge.policy import Rule
from redline.judge.redflags import RecordFlags
from redline.judge.risk import RiskInputs, score
from redline.judge.strength import cap, listing_strength
from redline.judge.vocab import Sector
from redline.model import (
    AnySectorLedger,
    EvidenceLedger,
    Finding,
    ListingEvidence,
    MatchEvidence,
    ReleaseEvidence,
    RiskScore,
    SignalEvidence,
    SignedFinding,
)
from redline.resolve.ownership import OwnershipPath

#: the sector of a finding of a ``sectors: [any]`` rule on an award no class signalled
UNCLASSIFIED = Sector("unclassified", "goods or services of any sector", 3, (), ())


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
    #: the contract's signature (OCDS ``dateSigned``, the earliest of the award's contracts)
    signed_date: date | None = None
    #: False when the award has no date of its own (``award_date`` is then its contract's
    #: signature or its tender's): a finding then names the signature, not an award date
    award_dated: bool = True

    @property
    def key(self) -> str:
        return self.party_id or self.name

    @property
    def days(self) -> AwardDays:
        return AwardDays(self.award_date, self.signed_date, self.award_dated)


def finding_id(candidate: Candidate, member: str | None = None) -> str:
    """Stable across re-runs and rule changes: the same award and supplier, the same id.

    ``member`` is the consortium member a match names: each member of a joint bid is its own
    finding. The rule and the listed entity are not part of the id, so a new listing or rule
    that changes the headline updates the finding in place.
    """
    parts = (candidate.ocid, candidate.award_id or "", candidate.key, *([member] if member else []))
    return "rf-" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:20]


def ownership_ok(rule: Rule, path: OwnershipPath) -> bool:
    """Whether ``rule`` counts a supplier reaching its listed entity by ``path``."""
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


@dataclass(frozen=True)
class Case:
    """One supplier reaching one listed entity, with what the store holds about both ends: the
    matcher's hit on the candidate, the captions of the matched and the listed entity, one
    ownership path between them, the listed entity's listings and the award's signals by
    sector class. Every rule of a policy set is judged on the same case."""

    candidate: Candidate
    hit: NameHit
    matched_caption: str
    listed_caption: str
    path: OwnershipPath
    listings: Sequence[ListingEvidence]
    signals: Mapping[str, Sequence[SignalEvidence]]
    #: the award's procurement red flags, read once per screen; None: not read (not computed)
    procurement: RecordFlags | None = None


@dataclass(frozen=True)
class Context:
    """What every case of one screening is judged against: the as-of date, the sector
    vocabulary and the guarded alternatives (None: recommend none)."""

    as_of: date
    sectors: Mapping[str, Sector]
    guarded: Guarded | None = None


@dataclass(frozen=True)
class Listed:
    """The rule's listings of the listed entity, by when they are in force."""

    now: list[ListingEvidence]  # on the as-of date
    at_award: list[ListingEvidence]  # on the award's date
    upcoming: list[ListingEvidence]  # from a later date, and in force on neither day
    #: on the contract's signature date; None when the rule does not judge it or it is unknown
    at_signature: list[ListingEvidence] | None = None

    @property
    def cited(self) -> tuple[ListingEvidence, ...]:
        signed = self.at_signature or []
        return tuple(dict.fromkeys([*self.now, *self.at_award, *signed, *self.upcoming]))

    @property
    def only_upcoming(self) -> bool:
        return bool(self.upcoming) and not (self.now or self.at_award)


def listed_for(rule: Rule, case: Case, as_of: date) -> Listed | None:
    """The listings the rule counts, or None when none is in force on any day the rule judges
    (``in_force``: the as-of date, the award's, the signature's, or upcoming)."""
    relevant = [lst for lst in case.listings if lst.list_code in rule.listing.lists]
    cand, days = case.candidate, rule.listing.in_force
    now = [lst for lst in relevant if in_force(lst, as_of)]
    award_day = cand.award_date
    at_award = [lst for lst in relevant if award_day and in_force(lst, award_day)]
    signed_day = cand.signed_date if "signature" in days else None
    at_signature = None
    if signed_day is not None:
        at_signature = [lst for lst in relevant if in_force(lst, signed_day)]
    # listed from a later date (e.g. a procurement ban with a statutory start): a fact to watch
    upcoming = [
        lst for lst in relevant
        if lst.start_date and lst.start_date > as_of and not (now or at_award)
    ]  # fmt: skip
    found = {
        "as_of": bool(now),
        "award": bool(at_award),
        "signature": bool(at_signature),
        "upcoming": bool(upcoming),
    }
    met = any(found[day] for day in days)
    return Listed(now, at_award, upcoming, at_signature) if met else None


def risk_of(
    case: Case,
    listed: Listed,
    codes: tuple[str, ...],
    sector: tuple[str, Sector],
    as_of: date,
) -> RiskScore:
    cited, path, cand = listed.cited, case.path, case.candidate
    class_id, entry = sector
    return score(
        RiskInputs(
            list_codes=codes,
            listing_refs=tuple(f"listing:{lst.listing_id}" for lst in cited),
            depth=path.depth,
            share=path.share,
            edge_refs=tuple(f"edge:{e.edge_id}" for e in path.edges),
            class_id=class_id,
            tier=entry.tier,
            exposes=entry.exposes,
            amount=cand.amount,
            currency=cand.currency,
            award_date=cand.award_date,
            as_of=as_of,
            release_ref=f"release:{cand.release.ocid}/{cand.release.release_id}",
            strength=cand.release.strength,
            upcoming=listed.only_upcoming,
            procurement=case.procurement,
        )
    )


def _sentence(
    rule: Rule, case: Case, listed: Listed, codes: tuple[str, ...], sector: Sector
) -> str:
    cand = case.candidate
    days = judged_dates(cand.days, listed.at_award, listed.at_signature)
    return rule.sentence.format(
        vendor=cand.name,
        listed=case.listed_caption,
        lists=", ".join(codes),
        path=describe_path(case.path),
        sector=sector.title,
        buyer=cand.buyer_name or "the buyer",
        ocid=cand.ocid,
        # a tenderer with no award did not supply anything: the sentence must not say it did
        award=f"award {cand.award_id}" if cand.award_id else "no award to it",
        supplies="supplies" if cand.award_id else "bid to supply",
        when=when_words(days, "en"),
        starts=min((str(lst.start_date) for lst in listed.upcoming), default="-"),
        rule=rule.title,
    )


def _notes(rule: Rule, case: Case, listed: Listed, capped: str | None) -> tuple[str, ...]:
    notes = [capped] if capped else []
    if not listed.now:
        notes.append(f"not listed on {', '.join(rule.listing.lists)} at the as-of date")
    if case.candidate.award_date is None:
        notes.append("the award has no date: 'listed at award' is unknown")
    return tuple(notes)


def _sector_of(rule: Rule, case: Case, sectors: Mapping[str, Sector]) -> tuple[str, Sector] | None:
    """The rule's sector class the award has signals for, the most sensitive (lowest tier)
    first, with its vocabulary entry; None when it has none. A class the vocabulary does not
    know reads as tier 3."""
    classes = [c for c in rule.sectors if case.signals.get(c)]
    if rule.any_sector:  # every award: its most sensitive class, else no class at all
        classes = [c for c, found in case.signals.items() if found]
        if not classes:
            return UNCLASSIFIED.id, UNCLASSIFIED
    if not classes:
        return None
    class_id = min(classes, key=lambda c: (sectors[c].tier if c in sectors else 3, c))
    return class_id, sectors.get(class_id) or Sector(class_id, class_id, 3, (), ())


def match_evidence(case: Case) -> MatchEvidence:
    """The name match a finding on ``case`` rests on."""
    hit = case.hit
    return MatchEvidence(
        case.candidate.name, hit.matched_id, case.matched_caption, hit.score, hit.explanation
    )


def award_fields(
    rule: Rule, case: Case, listed: Listed, codes: tuple[str, ...], as_of: date
) -> dict[str, Any]:
    """The fields every finding on ``case`` shares, whatever it concludes: who, which award,
    which listed entity, the rule's basis, the strengths of the record and the listings."""
    cand, path, release = case.candidate, case.path, case.candidate.release
    return {
        "finding_id": finding_id(cand, case.hit.member),
        "basis": "; ".join(f"{b.instrument} ({b.citation})" for b in rule.basis),
        "basis_url": rule.basis[0].url,
        "supplier_name": cand.name,
        "supplier_party_id": cand.party_id,
        "ocid": cand.ocid,
        "award_id": cand.award_id,
        "award_date": cand.award_date,
        "amount": cand.amount,
        "currency": cand.currency,
        "buyer_name": cand.buyer_name,
        "listed_entity_id": path.listed_id,
        "listed_caption": case.listed_caption,
        "list_codes": codes,
        "listed_at_award": None if cand.award_date is None else bool(listed.at_award),
        "listed_now": bool(listed.now),
        "as_of": as_of,
        "consortium_member": case.hit.member,
        "evidence_strength": release.strength,
        "strength_basis": release.strength_basis,
        "listing_strength": listing_strength(listed.cited),
    }


def evaluate(rule: Rule, case: Case, context: Context) -> Finding | None:
    """The finding if ``rule`` is met by the case's supplier through its path; else None."""
    cand, path, as_of = case.candidate, case.path, context.as_of
    if not rule.effective.applies(as_of, cand.award_date):
        return None
    found = _sector_of(rule, case, context.sectors)
    if found is None or not ownership_ok(rule, path):
        return None
    class_id, sector = found
    listed = listed_for(rule, case, as_of)
    if listed is None:
        return None
    cited = listed.cited
    ledger = (AnySectorLedger if rule.any_sector else EvidenceLedger)(
        release=cand.release,
        match=match_evidence(case),
        listings=cited,
        signals=tuple(case.signals.get(class_id, ())),
        ownership=path.edges,
    )
    codes = tuple(sorted({lst.list_code for lst in cited}))
    guarded = context.guarded
    recs, excluded = guarded.for_sector(class_id) if guarded else ((), ())
    release = cand.release
    severity, capped = cap(rule.severity, release.strength, release.strength_basis, cand.buyer_name)
    # the signature's facts only on a finding whose rule judged it: every other keeps its JSON
    signed = signature_fields(cand.days, listed.at_signature)
    return (SignedFinding if signed else Finding)(
        **award_fields(rule, case, listed, codes, as_of),
        **signed,
        rule_id=rule.id,
        severity=severity,
        sentence=_sentence(rule, case, listed, codes, sector),
        class_id=class_id,
        risk=risk_of(case, listed, codes, (class_id, sector), as_of),
        evidence=ledger,
        alternatives=recs,
        excluded_alternatives=excluded,
        guard_rails=sector.guard_rails,
        notes=_notes(rule, case, listed, capped),
        capped_from=rule.severity if capped else None,
    )
