"""Output for readers (issue 16): the screen's table fits the terminal, shows buyer, value and
year, and marks a dismissed finding; summaries print as tables, not dicts. SYNTHETIC inputs."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from synthetic_screen import ingested, invoke, screened

from redline.cli.tables import amount, findings_table, summary_table, widths
from redline.services.screen import screen_store
from redline.store.db import Store


def _lines(renderable: object, width: int) -> list[str]:
    console = Console(width=width, file=io.StringIO(), record=True)
    console.print(renderable)
    return console.export_text().rstrip("\n").splitlines()


def test_the_table_fits_every_width_and_marks_the_dismissed_finding(tmp_path: Path) -> None:
    store, watchlist, policy = ingested(tmp_path)
    screened(store, watchlist, policy)
    with Store(store, read_only=True) as st:
        (fid,) = [r[0] for r in st.conn.execute("SELECT finding_id FROM findings").fetchall()]
    done = invoke(store, "review", fid, "--dismiss", "--note", "namesake", "--by", "ana")
    assert done.exit_code == 0, done.output
    with Store(store) as st:
        report = screen_store(st, policy_files=[policy])  # a re-screen: still dismissed
    for width in (60, 80, 120, 200):
        lines = _lines(findings_table(report, width), width)
        assert "1 dismissed" in lines[0] and len(lines) == 3, lines  # title, header, the row
        assert max(len(line) for line in lines) <= width
        assert "dismissed" in lines[2] and ("2024" in lines[2] or width < 80)
    wide = _lines(findings_table(report, 200), 200)
    assert "Aduana Sintética" in wide[2] and "Escaneres Sintéticos Ficticios SA de CV" in wide[2]
    assert all(h in wide[1] for h in ("supplier", "buyer", "year", "value", "review"))


def test_columns_add_up_to_the_terminal() -> None:
    for width in range(60, 260, 7):
        for review in (False, True):
            sizes = widths(width, review=review)
            assert sum(sizes.values()) + 2 * (len(sizes) - 1) <= width, (width, review)
    assert widths(200, review=False)["supplier"] > 30  # a wide terminal shows whole names


@pytest.mark.parametrize(
    ("value", "currency", "shown"),
    [(13_400_000_000, "MXN", "13.4bn MXN"), (820_000, "USD", "820k USD"), (None, None, "—"),
     (1_000_000, "MXN", "1M MXN"), (950, None, "950")],
)  # fmt: skip
def test_values_are_short_and_keep_their_currency(
    value: float | None, currency: str | None, shown: str
) -> None:
    assert amount(value, currency) == shown


def test_a_summary_is_a_table_not_a_dict() -> None:
    lines = _lines(summary_table({"findings": 11, "by_severity": {"breach": 8, "high": 2},
                                  "saved": None}), 80)  # fmt: skip
    text = "\n".join(lines)
    assert "by severity  breach 8, high 2" in text and "{" not in text and "saved" not in text


def test_screen_prints_no_python_dict(tmp_path: Path) -> None:
    store, watchlist, policy = ingested(tmp_path)
    done = invoke(store, "screen", "--watchlist", str(watchlist), "--policy", str(policy))
    assert done.exit_code == 0, done.output
    assert "{'" not in done.stderr and "candidates matched" in done.stderr
