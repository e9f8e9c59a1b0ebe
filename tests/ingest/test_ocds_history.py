"""Idempotent re-ingest, and history kept when a newer release updates an ocid."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from redline.ingest.ocds import load as ocds_load
from redline.services.ingest import ingest_ocds
from redline.store.db import Store

CDMX = "cdmx/sample/releases/OCDS-87SD3T-SEFIN-DRM-A-001-2016-0{}.json"


def test_same_input_twice_changes_nothing(store: Store, data_dir: Path, ocds_mexico: Path) -> None:
    paths = [ocds_mexico / "inai", ocds_mexico / "jalisco"]
    first = ingest_ocds(store, paths, data_dir=data_dir)
    counts = store.table_counts()
    second = ingest_ocds(store, paths, data_dir=data_dir)
    assert first.releases_stored == 30 and second.releases_stored == 0
    assert second.skipped_unchanged == second.files == 30
    assert set(second.table_deltas.values()) == {0}
    assert {k: v for k, v in store.table_counts().items() if k != "ingest_runs"} == {
        k: v for k, v in counts.items() if k != "ingest_runs"
    }


def test_same_releases_in_another_form_are_unchanged(
    store: Store, data_dir: Path, ocds_mexico: Path, tmp_path: Path
) -> None:
    ingest_ocds(store, [ocds_mexico / "inai"], data_dir=data_dir)
    rels = [orjson.loads(p.read_bytes()) for p in (ocds_mexico / "inai").rglob("*.json")]
    jsonl = tmp_path / "inai.jsonl"
    jsonl.write_bytes(b"\n".join(orjson.dumps(r) for r in rels))
    again = ingest_ocds(store, [jsonl], data_dir=data_dir)
    assert again.skipped_unchanged == 0  # a new file: its releases are compared by content hash
    assert again.releases_unchanged == 10 and again.releases_stored == 0
    assert set(again.table_deltas.values()) == {0}


def test_newer_release_updates_compiled_and_keeps_history(
    store: Store, data_dir: Path, ocds_mexico: Path
) -> None:
    ocid = "OCDS-87SD3T-SEFIN-DRM-A-001-2016"
    run1 = ingest_ocds(store, [ocds_mexico / CDMX.format(1)], data_dir=data_dir)
    before = store.conn.execute(
        "SELECT release_count, data FROM ocds_compiled_data WHERE ocid = ?", [ocid]
    ).fetchone()
    run2 = ingest_ocds(store, [ocds_mexico / CDMX.format(2)], data_dir=data_dir)
    after = store.conn.execute(
        "SELECT c.release_count, d.data, c.run_id FROM ocds_compiled c JOIN ocds_compiled_data d "
        "USING (ocid) WHERE ocid = ?",
        [ocid],
    ).fetchone()
    assert before is not None and after is not None
    assert before[0] == 1 and after[0] == 2 and after[2] == run2.run_id
    assert before[1] != after[1]
    history = store.conn.execute(
        "SELECT release_count, superseded_by, data FROM ocds_compiled_history WHERE ocid = ?",
        [ocid],
    ).fetchall()
    assert history == [(1, run2.run_id, before[1])]
    assert store.conn.execute(
        "SELECT release_id FROM ocds_releases WHERE ocid = ? ORDER BY 1", [ocid]
    ).fetchall() == [("01",), ("02",)]
    # extracted rows were replaced, not duplicated
    for table in ("processes", "buyers", "awards"):
        got = store.conn.execute(
            f"SELECT count(*), min(run_id) FROM {table} WHERE ocid = ?", [ocid]
        )
        assert got.fetchone() == (1, run2.run_id), table
    assert run1.run_id != run2.run_id


def test_changed_release_with_same_id_replaces_it(
    store: Store, data_dir: Path, tmp_path: Path
) -> None:
    rel = {"ocid": "ocds-test-9", "id": "r1", "date": "2020-01-01T00:00:00Z",
           "tender": {"id": "t", "value": {"amount": 100, "currency": "MXN"}}}  # fmt: skip
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_bytes(orjson.dumps(rel))
    rel["tender"] = {"id": "t", "value": {"amount": 250, "currency": "MXN"}}
    b.write_bytes(orjson.dumps(rel))
    ingest_ocds(store, [a], data_dir=data_dir)
    report = ingest_ocds(store, [b], data_dir=data_dir)
    assert report.releases_stored == 1
    assert store.conn.execute("SELECT count(*) FROM ocds_releases").fetchone() == (1,)
    assert store.conn.execute("SELECT tender_amount FROM processes").fetchone() == (250.0,)
    # the replaced compiled release was stored as "the only release" (no copy of its own):
    # history still holds it, with the old amount
    (old,) = store.conn.execute("SELECT data FROM ocds_compiled_history").fetchall()
    assert orjson.loads(old[0])["tender"]["value"]["amount"] == 100


def test_ocid_repeated_across_batches_of_one_file_has_no_history(
    store: Store, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ocds_load, "BATCH", 2)  # so the ocid's releases fall in two batches
    rels = [{"ocid": f"ocds-synthetic-{n}", "id": str(i), "date": f"2020-01-0{i + 1}T00:00:00Z"}
            for i, n in enumerate([1, 2, 3, 1, 1])]  # fmt: skip
    path = tmp_path / "repeat_synthetic.jsonl"
    path.write_bytes(b"\n".join(orjson.dumps(r) for r in rels))
    report = ingest_ocds(store, [path], data_dir=data_dir)
    assert report.table_deltas["ocds_compiled_history"] == 0
    assert store.conn.execute(
        "SELECT ocid, release_count FROM ocds_compiled ORDER BY 1"
    ).fetchall() == [("ocds-synthetic-1", 3), ("ocds-synthetic-2", 1), ("ocds-synthetic-3", 1)]
    assert store.conn.execute("SELECT count(*) FROM processes").fetchone() == (3,)
