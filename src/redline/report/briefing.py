"""The analyst's briefing: one self-contained HTML file (charts inline), optionally a PDF.

Reach for :func:`render_html` to turn a :class:`~redline.model.briefing.Briefing` — every
number already read, by :func:`redline.services.read.briefing.gather` — into the page. This
module reads nothing: text and charts are both drawn from that one object, so the paragraph
that says "3 breaches" and the bar that shows them cannot disagree. Printed numbers carry
``data-metric`` attributes so a test can read them back.
"""

from __future__ import annotations

from urllib.parse import urlparse

from jinja2 import Environment, PackageLoader, select_autoescape

from redline.model.briefing import SEVERITIES, Briefing
from redline.report import charts


def draw_charts(brief: Briefing) -> dict[str, str]:
    """Chart name → inline SVG, for each section that has something to draw."""
    out = {}
    text, names = brief.text, brief.sector_names
    sev = {s: text.get(f"sev1_{s}", s) for s in SEVERITIES}
    if brief.by_sector_severity:
        out["sector_severity"] = charts.sector_severity(brief.by_sector_severity, names, text, sev)
    if brief.trends:
        out["trend_findings"] = charts.trend_findings(brief.trends, names, text)
        out["trend_value"] = charts.trend_value(brief.trends, names, text)
    if brief.trade is not None:
        out["trade"] = charts.trade(brief.trade.years, text)
    if brief.investment is not None and brief.investment.rows:
        out["investment"] = charts.investment(brief.investment.rows, text)
    return out


#: ledger field names (where a sector signal was read) in words
_FIELDS = {
    "en": {"tender.description": "tender description", "tender.title": "tender title",
           "buyer": "buyer's name", "items": "item description", "award.title": "award title"},
    "es": {"tender.description": "descripción del procedimiento",
           "tender.title": "título del procedimiento", "buyer": "nombre de la dependencia",
           "items": "descripción de partidas", "award.title": "título de la adjudicación"},
}  # fmt: skip


def _country(code: str | None, lang: str) -> str:
    """An ISO country code as its name in ``lang`` (Babel's CLDR names); other text kept."""
    if not code or len(code) != 2:
        return {"es": {"Multilateral": "multilateral"}}.get(lang, {}).get(code or "", code or "")
    from babel import Locale

    name: str | None = Locale(lang).territories.get(code.upper())
    return name or code


def _yesno(value: object, text: dict[str, str]) -> str:
    if value is None:
        return "—"
    return text["word_yes"] if value else text["word_no"]


def _short(name: str | None) -> str:
    """A dataset's name without its parenthesised or post-colon explanation."""
    head = (name or "").split(" (", 1)[0].split(":", 1)[0]
    return head.strip().rstrip(",")


def _host(url: str | None) -> str:
    return urlparse(url or "").netloc.removeprefix("www.") or (url or "")


def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("redline.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["money"] = lambda v: f"{v:,.0f}" if v is not None else "—"
    env.filters["num"] = lambda v, d=1: f"{v:,.{d}f}" if v is not None else "—"
    env.filters["country"] = _country
    env.filters["yesno"] = _yesno
    env.filters["short"] = _short
    env.filters["host"] = _host
    env.filters["field"] = lambda v, lang: _FIELDS.get(lang, {}).get(v, v)
    return env


def render_html(brief: Briefing) -> str:
    """The briefing as one HTML document with inline SVG charts and no external resources."""
    return (
        _env()
        .get_template("briefing.html.j2")
        .render(b=brief, charts=draw_charts(brief), severities=SEVERITIES)
    )
