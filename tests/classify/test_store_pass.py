"""The set-based store pass gives the same classes and evidence as the per-subject classifier."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from redline.classify.classifier import Classifier
from redline.classify.sources import ocds_subject
from redline.cli import app
from redline.services.classify import classify_store
from redline.store.db import Store

INAI = "procurement/ocds-mexico/inai/sample/releases/PC-0018-PC-0018.json"
_PROV = "?, ?, 'r1', 'test', now()"


def _fill(store: Store, release: dict[str, object], source: str) -> None:
    """Extract a release by hand (the OCDS ingest is another stage) into the store tables."""
    ocid = str(release["ocid"])
    tender = release["tender"]
    assert isinstance(tender, dict)
    buyer = release.get("buyer") or {}
    assert isinstance(buyer, dict)
    conn = store.conn
    conn.execute(
        "INSERT INTO processes (ocid, title, description, buyer_name, source_file, pointer, "
        f"release_id, run_id, ingested_at) VALUES (?, ?, ?, ?, {_PROV})",
        [ocid, tender.get("title"), tender.get("description"), buyer.get("name"), source, "/"],
    )
    for kind, table, key in (
        ("awards", "awards", "award_id"),
        ("contracts", "contracts", "contract_id"),
    ):
        for i, obj in enumerate(release.get(kind) or []):  # type: ignore[arg-type]
            conn.execute(
                f"INSERT INTO {table} (ocid, {key}, title, description, source_file, pointer, "
                f"release_id, run_id, ingested_at) VALUES (?, ?, ?, ?, {_PROV})",
                [ocid, obj["id"], obj.get("title"), obj.get("description"), source, f"/{kind}/{i}"],
            )
            for j, item in enumerate(obj.get("items") or []):
                cls = item.get("classification") or {}
                conn.execute(
                    "INSERT INTO items (ocid, parent, parent_id, item_id, description, "
                    "classification_scheme, classification_id, classification_description, "
                    f"source_file, pointer, release_id, run_id, ingested_at) "
                    f"VALUES (?, ?, ?, ?, ?, ?, ?, ?, {_PROV})",
                    [ocid, kind[:-1], obj["id"], item.get("id"), item.get("description"),
                     cls.get("scheme"), str(cls.get("id")), cls.get("description"),
                     source, f"/{kind}/{i}/items/{j}"],
                )  # fmt: skip


def test_store_pass_matches_the_classifier(tmp_path: Path, mirror: Path) -> None:
    doc = json.loads((mirror / INAI).read_text(encoding="utf-8"))
    with Store(tmp_path / "s.duckdb") as store:
        _fill(store, doc, INAI)
        report = classify_store(store)
        rows = store.conn.execute(
            "SELECT parent, parent_id, item_id, class_id, signal_kind, signal_value, signal_field "
            "FROM classifications ORDER BY ALL"
        ).fetchall()
        again = classify_store(store)  # rebuilds, never appends
        assert store.conn.execute("SELECT count(*) FROM classifications").fetchone() == (len(rows),)
    assert report.rows == again.rows == len(rows) > 0
    assert report.by_class == {"data_centres_cloud": report.classified_subjects}
    clf = Classifier()
    expected: set[tuple[object, ...]] = set()
    subjects: list[tuple[str, str, str | None, str | None]] = [("/tender", "tender", None, None)]
    for kind in ("awards", "contracts"):
        for i, obj in enumerate(doc.get(kind) or []):
            subjects.append((f"/{kind}/{i}", kind[:-1], str(obj["id"]), None))
            for j, item in enumerate(obj.get("items") or []):
                item_id = str(item["id"]) if item.get("id") is not None else None
                subjects.append((f"/{kind}/{i}/items/{j}", kind[:-1], str(obj["id"]), item_id))
    for pointer, parent, parent_id, item_id in subjects:
        for a in clf.classify(ocds_subject(doc, pointer)):
            for s in a.signals:
                expected.add((parent, parent_id, item_id, a.class_id, s.kind, s.value, s.field))
    assert set(rows) == expected


def test_cli_classify_text_and_store(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        app, ["classify", "text", "Arcos detectores", "--buyer", "ANAM", "--json"]
    )
    assert result.exit_code == 0, result.output
    (assignment,) = json.loads(result.stdout)
    assert assignment["class_id"] == "border_inspection"
    assert {s["kind"] for s in assignment["signals"]} == {"keyword", "buyer"}
    # a store that does not exist is refused (exit 1), not reported as "0 rows classified"
    result = runner.invoke(app, ["classify", "--store", str(tmp_path / "e.duckdb"), "--json"])
    assert result.exit_code == 1, result.output
    assert not (tmp_path / "e.duckdb").exists()
    result = runner.invoke(app, ["classify", "text", "x", "--code", "38581000"])
    assert result.exit_code != 0
