"""Mexico–China goods trade from the IMF bilateral file (IMTS), read in place.

Reach for :func:`imf_bilateral` to get Mexico's trade with China as Mexico reports it and as
China reports it, year by year, from ``trade/imf_imts_bilateral_trade_*.xlsx`` (one sheet per
reporting country, one row per partner, one column per year, US dollars, blank = not reported).

What the values measure: total goods trade, exports plus imports, as the reporter records it
(not one direction). Checked against published totals: the sheet's China-reported trade with
Mexico in 2013 (USD 39.24 bn) equals China's customs total for that year (exports to Mexico
about 28.9 bn plus imports from Mexico about 10.3 bn), where either direction alone is far
smaller; and Mexico-reported trade with China in 2019 (USD 95.2 bn) exceeds Mexico's imports
from China alone (about 83 bn, INEGI), so it includes exports. The two reporters disagree
(Mexico records much more than China does: imports valued CIF, and Chinese goods routed through
third countries counted by origin), so the briefing prints both, never one for the other.
Example: ``imf_bilateral(Path("../shared/data"))[("Mexico", "China")][2019]`` → 95166145080.0.
"""

from __future__ import annotations

from pathlib import Path

from redline.errors import InputError, Problem

IMF_GLOB = "trade/imf_imts_bilateral_trade_*.xlsx"
IMF_SOURCE = (
    "IMF, International Trade in Goods (IMTS), bilateral goods trade by reporter, as compiled "
    "in the MultiATSM package (Candelon and Moura, 2024)"
)
IMF_URL = "https://data.imf.org/"
#: (reporter sheet, partner row) pairs the briefing shows
PAIRS = (("Mexico", "China"), ("China", "Mexico"))


def imf_file(data_dir: Path) -> Path:
    """The IMF bilateral file in the data directory; none is a one-line problem."""
    found = sorted(data_dir.glob(IMF_GLOB))
    if not found:
        raise InputError([Problem(str(data_dir / IMF_GLOB), "", "file not found")])
    return found[-1]


def imf_bilateral(data_dir: Path) -> dict[tuple[str, str], dict[int, float]]:
    """(reporter, partner) → year → USD, for :data:`PAIRS`; blanks are left out."""
    import openpyxl  # only the briefing needs it

    path = imf_file(data_dir)
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    out: dict[tuple[str, str], dict[int, float]] = {}
    problems = []
    for reporter, partner in PAIRS:
        if reporter not in book.sheetnames:
            problems.append(Problem(str(path), reporter, "no sheet for this reporter"))
            continue
        rows = list(book[reporter].iter_rows(values_only=True))
        years = rows[0][1:] if rows else ()
        row = next((r for r in rows[1:] if str(r[0]).strip() == partner), None)
        if row is None:
            problems.append(Problem(str(path), reporter, f"no row for partner {partner}"))
            continue
        out[reporter, partner] = {
            int(y): float(v)
            for y, v in zip(years, row[1:], strict=False)
            if isinstance(y, int | float) and isinstance(v, int | float) and v > 0
        }
    book.close()
    if problems:
        raise InputError(problems)
    return out
