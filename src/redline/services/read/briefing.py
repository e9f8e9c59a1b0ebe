"""Every number of one briefing, read once: the store's findings and coverage, and the context
series of the data directory, into one :class:`~redline.model.briefing.Briefing`.

Reach for :func:`gather` before rendering (:func:`redline.services.report.write_report` does):
the renderer in :mod:`redline.report` then only draws what this read. Example: ``gather(conn,
Path("../shared/data"), store_name="demo.duckdb")`` → a briefing whose ``severity`` comes from
the same query as ``GET /overview`` and whose ``trade`` comes from the Census files.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from redline.errors import InputError
from redline.ingest import context
from redline.model.briefing import Briefing
from redline.services.read.coverage import coverage
from redline.services.read.findings import breaches, by_sector_severity, severity_totals, trends

#: years compared when the caller does not choose (both complete in the Census files)
DEFAULT_GROWTH_YEARS = (2013, 2022)


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
        severity=severity_totals(conn),
        by_sector_severity=by_sector_severity(conn),
        breaches=breaches(conn),
        trends=trends(conn),
        coverage=coverage(conn),
        sector_names=dict(sector_names or {}),
    )
    if data_dir is not None:
        _read_context(brief, data_dir, growth_years)
    else:
        brief.gaps.append("no data directory given: trade and investment context left out")
    if not brief.coverage["publishers"]:
        brief.gaps.append("no procurement records in the store")
    if not brief.coverage["lists"]:
        brief.gaps.append("no watchlists loaded in the store")
    return brief


def _read_context(brief: Briefing, data_dir: Path, growth_years: tuple[int, int]) -> None:
    """Trade and investment into ``brief``; a file that cannot be read becomes a gap."""
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
