"""A contract export (CSV or XLSX) read row by row into OCDS release items.

Reach for :func:`contract_items` to stream a ComprasMX / CompraNet file into the OCDS loader:
rows are read one at a time (a national year of ~80k rows never sits in memory at once), the
layout is recognised from the header (see :mod:`redline.ingest.contracts.layout`), and each
row becomes an :class:`~redline.ingest.ocds.read.Item` pointing at its line (``line:N``) or
sheet row (``row:N``). A header no layout fits is one :class:`~redline.errors.Problem` naming
what each layout lacks, and nothing of the file is read further.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from redline.errors import Problem
from redline.ingest.contracts.layout import ContractLayout, Recognised, recognise
from redline.ingest.contracts.release import contract_release
from redline.ingest.ocds.read import Item

Progress = Callable[[int], None]
csv.field_size_limit(16 * 1024 * 1024)  # descriptions with line breaks can be long


class _Counting(io.RawIOBase):
    """A binary file that reports the bytes read, for the progress bar."""

    def __init__(self, raw: io.BufferedReader, on_bytes: Progress | None) -> None:
        self._raw, self._on_bytes = raw, on_bytes

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = self._raw.readinto(buffer)
        if n and self._on_bytes is not None:
            self._on_bytes(n)
        return n or 0

    def close(self) -> None:
        self._raw.close()
        super().close()


def _csv_rows(path: Path, on_bytes: Progress | None) -> Iterator[tuple[str, list[str]]]:
    raw = io.BufferedReader(_Counting(path.open("rb"), on_bytes), buffer_size=1 << 20)
    # utf-8-sig: the official files may start with a byte-order mark
    with io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as text:
        reader = csv.reader(text)
        for row in reader:
            yield f"line:{reader.line_num}", row


def _xlsx_rows(path: Path, on_bytes: Progress | None) -> Iterator[tuple[str, list[str]]]:
    import openpyxl  # only for spreadsheets

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        for number, row in enumerate(book.worksheets[0].iter_rows(values_only=True), start=1):
            yield f"row:{number}", ["" if v is None else str(v) for v in row]
    finally:
        book.close()
    if on_bytes is not None:
        on_bytes(path.stat().st_size)


def table_rows(path: Path, on_bytes: Progress | None = None) -> Iterator[tuple[str, list[str]]]:
    """(position, cells) of every row of a CSV or XLSX file, the header first."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _xlsx_rows(path, on_bytes)
    return _csv_rows(path, on_bytes)


def contract_items(
    path: Path,
    layouts: Mapping[str, ContractLayout],
    *,
    forced: str | None = None,
    observed: str = "",
    known: Mapping[str, str] | None = None,
    bad: Counter[str] | None = None,
    on_bytes: Progress | None = None,
) -> Iterator[Item | Problem]:
    """Every row of ``path`` as a release item; see the module docstring.

    A release seen before (its id in ``known``, which maps it to its stored date) keeps that
    date, so re-reading a cumulative file changes only the rows that changed; a new one is
    dated ``observed``. Values that do not clean are counted in ``bad``.
    """
    source, bad = str(path), bad if bad is not None else Counter()
    try:
        rows = table_rows(path, on_bytes)
        position, header = next(rows, ("line:1", []))
        fitted = recognise([h.strip() for h in header], dict(layouts), forced)
        if isinstance(fitted, str):
            yield Problem(source, position, fitted)
            return
        yield from _items(fitted, rows, header, observed, known or {}, bad)
    except UnicodeDecodeError as exc:
        yield Problem(source, f"byte:{exc.start}", "not UTF-8 text")
    except csv.Error as exc:
        yield Problem(source, "", f"not a readable CSV: {exc}")
    except (OSError, ValueError, KeyError) as exc:  # openpyxl: not a workbook
        yield Problem(source, "", f"not a readable table: {exc}")


def _items(
    fitted: Recognised,
    rows: Iterator[tuple[str, list[str]]],
    header: list[str],
    observed: str,
    known: Mapping[str, str],
    bad: Counter[str],
) -> Iterator[Item]:
    index = {h.strip(): n for n, h in enumerate(header)}
    where = {field: index[cell] for field, cell in fitted.columns.items()}
    layout = fitted.layout
    seen: Counter[str] = Counter()  # digests, not the cells: bounded by rows, not text
    for position, row in rows:
        if not any(c.strip() for c in row):
            continue
        cells = {f: row[n].strip() for f, n in where.items() if n < len(row) and row[n].strip()}
        parts = (cells.get("procedure", ""), *(cells.get(f, "") for f in layout.contract_key))
        key = hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:16]
        seen[key] += 1
        release = contract_release(layout, cells, seen[key], bad)
        if release is None:
            continue
        stored = known.get(release["id"])
        if stored or observed:
            release["date"] = stored or observed
        yield Item("release", release, position, layout.publisher)
