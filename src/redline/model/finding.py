"""Findings: a policy rule met by one supplier on one award, with its score and evidence.

Reach for :class:`Finding` when you render, export or store a screening result. Example:
"rule ndaa-889-telecom-video (breach): 'Synthetic Cam SA' on ocds-x-1/award 1 is listed on
us-ndaa-889, in class video_surveillance; risk 78 = 30 listing + 20 ownership + …".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from redline.model.evidence import EvidenceLedger
from redline.model.strength import Strength

#: "review": no rule could be judged, but a person must look (a listed vendor whose contract's
#: sector could not be decided; a possible affiliate in a sector a rule covers)
Severity = Literal["breach", "high", "watch", "review"]
SEVERITY_ORDER: dict[str, int] = {"breach": 0, "high": 1, "watch": 2, "review": 3}


@dataclass(frozen=True)
class RiskComponent:
    """One visible addend of a risk score: points, the formula and the inputs it used.

    ``evidence`` names the ledger parts the inputs came from (e.g. ``"listing:<id>"``) so a
    reader can recompute ``points`` from ``formula`` and ``inputs`` alone.
    """

    name: str
    points: float
    max_points: float
    formula: str
    inputs: dict[str, str | float | int | None]
    evidence: tuple[str, ...] = ()
    #: False when the record lacks the fields the component reads: its 0 means "unknown",
    #: not "clean" (procurement red flags on a source that publishes no procedure details)
    computed: bool = True

    def __post_init__(self) -> None:
        if not self.computed and self.points:
            raise ValueError(f"{self.name}: not computed yet {self.points} points")
        if not 0 <= self.points <= self.max_points:
            raise ValueError(f"{self.name}: {self.points} outside 0..{self.max_points}")


@dataclass(frozen=True)
class RiskScore:
    """The sum of its components, 0–100; nothing hidden. ``strength`` is the strength of the
    evidence that the supplier got the contract: a score of 88 on a vendor's own statement is
    not a score of 88 on an official award, and findings are ordered by strength first."""

    components: tuple[RiskComponent, ...]
    strength: Strength

    def __post_init__(self) -> None:
        if sum(c.max_points for c in self.components) > 100:
            raise ValueError("risk components can add up to more than 100")

    @property
    def total(self) -> float:
        return round(sum(c.points for c in self.components), 1)


@dataclass(frozen=True)
class Recommendation:
    """A trusted alternative offered with a finding (vendor or financing instrument)."""

    capability: str
    name: str
    country: str
    url: str
    kind: Literal["vendor", "financing"] = "vendor"


@dataclass(frozen=True)
class RuleMet:
    """Another rule the supplier of a finding meets, or the same rule through another entity.

    A finding's headline is its most severe rule; every other rule met by the same supplier on
    the same award, and every other listed entity reached, is one of these, with the evidence
    it rests on. Example: Huawei on a Red Compartida award is an s.889 breach (headline) and
    also meets ``dod-1260h-critical-infrastructure`` (high) through the same listed entity.
    """

    rule_id: str
    severity: Severity
    sentence: str
    basis: str
    basis_url: str
    listed_entity_id: str
    listed_caption: str
    list_codes: tuple[str, ...]
    path: str  # "listed directly", "owned 100% (aggregate) by X through 1 edge(s)", …
    class_id: str
    score: float  # the risk total this rule alone would give
    listed_at_award: bool | None
    listed_now: bool
    evidence: EvidenceLedger


@dataclass(frozen=True)
class Finding:
    """One supplier on one award, headed by the most severe rule it meets.

    Both time facts are kept apart: listed at the award date, listed now. ``also_meets`` holds
    every other rule met and every other listed entity reached, most severe first.
    ``evidence_strength`` says what kind of source establishes the award (equal to
    ``risk.strength``); a press report or a vendor's claim caps the severity at "watch", and a
    breach needs a named buyer (``capped_from`` keeps the rule's own severity).
    """

    finding_id: str
    rule_id: str
    severity: Severity
    sentence: str
    basis: str
    basis_url: str
    supplier_name: str
    supplier_party_id: str | None
    ocid: str
    award_id: str | None
    award_date: date | None
    amount: float | None
    currency: str | None
    buyer_name: str | None
    class_id: str
    listed_entity_id: str
    listed_caption: str
    list_codes: tuple[str, ...]
    listed_at_award: bool | None  # None when the award has no date
    listed_now: bool
    as_of: date
    risk: RiskScore
    evidence: EvidenceLedger
    alternatives: tuple[Recommendation, ...] = ()
    excluded_alternatives: tuple[str, ...] = ()  # "Vendor X: listed on …" notes
    guard_rails: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())
    also_meets: tuple[RuleMet, ...] = ()
    consortium_member: str | None = None  # the member of a joint bid the match names
    #: how firmly the record establishes that this supplier got this contract, and why
    evidence_strength: Strength = "official_record"
    strength_basis: str = ""
    #: the strongest of the cited listings' own strengths, shown beside it
    listing_strength: Strength = "official_list"
    #: the rule's own severity when the evidence capped it (the reason is in ``notes``)
    capped_from: Severity | None = None


@dataclass(frozen=True)
class SignedFinding(Finding):
    """A finding whose rule judges the contract's signature date beside the award date
    (``in_force: [award, signature]``) on a contract that has one: the signature date and
    whether a counted listing was in force on it. Only such findings carry the two fields, so
    every other finding keeps its JSON and its content hash."""

    signed_date: date | None = None
    listed_at_signature: bool | None = None
    #: False when the award has no date of its own: its ``award_date`` is then the
    #: signature's, and the sentence names the signature alone
    award_dated: bool = True
