"""Use case: the dashboard's charts drawn on the server, with the briefing's chart code.

Reach for :func:`buyer_chart` from a front end (``GET /charts/buyers.svg``): findings and
awarded value by buyer and award year as Vega-Lite (Altair) rendered offline to SVG by
vl-convert — the dashboard shows it as an image, so it needs no charting JavaScript.
"""

from __future__ import annotations

import duckdb

from redline.report.charts import buyer_year
from redline.services.read.briefing_sections import ui_text
from redline.services.read.findings import by_buyer_year
from redline.services.read.language import Lang


def buyer_chart(conn: duckdb.DuckDBPyConnection, lang: Lang) -> str:
    """The buyer × year chart in ``lang`` as SVG text; empty when no finding has a date."""
    return buyer_year(by_buyer_year(conn), ui_text(lang))
