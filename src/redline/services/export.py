"""Use case: the dashboard's findings view as a spreadsheet — the same filters, the reader's
language, the order the reader sorted by.

Reach for :func:`findings_xlsx` from a front end (``GET /findings.xlsx``). Example:
``findings_xlsx(conn, FindingFilter(severity="breach"), "es", sort="supplier")`` is a workbook
whose headings, severities, sectors, lists and evidence strengths read in Spanish, one row per
finding, amounts as numbers beside their currency.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import duckdb

from redline.report.xlsx import Cell, table_xlsx
from redline.services.read.briefing_sections import ui_text
from redline.services.read.findings import FindingFilter, findings_page
from redline.services.read.language import Lang, localise_rows

#: most rows one export holds (the API's page limit is 500; a view is far smaller)
MAX_ROWS = 10_000


def _review(item: dict[str, Any], words: dict[str, str]) -> str:
    review = item.get("review") or {}
    action = str(review.get("action") or "")
    return words.get(f"rev_{action}", action) if action else ""


#: column key → (heading key in briefing_text.yaml, the cell of a localised finding)
COLUMNS: dict[str, tuple[str, Callable[[dict[str, Any], dict[str, str]], Cell]]] = {
    "severity": ("col_severity", lambda f, w: w.get(f"sev1_{f['severity']}", w["review"])),
    "supplier": ("col_supplier", lambda f, w: f["supplier_name"]),
    "listed": ("col_listed", lambda f, w: f["listed_caption"] or f["listed_entity_id"]),
    "sector": ("col_sector", lambda f, w: f["sector_name"]),
    "buyer": ("col_buyer", lambda f, w: f["buyer_name"] or w["buyer_unnamed"]),
    "date": ("col_date", lambda f, w: f["award_when"]),
    "value": ("col_value", lambda f, w: f["amount"]),
    "currency": ("col_currency", lambda f, w: f["currency"]),
    "lists": ("col_lists", lambda f, w: "; ".join(f["list_names"])),
    "strength": ("col_strength", lambda f, w: f["strength_name"] or None),
    "score": ("col_score", lambda f, w: f["score"]),
    "review": ("review", _review),
    "record": ("col_record", lambda f, w: f["ocid"]),
    "finding": ("col_finding", lambda f, w: f["finding_id"]),
}


def _key(value: Cell) -> tuple[int, Any]:
    """Sort key: empty cells last, numbers as numbers, text case-insensitively."""
    if value is None or value == "":
        return (2, "")
    if isinstance(value, int | float):
        return (0, value)
    return (1, str(value).casefold())


def findings_rows(
    conn: duckdb.DuckDBPyConnection,
    filt: FindingFilter,
    lang: Lang,
    *,
    sort: str | None = None,
    desc: bool = False,
) -> tuple[list[str], list[list[Cell]]]:
    """Headings and rows of the findings ``filt`` keeps, in ``lang``, sorted on column
    ``sort`` (a key of :data:`COLUMNS`) or in the API's order."""
    words = ui_text(lang)
    items = localise_rows(conn, findings_page(conn, filt, limit=MAX_ROWS).items, lang)
    rows = [[cell(item, words) for _, cell in COLUMNS.values()] for item in items]
    if sort in COLUMNS:
        col = list(COLUMNS).index(sort)
        filled = [r for r in rows if r[col] not in (None, "")]
        empty = [r for r in rows if r[col] in (None, "")]
        rows = sorted(filled, key=lambda r: _key(r[col]), reverse=desc) + empty
    return [words[heading] for heading, _ in COLUMNS.values()], rows


def findings_xlsx(
    conn: duckdb.DuckDBPyConnection,
    filt: FindingFilter,
    lang: Lang,
    *,
    sort: str | None = None,
    desc: bool = False,
) -> bytes:
    """The findings view as an .xlsx workbook (see :func:`findings_rows`)."""
    headings, rows = findings_rows(conn, filt, lang, sort=sort, desc=desc)
    return table_xlsx(ui_text(lang)["col_findings"], headings, rows)
