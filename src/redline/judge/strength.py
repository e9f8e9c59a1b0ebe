"""What the evidence allows a rule to say: severity caps by evidence strength and buyer.

Reach for :func:`cap` when a rule is met, to learn the severity the record can carry. The
rules (issue 14): a "breach" needs a named buyer *and* an award established by an official
record, an official list or a researcher's table; a press report or a vendor's own claim caps
any rule at "watch". Example: the events table's ``MX-018`` (a Huawei executive quoted in
the press, no buyer named) meets the s.889 breach rule, and comes out as "watch" with the
reason "the award rests on a vendor's own statement …" in its notes.
"""

from __future__ import annotations

from collections.abc import Sequence

from redline.judge.vocab import shipped_list_codes
from redline.model import STRENGTH_LABEL, STRENGTH_ORDER, ListingEvidence, Severity, Strength
from redline.model.strength import (
    CATALOGUE_LIST_STRENGTH,
    FIRM_ENOUGH,
    USER_LIST_STRENGTH,
    strongest,
)


def firm(strength: Strength) -> bool:
    """Whether ``strength`` may carry a "breach" or "high" finding."""
    return STRENGTH_ORDER[strength] <= STRENGTH_ORDER[FIRM_ENOUGH]


def cap(
    severity: Severity, strength: Strength, basis: str, buyer: str | None
) -> tuple[Severity, str | None]:
    """The severity the evidence allows for a rule of ``severity``, and the reason when it
    is lower (None when the rule's own severity stands). "watch" and "review" are never
    capped: they already ask a person to look."""
    if severity not in ("breach", "high"):
        return severity, None
    label = STRENGTH_LABEL[strength]
    if not firm(strength):
        return "watch", (
            f"capped at watch (rule: {severity}): the award rests on a {label} ({basis}); "
            "a breach or high finding needs an official procurement record or a "
            "researcher's table"
        )
    if severity == "breach" and not (buyer or "").strip():
        return "high", (
            f"capped at high (rule: breach): the record names no buyer; a breach needs "
            f"a named buyer and an official record or a researcher's table ({label} here)"
        )
    return severity, None


def listing_strength(listings: Sequence[ListingEvidence]) -> Strength:
    """The strongest of the cited listings' own strengths: a list of the shipped catalogue is
    an official list, a user's own list a researcher's table."""
    shipped = shipped_list_codes()
    own = [CATALOGUE_LIST_STRENGTH if x.list_code in shipped else USER_LIST_STRENGTH
           for x in listings]  # fmt: skip
    return strongest(own)
