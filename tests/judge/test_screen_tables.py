"""The engine's first pass drops nothing: ``redline screen`` (store mode) and ``screen --tables
DIR --out DIR`` give the findings of judging every record, on every engine.

Real data: the OCDS samples of the mirror, the events table the demo ingests as a tracker and
every list of the mirror. The reference is store mode judging every record
(``prefilter=False``) on a store holding all of them. Parquet
tables come two ways: the DuckDB build of the OCDS samples (``ingest_to_parquet``; the events
then stay in the store, as only ``ingest tracker`` loads them), and every record table of the
reference store exported in the build's columns (OCDS samples and events in the tables).
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest
from judge_helpers import assert_same_findings, export_tables

from redline.cli import run
from redline.engine.spec import DUCKDB
from redline.ingest.ocds.spark_udfs import OUTPUTS
from redline.ingest.tracker import load_mappings
from redline.judge.export import render
from redline.services.ingest import ingest_ocds, ingest_tracker
from redline.services.ingest_parquet import ingest_to_parquet
from redline.services.lists import load_lists
from redline.services.read.findings import alerts
from redline.services.screen import screen_store
from redline.store.db import Store

AS_OF = "2026-07-01"


def _trackers(store: Store, data_dir: Path) -> int:
    """Ingest every shipped tracker found in the mirror, as the demo does; ocids added."""
    for mapping in load_mappings().values():
        path = data_dir / mapping.path if mapping.path else None
        if path is not None and path.is_file():
            ingest_tracker(store, path, mapping, data_dir=data_dir)
    row = store.conn.execute("SELECT count(*) FROM ocds_compiled").fetchone()
    return int(row[0]) if row else 0


@pytest.fixture(scope="module")
def setup(
    data_dir: Path, ocds_mexico: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """Stores: ``lists`` (lists only), ``events`` (lists + events), ``full`` (lists, events and
    OCDS samples); tables: ``built`` (DuckDB build of the samples), ``exported`` (all of full)."""
    root = tmp_path_factory.mktemp("screen_tables")
    with Store(root / "lists.duckdb") as st:
        load_lists(st, data_dir)
    shutil.copy(root / "lists.duckdb", root / "events.duckdb")
    with Store(root / "events.duckdb") as st:
        events = _trackers(st, data_dir)
    shutil.copy(root / "events.duckdb", root / "full.duckdb")
    with Store(root / "full.duckdb") as st:
        ingest_ocds(st, [ocds_mexico], data_dir=data_dir)
        export_tables(st, root / "exported")
        records = int(st.conn.execute("SELECT count(*) FROM ocds_compiled").fetchall()[0][0])
        report = screen_store(st, as_of=date.fromisoformat(AS_OF), save=False, prefilter=False)
    ingest_to_parquet(DUCKDB, [ocds_mexico], root / "built", data_dir=data_dir)
    return {
        "root": root, "events": events, "records": records,
        "reference": json.loads(render(report.findings, "json")),
    }  # fmt: skip


def _screen(setup: dict[str, Any], store: str, tables: str, out: Path, *more: str) -> None:
    root = setup["root"]
    argv = ["screen", "--store", str(root / f"{store}.duckdb"), "--tables", str(root / tables),
            "--out", str(out), "--as-of", AS_OF, "--json", *more]  # fmt: skip
    assert run(argv) == 0


def test_store_mode_gives_the_findings_of_judging_every_record(
    setup: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "full.duckdb"
    shutil.copy(setup["root"] / "full.duckdb", store)
    out = tmp_path / "findings.json"
    assert run(["screen", "--store", str(store), "--as-of", AS_OF, "--no-classify",
                "--json", "-o", str(out)]) == 0  # fmt: skip
    summary = json.loads(capsys.readouterr().out)
    assert_same_findings(json.loads(out.read_text()), setup["reference"])
    # the judge read only the records the first pass kept
    assert 0 < summary["records_judged"] < setup["records"]
    assert summary["names_screened"] > summary["candidates"]


def test_records_not_judged_keep_their_findings_unchanged(
    setup: dict[str, Any], tmp_path: Path
) -> None:
    """Saved by judging every record, then by store mode's first pass: nothing moves, so the
    "what changed since" alerts stay empty (a record not judged is no removed finding)."""
    store = tmp_path / "full.duckdb"
    shutil.copy(setup["root"] / "full.duckdb", store)
    day = date.fromisoformat(AS_OF)
    read = "SELECT finding_id, content_hash, first_seen_at, updated_at FROM findings ORDER BY 1"
    with Store(store) as st:
        every = screen_store(st, as_of=day, classify=False, prefilter=False)
        assert every.saved is not None and every.saved.added == len(setup["reference"])
        before = st.conn.execute(read).fetchall()
        since = datetime.now(UTC)
        kept = screen_store(st, as_of=day, classify=False)
        assert kept.records_judged is not None and kept.records_judged < setup["records"]
        assert kept.saved is not None and kept.saved.__dict__ == {
            "added": 0, "updated": 0, "unchanged": len(before), "removed": 0
        }  # fmt: skip
        assert st.conn.execute(read).fetchall() == before
        assert alerts(st.conn, since).total == 0


def _parquet(path: Path) -> list[dict[str, Any]]:
    source = str(path / "*.parquet") if path.is_dir() else str(path)
    rows: list[dict[str, Any]] = (
        duckdb.sql(f"SELECT * FROM read_parquet('{source}')").to_arrow_table().to_pylist()
    )
    return rows


@pytest.mark.parametrize(
    ("store", "tables"),
    [
        ("lists", "exported"),  # every record in the tables: matched on the engine
        ("events", "built"),  # the events only in the store, the samples in the tables
        ("full", "exported"),  # both hold every record: the tables' records stand
    ],
)
def test_tables_give_the_store_mode_findings(
    setup: dict[str, Any],
    store: str,
    tables: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "out"
    _screen(setup, store, tables, out, "--output", str(tmp_path / "findings.csv"))
    summary = json.loads(capsys.readouterr().out)
    want = setup["reference"]
    got = json.loads((out / "findings.json").read_text())
    assert_same_findings(got, want)
    assert summary["findings"] == len(want)
    held = setup["events"] if store == "events" else 0
    assert summary["store_records_judged"] == held
    # the engine's pass lets through the records with a possible match, not all of them
    assert 0 < summary["records_judged"] + held < setup["records"]
    assert (tmp_path / "findings.csv").read_text().count("\n") == len(want) + 1
    # each finding rests on a match written beside it; findings.parquet holds the same
    matches = {(m["ocid"], m["award_id"], m["supplier_name"], m["listed_id"])
               for m in _parquet(out / "matches.parquet")}  # fmt: skip
    assert len(matches) <= summary["matches"]
    for f in want:
        assert (f["ocid"], f["award_id"], f["supplier_name"], f["listed_entity_id"]) in matches
    rows = sorted(_parquet(out / "findings.parquet"), key=lambda r: want.index(
        next(f for f in want if f["finding_id"] == r["finding_id"])))  # fmt: skip
    assert [json.loads(r["data"]) for r in rows] == got
    listed = {r["listed_id"]: r["matches"] for r in _parquet(out / "by_listed.parquet")}
    assert summary["top_listed"][0]["matches"] == max(listed.values())


@pytest.mark.spark
def test_spark_tables_give_the_store_mode_findings(setup: dict[str, Any], tmp_path: Path) -> None:
    pytest.importorskip("pyspark")
    out = tmp_path / "spark"
    _screen(setup, "lists", "exported", out, "--engine", "spark", "--spark-master", "local[2]")
    assert (out / "matches.parquet").is_dir()  # Spark writes folders of parts
    assert_same_findings(json.loads((out / "findings.json").read_text()), setup["reference"])


def test_missing_table_or_column_is_one_line_each(
    setup: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = str(setup["root"] / "lists.duckdb")
    base = ["screen", "--store", store, "--out", str(tmp_path / "out")]
    assert run([*base, "--tables", str(tmp_path)]) != 0
    assert capsys.readouterr().err.strip().splitlines() == [
        f"error: {tmp_path / name}: missing: expected a Parquet folder or file of the table"
        for name in OUTPUTS
    ]
    bad = tmp_path / "bad"
    bad.mkdir()
    for name in OUTPUTS:
        if name != "award_suppliers":
            (bad / name).symlink_to(setup["root"] / "built" / name)
    (bad / "award_suppliers").mkdir()
    duckdb.sql(
        f"COPY (SELECT 'o' AS ocid, 'a' AS award_id) TO '{bad / 'award_suppliers' / 'p.parquet'}'"
        " (FORMAT parquet)"
    )
    assert run([*base, "--tables", str(bad)]) != 0
    assert capsys.readouterr().err.strip().splitlines() == [
        f"error: {bad / 'award_suppliers'}:schema: missing column(s): name, identifier_id"
    ]
    assert run([*base, "--tables", str(bad), "--no-classify"]) != 0
    assert "--no-classify" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
