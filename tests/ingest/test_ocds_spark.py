"""``redline ingest ocds --engine spark``: the Spark build gives the DuckDB ingest's tables.

Inputs: the real Mexican OCDS samples of the mirror (packages and records, each read whole by an
executor), a SYNTHETIC JSON Lines file with multi-release ocids (``redline.synth.packages``, with
blank and CRLF lines added, split into several blocks), and a SYNTHETIC .gz update that repeats
some of its releases unchanged and changes others. Built on Spark (``local[2]``, one session for
the module) and imported into a store, every table equals what ``ingest_ocds`` stores from the
same inputs, except the run id and ingest time. A truncated .gz (the mirror's releases as JSON
Lines, cut in tmp_path) gives the DuckDB ingest's problem and, with --skip-invalid, its tables.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from pathlib import Path

import orjson
import pyarrow.parquet as pq
import pytest

from redline.cli import main
from redline.engine.spark_engine import session
from redline.engine.spec import DUCKDB, EngineSpec
from redline.errors import InputError
from redline.ingest.ocds import read as ocds_forms
from redline.ingest.ocds.chunk import Context
from redline.ingest.ocds.spark import InputFile, qualify, spark_ingest
from redline.ingest.ocds.spark_udfs import OUTPUTS
from redline.services.ingest import ingest_ocds
from redline.services.ingest_parquet import import_parquet, ingest_to_parquet
from redline.store.db import Store
from redline.synth.packages import write_packages

ROOT = Path(__file__).resolve().parents[2]

MASTER = "local[2]"
SPARK = EngineSpec("spark", MASTER)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Path]]:
    """synthetic_releases.jsonl (~1.5 MB, tender → award → contract chains among them) and
    synthetic_update.jsonl.gz: its last 100 lines again, every other one with a changed title."""
    out = tmp_path_factory.mktemp("synthetic")
    plain = out / "synthetic_releases.jsonl"
    write_packages(plain, size_mb=1.5, seed=7)
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


def _spaced(plain: Path, out: Path) -> Path:
    """``plain`` with a blank line after every 37th line and CRLF ends on every 50th: line
    numbers must count the lines that hold no release, across Spark's blocks too."""
    lines = plain.read_bytes().splitlines()
    ends = [b"\r\n" if n % 50 == 0 else b"\n\n" if n % 37 == 0 else b"\n"
            for n in range(1, len(lines) + 1)]  # fmt: skip
    out.write_bytes(b"".join(line + end for line, end in zip(lines, ends, strict=True)))
    return out


@pytest.mark.spark
def test_spark_build_equals_duckdb_ingest(
    synthetic: list[Path],
    ocds_mexico: Path,
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # (a space in the name: Spark names the file file:/...synthetic%20spaced.jsonl)
    spaced = _spaced(synthetic[0], tmp_path / "synthetic spaced.jsonl")
    inputs = [ocds_mexico, spaced, synthetic[1]]
    out = tmp_path / "build"
    spark = session(MASTER)
    old = spark.conf.get("spark.sql.files.maxPartitionBytes")
    spark.conf.set("spark.sql.files.maxPartitionBytes", "512k")  # 3-4 blocks of 1.5 MB
    blocks = spark.read.text(str(spaced)).select("_metadata.file_block_start").distinct()
    assert blocks.count() > 2
    try:
        with monkeypatch.context() as driver:
            # every OCDS document is parsed on the executors (Python workers of their own)
            driver.setattr(ocds_forms, "items_of", _parsed_on_the_driver)
            report = ingest_to_parquet(SPARK, inputs, out, data_dir=data_dir)
    finally:
        spark.conf.set("spark.sql.files.maxPartitionBytes", old)
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
    assert (str(spaced), "line:3/releases/0") in first
    # a line of a later block (the last 100 lines are replaced by the .gz update)
    later = spaced.read_bytes().split(b"\n").index(synthetic[0].read_bytes().splitlines()[300])
    assert later == 300 + 300 // 37  # (the blank lines before it count)
    assert (str(spaced), f"line:{later + 1}/releases/0") in first
    manifest = orjson.loads((out / "_manifest.json").read_bytes())
    assert manifest["counts"]["awards"] == counts["awards"]
    assert manifest["run_id"] == report.run_id


def _parsed_on_the_driver(*args: object) -> Iterator[object]:
    raise AssertionError("an OCDS document was parsed on the driver")


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
        ingest_to_parquet(SPARK, [bad], out, data_dir=data_dir)
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


def _truncated_mexico(ocds_mexico: Path, tmp_path: Path) -> Path:
    """The mirror's release packages as JSON Lines (one package a line), gzipped and cut at
    60%: a real .gz that breaks in the middle of a line."""
    packages = sorted(ocds_mexico.glob("*/sample/releases/*.json"))
    lines = b"".join(orjson.dumps(orjson.loads(p.read_bytes())) + b"\n" for p in packages)
    whole = gzip.compress(lines, mtime=0)
    cut = tmp_path / "mexico releases cut.jsonl.gz"
    cut.write_bytes(whole[: len(whole) * 3 // 5])
    return cut


@pytest.mark.spark
def test_a_truncated_gz_names_its_line_and_skip_invalid_keeps_the_lines_before(
    ocds_mexico: Path, data_dir: Path, tmp_path: Path
) -> None:
    cut = _truncated_mexico(ocds_mexico, tmp_path)
    with pytest.raises(InputError) as raised:
        ingest_to_parquet(SPARK, [cut], tmp_path / "failed", data_dir=data_dir)
    out = tmp_path / "build"
    kept = ingest_to_parquet(SPARK, [cut], out, data_dir=data_dir, skip_invalid=True)
    with Store(tmp_path / "spark.duckdb") as spark_store, Store(tmp_path / "duck.duckdb") as duck:
        import_parquet(spark_store, out)
        expected = ingest_ocds(duck, [cut], data_dir=data_dir).rejected
        # the same one problem: the first line that could not be read, as the DuckDB ingest
        [problem] = raised.value.problems
        assert raised.value.problems == expected
        assert problem.source == str(cut) and problem.message.startswith("unreadable from here")
        assert int(problem.position.removeprefix("line:")) > 10
        assert kept.rejected == expected
        assert pq.read_table(out / "_rejects").num_rows == 1
        # as a remote file is read: its bytes handed over by Spark's binaryFile reader
        spark = session(MASTER)
        handed = InputFile(str(cut), qualify(spark, str(cut)), split=False)
        ctx = Context("", "run", "2026-01-01T00:00:00+00:00", data_dir)
        remote = spark_ingest(spark, [handed], qualify(spark, str(tmp_path / "remote")),
                              ctx=ctx, skip_invalid=True)  # fmt: skip
        assert remote.rejected == expected
        assert remote.counts == kept.counts
        ingest_ocds(duck, [cut], data_dir=data_dir, skip_invalid=True)
        for table in OUTPUTS:
            assert _rows(spark_store, table) == _rows(duck, table), table
        stored = spark_store.conn.execute("SELECT count(*) FROM ocds_releases").fetchone()
    assert stored is not None and stored[0] == int(problem.position.removeprefix("line:")) - 1


def test_duckdb_build_imports_back_to_the_same_tables(
    synthetic: list[Path], data_dir: Path, tmp_path: Path
) -> None:
    """The same build on DuckDB (no JVM): exported from a scratch store, imported twice."""
    out = tmp_path / "build"
    report = ingest_to_parquet(DUCKDB, synthetic, out, data_dir=data_dir)
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
        ingest_to_parquet(SPARK, synthetic[:1], tmp_path / "out", data_dir=tmp_path / "nodata")
    assert len(caught.value.problems) == 1
    assert "release-schema.json" in str(caught.value)
    assert not (tmp_path / "out").exists()
