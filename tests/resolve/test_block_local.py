"""A request's few names are blocked in Python (WatchIndex._local_candidates) and a batch's
many by SQL (RARE_CANDIDATES_SQL): both must give the same pairs, or /match and a screen would
disagree about the same name."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from redline.resolve.block import LOCAL_MAX, TOP_K, WatchIndex
from redline.resolve.variants import Variant, name_variants


@pytest.fixture(scope="module")
def index(demo_store: Path) -> Iterator[WatchIndex]:
    """The index of the lists the demo loads from the mirror (3,900 real listed entities)."""
    conn = duckdb.connect(str(demo_store), read_only=True)
    try:
        yield WatchIndex.of(conn)
    finally:
        conn.close()


def _forms(names: list[str]) -> list[Variant]:
    return list(dict.fromkeys(v for name in names for v in name_variants(name)))


def _real_suppliers(data_dir: Path) -> list[str]:
    """Supplier names of the mirror's ComprasMX export (read in place), every 7th one."""
    path = data_dir / "procurement" / "comprasmx" / "contratos_comprasmx_2026_imss.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    column = next(i for i, c in enumerate(rows[0]) if "proveedor" in c.lower())
    return sorted({r[column] for r in rows[1:] if len(r) > column and r[column].strip()})[::7]


def test_python_and_sql_blocking_agree_on_real_names(index: WatchIndex, data_dir: Path) -> None:
    eval_dir = data_dir.parent / "eval" / "matching"
    with (eval_dir / "queries.csv").open(encoding="utf-8") as handle:
        listed = [row["name"] for row in csv.DictReader(handle)]
    forms = _forms(listed + _real_suppliers(data_dir))
    assert len(forms) > LOCAL_MAX  # so candidates() runs the SQL statement
    by_sql = index.candidates(forms)
    assert index._local_candidates(forms, TOP_K) == by_sql
    assert len({q for q, _ in by_sql}) > 100  # many forms meet some list form


def test_a_single_name_is_blocked_here_with_the_same_pairs(index: WatchIndex) -> None:
    one = _forms(["Hikvision Digital Technology Co., Ltd."])
    assert len(one) <= LOCAL_MAX
    index.serve_small_batches()  # as the server's lists do
    local = index.candidates(one)
    padded = index.candidates(one + _forms([f"Synthetic filler {n}" for n in range(LOCAL_MAX)]))
    assert local == [(q, v) for q, v in padded if q < len(one)]
    assert any("hikvision" in index.forms[v].name.lower() for _, v in local)
