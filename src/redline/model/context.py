"""The economic backdrop of the findings as data: US goods trade and PRC investment in Mexico.

Reach for these types when a briefing, its charts or a test needs the context series. Example:
"US goods trade with China was USD 690.6bn in 2022, USD 1.89bn a day" is one :class:`TradeYear`
(``total`` 690,600.0 USD millions over 365 days). Each series carries the source it was read
from and what it cannot show, so whoever prints it cites both. They are read from the data
directory by :mod:`redline.ingest.context`.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TradeYear:
    """US goods trade with one partner in one calendar year (USD millions)."""

    partner: str
    year: int
    months: int
    imports: float
    exports: float
    days: int  # days in the months covered, for the per-day average

    @property
    def total(self) -> float:
        return round(self.imports + self.exports, 1)

    @property
    def per_day(self) -> float:
        return round(self.total / self.days, 2) if self.days else 0.0

    @property
    def complete(self) -> bool:
        return self.months == 12


@dataclass
class TradeSeries:
    """Every year of trade read, with the source and the partner pairs the files cannot show."""

    source: str
    not_covered: tuple[str, ...]
    years: list[TradeYear] = field(default_factory=list)
    dropped: int = 0  # monthly rows whose numbers did not parse

    def get(self, partner: str, year: int) -> TradeYear | None:
        return next((y for y in self.years if y.partner == partner and y.year == year), None)


@dataclass(frozen=True)
class Growth:
    """Change in total goods trade between two years: 100 * (to / from - 1), and per year."""

    partner: str
    from_year: int
    to_year: int
    from_total: float
    to_total: float

    @property
    def percent(self) -> float:
        return round(100 * (self.to_total / self.from_total - 1), 1)

    @property
    def annual_percent(self) -> float:
        span = self.to_year - self.from_year
        ratio: float = (self.to_total / self.from_total) ** (1 / span)
        return round(100 * (ratio - 1), 2)


@dataclass(frozen=True)
class InvestmentRow:
    """PRC investment deals in Mexico in one year and sector (USD millions)."""

    year: int
    sector: str
    deals: int
    usd_millions: float
    investors: str


@dataclass
class Investment:
    """The tracker's deals in Mexico by year and sector, with the source and what it leaves out."""

    source: str
    not_covered: tuple[str, ...]
    rows: list[InvestmentRow] = field(default_factory=list)
    dropped: int = 0  # Mexico rows whose amount or year did not parse
