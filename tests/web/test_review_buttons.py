"""The dashboard's review buttons (issue 16) in Debian's headless Chromium: the key is asked
once per browser session, a dismissal goes through POST /findings/{id}/review, and the page,
the findings table and the store show it. On a copy of the DEMO store."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
from live_server import API_KEY, start_server, stop

from redline.store.db import Store

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="Debian chromium missing: run `make system-deps`"
)


@pytest.fixture()
def served(demo_store: Path, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    copy = tmp_path / "demo.duckdb"
    shutil.copy(demo_store, copy)
    proc, url = start_server(copy, {"REDLINE_API_KEY": API_KEY})
    yield url, copy
    stop(proc)


def test_dismiss_from_the_dashboard_asks_the_key_once(served: tuple[str, Path]) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, store = served
    with Store(store, read_only=True) as st:
        (fid,) = st.conn.execute("SELECT finding_id FROM findings ORDER BY finding_id LIMIT 1"
                                 ).fetchone() or ("",)  # fmt: skip
    prompts: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("dialog", lambda d: (prompts.append(d.message), d.accept(API_KEY)))
        page.goto(f"{base}/#/finding/{fid}")
        expect(page.locator("#review-state")).to_be_visible()
        page.fill("#review-note", "namesake (SYNTHETIC test note)")
        page.click('#review button[data-action="dismiss"]')
        expect(page.locator("#review-state")).to_contain_text("namesake (SYNTHETIC test note)")
        expect(page.locator("#review-trail li")).to_have_count(1)
        page.click('#review button[data-action="reopen"]')  # the same session: no second prompt
        expect(page.locator("#review-trail li")).to_have_count(2)
        page.goto(f"{base}/#/findings")
        expect(page.locator(f'tr[data-finding="{fid}"] td.review')).not_to_have_text("")
        browser.close()
    assert len(prompts) == 1 and "X-API-Key" in prompts[0]
    assert not errors, errors
    with Store(store, read_only=True) as st:
        actions = [r[0] for r in st.conn.execute(
            "SELECT action FROM finding_reviews WHERE finding_id = ? ORDER BY reviewed_at", [fid]
        ).fetchall()]  # fmt: skip
    assert actions == ["dismiss", "reopen"]


def test_a_wrong_key_is_said_on_the_page_and_forgotten(served: tuple[str, Path]) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, store = served
    with Store(store, read_only=True) as st:
        (fid,) = st.conn.execute("SELECT finding_id FROM findings LIMIT 1").fetchone() or ("",)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        page.on("dialog", lambda d: d.accept("not-the-key"))
        page.goto(f"{base}/#/finding/{fid}")
        page.click('#review button[data-action="confirm"]')
        expect(page.locator("#review-status")).not_to_have_text("")
        assert page.evaluate("sessionStorage.getItem('redline.key')") is None
        browser.close()
    with Store(store, read_only=True) as st:
        row = st.conn.execute("SELECT count(*) FROM finding_reviews").fetchone()
    assert row == (0,)
