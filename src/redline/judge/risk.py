"""The risk score: a sum of seven visible components, each with its formula and inputs.

Reach for :func:`score` when a finding is built. The maxima add up to 100 so the total needs
no normalising. Six components say who the vendor is and what it supplies — listing strength
30, ownership 20, sector tier 20, data exposure 10, contract value 10, recency 10 — each taken
at :data:`BASE_SHARE` (0.9: 27, 18, 18, 9, 9, 9); the seventh, procurement red flags (10, from
:mod:`redline.judge.redflags`), says how the award was made. Why 0.9 and not a cut from one
component: none of the six weights has a source that makes it better justified than another,
so scaling all keeps their relative judgement and the order of every finding whose record has
no red flag; and how an award was made is context, not proof of a tie to a listed vendor (no
published anchor joins the two), so it weighs no more than the smallest of the six. Each
:class:`~redline.model.RiskComponent` carries the formula written out and the inputs it used,
so a reader recomputes it by hand.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from redline.judge.redflags import RecordFlags, procurement_component
from redline.model import RiskComponent, RiskScore, Strength

#: points by list: statutory procurement bans weigh most, export-control lists less.
#: Why: a ban names the equipment or vendor outright; an export-control listing restricts what
#: may be sold *to* the vendor, a weaker signal about buying *from* it.
LIST_STRENGTH: dict[str, int] = {
    "us-ndaa-889": 30,
    "us-fcc-covered": 30,
    "us-ndaa-154": 30,
    "us-ndaa-5949": 30,
    "us-dod-1260h": 25,
    "us-ofac-nscmic": 25,
    "us-ofac-eo14032": 25,
    "us-bis-mieu": 22,
    "us-bis-meu": 20,
    "us-bis-entity-list": 20,
}
DEFAULT_LIST_STRENGTH = 15
TIER_POINTS = {1: 20, 2: 13, 3: 7}
#: USD per unit, approximate 2024 annual averages; only orders contract size on a log scale.
USD_PER_UNIT: dict[str, float] = {"USD": 1.0, "MXN": 0.055, "EUR": 1.08, "GBP": 1.28}
OWNERSHIP_DECAY = 0.8
UNSTATED_SHARE = 0.5


@dataclass(frozen=True)
class RiskInputs:
    """The facts the score reads; each already backed by the evidence ledger."""

    list_codes: tuple[str, ...]
    listing_refs: tuple[str, ...]
    depth: int  # 0 = the supplier itself is listed
    share: float | None  # aggregate share along the path, 0..1; None = not stated
    edge_refs: tuple[str, ...]
    class_id: str
    tier: int
    exposes: tuple[str, ...]
    amount: float | None
    currency: str | None
    award_date: date | None
    as_of: date
    release_ref: str
    #: how firmly the record establishes the award; carried on the score, not added to it
    strength: Strength
    #: the listing takes effect only after the as-of date (e.g. a ban with a statutory start)
    upcoming: bool = False
    #: the record's procurement red flags; None when the record was not read (not computed)
    procurement: RecordFlags | None = None


#: a listing that is not yet in force counts this fraction of its strength
UPCOMING_FACTOR = 0.5


def _listing(i: RiskInputs) -> RiskComponent:
    strengths = {code: LIST_STRENGTH.get(code, DEFAULT_LIST_STRENGTH) for code in i.list_codes}
    best = max(strengths.values())
    factor = UPCOMING_FACTOR if i.upcoming else 1.0
    inputs: dict[str, str | float | int | None] = dict(sorted(strengths.items()))
    inputs["upcoming_factor"] = factor
    return RiskComponent(
        "listing_strength",
        float(best) * factor,
        30,
        "max over the supplier's lists of LIST_STRENGTH[list] (ban 30, 1260H 25, "
        f"export control 20-22, other {DEFAULT_LIST_STRENGTH}), "
        f"× {UPCOMING_FACTOR} when the listing only takes effect after the as-of date",
        inputs,
        i.listing_refs,
    )


def _ownership(i: RiskInputs) -> RiskComponent:
    share = 1.0 if i.depth == 0 else (UNSTATED_SHARE if i.share is None else i.share)
    points = 20 * share * OWNERSHIP_DECAY ** max(0, i.depth - 1) if i.depth else 20.0
    return RiskComponent(
        "ownership",
        points,
        20,
        f"direct listing: 20; else 20 × share × {OWNERSHIP_DECAY}^(depth−1), "
        f"share {UNSTATED_SHARE} when not stated",
        {"depth": i.depth, "share": i.share},
        i.edge_refs,
    )


def _tier(i: RiskInputs) -> RiskComponent:
    return RiskComponent(
        "sector_tier",
        float(TIER_POINTS.get(i.tier, 7)),
        20,
        "tier 1 → 20, tier 2 → 13, tier 3 → 7",
        {"class_id": i.class_id, "tier": i.tier},
        (f"class:{i.class_id}",),
    )


def _exposure(i: RiskInputs) -> RiskComponent:
    n = len(i.exposes)
    return RiskComponent(
        "data_exposure",
        float(min(10, 4 * n)),
        10,
        "min(10, 4 × number of kinds of data the class exposes)",
        {"exposes": "; ".join(i.exposes), "n": n},
        (f"class:{i.class_id}",),
    )


def _value(i: RiskInputs) -> RiskComponent:
    rate = USD_PER_UNIT.get((i.currency or "").upper())
    usd = i.amount * rate if i.amount is not None and rate is not None else None
    points = 0.0 if not usd or usd <= 0 else min(10.0, max(0.0, 2.5 * math.log10(usd / 10_000)))
    return RiskComponent(
        "contract_value",
        points,
        10,
        "clamp(2.5 × log10(amount_usd / 10,000), 0, 10); 0 when amount or rate unknown; "
        "USD rate per currency: " + ", ".join(f"{k} {v}" for k, v in USD_PER_UNIT.items()),
        {
            "amount": i.amount,
            "currency": i.currency,
            "amount_usd": None if usd is None else round(usd, 2),
        },
        (i.release_ref,),
    )


def _recency(i: RiskInputs) -> RiskComponent:
    if i.award_date is None:
        years, points = None, 0.0
    else:
        years = max(0.0, (i.as_of - i.award_date).days / 365.25)
        points = 10 * max(0.0, 1 - years / 10)
    return RiskComponent(
        "recency",
        points,
        10,
        "10 × max(0, 1 − years between award and as-of / 10); 0 when the award has no date",
        {
            "award_date": i.award_date.isoformat() if i.award_date else None,
            "as_of": i.as_of.isoformat(),
            "years": None if years is None else round(years, 2),
        },
        (i.release_ref,),
    )


#: the share of the score the six components about the vendor and the contract keep; the rest
#: (10 points) is the procurement red flags' (see the module docstring for why)
BASE_SHARE = 0.9


def _scaled(c: RiskComponent) -> RiskComponent:
    """``c`` taken at :data:`BASE_SHARE`, rounded once to a tenth."""
    return RiskComponent(
        c.name,
        round(c.points * BASE_SHARE, 1),
        round(c.max_points * BASE_SHARE, 1),
        f"{BASE_SHARE} × [{c.formula}]",
        c.inputs,
        c.evidence,
    )


def _procurement(i: RiskInputs) -> RiskComponent:
    flags = i.procurement
    return (
        procurement_component(flags.flags, flags.computed)
        if flags
        else procurement_component((), ())
    )


def score(inputs: RiskInputs) -> RiskScore:
    """All components for one finding; ``.total`` is their sum."""
    parts = (_listing, _ownership, _tier, _exposure, _value, _recency)
    base = tuple(_scaled(part(inputs)) for part in parts)
    return RiskScore((*base, _procurement(inputs)), inputs.strength)


def as_unproven_affiliate(risk: RiskScore) -> RiskScore:
    """``risk`` with its ownership component read as an affiliate whose link is not
    established: one edge of unstated share (a name-stem affiliate has no edge to cite)."""
    share = UNSTATED_SHARE
    unproven = _scaled(
        RiskComponent(
            "ownership",
            20 * share,
            20,
            f"possible affiliate, no ownership edge: 20 × {UNSTATED_SHARE} (one edge, share "
            "not stated)",
            {"depth": 1, "share": None, "link": "name only"},
            (),
        )
    )
    parts = tuple(unproven if c.name == "ownership" else c for c in risk.components)
    return RiskScore(parts, risk.strength)
