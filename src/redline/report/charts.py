"""Charts for the briefing as inline SVG: Vega-Altair specs rendered offline by vl-convert.

Reach for these with the rows of a :class:`~redline.model.briefing.Briefing` — the same rows
the briefing prints — so a chart never computes a number of its own. Each function
returns SVG text ready to inline (no network, no JavaScript needed to open the file).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt
import vl_convert as vlc

from redline.model.briefing import SectorSeverity, Trend
from redline.model.context import InvestmentRow, TradeYear

SEVERITY_COLOURS = {"breach": "#b2182b", "high": "#ef8a62", "watch": "#999999"}
WIDTH = 560


def _svg(chart: alt.TopLevelMixin) -> str:
    spec: dict[str, Any] = chart.to_dict()
    svg: str = vlc.vegalite_to_svg(spec)
    return svg


def _data(values: list[dict[str, Any]]) -> alt.Data:
    return alt.Data(values=values)  # type: ignore[no-untyped-call]  # altair leaves Data unannotated


def _severity_scale() -> alt.Scale:
    return alt.Scale(domain=list(SEVERITY_COLOURS), range=list(SEVERITY_COLOURS.values()))


def sector_severity(rows: Sequence[SectorSeverity]) -> str:
    """Stacked bars: findings per sector, coloured by severity."""
    data = _data([{"sector": r.class_id, "severity": r.severity, "findings": r.findings}
                            for r in rows])  # fmt: skip
    chart = (
        alt.Chart(data, title="Findings by sector and severity", width=WIDTH)
        .mark_bar()
        .encode(
            y=alt.Y("sector:N", title=None, sort="-x"),
            x=alt.X("findings:Q", title="findings", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("severity:N", scale=_severity_scale()),
        )
    )
    return _svg(chart)


def trend_findings(rows: Sequence[Trend]) -> str:
    """Findings per award year, stacked by sector."""
    values = [{"year": str(r.year), "sector": r.class_id, "findings": r.findings} for r in rows]
    chart = alt.Chart(_data(values), title="Findings by award year and sector",
                      width=WIDTH).mark_bar().encode(
        x=alt.X("year:O", title="award year"),
        y=alt.Y("findings:Q", title="findings", axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("sector:N"),
    )  # fmt: skip
    return _svg(chart)


def trend_value(rows: Sequence[Trend]) -> str:
    """Awarded value per award year and sector, one panel per currency (never summed across)."""
    values = [{"year": str(r.year), "sector": r.class_id, "currency": r.currency or "?",
               "value_m": round(r.value / 1e6, 2)} for r in rows]  # fmt: skip
    chart = alt.Chart(_data(values), title="Awarded value with findings (millions)",
                      width=WIDTH, height=140).mark_bar().encode(
        x=alt.X("year:O", title="award year"),
        y=alt.Y("value_m:Q", title="millions"),
        color=alt.Color("sector:N"),
        row=alt.Row("currency:N", title=None),
    )  # fmt: skip
    return _svg(chart)


def trade(rows: Sequence[TradeYear]) -> str:
    """US goods trade (imports + exports) with China and with Mexico, complete years."""
    values = [{"year": r.year, "partner": r.partner, "usd_bn": round(r.total / 1000, 1)}
              for r in rows if r.complete]  # fmt: skip
    chart = alt.Chart(_data(values), title="US goods trade, USD billions a year",
                      width=WIDTH).mark_line(point=False).encode(
        x=alt.X("year:Q", axis=alt.Axis(format="d")),
        y=alt.Y("usd_bn:Q", title="USD bn (imports + exports)"),
        color=alt.Color("partner:N"),
    )  # fmt: skip
    return _svg(chart)


def investment(rows: Sequence[InvestmentRow]) -> str:
    """PRC investment deals in Mexico, USD millions by year and sector."""
    values = [{"year": str(r.year), "sector": r.sector, "usd_m": r.usd_millions} for r in rows]
    chart = alt.Chart(_data(values), title="PRC investment in Mexico (AEI tracker)",
                      width=WIDTH).mark_bar().encode(
        x=alt.X("year:O"),
        y=alt.Y("usd_m:Q", title="USD millions"),
        color=alt.Color("sector:N"),
    )  # fmt: skip
    return _svg(chart)
