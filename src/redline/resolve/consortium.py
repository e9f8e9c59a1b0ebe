"""Joint bids and consortia: one supplier string naming several companies.

Reach for :func:`members` when a procurement record names a bidder like ``"ACME, S.A. de C.V.
en participación conjunta con Obras del Golfo, S.A. de C.V."`` or ``"Propuesta conjunta:
COSCO Shipping Lines (México) / Transportes del Golfo"``: each member is screened on its own and
a match names the member. The whole string is screened too, so a name that merely contains
" y " (``"Ciencia y Tecnología"``) loses nothing by being split.
"""

from __future__ import annotations

import re

# phrases that introduce a joint bid; checked on the case-folded, accent-free text
_LEADS = re.compile(
    r"^\s*(propuesta\s+conjunta|proposicion\s+conjunta|consorcio|joint\s+venture|"
    r"joint\s+bid|asociacion\s+en\s+participacion)\s*[:\-–]?\s*",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(
    r"\s+en\s+participaci[oó]n\s+conjunta\s+con\s+|\s+en\s+consorcio\s+con\s+|"
    r"\s+conjuntamente\s+con\s+|\s+in\s+consortium\s+with\s+|\s+jointly\s+with\s+|"
    r"\s*/\s*|\s*;\s*|\s+y\s+|\s+con\s+",
    re.IGNORECASE,
)
#: members shorter than this (in letters) are fragments, not companies
MIN_MEMBER_LETTERS = 4


def members(name: str) -> list[str]:
    """The member names of a joint bid, or ``[]`` when the name is a single company."""
    body = _LEADS.sub("", name, count=1)
    parts = [p.strip(" ,.:-") for p in _SEPARATORS.split(body)]
    parts = [p for p in parts if sum(c.isalpha() for c in p) >= MIN_MEMBER_LETTERS]
    if len(parts) < 2 and body == name:
        return []
    if len(parts) == 1 and parts[0] == name.strip():
        return []
    return parts
