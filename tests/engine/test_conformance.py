"""One conformance suite for every engine: the same screening steps, the same answers.

Runs the demo data (the real Mexican OCDS samples) and a SYNTHETIC data set with planted listed
vendors through each engine against the real lists of the data mirror. DuckDB is checked
against the single-machine matcher (``match_names``) and the truth file; every other engine
must then give DuckDB's findings: same ids, scores to 1e-9, same evidence (matched entity,
ownership path and edges). The matcher scored on an engine (``engine_scorer``) must give the
store scorer's results on SYNTHETIC names whose score turns on the query's country. Spark runs
only with ``-m spark`` (it starts a JVM).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from redline.engine.base import Engine
from redline.engine.spec import DUCKDB, EngineSpec
from redline.resolve.engine_steps import engine_scorer, screen_suppliers
from redline.resolve.matcher import match_queries
from redline.resolve.normalise import place_country
from redline.resolve.variants import name_variants
from redline.services.ingest import ingest_ocds
from redline.services.lists import load_lists
from redline.services.match import Query, match_names
from redline.store.db import Store
from redline.synth import SynthSpec, planted_pool, write_synthetic

AS_OF = date(2025, 1, 1)
ENGINES = ["duckdb", pytest.param("spark", marks=pytest.mark.spark)]


@pytest.fixture(scope="session")
def lists_store(data_dir: Path) -> Iterator[Store]:
    with Store(":memory:") as store:
        load_lists(store, data_dir)
        yield store


@pytest.fixture(scope="session")
def synthetic(lists_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """3,000 synthetic releases; rates raised so every kind of planted vendor occurs."""
    out = tmp_path_factory.mktemp("synthetic")
    listed, subsidiaries = planted_pool(lists_store.conn, AS_OF)
    spec = SynthSpec(3000, seed=5, listed_rate=0.03, subsidiary_rate=0.01, consortium_rate=0.01)
    write_synthetic(out, spec, listed, subsidiaries)
    return out


@pytest.fixture(scope="session")
def demo_suppliers(ocds_mexico: Path, data_dir: Path) -> pa.Table:
    """The award suppliers of the real OCDS samples, as the store extracts them."""
    with Store(":memory:") as store:
        ingest_ocds(store, [ocds_mexico], data_dir=data_dir)
        table: pa.Table = store.conn.execute(
            "SELECT s.ocid, s.award_id, s.party_id, s.name, s.identifier_id, a.date, a.amount "
            "FROM award_suppliers s LEFT JOIN (SELECT ocid, award_id, CAST(min(date) AS DATE) "
            "AS date, max(amount) AS amount FROM awards GROUP BY ocid, award_id) a "
            "ON a.ocid = s.ocid AND a.award_id = s.award_id"
        ).to_arrow_table()
    return table


@pytest.fixture(scope="session")
def spark_engine() -> Iterator[Engine]:
    """ONE Spark session for the whole run (8-14 s and about 1 GB to start)."""
    pytest.importorskip("pyspark")
    with EngineSpec("spark", master="local[2]").open() as engine:
        yield engine


def _engine(name: str, request: pytest.FixtureRequest) -> Engine:
    if name == "spark":
        engine: Engine = request.getfixturevalue("spark_engine")
        return engine
    return DUCKDB.open()


def _screen(engine: Engine, suppliers: pa.Table | Path, store: Store) -> list[dict[str, Any]]:
    screen_suppliers(engine, suppliers, store.conn, as_of=AS_OF)
    rows: list[dict[str, Any]] = engine.to_arrow(
        "SELECT * FROM rl_matches ORDER BY finding_id"
    ).to_pylist()
    return rows


@pytest.fixture(scope="session")
def reference(synthetic: Path, demo_suppliers: pa.Table, lists_store: Store) -> dict[str, Any]:
    """DuckDB's findings on both data sets: what every other engine must reproduce."""
    with DUCKDB.open() as engine:
        return {
            "synthetic": _screen(engine, synthetic / "synthetic_award_suppliers.parquet",
                                 lists_store),
            "demo": _screen(engine, demo_suppliers, lists_store),
        }  # fmt: skip


def test_duckdb_agrees_with_the_single_machine_matcher(
    reference: dict[str, Any], lists_store: Store
) -> None:
    rows = reference["synthetic"]
    names = sorted({r["supplier_name"] for r in rows})
    engine_best = {(r["supplier_name"], r["listed_id"]): r["score"] for r in rows}
    results = match_names(lists_store, [Query(n, n) for n in names], as_of=AS_OF)
    matcher_best = {
        (res.id, m.entity_id): m.score for res in results for m in [*res.matches, *res.not_in_force]
    }
    assert engine_best == matcher_best


def test_duckdb_finds_the_planted_vendors(reference: dict[str, Any], synthetic: Path) -> None:
    lines = (synthetic / "synthetic_truth.jsonl").read_text(encoding="utf-8").splitlines()
    truth = [json.loads(line) for line in lines]
    found = {(r["award_id"], r["listed_id"]) for r in reference["synthetic"]}
    kinds = {t["kind"] for t in truth}
    assert kinds == {"listed", "subsidiary", "consortium"}
    missed = [t for t in truth if (t["award_id"], t["listed_id"]) not in found]
    # a swapped pair of letters may defeat blocking or the score; nothing else may be missed
    assert all(t["transform"] == "typo" for t in missed), missed
    assert len(missed) <= 0.1 * len(truth)
    via_owner = [r for r in reference["synthetic"] if r["depth"] > 0]
    assert via_owner and all(r["edges"].count("|") == r["depth"] + 1 for r in via_owner)


@pytest.mark.parametrize("engine_name", ENGINES)
@pytest.mark.parametrize("dataset", ["synthetic", "demo"])
def test_engine_gives_identical_findings(
    engine_name: str,
    dataset: str,
    request: pytest.FixtureRequest,
    reference: dict[str, Any],
    synthetic: Path,
    demo_suppliers: pa.Table,
    lists_store: Store,
) -> None:
    source = (
        synthetic / "synthetic_award_suppliers.parquet"
        if dataset == "synthetic"
        else demo_suppliers
    )
    rows = _screen(_engine(engine_name, request), source, lists_store)
    expected = reference[dataset]
    assert [r["finding_id"] for r in rows] == [r["finding_id"] for r in expected]
    for got, want in zip(rows, expected, strict=True):
        assert got["score"] == pytest.approx(want["score"], abs=1e-9)
        evidence = ("matched_id", "listed_id", "depth", "path", "edges", "ocid", "award_id")
        assert {k: got[k] for k in evidence} == {k: want[k] for k in evidence}


@pytest.fixture(scope="session")
def country_queries(lists_store: Store) -> list[Query]:
    """SYNTHETIC queries: list names with their country word taken out ("3HC Semiconductors
    (HK) Co., Ltd." → "3hc semiconductor"), asked with that country, with "mx" and with none.
    The query's country supplies the missing word, so the scores differ by country."""
    rows = lists_store.conn.execute("SELECT names FROM entities ORDER BY id").fetchall()
    bare: list[tuple[str, str]] = []
    for (names,) in rows:
        for variant in name_variants((names or [""])[0], listed=True):
            codes = {t: place_country(t) for t in variant.tokens}
            country = [c for c in codes.values() if c and len(c) == 2 and c != "zz"]
            if len(country) == 1 and len(variant.tokens) > 2:
                rest = " ".join(t for t in variant.tokens if not codes[t])
                bare.append((rest, country[0]))
                break
    assert len(bare) > 100  # the real lists name many country affiliates
    return [
        Query(f"synthetic-{n}-{asked or 'none'}", name, asked)
        for n, (name, country) in enumerate(bare[::5])
        for asked in (country, "mx", None)
    ]


@pytest.mark.parametrize("engine_name", ENGINES)
def test_engine_scoring_weighs_the_country_as_the_store_does(
    engine_name: str, request: pytest.FixtureRequest, country_queries: list[Query],
    lists_store: Store,
) -> None:  # fmt: skip
    conn = lists_store.conn
    expected = [r.to_dict() for r in match_queries(conn, country_queries, as_of=AS_OF)]
    scores = {q.id: max((m["score"] for m in r["matches"]), default=0.0)
              for q, r in zip(country_queries, expected, strict=True)}  # fmt: skip
    # the data must exercise the country: some name scores higher with its own country
    own = [q for q in country_queries if q.country and q.country != "mx"]
    lifted = [q for q in own if scores[q.id] > scores[q.id.replace(f"-{q.country}", "-none")]]
    assert lifted, "no query's score turned on its country"
    engine = _engine(engine_name, request)
    got = match_queries(conn, country_queries, as_of=AS_OF, scorer=engine_scorer(engine))
    assert [r.to_dict() for r in got] == expected
