"""Organisation identifiers and roles as OCDS publishers in Mexico write them.

Reach for :func:`identifier` to turn a party's ``identifier`` (and its ``id``) into one
``(scheme, id)`` pair Redline can match on. An RFC (Mexico's taxpayer registry number, e.g.
``INA1402082Z8``) is recognised by its shape wherever it appears, also behind INAI's ``RFC-``
prefix (``RFC-INA1402082Z8``), and labelled ``MX-RFC``. An id a publisher labels as RFC
but that is not RFC-shaped (CompraNet masks natural persons' RFCs with a hash) is kept with its
scheme cleared, so matching never treats a hash as an RFC.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

RFC_SCHEME = "MX-RFC"
# 3 letters (legal person) or 4 (natural person), a yymmdd date, a 3-character homoclave
_RFC = re.compile(r"^(?:RFC[-_ ]?)?([A-ZÑ&]{3,4}\d{6}[A-Z\d]{3})$")
_RFC_SCHEMES = {"RFC", "MX-RFC"}


def as_rfc(value: Any) -> str | None:
    """The bare RFC in ``value`` (``"RFC-INA1402082Z8"`` → ``"INA1402082Z8"``), else None."""
    if not isinstance(value, str):
        return None
    m = _RFC.match(value.strip().upper())
    return m.group(1) if m else None


def text(value: Any) -> str | None:
    """A scalar as text (publishers write ids as numbers too); None for empty or non-scalars."""
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def identifier(ident: Any, party_id: Any = None) -> tuple[str | None, str | None, bool]:
    """(scheme, id, rejected) for a party: RFC-shaped values win and become ``MX-RFC``.

    ``rejected`` is True when a value labelled RFC was not RFC-shaped (a bad value to count).
    """
    ident = ident if isinstance(ident, dict) else {}
    raw_id = text(ident.get("id"))
    scheme = text(ident.get("scheme"))
    rfc = as_rfc(raw_id) or as_rfc(party_id)
    if rfc:
        return RFC_SCHEME, rfc, False
    if scheme and scheme.upper() in _RFC_SCHEMES:
        return None, raw_id, True
    return scheme, raw_id, False


@lru_cache(maxsize=1)
def _role_map() -> dict[str, str]:
    path = resources.files("redline.data").joinpath("ocds_roles.yaml")
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {str(k): str(v) for k, v in loaded["roles"].items()}


def roles(value: Any) -> list[str]:
    """Party roles mapped to the OCDS codelist where a publisher used its own labels."""
    if not isinstance(value, list):
        return []
    mapping = _role_map()
    return [mapping.get(r, r) for r in value if isinstance(r, str)]
