"""A national register of sanctioned suppliers (CSV or XLSX), read by the columns its
catalogue entry names — a list definition, not code for one country.

Reach for this when a government publishes who may not contract with it as a table, one
sanction a row, with the start and end of each disqualification: Mexico's SFP register
(``lists/mexico/sfp_proveedores_contratistas_sancionados.xlsx``: ``Proveedor y Contratista``,
``Inicio de la sanción`` ``21-02-2026``, ``Fin de la sanción`` ``21-02-2027``, ``Periodo de
Inhabilitación`` ``1 año``) is one such entry in ``data/lists.yaml``.

One file holds two kinds of row, and the entry says which it takes (``rows``):

* ``window`` — a disqualification: start and end both given. Its listing is in force from the
  start to the day before the end (the one rule, :func:`redline.resolve.ownership.in_force`),
  so a one-year window from 21-02-2026 ends on 21-02-2027.
* ``no_window`` — a sanction without a disqualification period (a fine): recorded as a listing
  of its own list code, never read as a window.

A date that does not parse in the entry's ``date_format`` is a bad value: it is dropped and
counted by the build; an end before its start is reported there as a data error.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from redline.errors import InputError, Problem
from redline.ingest.lists.records import ListRow


class RegisterColumns(BaseModel):
    """Which column holds what, in a register's catalogue entry (``columns:``)."""

    model_config = ConfigDict(extra="forbid")
    name: str
    start: str
    end: str
    date_format: str = Field(description="strptime format of the dates, e.g. '%d-%m-%Y'")
    #: columns joined (``column: value``) into the listing's reason
    reason: list[str] = []
    rows: Literal["all", "window", "no_window"] = "all"
    schema_: str = Field(default="LegalEntity", alias="schema")
    country: str | None = None  # the register's own country: every row is of it


def _cells(path: Path) -> Iterator[list[str]]:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        import openpyxl  # only for spreadsheets

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            for row in book.worksheets[0].iter_rows(values_only=True):
                yield ["" if v is None else str(v).strip() for v in row]
        finally:
            book.close()
        return
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.reader(handle):
            yield [v.strip() for v in row]


def _iso(raw: str, fmt: str) -> str:
    """ISO text of ``raw`` in ``fmt``; the raw text when it does not parse (the build drops
    and counts it as a bad value), ``""`` when empty."""
    try:
        return datetime.strptime(raw, fmt).date().isoformat() if raw else ""
    except ValueError:
        return raw


def read(path: Path, rel: str, list_code: str, columns: RegisterColumns) -> list[ListRow]:
    """The rows of the register ``columns`` selects (see the module docstring)."""
    try:
        rows = _cells(path)
        header = next(rows, [])
    except (OSError, ValueError, KeyError) as exc:  # openpyxl: not a workbook
        raise InputError([Problem(rel, "", f"not a readable table: {exc}")]) from exc
    c = columns
    index = {name: i for i, name in enumerate(header)}
    missing = [n for n in (c.name, c.start, c.end, *c.reason) if n not in index]
    if missing:
        raise InputError([Problem(rel, "row 1", f"missing columns {', '.join(missing)}")])
    out: list[ListRow] = []
    for number, cells in enumerate(rows, 2):
        cell = dict(zip(header, cells, strict=False))
        name = cell.get(c.name, "")
        if not name:
            continue
        start, end = (
            _iso(cell.get(c.start, ""), c.date_format),
            _iso(cell.get(c.end, ""), c.date_format),
        )
        window = bool(start and end)
        if (c.rows == "window" and not window) or (c.rows == "no_window" and window):
            continue
        reason = "; ".join(f"{col}: {cell[col]}" for col in c.reason if cell.get(col))
        out.append(
            ListRow(
                list_code=list_code,
                file=rel,
                row=f"row {number}",
                name=name,
                schema=c.schema_,
                country=c.country,
                start=start or None,
                end=end or None,
                reason=reason or None,
            )
        )
    return out
