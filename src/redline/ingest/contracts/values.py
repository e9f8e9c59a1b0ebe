"""Cells of contract exports as OCDS values: amounts and the several date forms they use.

Reach for :func:`ocds_datetime` and :func:`amount` when a cell of a ComprasMX or CompraNet file
must become an OCDS value. They never raise: a cell that is no date or no number gives
``None`` and the caller counts it. Examples: ``"01/01/2026"`` (day first, as these files write
it) → ``"2026-01-01T00:00:00Z"``; ``"2013-11-27 00:00:00 GMT"`` → ``"2013-11-27T00:00:00Z"``;
``"1,008,560"`` → ``1008560.0``.

Times are kept as published: the files do not say their zone (only some add "GMT"), so the
calendar day a file gives is the day stored.
"""

from __future__ import annotations

import re
from datetime import datetime

_ISO = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?"
    r"\s*(?:GMT|UTC|Z)?$"
)
_DAY_FIRST = re.compile(
    r"^(\d{1,2})[/-](\d{1,2})[/-](\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$"
)
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")


def ocds_datetime(raw: str | None) -> str | None:
    """An OCDS date-time from ``YYYY-MM-DD[ HH:MM[:SS]][ GMT]`` or ``DD/MM/YYYY`` (or ``-``)."""
    text = (raw or "").strip()
    if not text:
        return None
    m = _ISO.match(text)
    if m:
        year, month, day, hour, minute, second = m.groups()
    else:
        m = _DAY_FIRST.match(text)
        if not m:
            return None
        day, month, year, hour, minute, second = m.groups()
    try:
        value = datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0)
        )
    except ValueError:
        return None  # 31/02/2026 and the like
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def amount(raw: str | None) -> float | None:
    """A number from ``1,008,560``, ``$ 113,543.45`` or ``  555,644.00``; ``None`` otherwise."""
    text = (raw or "").strip().lstrip("$").strip().replace(",", "").replace(" ", "")
    if not _NUMBER.match(text):
        return None
    return float(text)
