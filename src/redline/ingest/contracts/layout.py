"""Contract-export layouts: which header column feeds which field, recognised from the header.

Reach for :func:`recognise` when a contract register (ComprasMX, CompraNet …) arrives as a
table: it compares the file's header with the layouts Redline ships (``data/contract_layouts
.yaml``) or a user's own file, tolerant of accents, case, punctuation, spacing and column
order, and returns the layout with, for every field, the column that holds it. Example: the
header cell ``NUMERO_DE_PROCEDIMIENTO`` fills the field ``procedure`` of a layout that names
``Número de procedimiento``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from redline.errors import InputError, Problem
from redline.packaged import load_yaml

Field = Literal[
    "procedure", "id", "contract_code", "buyer", "buyer_unit", "buyer_unit_code", "supplier",
    "supplier_rfc", "supplier_country", "method", "category", "law", "exception_article",
    "exception_description", "legal_basis", "partida", "cucop", "title", "description", "amount",
    "currency", "status", "published", "award_date", "signed", "start", "end", "url",
]  # fmt: skip

_NOT_WORD = re.compile(r"[^0-9a-z]+")


def header_key(name: str) -> str:
    """A header cell compared by its letters and digits only: accents, case, ``_`` dropped."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return _NOT_WORD.sub(" ", plain).strip()


class ContractLayout(BaseModel):
    """One export layout: its columns by field and how a row becomes a release."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    publisher: str
    ocid_prefix: str
    columns: dict[Field, list[str]]
    contract_key: list[Field]
    supplier_split: str | None = None
    currency: str | None = None
    classification: str | None = None
    source: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> ContractLayout:
        if "supplier" not in self.columns:
            raise ValueError("a layout needs a 'supplier' column")
        if "procedure" not in self.columns and "id" not in self.columns:
            raise ValueError("a layout needs a 'procedure' or an 'id' column for its ocids")
        unknown = [f for f in self.contract_key if f not in self.columns]
        if unknown:
            raise ValueError(f"contract_key names fields without a column: {unknown}")
        return self


@dataclass(frozen=True)
class Recognised:
    """A layout fitted to one header: ``columns`` maps each field to the header's own cell."""

    name: str
    layout: ContractLayout
    columns: dict[str, str]


def load_layouts(path: Path | None = None) -> dict[str, ContractLayout]:
    """Layouts by name: the shipped ``contract_layouts.yaml``, or a user file of that shape."""
    doc, source = load_yaml("contract_layouts.yaml", path)
    entries = doc.get("layouts") if isinstance(doc, dict) else None
    if not isinstance(entries, dict) or not entries:
        raise InputError([Problem(source, "", "expected a mapping under 'layouts:'")])
    found: dict[str, ContractLayout] = {}
    problems: list[Problem] = []
    for name, raw in entries.items():
        try:
            found[str(name)] = ContractLayout.model_validate(raw)
        except ValidationError as exc:
            problems.extend(
                Problem(f"{source}:layouts.{name}", ".".join(map(str, e["loc"])), e["msg"])
                for e in exc.errors()
            )
    if problems:
        raise InputError(problems)
    return found


def _fit(layout: ContractLayout, header: list[str]) -> tuple[dict[str, str], list[str]]:
    """(field → header cell, the layout's columns missing from the header)."""
    by_key = {header_key(cell): cell for cell in header}
    fitted: dict[str, str] = {}
    missing: list[str] = []
    for name, accepted in layout.columns.items():
        cell = next((by_key[k] for k in map(header_key, accepted) if k in by_key), None)
        if cell is None:
            missing.append(accepted[0])
        else:
            fitted[name] = cell
    return fitted, missing


def recognise(
    header: list[str], layouts: dict[str, ContractLayout], forced: str | None = None
) -> Recognised | str:
    """The layout that fits ``header`` (``forced``: that one only), or why none does, in one
    line naming each layout's missing columns."""
    candidates = {forced: layouts[forced]} if forced else layouts
    fits: list[Recognised] = []
    misses: list[str] = []
    for name, layout in candidates.items():
        fitted, missing = _fit(layout, header)
        if missing:
            misses.append(f"{name} lacks {', '.join(missing)}")
        else:
            fits.append(Recognised(name, layout, fitted))
    if fits:
        return max(fits, key=lambda r: len(r.columns))
    return f"header fits no contract layout ({'; '.join(misses)})"
