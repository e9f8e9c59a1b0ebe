"""The engine choice is one checked value: a typo fails where it is made, not where it is used."""

from __future__ import annotations

import dataclasses

import pytest

from redline.engine.duckdb_engine import DuckDBEngine
from redline.engine.spec import DUCKDB, ENGINES, EngineSpec
from redline.errors import InputError


def test_the_default_is_duckdb_in_this_process() -> None:
    assert DUCKDB == EngineSpec() == EngineSpec("duckdb", None)
    with DUCKDB.open() as eng:
        assert isinstance(eng, DuckDBEngine)


def test_an_unknown_name_is_the_one_line_the_cli_prints() -> None:
    with pytest.raises(InputError) as caught:
        EngineSpec("flink")
    assert str(caught.value) == "--engine: unknown engine 'flink'; expected duckdb or spark"
    assert ENGINES == ("duckdb", "spark")


def test_a_spec_cannot_change_on_its_way_down() -> None:
    spec = EngineSpec("spark", master="local[2]")  # built, not opened: no JVM
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.name = "duckdb"  # type: ignore[misc]  # the assignment is the test
