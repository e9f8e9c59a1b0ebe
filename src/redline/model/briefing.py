"""The analyst's briefing as data: every number one briefing prints, read once.

Reach for :class:`Briefing` between reading and rendering: the read model fills it
(:func:`redline.services.read.briefing.gather`) and :mod:`redline.report` turns it into HTML,
PDF and charts without reading anything itself. Text and charts are both drawn from this one
object, so the paragraph that says "3 breaches" and the bar that shows them cannot disagree.
Example: ``severity == {"breach": 3, "high": 0, "watch": 1}`` with ``by_sector_severity``
holding ``SectorSeverity("border_inspection", "breach", 3)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from redline.model.context import Growth, Investment, TradeSeries, TradeYear
from redline.model.finding import SEVERITY_ORDER

#: severities in the order a reader should meet them
SEVERITIES = tuple(SEVERITY_ORDER)


@dataclass(frozen=True)
class SectorSeverity:
    class_id: str
    severity: str
    findings: int


@dataclass(frozen=True)
class Trend:
    """Findings and the value of the distinct awards behind them, by award year and sector."""

    year: int
    class_id: str
    findings: int
    awards: int
    value: float
    currency: str


@dataclass(frozen=True)
class BuyerYear:
    """Findings and the value of the distinct awards behind them, by buyer and award year;
    ``buyer`` is empty when the source names none."""

    buyer: str
    year: int
    findings: int
    awards: int
    value: float
    currency: str


@dataclass
class Briefing:
    """Everything one briefing prints; ``breaches`` are whole findings as the API returns them."""

    generated_at: str
    store: str
    severity: dict[str, int]
    by_sector_severity: list[SectorSeverity]
    breaches: list[dict[str, Any]]
    trends: list[Trend]
    coverage: dict[str, Any]
    sector_names: dict[str, str]
    trade: TradeSeries | None = None
    growth: list[Growth] = field(default_factory=list)
    latest_trade: list[TradeYear] = field(default_factory=list)
    investment: Investment | None = None
    gaps: list[str] = field(default_factory=list)
    #: the reader's language, and every reader-facing word of the briefing in it
    lang: str = "en"
    text: dict[str, str] = field(default_factory=dict)
    #: every finding, localised (services.read.language), grouped per sector, worst sector first
    sections: list[dict[str, Any]] = field(default_factory=list)
    #: the three findings that matter most (worst severity, then highest risk)
    top: list[dict[str, Any]] = field(default_factory=list)
    list_names: dict[str, str] = field(default_factory=dict)
    #: bilateral trade reported to the IMF (Mexico–China), beside the Census series
    imf_trade: list[dict[str, Any]] = field(default_factory=list)
    growth_years: tuple[int, int] = (2013, 2019)
    imf_last_year: int | None = None
    census_last_year: int | None = None

    @property
    def total_findings(self) -> int:
        return sum(self.severity.values())

    @property
    def investment_total(self) -> float:
        return round(sum(r.usd_millions for r in self.investment.rows), 1) if self.investment else 0
