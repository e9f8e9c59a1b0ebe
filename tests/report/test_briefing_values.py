"""The briefing's dates at the precision their source gives, and amounts in their own currency
only: no exchange-rate table is shipped, so no USD figure is made up (issue 17;
docs/report.md says why)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from synthetic_store import MIRROR

from redline.cli import main
from redline.store.db import Store


@pytest.fixture(scope="module")
def briefing(demo_store: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("briefing-values")
    with pytest.raises(SystemExit) as done:
        main(["--store", str(demo_store), "--data", str(MIRROR), "report", "--output", str(out),
              "--format", "html", "--lang", "en"])  # fmt: skip
    assert done.value.code in (0, None)
    return (out / "briefing.html").read_text(encoding="utf-8")


def _finding(html: str, ocid: str) -> str:
    found = re.search(rf'<div class="finding[^>]*data-ocid="{ocid}">(.*?)</div>', html, re.S)
    assert found, ocid
    return found.group(1)


def _award(block: str) -> str:
    found = re.search(r"<strong>Award:</strong> ([^;]+);", block)
    assert found, block
    return found.group(1)


def test_dates_at_their_real_precision(briefing: str, demo_store: Path) -> None:
    with Store(demo_store, read_only=True) as st:
        precision = dict(st.conn.execute(
            "SELECT ocid, any_value(data->>'redlineDatePrecision') FROM ocds_releases "
            "WHERE ocid IN ('redline-events-MX-010', 'redline-events-MX-009', "
            "'redline-events-MX-018') GROUP BY ocid").fetchall())  # fmt: skip
    assert precision == {"redline-events-MX-010": "year", "redline-events-MX-009": "month",
                         "redline-events-MX-018": "day"}  # fmt: skip
    assert _award(_finding(briefing, "redline-events-MX-010")) == "2020"  # not 2020-01-01
    assert _award(_finding(briefing, "redline-events-MX-009")) == "2022-11"
    assert _award(_finding(briefing, "redline-events-MX-018")) == "2025-01-19"


def test_amounts_in_their_own_currency_and_no_made_up_usd(briefing: str) -> None:
    lamat = _finding(briefing, "redline-poder-171")  # the Tren Maya section, 13.4 bn MXN
    assert "MXN 13,394,942,290" in lamat
    assert "USD" not in lamat  # no rate table is shipped: no conversion is shown
