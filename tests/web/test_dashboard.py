"""The dashboard driven in Debian's headless Chromium (Playwright), against a real server.

Runs on a copy of the DEMO store (`redline demo` on the mirror). Screenshots go to a temporary
folder, so a test run leaves the working tree clean; `make screenshots` (REDLINE_SCREENSHOTS=DIR)
writes them to docs/screenshots/ instead.
"""

from __future__ import annotations

import os
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
    expect(page.locator("#sector-table")).to_contain_text("border_inspection")
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
    expect(release).to_contain_text("line:10")
    expect(release).to_contain_text("events/mexico_prc_vendor_events.csv")
    listing = evidence.locator('tr[data-kind="listing"]', has_text="us-bis-entity-list")
    expect(listing).to_contain_text("us-bis-entity-list desde 2020-12-22")
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
    expect(page.locator("#listings")).to_contain_text("us-bis-entity-list")
    page.screenshot(path=str(shots / "entity-nuctech.png"), full_page=True)


def test_entity_page_shows_subsidiaries_from_the_lists(page: object, base: str) -> None:
    """The 1260H list states that CETC owns Hikvision; the entity page shows it."""
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(f"{base}/#/entity/rl-cn-uscc-91110000710929498g")
    expect(page.locator("h1")).to_have_text("China Electronics Technology Group Corporation")
    expect(page.locator("#listings")).to_contain_text("us-dod-1260h")
    expect(page.locator("#subsidiaries")).to_contain_text("Hangzhou Hikvision Digital Technology")
