"""Output for readers (issue 16): the screen's table fits the terminal, shows buyer, value and
year, and marks a dismissed finding; summaries print as tables, not dicts. SYNTHETIC inputs."""

from __future__ import annotations

import csv
import io
import json
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


def _companies(tmp_path: Path) -> Path:
    from synthetic_screen import LISTING, VENDOR, write_watchlist

    return write_watchlist(tmp_path / "synthetic_list.ftm.jsonl", [VENDOR, LISTING])


def test_match_names_what_it_met_beside_the_id(tmp_path: Path) -> None:
    watchlist = _companies(tmp_path)
    name = "Escaneres Sinteticos Ficticios SA de CV"
    shown = invoke(tmp_path / "unused.duckdb", "match", name, "--watchlist", str(watchlist))
    assert shown.exit_code == 0, shown.output
    assert "Escaneres Sinteticos Ficticios (syn-1)" in " ".join(shown.stdout.split())
    as_json = invoke(tmp_path / "unused.duckdb", "match", name, "--watchlist", str(watchlist),
                     "--json")  # fmt: skip
    top = json.loads(as_json.stdout)["matches"][0]
    assert (top["entity_id"], top["entity_caption"]) == ("syn-1", "Escaneres Sinteticos Ficticios")


@pytest.mark.parametrize("ending", [".csv", ".json", ".jsonl"])
def test_match_output_format_follows_the_file_name(tmp_path: Path, ending: str) -> None:
    watchlist = _companies(tmp_path)
    queries = tmp_path / "q.csv"
    queries.write_text("id,name\n1,Escaneres Sinteticos Ficticios SA de CV\n2,Papeleria SA\n",
                       encoding="utf-8")  # fmt: skip
    target = tmp_path / f"m{ending}"
    done = invoke(tmp_path / "unused.duckdb", "match", "--input", str(queries), "--output",
                  str(target), "--watchlist", str(watchlist))  # fmt: skip
    assert done.exit_code == 0, done.output
    text = target.read_text(encoding="utf-8")
    if ending == ".csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        assert [(r["id"], r["matched"], r["top_entity_caption"]) for r in rows] == [
            ("1", "yes", "Escaneres Sinteticos Ficticios"), ("2", "no", "")]  # fmt: skip
    elif ending == ".json":
        assert [r["id"] for r in json.loads(text)] == ["1", "2"]
    else:
        assert [json.loads(line)["id"] for line in text.splitlines()] == ["1", "2"]


def test_match_refuses_an_output_name_without_a_format_before_matching(tmp_path: Path) -> None:
    queries = tmp_path / "q.csv"
    queries.write_text("id,name\n1,Foo\n", encoding="utf-8")
    done = invoke(tmp_path / "unused.duckdb", "match", "--input", str(queries), "--output",
                  str(tmp_path / "m.txt"), "--watchlist", str(_companies(tmp_path)))  # fmt: skip
    assert done.exit_code == 2 or done.exit_code == 1
    assert "must end in .csv, .json, .jsonl or .parquet" in done.stderr
    assert not (tmp_path / "m.txt").exists()


def test_version_and_help_for_readers(tmp_path: Path) -> None:
    from redline import __version__

    version = invoke(tmp_path / "unused.duckdb", "--version")
    assert version.exit_code == 0 and version.stdout.strip() == f"redline {__version__}"
    shown = invoke(tmp_path / "unused.duckdb", "screen", "--help")
    assert "<bool>" not in shown.stdout  # a flag takes no value
    assert "[env: REDLINE_STORE; default ./redline.duckdb]" in " ".join(shown.stdout.split())


def test_screen_output_format_follows_the_file_name(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    store, watchlist, policy = ingested(tmp_path)
    screened(store, watchlist, policy)
    for ending in (".jsonl", ".parquet", ".csv", ".json", ".ftm.jsonl"):
        target = tmp_path / f"findings{ending}"
        done = invoke(store, "screen", "--no-classify", "--policy", str(policy), "-o", str(target))
        assert done.exit_code == 0, done.output
        if ending == ".jsonl":
            (line,) = target.read_text(encoding="utf-8").splitlines()
            assert json.loads(line)["supplier_name"].startswith("Escaneres")
        elif ending == ".parquet":
            table = pq.read_table(target)
            assert table.num_rows == 1 and "supplier_name" in table.column_names
    refused = invoke(store, "screen", "-o", str(tmp_path / "findings.xlsx"))
    assert refused.exit_code in (1, 2) and "the format follows the name" in refused.stderr
