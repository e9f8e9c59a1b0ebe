"""write_ipc / read_ipc: a table comes back equal, in memory or from slices of one mapped file;
insert: rows go in by column name, with casts, and an unknown column is an error.

The tables are hand-made, synthetic (``ocds-rlsynt`` ocids).
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from redline.store.arrow_io import insert, read_ipc, write_ipc


def _tables() -> dict[str, pa.Table]:
    ids = pa.struct([("scheme", pa.string()), ("id", pa.string())])
    return {
        "releases": pa.table(
            {
                "ocid": ["ocds-rlsynt-000000001", "ocds-rlsynt-000000002", None],
                "tags": pa.array([["tender"], [], None], pa.list_(pa.string())),
                "data": ['{"a":"añó"}', "{}", None],
            }
        ),
        "parties": pa.table({"ids": pa.array([[("MX-RFC", "SIN010101AAA")], None], pa.list_(ids))}),
        "empty": pa.table({"ocid": pa.array([], pa.string()), "n": pa.array([], pa.int32())}),
    }


def test_a_table_comes_back_equal_from_a_buffer() -> None:
    for data in _tables().values():
        blob = write_ipc(data)
        assert isinstance(blob, pa.Buffer)
        back = read_ipc(blob)
        assert back.schema == data.schema
        assert back.equals(data)
        assert read_ipc(blob.to_pybytes()).equals(data)  # bytes (e.g. a Spark binary column)


def test_streams_appended_to_one_file_read_back_from_its_mapping(tmp_path: Path) -> None:
    path = tmp_path / "synthetic_chunk.arrows"
    spans: dict[str, tuple[int, int]] = {}
    with pa.OSFile(str(path), "wb") as sink:
        for name, data in _tables().items():
            start = sink.tell()
            spans[name] = (start, write_ipc(data, sink))
    ends = sorted((start, start + length) for start, length in spans.values())
    assert ends[0][0] == 0 and ends[-1][1] == path.stat().st_size  # back to back, nothing else
    assert all(a[1] == b[0] for a, b in pairwise(ends))
    with pa.memory_map(str(path)) as mapped:
        buffer = mapped.read_buffer()
    for name, data in _tables().items():
        start, length = spans[name]
        back = read_ipc(buffer.slice(start, length))
        assert back.equals(data)
        if name == "releases":  # read in place: the text lies inside the mapped file
            text = back["data"].chunks[0].buffers()[2]
            assert buffer.address <= text.address < buffer.address + buffer.size


def test_insert_matches_columns_by_name_and_casts() -> None:
    conn = duckdb.connect()
    conn.execute("CREATE TABLE t (ocid VARCHAR, n INTEGER, seen TIMESTAMPTZ, note VARCHAR)")
    data = pa.table(
        {
            "seen": ["2024-01-02T03:04:05Z", "not a date"],
            "n": pa.array([1, 2], pa.int64()),
            "ocid": ["ocds-rlsynt-000000001", "ocds-rlsynt-000000002"],
        }
    )
    insert(conn, "t", data, casts={"seen": "TIMESTAMPTZ"})
    rows = conn.execute("SELECT ocid, n, seen IS NULL, note FROM t ORDER BY ocid").fetchall()
    assert rows == [
        ("ocds-rlsynt-000000001", 1, False, None),  # a column not given is NULL
        ("ocds-rlsynt-000000002", 2, True, None),  # TRY_CAST: not a timestamp is NULL
    ]
    with pytest.raises(ValueError, match="no column"):
        insert(conn, "t", pa.table({"ocid": ["x"], "extra": [1]}))
