"""A contract export is written within the store's write budget, and stays all or nothing.

The budget (:mod:`redline.store.budget`) bounds DuckDB while a file goes in, which is what
keeps a national year's peak flat (docs/benchmarks.md ``## national``); these tests check that
it is undone afterwards and that a file failing after several of its chunks were inserted
still leaves the store exactly as before. Files are SYNTHETIC, from the project's generator.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from redline.ingest.ocds import load
from redline.services.ingest_contracts import ingest_contracts
from redline.store.budget import NO_COMPRESSION, size_bytes, write_budget
from redline.store.db import Store
from redline.synth.comprasmx import write_comprasmx

TABLES = ("ocds_releases", "ocds_compiled", "ocds_compiled_history", "awards", "parties")


def _settings(store: Store) -> tuple[str, str]:
    row = store.conn.execute(
        "SELECT current_setting('memory_limit'), current_setting('disabled_compression_methods')"
    ).fetchone()
    assert row is not None
    return str(row[0]), str(row[1])


def _snapshot(store: Store) -> dict[str, object]:
    """Every row of the tables an ingest writes (order-free), and the files it recorded."""
    out: dict[str, object] = {}
    for table in (*TABLES, "ocds_files"):
        rows = store.conn.execute(f'SELECT * FROM "{table}"').fetchall()
        out[table] = sorted(map(repr, rows))
    return out


def test_size_bytes_reads_duckdb_and_user_forms() -> None:
    assert size_bytes("192MiB") == 192 * 2**20
    assert size_bytes("5.7 GiB") == int(5.7 * 2**30)
    assert size_bytes("4GB") == 4 * 10**9
    assert size_bytes("lots") is None


def test_budget_lowers_the_limit_and_restores_it(store: Store) -> None:
    before = _settings(store)
    with write_budget(store.conn, "100MiB"):
        limit, disabled = _settings(store)
        assert size_bytes(limit) == 100 * 2**20
        assert disabled.lower() == NO_COMPRESSION
    assert _settings(store) == before


def test_budget_keeps_a_smaller_configured_limit(store: Store) -> None:
    store.conn.execute("SET memory_limit = '64MiB'")
    with write_budget(store.conn, "100MiB"):
        assert size_bytes(_settings(store)[0]) == 64 * 2**20
    assert size_bytes(_settings(store)[0]) == 64 * 2**20


def test_a_file_failing_after_several_inserts_leaves_the_store_as_before(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = tmp_path / "contratos_synthetic_good.csv"
    write_comprasmx(good, 300, seed=3)
    assert ingest_contracts(store, [good]).status == "ok"
    before, settings = _snapshot(store), _settings(store)
    # small chunks and flushes: rows of the bad file reach the tables before its bad bytes
    monkeypatch.setattr(load, "BATCH", 100)
    monkeypatch.setattr(load, "FLUSH_RELEASES", 200)
    inserted: list[int] = []
    flush = load.FileLoader._flush

    def counting(self: load.FileLoader) -> None:
        inserted.append(sum(t.num_rows for t in self._buffer["ocds_releases"]))
        flush(self)

    monkeypatch.setattr(load.FileLoader, "_flush", counting)
    bad = tmp_path / "contratos_synthetic_bad_at_the_end.csv"
    write_comprasmx(bad, 1500, seed=4)
    with bad.open("ab") as fh:
        fh.write(b"\xff\xfe not UTF-8\n")
    report = ingest_contracts(store, [bad])
    assert report.files_rejected == 1 and report.status == "failed"
    assert "not UTF-8" in str(report.rejected[0])
    assert sum(inserted) >= 1000  # most of the file had been inserted when it failed
    assert _snapshot(store) == before
    assert _settings(store) == settings  # the budget is undone after a rejected file too
