"""The store creates and migrates its schema and refuses a newer one."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from redline.errors import StoreError
from redline.store.db import Store, migrations, schema_version


def test_new_store_gets_current_schema(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        assert store.version() == schema_version() == len(migrations())
        assert "ingest_runs" in store.table_counts()
    # reopening migrates nothing and keeps the version
    with Store(path) as store:
        assert store.version() == schema_version()


def test_old_store_is_migrated_forward(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    conn = duckdb.connect(str(path))
    conn.execute(migrations()[0][2])
    conn.execute("INSERT INTO redline_meta VALUES ('schema_version', '1')")
    conn.close()
    with Store(path) as store:
        assert store.version() == schema_version()
        assert "ocds_releases" in store.table_counts()


def test_store_written_by_newer_redline_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.duckdb"
    with Store(path) as store:
        store.conn.execute(
            "UPDATE redline_meta SET value = ? WHERE key = 'schema_version'",
            [str(schema_version() + 1)],
        )
    with pytest.raises(StoreError, match="upgrade Redline"):
        Store(path)


def test_transaction_rolls_back_on_error(tmp_path: Path) -> None:
    with Store(tmp_path / "t.duckdb") as store:
        with pytest.raises(RuntimeError), store.transaction() as conn:
            conn.execute("INSERT INTO redline_meta VALUES ('probe', 'x')")
            raise RuntimeError("boom")
        row = store.conn.execute("SELECT count(*) FROM redline_meta WHERE key='probe'").fetchone()
        assert row == (0,)


def test_reading_a_missing_store_is_a_clear_error_and_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "absent.duckdb"
    with pytest.raises(StoreError, match="no store here yet"):
        Store(path, read_only=True)
    assert not path.exists()


def test_threads_and_memory_limit_bound_the_store_and_the_engine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from redline.engine.duckdb_engine import DuckDBEngine

    monkeypatch.setenv("REDLINE_THREADS", "1")
    monkeypatch.setenv("REDLINE_MEMORY_LIMIT", "300MB")
    with DuckDBEngine() as engine, Store(tmp_path / "s.duckdb") as store:
        for conn in (store.conn, engine.conn):
            row = conn.execute(
                "SELECT current_setting('threads'), current_setting('memory_limit')"
            ).fetchone()
            assert row == (1, "286.1 MiB")  # DuckDB shows 300MB in MiB
