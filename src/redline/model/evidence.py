"""The evidence ledger: every record a finding rests on, as data.

Reach for these types when a conclusion must be traceable to its sources. Example: "supplier
'Synthetic Scan SA' on award 1 of ocid ocds-x-1 (release r1, publisher CompraNet, file
f.json) matched listed entity rl-acme (score 0.97); listed on us-bis-entity-list since
2020-12-22 (source https://…); the award is border inspection because item 3 carried code
UNSPSC 46171604". Each piece below is one of those clauses.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from redline.model.strength import DEFAULT_RECORD_STRENGTH, Strength


@dataclass(frozen=True)
class ReleaseEvidence:
    """The OCDS record the award comes from."""

    ocid: str
    release_id: str
    publisher: str | None
    source_file: str
    pointer: str
    #: URLs the record itself cites for this award (its documents), e.g. a tracker row's source
    documents: tuple[str, ...] = ()
    #: what kind of source the record is, as its source declares it (an OCDS file: an
    #: official record; an events-table row: what its tracker mapping says), and why
    strength: Strength = DEFAULT_RECORD_STRENGTH
    strength_basis: str = "an OCDS record or contract register published by the buyer"


class Explanation(Mapping[str, Any]):
    """Why a name was taken to be an entity, as the matcher explains it
    (``redline.resolve.explain``): the forms that met, the tokens that agreed and with what
    weight, the identifiers, the ownership path with its sources. Read-only, as the rest of
    the ledger. Example: ``{"score": 0.97, "name": {"feature": "tokens", ...},
    "identifiers": [], "ownership": {"edges": [], ...}}``.

    A saved or exported finding holds it as its JSON text (:meth:`to_json`, through
    :func:`saved_form`); everywhere else it stays this structure.
    """

    __slots__ = ("_data",)
    _data: dict[str, Any]

    def __init__(self, data: Mapping[str, Any]) -> None:
        # a copy, so that the matcher's own dict can change without changing the evidence
        object.__setattr__(self, "_data", dict(data))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"an Explanation is read-only (tried to set {name!r})")

    def __hash__(self) -> int:
        # hashable as the frozen ledger that holds it; equal explanations write the same text
        return hash(self.to_json())

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"Explanation({self._data!r})"

    def to_json(self) -> str:
        """The text saved and exported findings carry: sorted keys, characters as they are,
        dates and other values as their ``str``."""
        return json.dumps(self._data, ensure_ascii=False, sort_keys=True, default=str)


def saved_form(obj: object) -> str:
    """The ``default`` of ``orjson.dumps`` for findings: orjson writes every part of a finding
    itself but an :class:`Explanation`, which it hands here to be written as its JSON text."""
    if isinstance(obj, Explanation):
        return obj.to_json()
    raise TypeError(f"{type(obj).__name__} is not part of a finding")


@dataclass(frozen=True)
class MatchEvidence:
    """Why the supplier name or identifier is taken to be a known entity."""

    supplier_name: str
    matched_id: str
    matched_caption: str
    score: float
    explanation: Explanation


@dataclass(frozen=True)
class ListingEvidence:
    """One listing of the listed entity, with its dates and official source."""

    listing_id: str
    entity_id: str
    list_code: str
    list_name: str
    authority: str | None
    start_date: date | None
    end_date: date | None
    source_url: str | None
    source_file: str | None
    source_row: str | None


@dataclass(frozen=True)
class OwnershipEvidence:
    """One edge of the path from the matched entity up to the listed one (child → parent)."""

    edge_id: str
    child_id: str
    parent_id: str
    relation: str
    percentage: float | None
    source: str | None
    source_url: str | None


@dataclass(frozen=True)
class SignalEvidence:
    """A classifier signal that put the procurement into a sector class."""

    class_id: str
    signal_kind: str  # 'code' | 'keyword' | 'buyer'
    signal_value: str
    signal_field: str  # where it was found, e.g. 'item.description'
    parent: str
    parent_id: str | None
    item_id: str | None
    detail: str | None = None
    pointer: str | None = None  # JSON pointer (or CSV line) of the first text that carried it

    @property
    def field_kind(self) -> str:
        """The field without its parent: 'tender.title' and 'award.title' are both 'title'.

        The tender and the award often carry the same text; the ledger cites such a signal once.
        """
        head, _, rest = self.signal_field.partition(".")
        return rest if head in {"tender", "award", "contract"} and rest else self.signal_field


class EvidenceMissing(ValueError):
    """A finding was about to be built without the evidence it needs."""


@dataclass(frozen=True)
class EvidenceLedger:
    """Everything one finding rests on; cannot be built with a missing part.

    A finding needs the release, the match, at least one listing and at least one sector
    signal (but see :class:`AnySectorLedger`); an ownership path needs one edge per hop. The
    other exception is a "review" finding that says the sector could not be decided
    (``sector_undecided``): its lack of signals is the point, so it carries none.
    """

    release: ReleaseEvidence
    match: MatchEvidence
    listings: tuple[ListingEvidence, ...]
    signals: tuple[SignalEvidence, ...]
    ownership: tuple[OwnershipEvidence, ...] = field(default=())
    sector_undecided: bool = False

    def _needs_signal(self) -> bool:
        return True

    def __post_init__(self) -> None:
        if not self.listings:
            raise EvidenceMissing("a finding needs at least one listing")
        if self.sector_undecided and self.signals:
            raise EvidenceMissing("an undecided sector carries no classifier signal")
        if not self.signals and not self.sector_undecided and self._needs_signal():
            raise EvidenceMissing("a finding needs at least one classifier signal")
        if not self.release.ocid or not self.release.release_id:
            raise EvidenceMissing("a finding needs the OCDS release it comes from")
        listed = {listing.entity_id for listing in self.listings}
        if self.ownership:
            if self.ownership[0].child_id != self.match.matched_id:
                raise EvidenceMissing("ownership path does not start at the matched entity")
            for lower, upper in zip(self.ownership, self.ownership[1:], strict=False):
                if lower.parent_id != upper.child_id:
                    raise EvidenceMissing("ownership path is not connected")
            if self.ownership[-1].parent_id not in listed:
                raise EvidenceMissing("ownership path does not end at the listed entity")
        elif self.match.matched_id not in listed:
            raise EvidenceMissing("the matched entity is not listed and no path is given")


@dataclass(frozen=True)
class AnySectorLedger(EvidenceLedger):
    """The ledger of a finding whose rule judges awards of any sector (``sectors: [any]``): a
    debarment binds whatever the contract buys, so the award may carry no classifier signal.
    Same parts, same JSON as :class:`EvidenceLedger`."""

    def _needs_signal(self) -> bool:
        return False
