"""REDLINE_MEMORY_LIMIT: `auto` (the default) bounds DuckDB by a share of this machine's memory."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from redline.settings import SETTINGS_DOC, auto_memory_limit, get_settings
from redline.store.db import Store


def test_auto_is_a_quarter_of_memory_and_at_least_one_gigabyte() -> None:
    assert auto_memory_limit(16 << 30) == "4096MiB"  # a 16 GB laptop
    assert auto_memory_limit(8 << 30) == "2048MiB"
    assert auto_memory_limit(2 << 30) == "1024MiB"  # (a quarter would be 512 MB)


def test_the_default_is_auto_and_an_explicit_value_or_empty_is_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert SETTINGS_DOC["REDLINE_MEMORY_LIMIT"][0] == "auto"
    monkeypatch.delenv("REDLINE_MEMORY_LIMIT", raising=False)
    machine = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    limit = get_settings().memory_limit
    assert limit == auto_memory_limit() and limit.endswith("MiB")
    assert 1024 <= int(limit.removesuffix("MiB")) <= max(1024, machine // 4 >> 20)
    monkeypatch.setenv("REDLINE_MEMORY_LIMIT", "3GB")
    assert get_settings().memory_limit == "3GB"
    monkeypatch.setenv("REDLINE_MEMORY_LIMIT", "")
    assert get_settings().memory_limit == ""  # DuckDB's own default


def test_the_store_is_bounded_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REDLINE_MEMORY_LIMIT", raising=False)
    unbounded = duckdb.connect()
    own_default = unbounded.execute("SELECT current_setting('memory_limit')").fetchone()
    unbounded.execute("SET memory_limit = ?", [auto_memory_limit()])
    expected = unbounded.execute("SELECT current_setting('memory_limit')").fetchone()
    unbounded.close()
    with Store(tmp_path / "s.duckdb") as store:
        shown = store.conn.execute("SELECT current_setting('memory_limit')").fetchone()
    assert shown == expected != own_default
