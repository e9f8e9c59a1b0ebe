"""`redline screen --watchlist FILE`: a user's own FtM list screens the store with the lists."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from redline.cli import app
from redline.store.db import Store


def _files(tmp_path: Path) -> tuple[Path, Path, Path]:
    tracker = tmp_path / "synthetic_projects.csv"
    tracker.write_text(
        "id,vendor,buyer,date,what\n"
        "P1,Escaneres Sintéticos Ficticios SA de CV,Aduana Sintética,2024-05-02,"
        "equipo de rayos X para inspección no intrusiva de contenedores\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        "trackers:\n  synthetic:\n    publisher: SYNTHETIC projects\n"
        "    ocid_prefix: synthetic-projects\n    id: id\n    suppliers: vendor\n"
        "    buyer: buyer\n    date: date\n    description: what\n",
        encoding="utf-8",
    )
    watchlist = tmp_path / "synthetic_watchlist.ftm.jsonl"
    entities = [
        {"id": "syn-1", "schema": "Company",
         "properties": {"name": ["Escaneres Sinteticos Ficticios"], "country": ["mx"]}},
        {"id": "syn-1-listing", "schema": "Sanction",
         "properties": {"entity": ["syn-1"], "authority": ["SYNTHETIC authority"],
                        "startDate": ["2020-01-01"]}},
    ]  # fmt: skip
    watchlist.write_text("\n".join(json.dumps(e) for e in entities) + "\n", encoding="utf-8")
    return tracker, mapping, watchlist


POLICY = """version: 1
rules:
  - id: synthetic-own-list-border
    title: SYNTHETIC rule over the user's own list
    severity: breach
    sectors: [border_inspection]
    listing:
      lists: [synthetic_watchlist.ftm.jsonl]
    basis:
      - instrument: SYNTHETIC internal policy
        citation: test only
        url: https://example.invalid/policy
    sentence: "{vendor} {supplies} {sector} ({ocid}, {award})"
"""


def test_screen_with_own_watchlist_finds_its_vendor(tmp_path: Path) -> None:
    tracker, mapping, watchlist = _files(tmp_path)
    store = tmp_path / "s.duckdb"
    runner = CliRunner()
    ingested = runner.invoke(
        app, ["--store", str(store), "ingest", "tracker", str(tracker), "--mapping", str(mapping)]
    )
    assert ingested.exit_code == 0, ingested.output
    # no list in the store: refused (issue 16), never "0 findings" from looking at nothing
    before = runner.invoke(app, ["--store", str(store), "screen", "--json"])
    assert before.exit_code != 0 and "redline lists load" in str(before.exception)
    # a user's list carries its own list code (its programId, else the file name), so the
    # user's own rule names it: the shipped rules speak only of the lists they cite
    policy = tmp_path / "synthetic_policy.yaml"
    policy.write_text(POLICY, encoding="utf-8")
    after = runner.invoke(
        app,
        ["--store", str(store), "screen", "--json", "--watchlist", str(watchlist),
         "--policy", str(policy)],
    )  # fmt: skip
    assert after.exit_code == 0, after.output
    assert json.loads(after.stdout)["findings"] == 1
    with Store(store, read_only=True) as st:
        row = st.conn.execute("SELECT listed_entity_id, class_id FROM findings").fetchone()
    assert row == ("syn-1", "border_inspection")


def test_a_bad_watchlist_line_stops_the_screen(tmp_path: Path) -> None:
    _files(tmp_path)
    bad = tmp_path / "synthetic_bad.ftm.jsonl"
    bad.write_text('{"id": "x", "schema": "NoSuchSchema", "properties": {}}\n', encoding="utf-8")
    store = tmp_path / "s.duckdb"
    result = CliRunner().invoke(app, ["--store", str(store), "screen", "--watchlist", str(bad)])
    assert result.exit_code != 0
