"""Tables for people on a terminal: the findings of a screen and a command's summary.

Reach for :func:`findings_table` to show findings one line each in whatever width the terminal
has, and :func:`summary_table` instead of printing a summary dict.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from rich.markup import escape
from rich.table import Table

if TYPE_CHECKING:
    from redline.model import Finding
    from redline.services.screen import ScreenReport

_GAP = 2  # blank columns between two cells (no box, padding 1 on each side, no outer edge)
#: (header, width) of the columns that keep their width at any terminal size
_FIXED = (("severity", 8), ("risk", 4), ("year", 4), ("value", 11))
#: (header, share, least width) of the columns that take what the terminal has left
_FLEX = (("supplier", 5, 8), ("buyer", 4, 6), ("sector", 3, 6), ("lists", 3, 6),
         ("record", 3, 6))  # fmt: skip
#: the review column, shown when any finding was reviewed
_REVIEW = ("review", 9)


def fit(text: str, width: int, *, tail: bool = False) -> str:
    """Cut to ``width`` with an ellipsis; ``tail`` keeps the end (an ocid's distinctive part)."""
    if len(text) <= width:
        return text
    if width <= 1:
        return "…"[:width]
    return "…" + text[-(width - 1) :] if tail else text[: width - 1] + "…"


def amount(value: float | None, currency: str | None) -> str:
    """A contract value in at most 11 characters: ``13.4bn MXN``, ``820k USD``, ``—``."""
    if value is None:
        return "—"
    for size, unit in ((1e9, "bn"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            number = f"{value / size:.1f}".removesuffix(".0") + unit
            break
    else:
        number = f"{value:.0f}"
    return f"{number} {currency or ''}".strip()


#: a review's action as the review column says it
_REVIEWED = {"dismiss": "dismissed", "confirm": "confirmed", "reopen": "reopened"}
#: the columns given up, in this order, when a terminal is too narrow for all of them
_DROP = ("record", "year", "buyer", "value", "lists")


def widths(width: int, *, review: bool) -> dict[str, int]:
    """Each column's width so that the row, gaps included, fits ``width`` columns; a
    terminal too narrow for every column loses those of :data:`_DROP` first."""
    fixed = dict(_FIXED) | (dict([_REVIEW]) if review else {})
    flex = list(_FLEX)
    for dropped in (None, *_DROP):
        fixed.pop(dropped or "", None)
        flex = [column for column in flex if column[0] != dropped]
        left = width - sum(fixed.values()) - _GAP * (len(fixed) + len(flex) - 1)
        if left >= sum(least for _, _, least in flex):
            break
    shares = sum(share for _, share, _ in flex)
    return fixed | {name: max(least, left * share // shares) for name, share, least in flex}


def _cells(f: Finding, review: str) -> dict[str, str]:
    lists = " ".join(code.removeprefix("us-") for code in f.list_codes)
    return {
        "severity": f.severity,
        "risk": f"{f.risk.total:.0f}",
        "year": str(f.award_date.year) if f.award_date else "—",
        "value": amount(f.amount, f.currency),
        "review": review,
        "supplier": f.supplier_name,
        "buyer": f.buyer_name or "—",
        "sector": f.class_id,
        "lists": f"+{len(f.also_meets)} {lists}" if f.also_meets else lists,
        "record": f.ocid,
    }


def findings_table(report: ScreenReport, width: int = 80) -> Table:
    """One line per finding in a ``width``-column terminal; ``--json``/``--output`` has the rest.

    Cells are cut here, not by Rich: Rich squeezes no-wrap columns to a few letters each. A
    dismissed finding says so in its review column (it stays dismissed across re-screens).
    """
    reviews = {fid: _REVIEWED.get(r.action, r.action) for fid, r in report.reviews.items()}
    sizes = widths(width, review=bool(reviews))
    dismissed = sum(1 for action in reviews.values() if action == "dismissed")
    note = f", {dismissed} dismissed" if dismissed else ""
    table = Table(
        title=f"Findings as of {report.as_of.isoformat()} ({len(report.findings)}{note})",
        box=None,
        pad_edge=False,
    )
    order = [h for h in ("severity", "risk", "supplier", "buyer", "year", "value", "sector",
                         "lists", "record", "review") if h in sizes]  # fmt: skip
    for header in order:
        right = header in ("risk", "value")
        table.add_column(header, width=sizes[header], no_wrap=True,
                         justify="right" if right else "left")  # fmt: skip
    for f in report.findings:
        cells = _cells(f, reviews.get(f.finding_id, ""))
        table.add_row(*(escape(fit(cells[h], sizes[h], tail=h == "record")) for h in order))
    return table


def summary_table(summary: Mapping[str, object], title: str = "Summary") -> Table:
    """A summary dict as two columns; nested counts read ``breach 8, high 2``."""
    table = Table(title=title, box=None, show_header=False, pad_edge=False)
    table.add_column("what", style="bold")
    table.add_column("value", overflow="fold")
    for key, value in summary.items():
        if value in (None, {}, []):
            continue
        if isinstance(value, Mapping):
            text = ", ".join(f"{k} {v}" for k, v in value.items())
        elif isinstance(value, list):
            text = f"{len(value)}: " + "; ".join(str(v) for v in value[:3])
        else:
            text = str(value)
        table.add_row(key.replace("_", " "), escape(text))
    return table
