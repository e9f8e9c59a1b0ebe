"""Pure data types shared by every stage; no I/O, and nothing of ours is imported here."""

from redline.model.evidence import (
    AnySectorLedger,
    EvidenceLedger,
    EvidenceMissing,
    Explanation,
    ListingEvidence,
    MatchEvidence,
    OwnershipEvidence,
    ReleaseEvidence,
    SignalEvidence,
    saved_form,
)
from redline.model.finding import (
    SEVERITY_ORDER,
    Finding,
    Recommendation,
    RiskComponent,
    RiskScore,
    RuleMet,
    Severity,
    SignedFinding,
)
from redline.model.strength import STRENGTH_LABEL, STRENGTH_ORDER, Strength

__all__ = [
    "SEVERITY_ORDER",
    "STRENGTH_LABEL",
    "STRENGTH_ORDER",
    "AnySectorLedger",
    "EvidenceLedger",
    "EvidenceMissing",
    "Explanation",
    "Finding",
    "ListingEvidence",
    "MatchEvidence",
    "OwnershipEvidence",
    "Recommendation",
    "ReleaseEvidence",
    "RiskComponent",
    "RiskScore",
    "RuleMet",
    "Severity",
    "SignalEvidence",
    "SignedFinding",
    "Strength",
    "saved_form",
]
