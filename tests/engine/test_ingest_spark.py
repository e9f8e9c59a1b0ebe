"""``redline ingest ocds --engine spark``: the Spark build gives the DuckDB ingest's tables.

Inputs: the real Mexican OCDS samples of the mirror (packages and records, read on the driver),
a SYNTHETIC JSON Lines file with multi-release ocids (``scripts/synth_ocds.py``), and a
SYNTHETIC .gz update that repeats some of its releases unchanged and changes others. Built on Spark
(``local[2]``, one session for the module) and imported into a store, every table equals what
``ingest_ocds`` stores from the same inputs, except the run id and ingest time.
"""

from __future__ import annotations

import gzip
import importlib.util
import re
from collections.abc import Iterator
from pathlib import Path

import orjson
import pyarrow.parquet as pq
import pytest

from redline.cli import main
from redline.engine.ingest_udfs import OUTPUTS
from redline.engine.store import Store
from redline.errors import InputError
from redline.services.ingest import ingest_ocds
from redline.services.ingest_parquet import import_parquet, ingest_to_parquet

ROOT = Path(__file__).resolve().parents[2]

MASTER = "local[2]"


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Path]]:
    """synthetic_releases.jsonl (~1.5 MB, tender → award → contract chains among them) and
    synthetic_update.jsonl.gz: its last 100 lines again, every other one with a changed title."""
    out = tmp_path_factory.mktemp("synthetic")
    spec = importlib.util.spec_from_file_location("synth_ocds", ROOT / "scripts" / "synth_ocds.py")
    assert spec is not None and spec.loader is not None
    synth_ocds = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(synth_ocds)
    plain = out / "synthetic_releases.jsonl"
    synth_ocds.write(plain, size_mb=1.5, seed=7)
    lines = plain.read_bytes().splitlines()[-100:]
    update = out / "synthetic_update.jsonl.gz"
    with gzip.open(update, "wb") as fh:
        for n, line in enumerate(lines):
            doc = orjson.loads(line)
            if n % 2:
                doc["releases"][0].setdefault("tender", {})["title"] = "SYNTHETIC changed title"
            fh.write(orjson.dumps(doc) + b"\n")
    yield [plain, update]


def _rows(store: Store, table: str) -> list[tuple[object, ...]]:
    cols = [c for c in OUTPUTS[table].names if c not in ("run_id", "ingested_at")]
    listed = ", ".join(f'"{c}"' for c in cols)
    return sorted(
        store.conn.execute(f'SELECT {listed} FROM "{table}"').fetchall(), key=lambda r: repr(r)
    )


@pytest.mark.spark
def test_spark_build_equals_duckdb_ingest(
    synthetic: list[Path], ocds_mexico: Path, data_dir: Path, tmp_path: Path
) -> None:
    inputs = [ocds_mexico, *synthetic]
    out = tmp_path / "build"
    report = ingest_to_parquet("spark", inputs, out, spark_master=MASTER, data_dir=data_dir)
    with Store(tmp_path / "spark.duckdb") as spark_store, Store(tmp_path / "duck.duckdb") as duck:
        imported = import_parquet(spark_store, out)
        done = ingest_ocds(duck, inputs, data_dir=data_dir)
        assert not done.rejected
        # the inputs exercise what matters: merges, files that repeat and change releases
        counts = duck.table_counts()
        assert counts["ocds_compiled_history"] > 0
        multi = duck.conn.execute("SELECT count(*) FROM ocds_compiled WHERE release_count > 1")
        assert (multi.fetchone() or [0])[0] > 100
        changed = duck.conn.execute(
            "SELECT count(*) FROM processes WHERE title = 'SYNTHETIC changed title'"
        ).fetchone()
        assert changed is not None and changed[0] > 20  # (a later release may set it back)
        for table in OUTPUTS:
            assert report.counts[table] == imported[table] == counts[table], table
            assert _rows(spark_store, table) == _rows(duck, table), table
    assert report.bad_values == done.bad_values
    # the Parquet itself carries the provenance the store gets: file as given, line number
    releases = pq.read_table(out / "ocds_releases", columns=["source_file", "pointer"])
    first = {(s, p) for s, p in zip(*releases.to_pydict().values(), strict=True)}
    assert (str(synthetic[0]), "line:3/releases/0") in first
    manifest = orjson.loads((out / "_manifest.json").read_bytes())
    assert manifest["counts"]["awards"] == counts["awards"]
    assert manifest["run_id"] == report.run_id


def _bad_file(tmp_path: Path, synthetic: list[Path]) -> Path:
    """Four synthetic lines with invalid JSON at line 2 and a release without ocid at line 4."""
    good = synthetic[0].read_bytes().splitlines()
    no_ocid = orjson.loads(good[2])
    del no_ocid["releases"][0]["ocid"]
    bad = tmp_path / "bad_synthetic.jsonl"
    bad.write_bytes(
        b"\n".join([good[0], b'{"releases": [', good[1], orjson.dumps(no_ocid)]) + b"\n"
    )
    return bad


def _no_column(text: str) -> str:
    return re.sub(r" \(column \d+\)$", "", text)


@pytest.mark.spark
def test_a_bad_line_rejects_the_build_naming_file_and_line(
    synthetic: list[Path], data_dir: Path, tmp_path: Path
) -> None:
    bad = _bad_file(tmp_path, synthetic)
    out = tmp_path / "build"
    with pytest.raises(InputError) as raised:
        ingest_to_parquet("spark", [bad], out, spark_master=MASTER, data_dir=data_dir)
    with Store(tmp_path / "duck.duckdb") as duck:
        expected = ingest_ocds(duck, [bad], data_dir=data_dir).rejected
    # the same problems; where a JSON error's column is counted (the line's end, or the
    # newline after it) is the one detail the readers may differ in
    assert [_no_column(str(p)) for p in raised.value.problems] == [
        _no_column(str(p)) for p in expected
    ]
    assert [p.position for p in raised.value.problems] == ["line:2", "line:4/releases/0"]
    assert all(p.source == str(bad) for p in raised.value.problems)
    assert not out.exists()  # nothing written: the build stops before any table


@pytest.mark.spark
def test_cli_skip_invalid_keeps_the_valid_lines_and_imports(
    synthetic: list[Path], data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = _bad_file(tmp_path, synthetic)
    out, store = tmp_path / "build", tmp_path / "s.duckdb"
    args = ["--data", str(data_dir), "ingest", "ocds", str(bad), "--engine", "spark",
            "--spark-master", MASTER, "--out", str(out), "--skip-invalid", "--store", str(store),
            "--json"]  # fmt: skip
    with pytest.raises(SystemExit) as done:
        main(args)
    assert done.value.code == 0
    report = orjson.loads(capsys.readouterr().out)
    assert report["counts"]["ocds_releases"] == 2 == report["imported"]["ocds_releases"]
    where = [r.split(": ", 1)[0] for r in report["rejected"]]
    assert where == [f"{bad}:line:2", f"{bad}:line:4/releases/0"]
    rejects = pq.read_table(out / "_rejects").to_pylist()
    assert sorted(r["position"] for r in rejects) == ["line:2", "line:4/releases/0"]
    with Store(store) as opened:
        pointers = opened.conn.execute("SELECT pointer FROM ocds_releases ORDER BY 1").fetchall()
    assert pointers == [("line:1/releases/0",), ("line:3/releases/0",)]


@pytest.mark.spark
def test_a_truncated_gz_is_an_input_error_naming_it(
    synthetic: list[Path], data_dir: Path, tmp_path: Path
) -> None:
    whole = synthetic[1].read_bytes()
    cut = tmp_path / "cut synthetic.jsonl.gz"  # (a space: Spark names it file:///...cut%20...)
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(InputError) as raised:
        ingest_to_parquet("spark", [cut], tmp_path / "build", spark_master=MASTER,
                          data_dir=data_dir, skip_invalid=True)  # fmt: skip
    [problem] = raised.value.problems
    assert problem.source == str(cut)
    assert problem.message.startswith("unreadable (truncated or corrupt?)")


def test_duckdb_build_imports_back_to_the_same_tables(
    synthetic: list[Path], data_dir: Path, tmp_path: Path
) -> None:
    """The same build on DuckDB (no JVM): exported from a scratch store, imported twice."""
    out = tmp_path / "build"
    report = ingest_to_parquet("duckdb", synthetic, out, data_dir=data_dir)
    with Store(tmp_path / "built.duckdb") as built, Store(tmp_path / "duck.duckdb") as duck:
        import_parquet(built, out)
        again = import_parquet(built, out)  # each ocid of the build replaces what was there
        ingest_ocds(duck, synthetic, data_dir=data_dir)
        for table in OUTPUTS:
            assert report.counts[table] == again[table] == duck.table_counts()[table], table
            assert _rows(built, table) == _rows(duck, table), table
        runs = built.conn.execute("SELECT run_id, kind FROM ingest_runs").fetchall()
    assert runs == [(report.run_id, "ocds-parquet")]  # once, however often imported


def test_cli_spark_needs_out(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as done:
        main(["ingest", "ocds", str(tmp_path), "--engine", "spark"])
    assert done.value.code != 0


def test_a_build_without_merge_rules_stops_before_any_work(
    tmp_path: Path, synthetic: list[Path]
) -> None:
    """No release schema in the data folder: one line naming it, before Spark would start."""
    with pytest.raises(InputError) as caught:
        ingest_to_parquet("spark", synthetic[:1], tmp_path / "out", data_dir=tmp_path / "nodata")
    assert len(caught.value.problems) == 1
    assert "release-schema.json" in str(caught.value)
    assert not (tmp_path / "out").exists()
