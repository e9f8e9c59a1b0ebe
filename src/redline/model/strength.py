"""Evidence strength: how firmly a source establishes a fact, strongest first.

Reach for :data:`Strength` when a finding says how sure it is that *this supplier got this
contract*, and for a listing's own strength shown beside it. Example: CompraNet's OCDS award
of a CCTV contract to Hikvision is an ``official_record``; the events table's row saying that
Huawei "plans to invest" (a company executive quoted in the press) is a ``vendor_statement``;
the same vendor on the FCC Covered List is an ``official_list``.

A source declares its strength where it is defined: OCDS files and contract registers are
official records (:data:`DEFAULT_RECORD_STRENGTH`); a tracker mapping in
``data/trackers.yaml`` declares a default and per-value overrides (e.g. by ``event_type``).
"""

from __future__ import annotations

from typing import Literal, get_args

Strength = Literal[
    "official_record", "official_list", "researchers_table", "press_report", "vendor_statement"
]
STRENGTHS: tuple[Strength, ...] = get_args(Strength)
#: rank, strongest first (0): findings are ordered by it before risk
STRENGTH_ORDER: dict[str, int] = {s: n for n, s in enumerate(STRENGTHS)}
STRENGTH_LABEL: dict[str, str] = {
    "official_record": "official procurement record",
    "official_list": "official list",
    "researchers_table": "researcher's table",
    "press_report": "press report",
    "vendor_statement": "vendor's own statement",
}
#: what an OCDS file or a contract register is, unless its source declares otherwise
DEFAULT_RECORD_STRENGTH: Strength = "official_record"
#: what a designation list in the shipped catalogue is; a user's own list is a researcher's table
CATALOGUE_LIST_STRENGTH: Strength = "official_list"
USER_LIST_STRENGTH: Strength = "researchers_table"
#: the weakest strength on which a rule may be a "breach" or "high" (a press report or a
#: vendor's claim caps a finding at "watch")
FIRM_ENOUGH: Strength = "researchers_table"


def strongest(strengths: list[Strength] | tuple[Strength, ...]) -> Strength:
    """The strongest of ``strengths``; raises ``ValueError`` on none."""
    if not strengths:
        raise ValueError("no strength to choose from")
    return min(strengths, key=STRENGTH_ORDER.__getitem__)


def is_strength(value: object) -> bool:
    """Whether ``value`` names a strength (a source's declaration is checked with it)."""
    return value in STRENGTH_ORDER
