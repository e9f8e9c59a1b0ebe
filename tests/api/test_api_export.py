"""``GET /findings.xlsx`` and the evidence-strength filter over the DEMO store (issue 17)."""

from __future__ import annotations

import io
from pathlib import Path

import httpx
from openpyxl import load_workbook

from redline.services.read.briefing_sections import ui_text
from redline.services.read.language import strength_names
from redline.store.db import Store


def _sheet(resp: httpx.Response) -> list[tuple[object, ...]]:
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(resp.content))
    sheet = book.active
    assert sheet is not None
    return list(sheet.iter_rows(values_only=True))


def _count(store: Path, sql: str) -> int:
    with Store(store, read_only=True) as st:
        row = st.conn.execute(sql).fetchone()
    return int(row[0]) if row else 0


def test_xlsx_holds_the_filtered_findings_in_spanish(demo: httpx.Client, demo_store: Path) -> None:
    want = _count(demo_store, "SELECT count(*) FROM findings WHERE evidence_strength = "
                  "'press_report' AND severity = 'watch'")  # fmt: skip
    asked = {"strength": "press_report", "severity": "watch", "lang": "es"}
    rows = _sheet(demo.get("/findings.xlsx", params=asked))
    head, body = rows[0], rows[1:]
    assert head[:3] == ("Gravedad", "Proveedor", "Entidad listada")
    assert len(body) == want > 0
    strength = head.index("Solidez")
    assert {r[strength] for r in body} == {strength_names("es")["press_report"]}
    assert {r[0] for r in body} == {"Seguimiento"}
    api = demo.get("/findings", params={"strength": "press_report", "severity": "watch"}).json()
    assert api["total"] == want  # the table and the workbook keep the same findings


def test_xlsx_sorted_as_the_reader_sorted(demo: httpx.Client) -> None:
    rows = _sheet(demo.get("/findings.xlsx", params={"sort": "value", "desc": "true",
                                                     "lang": "en"}))  # fmt: skip
    value = rows[0].index("Value")
    amounts = [r[value] for r in rows[1:] if r[value] is not None]
    assert amounts == sorted(amounts, reverse=True)  # numbers, not text, in the sheet
    assert all(isinstance(a, int | float) for a in amounts)
    names = [r[1] for r in _sheet(demo.get("/findings.xlsx", params={"sort": "supplier"}))[1:]]
    assert names == sorted(names, key=lambda n: str(n).casefold())
    assert demo.get("/findings.xlsx", params={"sort": "nope"}).status_code == 422
    assert demo.get("/findings", params={"strength": "rumour"}).status_code == 422


def test_buyer_chart_in_both_languages(demo: httpx.Client, demo_store: Path) -> None:
    """Findings and awarded value by buyer and year: Vega-Lite SVG with the buyers' names and
    the reader's words; the overview carries the same rows as numbers."""
    spanish = demo.get("/charts/buyers.svg", params={"lang": "es"})
    assert spanish.headers["content-type"].startswith("image/svg+xml")
    svg = spanish.text
    assert "Hallazgos por dependencia compradora y año de adjudicación" in svg
    assert "Agencia Nacional de Aduanas de México (ANAM)" in svg
    assert ui_text("es")["buyer_unnamed"] in svg  # an unnamed buyer, in words
    assert "Findings" not in svg and "http" not in svg.replace("http://www.w3.org", "")
    assert "Findings by buyer and award year" in demo.get(
        "/charts/buyers.svg", params={"lang": "en"}).text  # fmt: skip
    rows = demo.get("/overview").json()["by_buyer_year"]
    dated = _count(demo_store, "SELECT count(*) FROM findings WHERE award_date IS NOT NULL")
    assert sum(r["findings"] for r in rows) == dated
