"""One row of a designation list, as read: the shape every list reader returns.

Reach for :class:`ListRow` when writing a reader for a new list family: fill what the row
says, leave the rest empty, and :mod:`redline.ingest.lists.build` turns rows into FtM
entities, Sanctions and Ownership edges. Example: row 57 of the 1260H CSV becomes
``ListRow(list_code="us-dod-1260h", file="us_dod_1260h_....csv", row="row 57",
name="Huawei Technologies Co., Ltd.", aliases=["Huawei"], parent_name="Huawei Investment &
Holding Co., Ltd.", start="2021-06-03", ...)``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from redline.errors import InputError, Problem


@dataclass
class ListRow:
    list_code: str
    file: str  # path relative to <data>/lists/
    row: str  # "row 57" (1-based, header = row 1) or a JSON pointer "/entities/12"
    name: str
    schema: str = "Company"
    aliases: list[str] = field(default_factory=list)
    previous_names: list[str] = field(default_factory=list)
    country: str | None = None  # as given: "China", "CN" ...
    addresses: list[str] = field(default_factory=list)
    identifiers: list[str] = field(default_factory=list)  # raw values; validated later
    start: str | None = None  # raw date text
    end: str | None = None
    source_url: str | None = None
    reason: str | None = None
    parent_name: str | None = None  # named parent (1260H "Parent Name")
    subsidiaries: list[str] = field(default_factory=list)  # "and its wholly-owned subsidiary X"

    @property
    def key(self) -> str:
        return f"{self.list_code}:{self.file}:{self.row}"


def split_list(raw: str | None, sep: str = ";") -> list[str]:
    return [part.strip() for part in (raw or "").split(sep) if part.strip()]


def read_csv(path: Path, rel: str, required: set[str]) -> list[tuple[int, dict[str, str]]]:
    """(row number, row) of a CSV whose header must contain ``required``; InputError if not."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = sorted(required - set(reader.fieldnames or []))
        if missing:
            raise InputError([Problem(rel, "row 1", f"missing columns {', '.join(missing)}")])
        return [(n, {k: (v or "").strip() for k, v in r.items()}) for n, r in enumerate(reader, 2)]


@dataclass(frozen=True)
class FlatColumns:
    """Which CSV column holds each :class:`ListRow` field of a one-entity-per-row list.

    Reach for this (with :func:`read_flat`) when a new list is a flat table that names one
    entity a row, as OpenSanctions' transcriptions do: BIS MIEU is
    ``FlatColumns(name="Name", schema="Type", aliases="Alias", ...)``. Where a field lists
    several columns the first non-empty one wins (NDAA: start-date, else report-date). Every
    column named here must be in the header.
    """

    name: str
    schema: str
    default_schema: str  # when the schema cell is empty
    aliases: str  # ";"-separated
    country: str
    start: tuple[str, ...]
    end: str
    source_url: str
    reason: tuple[str, ...] = ()

    @property
    def required(self) -> set[str]:
        """Every column named: the header must hold them all."""
        return {self.name, self.schema, self.aliases, self.country, *self.start, self.end,
                self.source_url, *self.reason}  # fmt: skip


def read_flat(path: Path, rel: str, list_code: str, columns: FlatColumns) -> list[ListRow]:
    """The rows of a flat list (see :class:`FlatColumns`); rows without a name are skipped."""

    def first(row: dict[str, str], names: tuple[str, ...]) -> str | None:
        return next((row[n] for n in names if row[n]), None)

    c = columns
    return [
        ListRow(
            list_code=list_code,
            file=rel,
            row=f"row {number}",
            name=r[c.name],
            schema=r[c.schema] or c.default_schema,
            aliases=split_list(r[c.aliases]),
            country=r[c.country] or None,
            start=first(r, c.start),
            end=r[c.end] or None,
            source_url=r[c.source_url] or None,
            reason=first(r, c.reason),
        )
        for number, r in read_csv(path, rel, c.required)
        if r[c.name]
    ]
