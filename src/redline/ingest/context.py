"""Context series read from the data directory: US goods trade and PRC investment in Mexico.

Reach for these when the briefing (through :mod:`redline.services.read.briefing`) needs the
economic backdrop of the findings. Example: "US goods trade with China was USD 690.6bn in 2022,
USD 1.89bn a day". Files are read with DuckDB; a missing file or column is a bad *structure*
(InputError naming file and column), a non-numeric cell is a bad *value* (left out and counted
in ``dropped``). The series are the data types of :mod:`redline.model.context`, each carrying
its source and what it cannot show.
"""

from __future__ import annotations

import calendar
from pathlib import Path

import duckdb

from redline.errors import InputError, Problem
from redline.model.context import Growth, Investment, InvestmentRow, TradeSeries, TradeYear

TRADE_FILES = {
    "China": "trade/us_goods_trade_china_monthly_1985_2023.csv",
    "Mexico": "trade/us_goods_trade_mexico_monthly_1985_2023.csv",
}
TRADE_SOURCE = (
    "US Census Bureau, FT-900 country data (goods, USD millions, not seasonally adjusted), "
    "via bdecon/US-chartbook"
)
#: the partner pairs the trade files cannot show, said plainly in every briefing
TRADE_NOT_COVERED = (
    "Mexico–China trade (neither Mexico-reported nor China-reported figures are in the data)",
    "services trade for any pair (goods only)",
    "China–Mexico trade as reported by China's customs",
)
INVESTMENT_FILE = "investment/aei_china_global_investment_tracker_2005_2021fall.csv"
INVESTMENT_SOURCE = (
    "American Enterprise Institute, China Global Investment Tracker (2021 Fall edition, "
    "investments of USD 100m or more, 2005–2021)"
)
INVESTMENT_NOT_COVERED = (
    "construction contracts (the tracker's second dataset) are not in the data directory",
    "deals under USD 100m",
    "anything after 2021",
)


def _require(path: Path, columns: tuple[str, ...]) -> None:
    if not path.is_file():
        raise InputError([Problem(str(path), "", "file not found in the data directory")])
    found = duckdb.sql(
        "SELECT column_name FROM "
        "(DESCRIBE SELECT * FROM read_csv(?, header=true, all_varchar=true))",
        params=[str(path)],
    ).fetchall()
    names = {str(r[0]).strip() for r in found}
    missing = [c for c in columns if c not in names]
    if missing:
        raise InputError([Problem(str(path), "line 1", f"missing column {c!r}") for c in missing])


def trade_series(data_dir: Path) -> TradeSeries:
    """Yearly US goods trade with China and with Mexico from the monthly Census files."""
    series = TradeSeries(TRADE_SOURCE, TRADE_NOT_COVERED)
    for partner, rel in TRADE_FILES.items():
        path = data_dir / rel
        _require(path, ("date", "Imports", "Exports"))
        rows = duckdb.sql(
            "SELECT TRY_CAST(date AS DATE) AS d, TRY_CAST(Imports AS DOUBLE) AS m, "
            "TRY_CAST(Exports AS DOUBLE) AS x FROM read_csv(?, header=true, all_varchar=true)",
            params=[str(path)],
        ).fetchall()
        by_year: dict[int, list[tuple[int, float, float]]] = {}
        for day, imports, exports in rows:
            if day is None or imports is None or exports is None:
                series.dropped += 1
                continue
            by_year.setdefault(day.year, []).append((day.month, imports, exports))
        for year, months in sorted(by_year.items()):
            series.years.append(
                TradeYear(
                    partner,
                    year,
                    len(months),
                    round(sum(m[1] for m in months), 1),
                    round(sum(m[2] for m in months), 1),
                    sum(calendar.monthrange(year, m[0])[1] for m in months),
                )
            )
    return series


def growth(series: TradeSeries, partner: str, from_year: int, to_year: int) -> Growth:
    """Growth between two complete years; a year missing or partial is a clear error."""
    problems = []
    if to_year <= from_year:
        problems.append(Problem("trade", partner, f"{to_year} is not after {from_year}"))
    picked = []
    for year in (from_year, to_year):
        row = series.get(partner, year)
        if row is None or not row.complete:
            problems.append(Problem("trade", partner, f"no complete year {year} in the data"))
        picked.append(row)
    if problems or picked[0] is None or picked[1] is None:
        raise InputError(problems)
    return Growth(partner, from_year, to_year, picked[0].total, picked[1].total)


def mexico_investment(data_dir: Path) -> Investment:
    """AEI tracker deals in Mexico, summed by year and sector."""
    path = data_dir / INVESTMENT_FILE
    # the header pads " Quantity in Millions " with spaces, so names are compared trimmed
    _require(path, ("Year", "Investor", "Quantity in Millions", "Sector", "Country"))
    con = duckdb.connect()
    raw = con.execute(
        "SELECT * FROM read_csv(?, header=true, all_varchar=true)", [str(path)]
    ).fetchall()
    names = [d[0].strip() for d in con.description or []]
    con.close()
    out = Investment(INVESTMENT_SOURCE, INVESTMENT_NOT_COVERED)
    grouped: dict[tuple[int, str], list[tuple[float, str]]] = {}
    for values in raw:
        row = dict(zip(names, values, strict=True))
        if (row.get("Country") or "").strip() != "Mexico":
            continue
        year = _int(row.get("Year"))
        amount = _money(row.get("Quantity in Millions"))
        if year is None or amount is None:
            out.dropped += 1
            continue
        sector = (row.get("Sector") or "").strip() or "(none)"
        grouped.setdefault((year, sector), []).append((amount, (row.get("Investor") or "").strip()))
    for (year, sector), deals in sorted(grouped.items()):
        out.rows.append(
            InvestmentRow(
                year,
                sector,
                len(deals),
                round(sum(a for a, _ in deals), 1),
                "; ".join(sorted({i for _, i in deals if i})),
            )
        )
    return out


def _int(text: str | None) -> int | None:
    try:
        return int((text or "").strip())
    except ValueError:
        return None


def _money(text: str | None) -> float | None:
    try:
        return float((text or "").replace("$", "").replace(",", "").strip())
    except ValueError:
        return None
