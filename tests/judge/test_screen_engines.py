"""``--engine``: blocking and scoring on another engine leave every match and finding unchanged.

Store mode's first pass (``engine.prefilter``) runs on the same engine; on Spark the findings
with it must equal those of judging every record on DuckDB.

The demo store (real OCDS samples and lists from the mirror) is screened with names blocked in
the store and scored in this process (the default), on an in-process DuckDB engine and — with
``-m spark`` — on Spark, where the shared scorer runs as a vectorised UDF.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pytest

from redline.cli import main
from redline.engine.spec import DUCKDB, EngineSpec
from redline.errors import InputError
from redline.judge.export import render
from redline.resolve import matcher
from redline.resolve.batch import compare_by_country
from redline.resolve.engine_steps import engine_scorer
from redline.resolve.engine_udfs import score_pairs
from redline.resolve.matcher import Query, match_queries
from redline.services.screen import screen_store
from redline.store.db import Store

AS_OF = date(2026, 7, 1)


def _suppliers(store: Store) -> list[Query]:
    rows = store.conn.execute(
        "SELECT DISTINCT name FROM award_suppliers WHERE name IS NOT NULL ORDER BY name"
    ).fetchall()
    return [Query(str(n), str(name), "mx") for n, (name,) in enumerate(rows)]


def _findings(
    store: Store, engine: str, *, prefilter: bool = True
) -> dict[str, tuple[float, bytes]]:
    """finding id → (risk total, the finding's evidence as exported JSON)."""
    spec = EngineSpec(engine, master="local[2]" if engine == "spark" else None)
    report = screen_store(store, as_of=AS_OF, classify=False, save=False, engine=spec,
                          prefilter=prefilter)  # fmt: skip
    rows: list[dict[str, Any]] = orjson.loads(render(report.findings, "json"))
    return {
        f.finding_id: (f.risk.total, orjson.dumps(row["evidence"], option=orjson.OPT_SORT_KEYS))
        for f, row in zip(report.findings, rows, strict=True)
    }


@pytest.fixture
def demo_copy(demo_store: Path, tmp_path: Path) -> Path:
    """A private copy: the session's demo store is shared and a DuckDB file has one writer."""
    copy = tmp_path / "demo.duckdb"
    shutil.copy(demo_store, copy)
    return copy


def test_engine_scoring_gives_the_store_scoring_matches(demo_store: Path) -> None:
    with Store(demo_store, read_only=True) as st:
        queries = _suppliers(st)
        default = match_queries(st.conn, queries, as_of=AS_OF)
        with DUCKDB.open() as eng:
            on_engine = match_queries(st.conn, queries, as_of=AS_OF, scorer=engine_scorer(eng))
    assert sum(len(r.matches) for r in default) > 0  # the demo has matches to compare
    assert [r.to_dict() for r in on_engine] == [r.to_dict() for r in default]


def test_unknown_engine_is_one_line_and_nothing_runs(
    demo_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store(demo_copy) as st:
        st.conn.execute("DELETE FROM findings")  # a screen that ran would save some again
        with pytest.raises(InputError) as caught:
            screen_store(st, as_of=AS_OF, engine=EngineSpec("flink"))
        assert st.conn.execute("SELECT count(*) FROM findings").fetchone() == (0,)
    assert str(caught.value) == "--engine: unknown engine 'flink'; expected duckdb or spark"
    with pytest.raises(SystemExit) as exited:
        main(["screen", "--store", str(demo_copy), "--engine", "flink"])
    assert exited.value.code != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["error: --engine: unknown engine 'flink'; expected duckdb or spark"]


@pytest.mark.spark
def test_spark_screen_gives_the_duckdb_findings(
    demo_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("pyspark")
    from redline.engine.spark_engine import SparkEngine

    # pairs the driver scores (the store's scorer) and pairs Spark's score UDF keeps
    on_driver: list[int] = []
    on_spark: list[int] = []

    def driver_compare(*args: Any, **kwargs: Any) -> Any:
        kept = compare_by_country(*args, **kwargs)
        on_driver.append(len(kept))
        return kept

    def spark_map(self: SparkEngine, name: str, source: str, fn: Any, schema: Any) -> None:
        spark_map_batches(self, name, source, fn, schema)
        if fn is score_pairs:
            on_spark.append(self.to_arrow(f"SELECT count(*) AS n FROM {name}")["n"][0].as_py())

    spark_map_batches = SparkEngine.map_batches
    monkeypatch.setattr(matcher, "compare_by_country", driver_compare)
    monkeypatch.setattr(SparkEngine, "map_batches", spark_map)
    with Store(demo_copy) as st:
        # every record judged: the first pass scores on the engine too, and would be counted
        duck = _findings(st, "duckdb", prefilter=False)
        scored_on_driver = sum(on_driver)
        spark = _findings(st, "spark", prefilter=False)
        counted = sum(on_spark)
        # store mode's first pass on Spark keeps every record the judge needs
        assert _findings(st, "spark") == duck
    assert duck, "the demo store must yield findings to compare"
    assert scored_on_driver > 0
    # on Spark the driver scores nothing: the same kept pairs come from the engine's UDF
    assert sum(on_driver) == scored_on_driver
    assert counted == scored_on_driver
    assert sorted(spark) == sorted(duck)
    for fid, (total, evidence) in duck.items():
        assert spark[fid][0] == pytest.approx(total, abs=1e-9)
        assert spark[fid][1] == evidence
