"""Bulk ``redline match`` with Parquet in and out: the same results as CSV in, JSON Lines out."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from redline.cli import run

WATCH = str(Path(__file__).parent / "fixtures" / "synthetic_watchlist.ftm.jsonl")
# SYNTHETIC queries against the synthetic watchlist fixture
QUERIES = {
    "id": ["b", "a", "c"],
    "name": ["Otra Empresa SA de CV", "TIANLONG MAQUINARIA DE MEXICO SA DE CV",
             "中国天龙重工集团有限公司"],
    "country": ["mx", "mx", None],
}  # fmt: skip


@pytest.mark.parametrize("engine", ["duckdb", pytest.param("spark", marks=pytest.mark.spark)])
def test_parquet_results_are_the_csv_results(engine: str, tmp_path: Path) -> None:
    if engine == "spark":
        pytest.importorskip("pyspark")
    with (tmp_path / "q.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(QUERIES)
        writer.writerows(zip(*QUERIES.values(), strict=True))
    pq.write_table(pa.table(QUERIES), tmp_path / "q.parquet")
    common = ["--watchlist", WATCH, "--engine", engine, "--spark-master", "local[2]"]
    out_csv = ["match", "--input", str(tmp_path / "q.csv"), "--output", str(tmp_path / "r.jsonl")]
    out_pq = [
        "match",
        "--input",
        str(tmp_path / "q.parquet"),
        "--output",
        str(tmp_path / "r.parquet"),
    ]
    assert run([*out_csv, *common]) == 0
    assert run([*out_pq, *common]) == 0
    lines = [json.loads(x) for x in (tmp_path / "r.jsonl").read_text("utf-8").splitlines()]
    path = tmp_path / "r.parquet"
    source = str(path / "*.parquet") if path.is_dir() else str(path)
    rows = duckdb.sql(f"SELECT * FROM read_parquet('{source}')").to_arrow_table().to_pylist()
    rows.sort(key=lambda r: QUERIES["id"].index(r["id"]))  # Spark's parts need not keep order
    assert [r["id"] for r in rows] == [x["id"] for x in lines] == QUERIES["id"]
    for row, line in zip(rows, lines, strict=True):
        for key in ("matches", "not_in_force", "possible_affiliates"):
            assert json.loads(row[key]) == line[key]
        top = line["matches"][0] if line["matches"] else {}
        assert (row["top_entity_id"], row["top_score"]) == (top.get("entity_id"), top.get("score"))
    assert rows[1]["top_entity_id"] == "syn-tianlong"


def test_parquet_without_a_name_column_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pq.write_table(pa.table({"id": ["1"], "nombre": ["Foo"]}), tmp_path / "q.parquet")
    out = tmp_path / "r.parquet"
    argv = ["match", "--input", str(tmp_path / "q.parquet"), "--output", str(out)]
    assert run([*argv, "--watchlist", WATCH]) != 0
    assert capsys.readouterr().err.strip() == (
        f"error: {tmp_path / 'q.parquet'}:schema: missing column(s): name"
    )
    assert not out.exists()
