"""The dashboard driven in Debian's headless Chromium (Playwright), against a real server.

Screenshots are written to docs/screenshots/ (from the SYNTHETIC test store).
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "report"))
from live_server import start_server, stop
from synthetic_store import build

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="Debian chromium missing: run `make system-deps`"
)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = build(tmp_path_factory.mktemp("web") / "synthetic.duckdb")
    proc, url = start_server(store, {})
    yield url
    stop(proc)


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


def test_overview_filter_open_nuctech_and_see_evidence(page: object, base: str) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(f"{base}/")
    expect(page.locator('[data-severity="breach"] .n')).to_have_text("1")
    expect(page.locator('[data-severity="high"] .n')).to_have_text("2")
    expect(page.locator("#sector-table")).to_contain_text("border_inspection")
    page.screenshot(path=str(SHOTS / "overview.png"), full_page=True)

    page.click('a[href="#/findings"]')
    expect(page.locator("#total")).to_contain_text("4")
    page.select_option("#f-sector", "border_inspection")
    expect(page.locator("#total")).to_contain_text("1")
    rows = page.locator("#findings-table tr.row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("NUCTECH")
    page.screenshot(path=str(SHOTS / "findings-border-inspection.png"), full_page=True)

    rows.first.click()
    evidence = page.locator("#evidence")
    expect(evidence.locator('tr[data-kind="listing"]')).to_contain_text(
        "us-bis-entity-list desde 2020-12-22"
    )
    expect(evidence.locator('tr[data-kind="release"]')).to_contain_text("ocds-synthetic-001")
    expect(evidence.locator('tr[data-kind="signal"]')).to_contain_text("rayos x")
    expect(page.locator("#guard-rails li")).to_have_count(1)
    expect(page.locator('#also-meets li[data-rule="synthetic-rule-high"]')).to_contain_text(
        "SYNTHETIC: a second rule met by NUCTECH"
    )
    expect(page.locator(".graph .node.listed")).to_contain_text("Tongfang NucTech")
    page.screenshot(path=str(SHOTS / "finding-nuctech.png"), full_page=True)

    page.select_option("#lang", "en")
    expect(page.locator("h2").first).to_have_text("Evidence")
    expect(evidence.locator('tr[data-kind="listing"]')).to_contain_text("since 2020-12-22")


def test_entity_page_shows_listings_and_subsidiaries(page: object, base: str) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(f"{base}/#/finding/syn-chain")
    page.locator('.graph [data-node="syn-holding"]').click()
    expect(page.locator("h1")).to_have_text("Synthetic Listed Holding Co")
    expect(page.locator("#listings")).to_contain_text("synthetic-watchlist")
    expect(page.locator("#subsidiaries")).to_contain_text("Synthetic Cam Distribuidora")
    page.screenshot(path=str(SHOTS / "entity-synthetic-holding.png"), full_page=True)
