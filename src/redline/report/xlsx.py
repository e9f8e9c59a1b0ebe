"""A table as an Excel workbook: headings in bold, frozen, filterable, columns sized to fit.

Reach for :func:`table_xlsx` when a front end exports what it shows (the dashboard's findings
view through ``GET /findings.xlsx``). Example: ``table_xlsx("Hallazgos", ["Proveedor",
"Monto"], [["Nuctech", 1250000.0]])`` is the bytes of a one-sheet workbook; numbers stay
numbers (a reader can sum them), text stays text, ``None`` is an empty cell.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

Cell = str | int | float | None
#: Excel refuses a sheet title longer than this, or with any of these characters
_TITLE_MAX = 31
_TITLE_BAD = str.maketrans({c: " " for c in "[]:*?/\\"})
#: the widest a column is sized to (characters); longer text wraps in Excel as usual
_WIDEST = 60


def _text_safe(value: Cell) -> Cell:
    """A text cell that a spreadsheet would run as a formula is kept as text (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def table_xlsx(title: str, headings: Sequence[str], rows: Sequence[Sequence[Cell]]) -> bytes:
    """The bytes of a workbook with one sheet named ``title`` holding ``headings`` and ``rows``."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has its first sheet
    sheet.title = title.translate(_TITLE_BAD)[:_TITLE_MAX] or "Sheet"
    sheet.append(list(headings))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_text_safe(v) for v in row])
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = sheet.dimensions
    for i, heading in enumerate(headings, start=1):
        longest = max([len(str(heading))] + [len(str(r[i - 1] or "")) for r in rows])
        sheet.column_dimensions[get_column_letter(i)].width = min(longest + 2, _WIDEST)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
