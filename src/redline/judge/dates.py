"""Which of an award's days a listing was in force on, in words: the award date, the signature.

Reach for :func:`when_words` to fill a rule's ``{when}`` placeholder, from the judge (a
:class:`JudgedDates` of the case) or from a stored finding (:func:`judged_of`, for the
Spanish briefing). Example: GVICOA, disqualified from 2026-02-21, awarded 2026-02-20 and
signed 2026-02-23 reads "on the signature date 2026-02-23 (awarded 2026-02-20, before the
listing took effect)"; awarded and signed inside the window, "on the award date 2026-02-24 and
on the signature date 2026-02-26". An award whose award date lies outside the window and whose
signature lies inside was awarded before it began when it was awarded before it was signed
(the window is one interval), else after it ended.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

#: the words of ``{when}``, per language (reviewed Spanish: docs/report.md)
_WHEN: dict[str, dict[str, str]] = {
    "en": {
        "both": "on the award date {award} and on the signature date {signed}",
        "award": "on the award date {award}",
        "signed": "on the signature date {signed}",
        "before": "on the signature date {signed} (awarded {award}, before the listing took "
        "effect)",
        "after": "on the signature date {signed} (awarded {award}, after the listing ended)",
    },
    "es": {
        "both": "a la fecha de adjudicación ({award}) y a la fecha de firma del contrato "
        "({signed})",
        "award": "a la fecha de adjudicación ({award})",
        "signed": "a la fecha de firma del contrato ({signed})",
        "before": "a la fecha de firma del contrato ({signed}; se adjudicó el {award}, antes "
        "de que surtiera efecto la inscripción)",
        "after": "a la fecha de firma del contrato ({signed}; se adjudicó el {award}, después "
        "de que terminara la inscripción)",
    },
}


@dataclass(frozen=True)
class JudgedDates:
    """The award's two days and whether a counted listing was in force on each;
    ``at_signature`` is None when the signature was not judged (no date, or not asked)."""

    award: date | str | None
    signed: date | str | None
    at_award: bool
    at_signature: bool | None


@dataclass(frozen=True)
class AwardDays:
    """An award's dates as the store gives them: ``award`` is its own date, else (with
    ``award_dated`` False) its contract's signature or its tender's; ``signed`` the
    contract's signature."""

    award: date | None
    signed: date | None
    award_dated: bool = True


def judged_dates(
    days: AwardDays, at_award: Sequence[object], at_signature: Sequence[object] | None
) -> JudgedDates:
    """The case's days: ``at_award`` and ``at_signature`` are the listings in force on each
    (``at_signature`` None when the signature is not judged). An award dated only by its
    signature has no award date of its own to name."""
    judged = None if at_signature is None else bool(at_signature)
    own = days.award if days.award_dated or judged is None else None
    return JudgedDates(own, days.signed, bool(at_award) and own is not None, judged)


def signature_fields(days: AwardDays, at_signature: Sequence[object] | None) -> dict[str, Any]:
    """A finding's signature facts (:class:`redline.model.SignedFinding`); empty when the
    rule does not judge the signature or the contract has no signature date."""
    if days.signed is None or at_signature is None:
        return {}
    return {"signed_date": days.signed, "listed_at_signature": bool(at_signature),
            "award_dated": days.award_dated}  # fmt: skip


def judged_of(finding: Mapping[str, Any]) -> JudgedDates:
    """The days of a stored finding (a row of the findings table, or its ``data``)."""
    at_signature = finding.get("listed_at_signature")
    own = finding.get("award_dated") is not False or at_signature is None
    return JudgedDates(
        finding.get("award_date") if own else None,
        finding.get("signed_date"),
        bool(finding.get("listed_at_award")) and own,
        None if at_signature is None else bool(at_signature),
    )


def when_words(days: JudgedDates, lang: Literal["en", "es"]) -> str:
    """``{when}``: the day(s) the listing was in force on, named with their dates."""
    words = _WHEN[lang]
    award, signed = days.award, days.signed
    day = {"award": str(award)[:10], "signed": str(signed)[:10]}
    if days.at_signature and days.at_award:
        return words["both"].format(**day)
    if days.at_signature:
        if award is None:
            return words["signed"].format(**day)
        return words["before" if str(award) < str(signed) else "after"].format(**day)
    return words["award"].format(**day) if award is not None else ""
