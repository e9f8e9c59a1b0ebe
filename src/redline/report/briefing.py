"""The analyst's briefing: one self-contained HTML file (charts inline), optionally a PDF.

Reach for :func:`gather` to collect every number of a briefing once, and :func:`render_html`
to turn it into the page. Text and charts are both drawn from the one :class:`Briefing`
object, which is filled from :mod:`redline.report.queries` and :mod:`redline.report.context`
only — so the paragraph that says "3 breaches" and the bar that shows them cannot disagree.
Printed numbers carry ``data-metric`` attributes so a test can read them back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
from jinja2 import Environment, PackageLoader, select_autoescape

from redline.errors import InputError
from redline.report import charts, context, queries

#: years compared when the caller does not choose (both complete in the Census files)
DEFAULT_GROWTH_YEARS = (2013, 2022)
#: printed lines an A4 page (1.5 cm margins, 0.9 rem tables) holds, with room to spare
PAGE_LINES = 42


def fits_on_page(finding: dict[str, Any]) -> bool:
    """Whether a breach block is short enough to keep whole on one PDF page.

    A rough count of printed lines: the heading, sentence and award paragraph, about two per
    evidence row (sources are long URLs), four per "also meets" entry, one or two per guard
    rail and alternative. Only a block that fits is kept whole; a longer one must be allowed to
    break, or the printer pushes it to a new page and leaves its section heading alone.
    """
    lines = 14 + 2 * len(finding.get("ledger") or []) + 4 * len(finding.get("also_meets") or [])
    lines += 2 * len(finding.get("guard_rails") or []) + len(finding.get("alternatives") or [])
    return lines <= PAGE_LINES


@dataclass
class Briefing:
    """Everything one briefing prints."""

    generated_at: str
    store: str
    severity: dict[str, int]
    by_sector_severity: list[queries.SectorSeverity]
    breaches: list[dict[str, Any]]
    trends: list[queries.Trend]
    coverage: dict[str, Any]
    sector_names: dict[str, str]
    trade: context.TradeSeries | None = None
    growth: list[context.Growth] = field(default_factory=list)
    latest_trade: list[context.TradeYear] = field(default_factory=list)
    investment: context.Investment | None = None
    gaps: list[str] = field(default_factory=list)
    charts: dict[str, str] = field(default_factory=dict)

    @property
    def total_findings(self) -> int:
        return sum(self.severity.values())

    @property
    def investment_total(self) -> float:
        return round(sum(r.usd_millions for r in self.investment.rows), 1) if self.investment else 0


def gather(
    conn: duckdb.DuckDBPyConnection,
    data_dir: Path | None,
    *,
    store_name: str = "",
    sector_names: Mapping[str, str] | None = None,
    growth_years: tuple[int, int] = DEFAULT_GROWTH_YEARS,
) -> Briefing:
    """Run every query once. Without ``data_dir`` (or its files) the context sections are
    left out and listed among the gaps instead."""
    brief = Briefing(
        generated_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        store=store_name,
        severity=queries.severity_totals(conn),
        by_sector_severity=queries.by_sector_severity(conn),
        breaches=[{**f, "fits_on_page": fits_on_page(f)} for f in queries.breaches(conn)],
        trends=queries.trends(conn),
        coverage=queries.coverage(conn),
        sector_names=dict(sector_names or {}),
    )
    if data_dir is not None:
        try:
            brief.trade = context.trade_series(data_dir)
            brief.growth = [context.growth(brief.trade, p, *growth_years)
                            for p in context.TRADE_FILES]  # fmt: skip
            brief.latest_trade = [
                max((y for y in brief.trade.years if y.partner == p and y.complete),
                    key=lambda y: y.year)
                for p in context.TRADE_FILES
            ]  # fmt: skip
        except InputError as exc:
            brief.trade = None
            brief.gaps += [f"trade: {p}" for p in exc.problems]
        try:
            brief.investment = context.mexico_investment(data_dir)
        except InputError as exc:
            brief.gaps += [f"investment: {p}" for p in exc.problems]
    else:
        brief.gaps.append("no data directory given: trade and investment context left out")
    if not brief.coverage["publishers"]:
        brief.gaps.append("no procurement records in the store")
    if not brief.coverage["lists"]:
        brief.gaps.append("no watchlists loaded in the store")
    brief.charts = _charts(brief)
    return brief


def _charts(brief: Briefing) -> dict[str, str]:
    out = {}
    if brief.by_sector_severity:
        out["sector_severity"] = charts.sector_severity(brief.by_sector_severity)
    if brief.trends:
        out["trend_findings"] = charts.trend_findings(brief.trends)
        out["trend_value"] = charts.trend_value(brief.trends)
    if brief.trade is not None:
        out["trade"] = charts.trade(brief.trade.years)
    if brief.investment is not None and brief.investment.rows:
        out["investment"] = charts.investment(brief.investment.rows)
    return out


def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("redline.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["money"] = lambda v: f"{v:,.0f}" if v is not None else "—"
    env.filters["num"] = lambda v, d=1: f"{v:,.{d}f}"
    return env


def render_html(brief: Briefing) -> str:
    """The briefing as one HTML document with inline SVG charts and no external resources."""
    return (
        _env()
        .get_template("briefing.html.j2")
        .render(
            b=brief,
            ctx=context,
            severities=queries.SEVERITIES,
        )
    )
