"""Charts for the briefing as inline SVG: Vega-Altair specs rendered offline by vl-convert.

Reach for these with the rows of a :class:`~redline.model.briefing.Briefing` — the same rows
the briefing prints — so a chart never computes a number of its own. Each function
returns SVG text ready to inline (no network, no JavaScript needed to open the file).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt
import vl_convert as vlc

from redline.model.briefing import BuyerYear, SectorSeverity, Trend
from redline.model.context import InvestmentRow, TradeYear

SEVERITY_COLOURS = {"breach": "#b2182b", "high": "#ef8a62", "watch": "#999999"}
WIDTH = 560


def _svg(chart: alt.TopLevelMixin) -> str:
    spec: dict[str, Any] = chart.to_dict()
    svg: str = vlc.vegalite_to_svg(spec)
    return svg


def _data(values: list[dict[str, Any]]) -> alt.Data:
    return alt.Data(values=values)  # type: ignore[no-untyped-call]  # altair leaves Data unannotated


Text = Mapping[str, str]


# labels are never cut: Vega-Lite cuts them at 180 px by default, so every axis and legend
# here sets labelLimit=0 and the plots are narrow enough to leave room for a sector's name
def sector_severity(
    rows: Sequence[SectorSeverity], names: Mapping[str, str], text: Text, sev: Text
) -> str:
    """Stacked bars: findings per sector, coloured by severity."""
    data = _data([{"sector": names.get(r.class_id, r.class_id),
                   "severity": sev.get(r.severity, r.severity), "findings": r.findings}
                  for r in rows])  # fmt: skip
    scale = alt.Scale(domain=[sev.get(k, k) for k in SEVERITY_COLOURS],
                      range=list(SEVERITY_COLOURS.values()))  # fmt: skip
    chart = (
        alt.Chart(data, title=text["chart_sector_severity"], width=360)
        .mark_bar()
        .encode(
            y=alt.Y("sector:N", title=None, sort="-x", axis=alt.Axis(labelLimit=0)),
            x=alt.X("findings:Q", title=text["axis_findings"], axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("severity:N", scale=scale, title=text["legend_severity"]),
        )
    )
    return _svg(chart)


def trend_findings(rows: Sequence[Trend], names: Mapping[str, str], text: Text) -> str:
    """Findings per award year, stacked by sector."""
    values = [{"year": str(r.year), "sector": names.get(r.class_id, r.class_id),
               "findings": r.findings} for r in rows]  # fmt: skip
    chart = alt.Chart(_data(values), title=text["chart_trend_findings"],
                      width=300).mark_bar().encode(
        x=alt.X("year:O", title=text["axis_award_year"]),
        y=alt.Y("findings:Q", title=text["axis_findings"], axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("sector:N", title=text["legend_sector"], legend=alt.Legend(labelLimit=0)),
    )  # fmt: skip
    return _svg(chart)


def trend_value(rows: Sequence[Trend], names: Mapping[str, str], text: Text) -> str:
    """Awarded value per award year and sector, one panel per currency (never summed across);
    awards without a stated amount or currency are left out rather than drawn as an empty panel."""
    values = [{"year": str(r.year), "sector": names.get(r.class_id, r.class_id),
               "currency": r.currency, "value_m": round(r.value / 1e6, 2)}
              for r in rows if r.currency and r.value]  # fmt: skip
    if not values:
        return ""
    chart = alt.Chart(_data(values), title=text["chart_trend_value"],
                      width=300, height=140).mark_bar().encode(
        x=alt.X("year:O", title=text["axis_award_year"]),
        y=alt.Y("value_m:Q", title=text["axis_millions"]),
        color=alt.Color("sector:N", title=text["legend_sector"], legend=alt.Legend(labelLimit=0)),
        row=alt.Row("currency:N", title=None),
    )  # fmt: skip
    return _svg(chart)


def trade(rows: Sequence[TradeYear], text: Text) -> str:
    """US goods trade (imports + exports) with China and with Mexico, complete years."""
    values = [{"year": r.year, "partner": text.get(f"partner_{r.partner.lower()}", r.partner),
               "usd_bn": round(r.total / 1000, 1)} for r in rows if r.complete]  # fmt: skip
    chart = alt.Chart(_data(values), title=text["chart_trade"],
                      width=WIDTH).mark_line(point=False).encode(
        x=alt.X("year:Q", title=text["axis_year"], axis=alt.Axis(format="d")),
        y=alt.Y("usd_bn:Q", title=text["axis_usd_bn"]),
        color=alt.Color("partner:N", title=text["legend_partner"]),
    )  # fmt: skip
    return _svg(chart)


def investment(rows: Sequence[InvestmentRow], text: Text) -> str:
    """PRC investment deals in Mexico, USD millions by year and sector."""
    values = [{"year": str(r.year), "sector": r.sector, "usd_m": r.usd_millions} for r in rows]
    chart = alt.Chart(_data(values), title=text["chart_investment"],
                      width=WIDTH).mark_bar().encode(
        x=alt.X("year:O", title=text["axis_year"]),
        y=alt.Y("usd_m:Q", title=text["axis_usd_m"]),
        color=alt.Color("sector:N", title=text["legend_sector"]),
    )  # fmt: skip
    return _svg(chart)


def buyer_year(rows: Sequence[BuyerYear], text: Text) -> str:
    """Two panels by buyer, coloured by award year: findings, then awarded value in millions
    (one row per currency, never summed across). A buyer the source does not name is shown
    as ``text["buyer_unnamed"]``."""
    values = [{"buyer": r.buyer or text["buyer_unnamed"], "year": str(r.year),
               "findings": r.findings, "currency": r.currency or "—",
               "value_m": round(r.value / 1e6, 2)} for r in rows]  # fmt: skip
    if not values:
        return ""
    buyer = alt.Y("buyer:N", title=None, sort="-x", axis=alt.Axis(labelLimit=0))
    year = alt.Color("year:O", title=text["axis_award_year"], legend=alt.Legend(labelLimit=0))
    base = alt.Chart(_data(values), width=240)
    findings = base.mark_bar().encode(
        y=buyer, color=year,
        x=alt.X("sum(findings):Q", title=text["axis_findings"],
                axis=alt.Axis(tickMinStep=1, format="d")),
    ).properties(title=text["chart_buyer_findings"])  # fmt: skip
    valued = [v for v in values if v["value_m"] and v["currency"] != "—"]
    if not valued:
        return _svg(findings)
    value = alt.Chart(_data(valued), width=240).mark_bar().encode(
        y=buyer, color=year, x=alt.X("sum(value_m):Q", title=text["axis_millions"]),
        row=alt.Row("currency:N", title=None),
    ).properties(title=text["chart_buyer_value"])  # fmt: skip
    return _svg(alt.vconcat(findings, value).resolve_scale(color="shared"))
