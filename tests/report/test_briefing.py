"""The briefing, rendered from the SYNTHETIC store and the mirror's trade/investment files:
every number it prints is checked against the store and the CSVs, read here independently."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from synthetic_store import MIRROR, build

from redline.cli import main
from redline.engine.store import Store


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("briefing")
    store = build(folder / "synthetic.duckdb")
    out = folder / "out"
    with pytest.raises(SystemExit) as done:
        main(["--store", str(store), "--data", str(MIRROR), "report", "--output", str(out),
              "--format", "html,pdf", "--growth-from", "2010", "--growth-to", "2020"])  # fmt: skip
    assert done.value.code in (0, None)
    return store, out


def metrics(html: str) -> dict[str, str]:
    found = re.findall(r'data-metric="([^"]+)">([^<]*)<', html)
    return {k: v.strip() for k, v in found}


def _num(text: str) -> float:
    return float(text.replace(",", "").replace("%", "").split()[0])


def test_counts_match_the_store(rendered: tuple[Path, Path]) -> None:
    store, out = rendered
    m = metrics((out / "briefing.html").read_text(encoding="utf-8"))
    with Store(store, read_only=True) as st:
        q = st.conn.execute
        assert int(m["findings-total"]) == q("SELECT count(*) FROM findings").fetchone()[0]  # type: ignore[index]
        for sev, n in q("SELECT severity, count(*) FROM findings GROUP BY 1").fetchall():
            assert int(m[f"severity-{sev}"]) == n
        for cls, sev, n in q(
            "SELECT class_id, severity, count(*) FROM findings GROUP BY ALL"
        ).fetchall():
            assert int(m[f"cell-{cls}-{sev}"]) == n
        for fid, amount in q(
            "SELECT finding_id, TRY_CAST(data->>'amount' AS DOUBLE) FROM findings "
            "WHERE severity = 'breach'"
        ).fetchall():
            assert _num(m[f"breach-amount-{fid}"]) == amount
        trend_cells = [k for k in m if k.startswith("trend-") and k.endswith("-findings")]
        assert trend_cells
        for year, cls, n in q(
            "SELECT year(award_date), class_id, count(*) FROM findings GROUP BY ALL"
        ).fetchall():
            assert int(m[f"trend-{year}-{cls}-findings"]) == n
        processes = q("SELECT count(*) FROM processes").fetchone()[0]  # type: ignore[index]
    assert int(m["processes"]) == processes


def _trade_by_year(partner: str) -> dict[int, tuple[int, float]]:
    path = MIRROR / f"trade/us_goods_trade_{partner.lower()}_monthly_1985_2023.csv"
    years: dict[int, tuple[int, float]] = {}
    with path.open() as handle:
        for row in csv.DictReader(handle):
            year = int(row["date"][:4])
            months, total = years.get(year, (0, 0.0))
            years[year] = (months + 1, total + float(row["Imports"]) + float(row["Exports"]))
    return years


@pytest.mark.parametrize("partner", ["China", "Mexico"])
def test_trade_numbers_match_the_census_file(rendered: tuple[Path, Path], partner: str) -> None:
    m = metrics((rendered[1] / "briefing.html").read_text(encoding="utf-8"))
    years = _trade_by_year(partner)
    latest = max(y for y, (months, _) in years.items() if months == 12)
    total = years[latest][1]
    assert _num(m[f"trade-{partner}-{latest}-total"]) == pytest.approx(total, abs=0.1)
    days = 366 if latest % 4 == 0 else 365
    assert _num(m[f"trade-{partner}-{latest}-per-day"]) == pytest.approx(total / days, abs=0.01)
    growth = 100 * (years[2020][1] / years[2010][1] - 1)
    assert _num(m[f"growth-{partner}-2010-2020"]) == pytest.approx(growth, abs=0.05)


def test_investment_numbers_match_the_tracker(rendered: tuple[Path, Path]) -> None:
    html = (rendered[1] / "briefing.html").read_text(encoding="utf-8")
    m = metrics(html)
    with (MIRROR / "investment/aei_china_global_investment_tracker_2005_2021fall.csv").open() as h:
        rows = [r for r in csv.DictReader(h) if r["Country"].strip() == "Mexico"]
    amounts = [float(r[" Quantity in Millions "].strip(" $").replace(",", "")) for r in rows]
    assert int(m["investment-deals"]) == len(rows)
    assert _num(m["investment-total"]) == pytest.approx(sum(amounts))
    assert "construction contracts" in html  # the gap is said plainly


def test_html_is_self_contained_and_complete(rendered: tuple[Path, Path]) -> None:
    html = (rendered[1] / "briefing.html").read_text(encoding="utf-8")
    assert not re.search(r'<(script|link|img)[^>]+(src|href)="https?:', html)
    assert html.count("<svg") == 5  # sector×severity, 2 trends, trade, investment
    breach = html.split('data-finding="syn-nuctech"')[1].split('class="breach"')[0]
    for part in ("us-bis-entity-list since 2020-12-22", "Guard rails", "Alternatives",
                 "Ownership path", "Agencia Nacional de Aduanas", "Also meets",
                 "SYNTHETIC: a second rule met by NUCTECH"):  # fmt: skip
        assert part in breach
    assert "Mexico–China trade" in html  # partner pairs the data cannot show
    assert "SYNTHETIC test publisher" in html and "us-ndaa-889" in html  # coverage


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils: make system-deps")
def test_pdf_pages_are_not_empty(rendered: tuple[Path, Path], tmp_path: Path) -> None:
    pdf = rendered[1] / "briefing.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) >= 3
    for page in pages:
        with Image.open(page) as img:
            grey = img.convert("L")
            dark = sum(grey.histogram()[:200])
            assert dark > 0.005 * grey.width * grey.height, f"{page.name} is blank"
