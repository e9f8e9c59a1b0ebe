"""CSV trackers become OCDS-shaped records: real events table, history, bad input."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redline.cli import app
from redline.errors import InputError
from redline.ingest.tracker import TrackerMapping, load_mappings, ocds_date, row_release
from redline.services.ingest import ingest_tracker
from redline.store.db import Store

EVENTS = "mexico-prc-vendor-events"


@pytest.fixture()
def events(data_dir: Path) -> tuple[Path, TrackerMapping]:
    mapping = load_mappings()[EVENTS]
    assert mapping.path is not None
    return data_dir / mapping.path, mapping


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_events_table_ingests_as_records(store: Store, events: tuple[Path, TrackerMapping]) -> None:
    path, mapping = events
    rows = _rows(path)
    expected = [r for r in rows if r["event_type"] != "us_restriction" and r["vendor"].strip()]
    report = ingest_tracker(store, path, mapping)
    assert report.status == "ok" and report.releases_stored == len(expected)
    conn = store.conn
    # MX-009: ANAM bought detection arches from Nuctech (month precision in the table)
    buyer = conn.execute("SELECT name FROM buyers WHERE ocid = 'redline-events-MX-009'").fetchone()
    assert buyer == ("Agencia Nacional de Aduanas de México (ANAM)",)
    supplier = conn.execute(
        "SELECT name, source_file, pointer, publisher FROM award_suppliers "
        "WHERE ocid = 'redline-events-MX-009'"
    ).fetchone()
    assert supplier is not None
    assert supplier[0] == "Nuctech" and supplier[1] == str(path)
    assert supplier[2].startswith("line:") and supplier[3] == mapping.publisher
    award = conn.execute(
        "SELECT date::DATE::VARCHAR, amount, currency FROM awards "
        "WHERE ocid = 'redline-events-MX-010'"
    ).fetchone()
    assert award == ("2020-01-01", 1863000000.0, "USD")
    # MX-008 is a lost tender: the Nuctech-led consortium bid, nothing was awarded to it
    assert conn.execute(
        "SELECT count(*) FROM awards WHERE ocid = 'redline-events-MX-008'"
    ).fetchone() == (0,)
    bidder = conn.execute(
        "SELECT pa.roles, p.tender_start::DATE::VARCHAR FROM parties pa JOIN processes p "
        "USING (ocid) WHERE ocid = 'redline-events-MX-008' AND pa.name LIKE 'Nuctech%'"
    ).fetchone()
    assert bidder == (["tenderer"], "2022-03-01")
    data = conn.execute(
        "SELECT data FROM ocds_releases WHERE ocid = 'redline-events-MX-009'"
    ).fetchone()
    assert data is not None
    release = json.loads(data[0])
    source_url = next(r["source_url"] for r in rows if r["event_id"] == "MX-009")
    assert release["awards"][0]["documents"][0]["url"] == source_url
    assert release["redlineDatePrecision"] == "month"
    assert release["redlineNote"].startswith("Reconstructed from cited press")
    # several vendors in one cell: one supplier each
    names = conn.execute(
        "SELECT list(name ORDER BY name) FROM award_suppliers WHERE ocid = 'redline-events-MX-003'"
    ).fetchone()
    assert names == (["Huawei", "Nokia"],)
    # listing events are facts about a vendor, left to the lists
    assert conn.execute(
        "SELECT count(*) FROM processes WHERE ocid = 'redline-events-MX-004'"
    ).fetchone() == (0,)


def test_reingest_is_a_no_op_and_an_edited_row_keeps_history(
    store: Store, events: tuple[Path, TrackerMapping], tmp_path: Path
) -> None:
    path, mapping = events
    copy = tmp_path / "events.csv"
    copy.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    ingest_tracker(store, copy, mapping)
    before = store.table_counts()
    again = ingest_tracker(store, copy, mapping)
    assert again.skipped_unchanged == 1
    assert {k: v for k, v in store.table_counts().items() if k != "ingest_runs"} == {
        k: v for k, v in before.items() if k != "ingest_runs"
    }
    rows = _rows(copy)
    for row in rows:
        if row["event_id"] == "MX-015":
            row["date"] = "2021-06"  # the undated donation gets a date
    with copy.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    edited = ingest_tracker(store, copy, mapping)
    assert edited.releases_stored == 1 and edited.releases_unchanged == before["processes"] - 1
    releases = store.conn.execute(
        "SELECT count(*) FROM ocds_releases WHERE ocid = 'redline-events-MX-015'"
    ).fetchone()
    assert releases == (2,)
    history = store.conn.execute(
        "SELECT count(*) FROM ocds_compiled_history WHERE ocid = 'redline-events-MX-015'"
    ).fetchone()
    assert history == (1,)
    day = store.conn.execute(
        "SELECT date::DATE::VARCHAR FROM awards WHERE ocid = 'redline-events-MX-015'"
    ).fetchone()
    assert day == ("2021-06-01",)


def test_missing_column_is_one_line_naming_file_and_nothing_is_stored(
    store: Store, tmp_path: Path
) -> None:
    bad = tmp_path / "tracker.csv"
    bad.write_text("event_id,vendor\nX-1,Acme\n", encoding="utf-8")
    report = ingest_tracker(store, bad, load_mappings()[EVENTS])
    assert report.status == "failed"
    assert len(report.rejected) == 1
    line = str(report.rejected[0])
    assert line.startswith(f"{bad}:line:1: tracker has no column(s) ")
    assert "mexican_counterparty" in line and "event_type" in line
    assert store.conn.execute("SELECT count(*) FROM processes").fetchone() == (0,)


def test_bad_amount_names_the_line(store: Store, tmp_path: Path) -> None:
    mapping = TrackerMapping(
        publisher="SYNTHETIC test tracker", ocid_prefix="synthetic", id="id", suppliers="vendor",
        amount="amount",
    )  # fmt: skip
    bad = tmp_path / "synthetic_tracker.csv"
    bad.write_text("id,vendor,amount\n1,Acme SA,100\n2,Beta SA,about ten\n", encoding="utf-8")
    report = ingest_tracker(store, bad, mapping)
    assert len(report.rejected) == 1
    problem = report.rejected[0]
    assert problem.position.startswith("line:3") and "amount" in problem.message
    assert store.conn.execute("SELECT count(*) FROM processes").fetchone() == (0,)


def test_mapping_with_unknown_field_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "mapping.yaml"
    path.write_text(
        "trackers:\n  mine:\n    publisher: x\n    ocid_prefix: y\n    id: id\n"
        "    suppliers: vendor\n    vendor_colum: oops\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        load_mappings(path)
    assert "vendor_colum" in str(caught.value) and str(path) in str(caught.value)


def test_partial_dates_keep_their_precision() -> None:
    assert ocds_date("2020") == ("2020-01-01T00:00:00Z", "year")
    assert ocds_date("2017-03") == ("2017-03-01T00:00:00Z", "month")
    assert ocds_date("2019-05-09") == ("2019-05-09T00:00:00Z", "day")
    assert ocds_date("") == (None, None)
    mapping = TrackerMapping(publisher="p", ocid_prefix="s", id="id", suppliers="v", date="d")
    assert row_release(mapping, {"id": "1", "v": " ", "d": "2020"}, "f") is None


def test_cli_ingests_own_tracker_with_own_mapping(tmp_path: Path) -> None:
    tracker = tmp_path / "synthetic_projects.csv"
    tracker.write_text(
        "project,contractor,client,year,what\n"
        "P1,Constructora Sintética SA de CV,Gobierno de Prueba,2021,puente vehicular\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        "trackers:\n  synthetic-projects:\n    publisher: SYNTHETIC projects\n"
        "    ocid_prefix: synthetic-projects\n    id: project\n    suppliers: contractor\n"
        "    buyer: client\n    date: year\n    description: what\n",
        encoding="utf-8",
    )
    store = tmp_path / "s.duckdb"
    result = CliRunner().invoke(
        app, ["ingest", "tracker", str(tracker), "--mapping", str(mapping), "--store", str(store),
              "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    with Store(store) as opened:
        row = opened.conn.execute("SELECT ocid, buyer_name FROM processes").fetchone()
    assert row == ("synthetic-projects-P1", "Gobierno de Prueba")
