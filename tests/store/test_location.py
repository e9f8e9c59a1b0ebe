"""Engine locations: a URI stays a URI, and the DuckDB engine refuses one in a single line."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from redline.engine.spec import DUCKDB
from redline.errors import InputError
from redline.store.location import as_location, child, is_remote, suffix


def test_a_uri_keeps_its_double_slash_and_a_path_becomes_a_path(tmp_path: Path) -> None:
    assert child(as_location("s3a://bucket/tables/"), "awards") == "s3a://bucket/tables/awards"
    assert child(as_location(str(tmp_path)), "awards") == tmp_path / "awards"
    assert is_remote("hdfs://nn:8020/x") and not is_remote(tmp_path)
    assert suffix("s3a://b/out/results.parquet") == ".parquet"
    assert suffix(tmp_path / "results.PARQUET") == ".parquet"


def test_duckdb_engine_refuses_a_uri_naming_it(tmp_path: Path) -> None:
    with DUCKDB.open() as eng:
        eng.register("t", pa.table({"x": [1, 2]}))
        with pytest.raises(InputError) as caught:
            eng.register("u", "s3a://bucket/tables/awards")
        assert str(caught.value).startswith("s3a://bucket/tables/awards")
        assert "--engine spark" in str(caught.value)
        with pytest.raises(InputError):
            eng.write_parquet("t", "hdfs://nn/out/t.parquet")
        # a local path given as text works as a Path does
        eng.write_parquet("t", str(tmp_path / "t.parquet"))
        eng.register("v", str(tmp_path / "t.parquet"))
        assert eng.to_arrow("SELECT sum(x) AS s FROM v").to_pylist() == [{"s": 3}]
