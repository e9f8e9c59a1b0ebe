"""Issue 16: no answer of "nothing found" when nothing was looked at.

Each test is one of the silent all-clears a new user met: a typo in --store, a store without
lists or without records, a user's list of companies without designations, a shortened name.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from synthetic_screen import VENDOR, files, ingested, invoke, write_watchlist

from redline.ingest.lists.watchlist import load_watchlist
from redline.store.db import Store


def _flat(text: str) -> str:
    """Text as one line: Rich wraps at the terminal's width."""
    return " ".join(text.split())


def _one_line_error(result_output: str) -> str:
    lines = [line for line in result_output.splitlines() if line.strip()]
    assert len(lines) == 1, result_output
    assert lines[0].startswith("error: ")
    return lines[0]


@pytest.mark.parametrize(
    "command",
    [["screen"], ["status"], ["report", "-o", "out"], ["match", "Some Name"], ["classify"],
     ["review", "f-1", "--dismiss"], ["alerts"]],
)  # fmt: skip
def test_a_command_that_only_reads_refuses_a_missing_store(
    tmp_path: Path, command: list[str]
) -> None:
    typo = tmp_path / "reports" / "typo.duckdb"
    result = invoke(typo, *command)
    assert result.exit_code == 1, result.output
    line = _one_line_error(result.stderr)
    assert "no store here yet" in line and "redline ingest ocds" in line
    assert not typo.parent.exists()  # no folder, no empty store left behind


def test_screen_of_records_without_lists_says_which_command_loads_them(tmp_path: Path) -> None:
    store, _, _ = ingested(tmp_path)
    result = invoke(store, "screen")
    assert result.exit_code == 1, result.output
    assert "`redline lists load`" in _one_line_error(result.stderr)
    with Store(store, read_only=True) as st:
        assert st.conn.execute("SELECT count(*) FROM findings").fetchone() == (0,)


def test_screen_of_lists_without_records_says_which_command_loads_them(tmp_path: Path) -> None:
    _, _, watchlist, _ = files(tmp_path)
    store = tmp_path / "lists-only.duckdb"
    with Store(store) as st:
        load_watchlist(st.conn, watchlist)
    for command in (["screen"], ["report", "-o", str(tmp_path / "out")], ["classify"]):
        result = invoke(store, *command)
        assert result.exit_code == 1, result.output
        assert "`redline ingest ocds FILE`" in _one_line_error(result.stderr)


def test_status_of_an_empty_store_is_an_error(tmp_path: Path) -> None:
    store = tmp_path / "empty.duckdb"
    Store(store).close()
    result = invoke(store, "status")
    assert result.exit_code == 1
    assert "holds nothing yet" in _one_line_error(result.stderr)


def test_a_list_of_companies_without_designations_lists_them_under_its_name(
    tmp_path: Path,
) -> None:
    companies = write_watchlist(tmp_path / "synthetic_companies.ftm.jsonl", [VENDOR])
    result = invoke(tmp_path / "unused.duckdb", "match", "Escaneres Sinteticos Ficticios",
                    "--watchlist", str(companies), "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    held = "1 entities, 0 designations (each entity listed under the file's name"
    assert held in _flat(result.stderr)
    found = json.loads(result.stdout)
    assert [m["entity_id"] for m in found["matches"]] == ["syn-1"]
    assert found["matches"][0]["listings"][0]["list_code"] == "synthetic_companies.ftm.jsonl"
    # a file of names (the --input path) counts it as met too
    queries = tmp_path / "q.csv"
    queries.write_text("id,name\n1,Escaneres Sinteticos Ficticios SA de CV\n", encoding="utf-8")
    many = invoke(tmp_path / "unused.duckdb", "match", "--input", str(queries), "--output",
                  str(tmp_path / "m.jsonl"), "--watchlist", str(companies))  # fmt: skip
    assert many.exit_code == 0, many.output
    assert "1 with a match" in _flat(many.stderr)
    assert not (tmp_path / "unused.duckdb").exists()  # --watchlist needs no store


def test_a_shortened_name_shows_the_listed_name_it_nearly_met(tmp_path: Path) -> None:
    # SYNTHETIC entry spelled as a user's list would: the full legal name
    name = {"name": ["Zhengzhou Yutong Bus Co., Ltd."], "country": ["cn"]}
    bus = {"id": "syn-bus", "schema": "Company", "properties": name}
    mine = write_watchlist(tmp_path / "synthetic_mine.ftm.jsonl", [bus])
    result = invoke(
        tmp_path / "unused.duckdb", "match", "Zhengzhou Yutong", "--watchlist", str(mine)
    )
    assert result.exit_code == 0, result.output
    near = "closest below the threshold (not a match): Zhengzhou Yutong Bus Co., Ltd. (syn-bus)"
    assert near in _flat(result.stdout)
