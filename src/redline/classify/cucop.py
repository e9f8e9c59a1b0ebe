"""The CUCOP catalogue as labelled data: official item descriptions and the classes they fall in.

Reach for :func:`labelled_items` to get every CUCOP item (code, description, partida) with its
reviewed classes, read in place from the data mirror (``standards/cucop/*.xlsx``) and labelled
by ``redline/data/cucop_labels.yaml``. Example: item ``55100043`` "SISTEMA DE INSPECCION POR
RAYOS X" (partida 55102) comes back with ``{"border_inspection"}``; "ESCOBA" with no class.
:func:`held_out` splits by partida, so no partida is on both sides of a measurement.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from redline.errors import InputError, Problem
from redline.packaged import parse_yaml, read_text

CUCOP_FILE = "standards/cucop/cucop_20260301.xlsx"
#: columns of the catalogue sheet that are read (header spelling of the 2026-03-01 edition)
_COLUMNS = {"code": "CLAVE CUCoP", "description": "DESCRIPCIÓN", "partida": "PARTIDA ESPECÍFICA"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReviewedPartida(_Strict):
    partida: str = Field(pattern=r"^\d{5}$")
    reason: str


class ItemLabel(_Strict):
    """Items of one class, each code an 8-digit CUCOP key, with why they are in it."""

    class_: str = Field(alias="class")
    reason: str
    codes: list[str] = Field(min_length=1)


class Source(_Strict):
    name: str
    file: str
    url: str


class CucopLabels(_Strict):
    version: int
    source: Source
    reviewed_partidas: list[ReviewedPartida]
    items: list[ItemLabel]

    def classes_of(self) -> dict[str, frozenset[str]]:
        found: dict[str, set[str]] = {}
        for entry in self.items:
            for code in entry.codes:
                found.setdefault(code, set()).add(entry.class_)
        return {code: frozenset(c) for code, c in found.items()}


@dataclass(frozen=True)
class CucopItem:
    """One catalogue item with its reviewed classes (empty: an ordinary purchase)."""

    code: str
    description: str
    partida: str
    classes: frozenset[str]


def load_labels(class_ids: set[str], text: str | None = None) -> CucopLabels:
    """The packaged mapping (or ``text``); unknown classes and bad codes are reported together."""
    source = "cucop_labels.yaml"
    if text is None:
        text, source = read_text(source)
    try:
        labels = CucopLabels.model_validate(parse_yaml(text, source))
    except ValidationError as exc:
        problems = [
            Problem(source, ".".join(str(p) for p in e["loc"]), e["msg"]) for e in exc.errors()
        ]
        raise InputError(problems) from exc
    problems = []
    for i, entry in enumerate(labels.items):
        if entry.class_ not in class_ids:
            problems.append(Problem(source, f"items[{i}]", f"unknown class {entry.class_!r}"))
        problems += [
            Problem(source, f"items[{i}]", f"code {c!r} is not 8 digits")
            for c in entry.codes
            if not (len(c) == 8 and c.isdigit())
        ]
    if problems:
        raise InputError(problems)
    return labels


def read_catalogue(path: Path) -> list[tuple[str, str, str]]:
    """(code, description, partida) of every item of the CUCOP workbook at ``path``."""
    import openpyxl  # the one reader of .xlsx; imported here so the package loads without it

    book = openpyxl.load_workbook(path, read_only=True)
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = [str(h or "").strip() for h in next(rows)]
        missing = [c for c in _COLUMNS.values() if c not in header]
        if missing:
            raise InputError([Problem(str(path), "row 1", f"missing columns {missing}")])
        at = {k: header.index(v) for k, v in _COLUMNS.items()}
        return [
            (str(r[at["code"]]), str(r[at["description"]] or ""), str(r[at["partida"]]))
            for r in rows
            if r[at["code"]] is not None
        ]
    finally:
        book.close()


def labelled_items(data_dir: Path, class_ids: set[str]) -> list[CucopItem]:
    """Every catalogue item with its classes; a listed code missing from the catalogue is an
    error (the mapping and the edition must agree)."""
    labels = load_labels(class_ids).classes_of()
    items = [
        CucopItem(code, desc, partida, labels.get(code, frozenset()))
        for code, desc, partida in read_catalogue(data_dir / CUCOP_FILE)
    ]
    unknown = sorted(set(labels) - {i.code for i in items})
    if unknown:
        raise InputError([Problem("cucop_labels.yaml", "items", f"codes not in CUCOP {unknown}")])
    return items


def held_out(partida: str, share: int = 30) -> bool:
    """Is this partida on the held-out side? A stable hash, ``share`` percent of partidas."""
    digest = hashlib.sha256(f"redline-cucop-split:{partida}".encode()).digest()
    return digest[0] * 100 < share * 256
