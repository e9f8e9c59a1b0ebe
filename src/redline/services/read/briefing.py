"""Every number of one briefing, read once: the store's findings and coverage, and the context
series of the data directory, into one :class:`~redline.model.briefing.Briefing`.

Reach for :func:`gather` before rendering (:func:`redline.services.report.write_report` does):
the renderer in :mod:`redline.report` then only draws what this read. Example: ``gather(conn,
Path("../shared/data"), store_name="demo.duckdb")`` → a briefing whose ``severity`` comes from
the same query as ``GET /overview`` and whose ``trade`` comes from the Census files.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from redline.errors import InputError
from redline.ingest import context, imf_trade
from redline.judge.vocab import sectors as taxonomy_sectors
from redline.model.briefing import Briefing
from redline.model.context import Growth
from redline.services.read import briefing_sections as bs
from redline.services.read.coverage import coverage
from redline.services.read.entities import captions
from redline.services.read.findings import breaches, by_sector_severity, severity_totals, trends
from redline.services.read.language import Lang

#: years compared when the caller does not choose (both complete in the Census files)
DEFAULT_GROWTH_YEARS = (2013, 2019)


def gather(
    conn: duckdb.DuckDBPyConnection,
    data_dir: Path | None,
    *,
    store_name: str = "",
    sector_names: Mapping[str, str] | None = None,
    growth_years: tuple[int, int] = DEFAULT_GROWTH_YEARS,
    lang: Lang = "en",
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
    _localise(brief, conn, lang)
    if data_dir is not None:
        _read_context(brief, data_dir, growth_years)
    else:
        brief.gaps.append("no data directory given: trade and investment context left out")
    if not brief.coverage["publishers"]:
        brief.gaps.append("no procurement records in the store")
    if not brief.coverage["lists"]:
        brief.gaps.append("no watchlists loaded in the store")
    return brief


def _localise(brief: Briefing, conn: duckdb.DuckDBPyConnection, lang: Lang) -> None:
    """Every finding in ``lang``, per sector; the top three; list names and their URLs."""
    names, urls = bs.list_names(conn)
    found = bs.all_findings(conn)
    han = bs.han_names(conn, [str(f.get("listed_entity_id")) for f in found])
    brief.lang, brief.text, brief.list_names = lang, bs.ui_text(lang), names
    labels = captions(conn, bs.ledger_entities(found))
    brief.sections = bs.sections(found, lang, names, han, labels)
    by_id = {f["finding_id"]: f for sec in brief.sections for f in sec["findings"]}
    tiers = {k: v.tier for k, v in taxonomy_sectors().items()}
    brief.top = [{**by_id[f["finding_id"]], "tier": tiers.get(str(f["class_id"]), "")}
                 for f in found[:3]]  # fmt: skip
    brief.sector_names = {sec["class_id"]: sec["name"] for sec in brief.sections}
    for row in brief.coverage["lists"]:
        row["source_url"] = urls.get(str(row["list_code"]), "")


def _read_imf(brief: Briefing, data_dir: Path, years: tuple[int, int]) -> None:
    """Mexico–China trade as each side reports it: latest year, per day, growth over ``years``."""
    brief.growth_years = years
    try:
        flows = imf_trade.imf_bilateral(data_dir)
    except InputError as exc:
        brief.gaps += [f"trade (IMF): {p}" for p in exc.problems]
        return
    for (reporter, partner), by_year in flows.items():
        last = max(by_year)
        first_v, last_v = by_year.get(years[0]), by_year.get(years[1])
        grow = None if not (first_v and last_v) else Growth("", *years, first_v, last_v)
        brief.imf_trade.append({
            "key": f"{reporter.lower()}_{partner.lower()}", "year": last,
            "total_bn": by_year[last] / 1e9,
            "per_day_m": by_year[last] / 1e6 / (366 if calendar.isleap(last) else 365),
            "growth": grow.percent if grow else None,
            "annual": grow.annual_percent if grow and years[1] > years[0] else None,
            "source": imf_trade.IMF_SOURCE, "url": imf_trade.IMF_URL,
        })  # fmt: skip
        brief.imf_last_year = max(brief.imf_last_year or last, last)


def _read_context(brief: Briefing, data_dir: Path, growth_years: tuple[int, int]) -> None:
    """Trade and investment into ``brief``; a file that cannot be read becomes a gap."""
    try:
        brief.trade = context.trade_series(data_dir)
        brief.census_last_year = max(y.year for y in brief.trade.years if y.complete)
        brief.growth = [context.growth(brief.trade, p, *growth_years)
                        for p in context.TRADE_FILES
                        if all(brief.trade.get(p, y) for y in growth_years)]  # fmt: skip
        brief.latest_trade = [
            max((y for y in brief.trade.years if y.partner == p and y.complete),
                key=lambda y: y.year)
            for p in context.TRADE_FILES
        ]  # fmt: skip
    except InputError as exc:
        brief.trade = None
        brief.gaps += [f"trade: {p}" for p in exc.problems]
    _read_imf(brief, data_dir, growth_years)
    try:
        brief.investment = context.mexico_investment(data_dir)
    except InputError as exc:
        brief.gaps += [f"investment: {p}" for p in exc.problems]
