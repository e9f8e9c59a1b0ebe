"""Value cleaners shared by every list reader: dates and identifiers.

Reach for these when a raw cell from a list (or an FtM property value) must become a stored
value. They never raise: a value that cannot be cleaned returns ``None`` and the caller counts
it. Example: ``parse_date("October 1, 2027")`` → ``"2027-10-01"``; ``parse_date("2022")`` →
``"2022"`` (the year is all the source says, so we keep that precision).
"""

from __future__ import annotations

import re
from datetime import date, datetime

from rigour.ids import INN, LEI, USCC
from stdnum.mx import rfc

_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ].*)?$")
_US = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$")
_TEXT_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%B %Y", "%b. %d, %Y")


def parse_date(raw: str | None) -> str | None:
    """ISO date text from the forms lists use; ``None`` when the text is no date.

    Keeps the precision the source gives: ``"2022"``, ``"2022-10"`` or ``"2022-10-05"``.
    US-style ``3/4/2021`` is month/day/year (every list here is a US government list).
    """
    text = (raw or "").strip().rstrip(".")
    if not text:
        return None
    m = _ISO.match(text)
    if m:
        year, month, day = m.group(1), m.group(2), m.group(3)
        return _checked(int(year), int(month) if month else None, int(day) if day else None)
    m = _US.match(text)
    if m:
        year = _full_year(int(m.group(3)))
        return _checked(year, int(m.group(1)), int(m.group(2)))
    for fmt in _TEXT_FORMATS:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        if "%d" in fmt:
            return parsed.date().isoformat()
        return f"{parsed.year:04d}-{parsed.month:02d}"
    return None


def _full_year(year: int) -> int:
    """A two-digit year in a Federal Register citation ("5/28/99") as a full year.

    Listing dates in the source's own citations are never in the future, so '99' is 1999 and
    '21' is 2021: the century is the latest one that does not put the date after this year.
    """
    if year >= 100:
        return year
    return 2000 + year if 2000 + year <= date.today().year else 1900 + year


def _checked(year: int, month: int | None, day: int | None) -> str | None:
    try:
        date(year, month or 1, day or 1)
    except ValueError:
        return None
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def to_date(iso: str | None) -> date | None:
    """The first day of an ISO (possibly partial) date: ``"2022"`` → 2022-01-01.

    Stored DATE columns need a day; the text as given is kept next to it (``*_text``).
    """
    if not iso:
        return None
    parts = [int(p) for p in iso[:10].split("-")]
    parts += [1] * (3 - len(parts))
    try:
        return date(parts[0], parts[1], parts[2])
    except ValueError:
        return None


_USCC_SHAPE = re.compile(r"^[0-9A-HJ-NP-RTUWXY]{2}\d{6}[0-9A-HJ-NP-RTUWXY]{10}$")
_RFC_SHAPE = re.compile(r"^[A-ZÑ&]{3,4}\d{6}[A-Z0-9]{3}$")
_LEI_SHAPE = re.compile(r"^[A-Z0-9]{18}\d{2}$")
_COMPACT = re.compile(r"[\s\-./]+")


def classify_identifier(raw: str, hint: str | None = None) -> tuple[str, str] | None:
    """(scheme, canonical value) for an identifier, or ``None`` when it is invalid.

    ``hint`` is the scheme implied by where the value sits (``"lei"`` for an FtM ``leiCode``,
    ``"cn-uscc"`` for ``uscCode``, ``"ru-inn"`` for ``innCode``); then the value must validate
    for that scheme. Without a hint, a value shaped like an RFC, USCC or LEI must pass that
    scheme's check, and anything else is kept as a plain ``registration`` number.
    """
    value = _COMPACT.sub("", raw).upper()
    if not value:
        return None
    if hint == "lei" or (hint is None and _LEI_SHAPE.match(value)):
        return ("lei", value) if LEI.is_valid(value) else None
    if hint == "cn-uscc" or (hint is None and _USCC_SHAPE.match(value)):
        norm = USCC.normalize(value)
        return ("cn-uscc", norm) if norm else None
    if hint == "ru-inn":
        return ("ru-inn", value) if INN.is_valid(value) else None
    if hint == "mx-rfc" or (hint is None and _RFC_SHAPE.match(value)):
        # python-stdnum checks shape and date but not the check digit by default: SAT has
        # issued some RFCs with wrong check digits, and rejecting them would hide real vendors
        return ("mx-rfc", value) if rfc.is_valid(value) else None
    if hint not in (None, "registration"):
        return (hint, value)
    return ("registration", value)
