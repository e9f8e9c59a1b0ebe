"""``redline screen --tables DIR --out DIR``: an ingest's Parquet tables screened on an engine.

The input is written here from the demo store (real OCDS samples from the mirror) in the shape
a Spark ingest writes: one Parquet folder per table, the columns of ``ocds_extract.SCHEMAS``
(timestamps as text). Both engines must write the same matches.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pytest

from redline.cli import run
from redline.engine.base import open_engine
from redline.engine.steps import screen_suppliers
from redline.engine.store import Store
from redline.ingest.ocds_extract import SCHEMAS

AS_OF = "2026-07-01"


@pytest.fixture(scope="module")
def tables(demo_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """DIR/award_suppliers/ and DIR/awards/ from the demo store, columns and types as SCHEMAS."""
    out = tmp_path_factory.mktemp("tables")
    with Store(demo_store, read_only=True) as st:
        for table in ("award_suppliers", "awards"):
            columns = ", ".join(
                f"CAST({name} AS {'DOUBLE' if kind == pa.float64() else 'VARCHAR'}) AS {name}"
                for name, kind in SCHEMAS[table]
            )
            (out / table).mkdir()
            part = out / table / "part-00000.parquet"
            st.conn.execute(f"COPY (SELECT {columns} FROM {table}) TO '{part}' (FORMAT parquet)")
    return out


def _matches(out: Path) -> list[dict[str, Any]]:
    path = out / "matches.parquet"
    source = str(path / "*.parquet") if path.is_dir() else str(path)
    rows: list[dict[str, Any]] = (
        duckdb.sql(f"SELECT * FROM read_parquet('{source}') ORDER BY finding_id")
        .to_arrow_table()
        .to_pylist()
    )
    return rows


def _screen(demo_store: Path, tables: Path, out: Path, engine: str) -> dict[str, Any]:
    argv = ["screen", "--store", str(demo_store), "--tables", str(tables), "--out", str(out)]
    code = run(
        [*argv, "--engine", engine, "--spark-master", "local[2]", "--as-of", AS_OF, "--json"]
    )
    assert code == 0
    return {"matches": _matches(out)}


def test_tables_give_the_store_tables_matches(
    demo_store: Path, tables: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    got = _screen(demo_store, tables, tmp_path / "out", "duckdb")["matches"]
    summary = json.loads(capsys.readouterr().out)
    assert summary["matches"] == len(got) > 0
    # the same screen over the store's own typed tables, joined as the conformance suite does
    with Store(demo_store, read_only=True) as st, open_engine("duckdb") as eng:
        suppliers = st.conn.execute(
            "SELECT s.ocid, s.award_id, s.party_id, s.name, s.identifier_id, a.date, a.amount "
            "FROM award_suppliers s LEFT JOIN (SELECT ocid, award_id, CAST(min(date) AS DATE) "
            "AS date, max(amount) AS amount FROM awards GROUP BY ocid, award_id) a "
            "ON a.ocid = s.ocid AND a.award_id = s.award_id"
        ).to_arrow_table()
        screen_suppliers(eng, suppliers, st.conn, as_of=date.fromisoformat(AS_OF))
        want = eng.to_arrow("SELECT * FROM rl_matches ORDER BY finding_id").to_pylist()
    assert got == want
    assert summary["top_listed"][0]["awards"] == max(
        sum(1 for r in got if r["listed_id"] == lid) for lid in {r["listed_id"] for r in got}
    )


@pytest.mark.spark
def test_spark_tables_give_the_duckdb_matches(
    demo_store: Path, tables: Path, tmp_path: Path
) -> None:
    pytest.importorskip("pyspark")
    duck = _screen(demo_store, tables, tmp_path / "duck", "duckdb")["matches"]
    spark = _screen(demo_store, tables, tmp_path / "spark", "spark")["matches"]
    assert (tmp_path / "spark" / "matches.parquet").is_dir()  # Spark writes a folder of parts
    assert duck
    assert [r["finding_id"] for r in spark] == [r["finding_id"] for r in duck]
    for got, want in zip(spark, duck, strict=True):
        assert got["score"] == pytest.approx(want["score"], abs=1e-9)
        assert {k: v for k, v in got.items() if k != "score"} == {
            k: v for k, v in want.items() if k != "score"
        }


def test_missing_table_or_column_is_one_line_each(
    demo_store: Path, tables: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["screen", "--store", str(demo_store), "--out", str(tmp_path / "out")]
    assert run([*base, "--tables", str(tmp_path)]) != 0
    assert capsys.readouterr().err.strip().splitlines() == [
        f"error: {tmp_path / name}: missing: expected a Parquet folder or file of the table"
        for name in ("award_suppliers", "awards")
    ]
    bad = tmp_path / "bad"
    (bad / "award_suppliers").mkdir(parents=True)
    (bad / "awards").symlink_to(tables / "awards")
    duckdb.sql(
        f"COPY (SELECT 'o' AS ocid, 'a' AS award_id) TO '{bad / 'award_suppliers' / 'p.parquet'}'"
        " (FORMAT parquet)"
    )
    assert run([*base, "--tables", str(bad)]) != 0
    assert capsys.readouterr().err.strip().splitlines() == [
        f"error: {bad / 'award_suppliers'}:schema: missing column(s): party_id, name, identifier_id"
    ]
    assert not (tmp_path / "out").exists()
