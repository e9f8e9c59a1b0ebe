"""The dashboard driven in Debian's headless Chromium (Playwright), against a real server.

Runs on a copy of the DEMO store (`redline demo` on the mirror). Screenshots go to a temporary
folder, so a test run leaves the working tree clean; `make screenshots` (REDLINE_SCREENSHOTS=DIR)
writes them to docs/screenshots/ instead.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
from live_server import start_server, stop

from redline.store.db import Store

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="Debian chromium missing: run `make system-deps`"
)


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: docs/screenshots/ only when asked (committed from the demo)."""
    wanted = os.environ.get("REDLINE_SCREENSHOTS")
    folder = Path(wanted) if wanted else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def base(demo_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    copy = tmp_path_factory.mktemp("web") / "demo.duckdb"
    shutil.copy(demo_store, copy)  # the server holds its store file; the API tests serve theirs
    proc, url = start_server(copy, {})
    yield url
    stop(proc)


def _sql(store: Path, sql: str, params: list[object] | None = None) -> list[tuple[object, ...]]:
    with Store(store, read_only=True) as st:
        return st.conn.execute(sql, params or []).fetchall()


@pytest.fixture(scope="module")
def page(base: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        blocked: list[str] = []
        # nothing may be loaded from anywhere but the server itself
        context.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith(base)
                else (blocked.append(route.request.url), route.abort())
            ),
        )
        pg = context.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda exc: errors.append(str(exc)))
        yield pg
        assert not errors, errors
        assert not blocked, blocked
        browser.close()


def test_overview_filter_open_nuctech_and_see_evidence(
    page: object, base: str, demo_store: Path, shots: Path
) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(f"{base}/")
    for severity, n in _sql(demo_store, "SELECT severity, count(*) FROM findings GROUP BY 1"):
        expect(page.locator(f'[data-severity="{severity}"] .n')).to_have_text(str(n))
    expect(page.locator("#sector-table")).to_contain_text("Inspección aduanera y fronteriza")
    # the trend chart: one bar per (award year, sector), its height the store's count
    bars = page.locator("#trend-chart rect.trend-bar")
    expected = _sql(demo_store, "SELECT year(award_date), class_id, count(*) FROM findings "
                    "WHERE award_date IS NOT NULL GROUP BY ALL")  # fmt: skip
    expect(bars).to_have_count(len(expected))
    for year, sector, n in expected:
        bar = page.locator(f'#trend-chart rect[data-year="{year}"][data-sector="{sector}"]')
        expect(bar).to_have_attribute("data-findings", str(n))
    page.screenshot(path=str(shots / "overview.png"), full_page=True)

    (total,) = _sql(demo_store, "SELECT count(*) FROM findings")[0]
    nuctech = dict(_sql(demo_store, "SELECT ocid, finding_id FROM findings "
                        "WHERE class_id = 'border_inspection'"))  # fmt: skip
    assert sorted(nuctech) == [
        "redline-events-MX-007", "redline-events-MX-008", "redline-events-MX-009"
    ]  # fmt: skip
    page.click('a[href="#/findings"]')
    expect(page.locator("#total")).to_contain_text(str(total))
    page.select_option("#f-sector", "border_inspection")
    expect(page.locator("#total")).to_contain_text(str(len(nuctech)))
    rows = page.locator("#findings-table tr.row")
    expect(rows).to_have_count(len(nuctech))
    for i in range(len(nuctech)):
        expect(rows.nth(i)).to_contain_text("Nuctech")
    page.screenshot(path=str(shots / "findings-border-inspection.png"), full_page=True)

    page.click(f'tr[data-finding="{nuctech["redline-events-MX-009"]}"]')
    evidence = page.locator("#evidence")
    release = evidence.locator('tr[data-kind="release"]')
    expect(release).to_contain_text("redline-events-MX-009/")
    expect(release).to_contain_text("línea 10")
    expect(release).to_contain_text("Redline events table")  # the publisher, not a local path
    expect(release).not_to_contain_text(".csv")
    listing = evidence.locator('tr[data-kind="listing"]', has_text="BIS Entity List")
    expect(listing).to_contain_text("BIS Entity List desde 2020-12-22")
    expect(listing.locator('a[href^="https://www.ecfr.gov/"]')).to_have_count(1)
    expect(evidence.locator('tr[data-kind="signal"]').first).to_contain_text("detection arches")
    expect(page.locator("#guard-rails li").first).to_be_visible()
    expect(page.locator(".graph .node.listed")).to_contain_text("Tongfang NucTech")
    page.screenshot(path=str(shots / "finding-nuctech.png"), full_page=True)

    page.select_option("#lang", "en")
    expect(page.locator("h2").first).to_have_text("Evidence")
    expect(listing).to_contain_text("since 2020-12-22")

    page.locator(".graph .node.listed").click()
    expect(page.locator("h1")).to_have_text("Tongfang NucTech Technology Ltd.")
    expect(page.locator("#listings")).to_contain_text("BIS Entity List")
    page.screenshot(path=str(shots / "entity-nuctech.png"), full_page=True)


def test_entity_page_shows_subsidiaries_from_the_lists(page: object, base: str) -> None:
    """The 1260H list states that CETC owns Hikvision; the entity page shows it."""
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(f"{base}/#/entity/rl-cn-uscc-91110000710929498g")
    expect(page.locator("h1")).to_have_text("China Electronics Technology Group Corporation")
    expect(page.locator("#listings")).to_contain_text("DoD Section 1260H")
    expect(page.locator("#subsidiaries")).to_contain_text("Hangzhou Hikvision Digital Technology")


#: sentences of the English dashboard (chrome and data-derived) a Spanish page must not show
ENGLISH = ("Findings by sector and severity", "Guard rails", "Evidence", "Listed at award date",
           "Telecom core and backbone networks", "Border and customs inspection",
           "US agencies may not buy it", "listed directly", "no remote vendor access",
           "Procurement record", "Findings involving this entity", "true", "false",
           "Entities", "Contracts", "Buyers", "Results for", "exact name")  # fmt: skip
NUCTECH_ENTITY = "rl-tongfang-nuctech-technology-0c6e6479"


def _views(demo_store: Path) -> dict[str, str]:
    (fid,) = _sql(demo_store, "SELECT finding_id FROM findings WHERE ocid = ?",
                  ["redline-events-MX-009"])[0]  # fmt: skip
    return {"overview": "#/", "findings": "#/findings", "finding": f"#/finding/{fid}",
            "entity": f"#/entity/{NUCTECH_ENTITY}", "search": "#/search?q=nuctech"}  # fmt: skip


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("name", ["overview", "findings", "finding", "entity", "search"])
def test_every_view_in_both_languages(
    page: object, base: str, demo_store: Path, shots: Path, lang: str, name: str
) -> None:
    """Each view under ?lang=xx: the language set, no English sentence on a Spanish page."""
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(f"{base}/?lang={lang}{_views(demo_store)[name]}")
    expect(page.locator("main h1").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    text = page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.lang") == lang
    if lang == "es":
        leaked = [s for s in ENGLISH if re.search(rf"(?<![\w-]){re.escape(s)}(?![\w-])", text)]
        assert not leaked, f"English on the Spanish {name} page: {leaked}"
    else:
        assert any(s in text for s in (*ENGLISH[:6], "Findings")), text[:300]
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), f"raw id on {name}: {text[:300]}"
    page.screenshot(path=str(shots / f"{name}-{lang}.png"), full_page=True)


def test_filters_sort_and_export(page: object, base: str, demo_store: Path, tmp_path: Path) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(f"{base}/?lang=es#/findings")
    # list filter: the store's count of findings whose lists include the Entity List
    (n_list,) = _sql(demo_store, "SELECT count(*) FROM findings "
                     "WHERE list_contains(list_codes, 'us-bis-entity-list')")[0]  # fmt: skip
    page.select_option("#f-list", "us-bis-entity-list")
    expect(page.locator("#findings-table tr.row")).to_have_count(int(str(n_list)))
    # buyer and award-date filters, combined
    (n_buyer,) = _sql(demo_store, "SELECT count(*) FROM findings WHERE list_contains(list_codes, "
                      "'us-bis-entity-list') AND (data->>'buyer_name') ILIKE '%aduanas%' "
                      "AND award_date >= DATE '2020-01-01'")[0]  # fmt: skip
    page.fill("#f-buyer", "aduanas")
    page.fill("#f-date_from", "2020-01-01")
    page.click("#filters button[type=submit]")
    expect(page.locator("#findings-table tr.row")).to_have_count(int(str(n_buyer)))
    # sorting on the supplier column, both ways
    (total,) = _sql(demo_store, "SELECT count(*) FROM findings")[0]
    page.click('a[href="#/findings"]')
    expect(page.locator("#findings-table tr.row")).to_have_count(int(str(total)))
    header = page.locator("#findings-table th").nth(1)
    header.click()
    names = page.locator("#findings-table tr.row td:nth-child(2)").all_inner_texts()
    assert names == sorted(names, key=str.casefold)
    header.click()
    again = page.locator("#findings-table tr.row td:nth-child(2)").all_inner_texts()
    assert again == sorted(names, key=str.casefold, reverse=True)
    # CSV export of the view: the rows on screen, Spanish headings
    with page.expect_download() as got:
        page.click("#export")
    csv_path = tmp_path / "view.csv"
    got.value.save_as(csv_path)
    lines = csv_path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith('"Gravedad","Proveedor"')
    assert len(lines) == 1 + len(names)


def test_entity_page_lists_its_findings(page: object, base: str, demo_store: Path) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(f"{base}/?lang=es#/entity/{NUCTECH_ENTITY}")
    want = _sql(demo_store, "SELECT count(*) FROM findings WHERE listed_entity_id = ?",
                [NUCTECH_ENTITY])[0][0]  # fmt: skip
    expect(page.locator("#entity-findings tr.row")).to_have_count(int(str(want)))
    expect(page.locator("#entity-findings")).to_contain_text("Inspección aduanera")


HUAWEI_ENTITY = "rl-cn-uscc-914403001922038216"


@pytest.mark.parametrize("lang", ["es", "en"])
def test_search_box_ranks_and_reads_chinese(page: object, base: str, lang: str) -> None:
    """The header's box: 华为 reaches Huawei through the matcher; "huawei" puts the main
    entity (an alias match) first, not the alphabetical 111."""
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(f"{base}/?lang={lang}#/")
    expect(page.locator("main h1")).to_be_visible()
    page.fill("#search-q", "华为")
    page.press("#search-q", "Enter")
    first = page.locator("#search-entities tr.row").first
    # the matcher's first search builds its index of the lists
    expect(first).to_have_attribute("data-entity", HUAWEI_ENTITY, timeout=30_000)
    expect(first).to_contain_text("coincidencia del cotejador" if lang == "es" else "matcher")
    page.fill("#search-q", "huawei")
    page.press("#search-q", "Enter")
    expect(page.locator("#search-entities tr.row").first).to_contain_text(
        "Huawei Technologies Co., Ltd."
    )
    expect(page.locator("#search-contracts tr.row").first).to_be_visible()


def test_search_finds_buyers_and_opens_their_findings(
    page: object, base: str, demo_store: Path
) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(f"{base}/?lang=es#/search?q=aduanas")
    buyer = page.locator("#search-buyers tr.row").first
    expect(buyer).to_contain_text("Agencia Nacional de Aduanas", timeout=30_000)
    expect(page.locator("#search-contracts")).to_contain_text("redline-events-MX-009")
    name = buyer.get_attribute("data-buyer")
    (want,) = _sql(demo_store, "SELECT count(*) FROM findings WHERE (data->>'buyer_name') "
                   "ILIKE ?", [f"%{name}%"])[0]  # fmt: skip
    buyer.click()
    expect(page.locator("#findings-table tr.row")).to_have_count(int(str(want)))


def test_strength_filter_and_xlsx_of_the_view(
    page: object, base: str, demo_store: Path, tmp_path: Path
) -> None:
    """The strength filter keeps the store's count; the XLSX holds the rows on screen, in the
    order on screen, with Spanish headings."""
    from openpyxl import load_workbook
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(f"{base}/?lang=es#/findings")
    (want,) = _sql(demo_store, "SELECT count(*) FROM findings "
                   "WHERE evidence_strength = 'press_report'")[0]  # fmt: skip
    (total,) = _sql(demo_store, "SELECT count(*) FROM findings")[0]
    rows = page.locator("#findings-table tr.row")
    expect(rows).to_have_count(int(str(total)))  # the unfiltered view drawn, not the last one
    page.select_option("#f-strength", "press_report")
    expect(rows).to_have_count(int(str(want)))
    from redline.services.read.language import strength_names

    spanish = strength_names("es")["press_report"]  # the reviewed wording, not a copy of it
    expect(page.locator("#findings-table td.strength").first).to_have_text(spanish)
    page.locator("#findings-table th").nth(1).click()  # sorted by supplier
    page.locator("#findings-table th").nth(1).click()  # … descending
    on_screen = page.locator("#findings-table tr.row td:nth-child(2)").all_inner_texts()
    with page.expect_download() as got:
        page.click("#export-xlsx")
    path = tmp_path / "view.xlsx"
    got.value.save_as(path)
    sheet = load_workbook(path).active
    assert sheet is not None
    table = list(sheet.iter_rows(values_only=True))
    assert table[0][:2] == ("Gravedad", "Proveedor")
    assert [r[1] for r in table[1:]] == on_screen


@pytest.mark.parametrize("lang", ["es", "en"])
def test_buyer_chart_on_the_overview(page: object, base: str, lang: str) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(f"{base}/?lang={lang}#/")
    chart = page.locator("#buyer-chart")
    expect(chart).to_be_visible()
    page.wait_for_function("document.getElementById('buyer-chart').naturalWidth > 0",
                           timeout=30_000)  # fmt: skip
    assert chart.get_attribute("src") == f"charts/buyers.svg?lang={lang}"
    expect(page.locator("#buyer-table tr")).not_to_have_count(1)  # rows besides the heading


def test_docs_render_offline(page: object, base: str) -> None:
    """Swagger UI from the server's own assets (the fixture aborts and reports any request
    elsewhere), reading the OpenAPI 3.1 document."""
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(f"{base}/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Redline API")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()


@pytest.mark.parametrize("name", ["overview", "findings", "finding", "entity", "search"])
def test_phone_width_has_no_horizontal_overflow(
    page: object, base: str, demo_store: Path, shots: Path, name: str
) -> None:
    """At 390 px (a phone) the page never scrolls sideways; wide tables scroll in their box."""
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        page.goto("about:blank")  # a fresh load: a hash change alone would keep the last view
        page.goto(f"{base}/?lang=es{_views(demo_store)[name]}")
        expect(page.locator("main h1").first).to_be_visible()
        page.wait_for_load_state("networkidle")
        wide = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert wide[0] <= wide[1], f"{name} is {wide[0]} px wide on a {wide[1]} px screen"
        page.screenshot(path=str(shots / f"{name}-phone.png"), full_page=True)
    finally:
        page.set_viewport_size({"width": 1200, "height": 900})


def test_a_late_answer_does_not_replace_the_page_moved_to(page: object, base: str) -> None:
    """The overview's answer held back until the user has searched: when it comes, the search
    results stay (a slow page used to replace the one the user had moved on to)."""
    from playwright.sync_api import Page, Route, expect

    assert isinstance(page, Page)
    held: list[Route] = []
    pattern = f"{base}/overview?*"
    page.route(pattern, lambda route: held.append(route))
    try:
        page.goto(f"{base}/?lang=en#/")
        page.fill("#search-q", "huawei")
        page.press("#search-q", "Enter")
        expect(page.locator("#search-contracts tr.row").first).to_be_visible(timeout=30_000)
        assert held, "the overview was asked for"
        with page.expect_response(pattern):
            for route in held:
                route.continue_()
        page.wait_for_timeout(300)  # the late answer's render would have run by now
        expect(page.locator("main h1")).to_contain_text("Results for")
        expect(page.locator("#search-contracts tr.row").first).to_be_visible()
    finally:
        page.unroute(pattern)
