"""The Spark ingest's line UDF without Spark: blocks numbered on their own add up to the file.

The JSON Lines here are SYNTHETIC (``ocds-rlsynt`` ocids), made up for this check. Spark hands
``line_rows`` the lines of each block of a split file; the UDF numbers them from the block's
start and counts them. Shifted by the lines of the earlier blocks (what ``numbered`` does on
Spark), every pointer and reject position must be the one the DuckDB ingest's reader gives.
"""

from __future__ import annotations

from pathlib import Path

import orjson
import pyarrow as pa

from redline.ingest.ocds.chunk import Context
from redline.ingest.ocds.chunk import release_rows as chunk_release_rows
from redline.ingest.ocds.read import jsonl_items
from redline.ingest.ocds.spark_udfs import LINES, WHOLE, line_rows

SOURCE = "synthetic_blocks.jsonl"
URI = "file:/data/synthetic%20blocks.jsonl"  # as Spark names it (a space is %20)


def _line(n: int) -> bytes:
    release = {"ocid": f"ocds-rlsynt-{n % 7:09d}", "id": f"r{n}", "date": "2024-01-01T00:00:00Z"}
    return orjson.dumps({"releases": [release, {**release, "id": f"r{n}b"}]})


def _file() -> list[bytes]:
    """40 lines: releases, blank lines, invalid JSON, a release without ocid."""
    lines = [_line(n) for n in range(40)]
    lines[5] = lines[17] = lines[18] = b""  # 17-18 end a block below
    lines[9] = b'{"releases": ['
    lines[30] = orjson.dumps({"releases": [{"id": "no-ocid"}]})
    return lines


def test_block_numbering_adds_up_to_the_readers_line_numbers(tmp_path: Path) -> None:
    lines = _file()
    ctx = Context(SOURCE, "run", "2026-01-01T00:00:00+00:00", tmp_path)
    blocks = {0: lines[:19], 4096: lines[19:33], 8192: lines[33:]}
    # one partition, the middle block arriving in two batches
    batches = []
    for start, block in blocks.items():
        cuts = [block[:5], block[5:]] if start == 4096 else [block]
        for part in cuts:
            batches.append(pa.RecordBatch.from_pydict(
                {"fp": [URI] * len(part), "block": [start] * len(part),
                 "text": [b.decode() for b in part]}, schema=LINES))  # fmt: skip
    run = line_rows({"file:/data/synthetic blocks.jsonl": 0}, [SOURCE], ctx)
    out = pa.Table.from_batches(list(run(iter(batches)))).to_pylist()

    counts = {r["block"]: r["block_lines"] for r in out if r["block_lines"] is not None}
    assert counts == {start: len(block) for start, block in blocks.items()}
    base = {0: 0, 4096: 19, 8192: 33}
    got_releases = sorted(
        (f"line:{r['pos'] + base[r['block']]}{r['pointer']}", r["sub"])
        for r in out if r["ocid"] is not None
    )  # fmt: skip
    got_rejects = sorted(
        f"line:{r['pos'] + base[r['block']]}{r['reject_position']}"
        for r in out if r["reject_message"] is not None
    )  # fmt: skip

    # the reference: the DuckDB ingest's reader over the whole file
    _, rejected, table, _ = chunk_release_rows(ctx, list(jsonl_items(SOURCE, 1, lines)))
    pointers = table.column("pointer").to_pylist()
    assert got_releases == sorted((p, int(p.endswith("/1"))) for p in pointers)
    assert got_rejects == sorted(p.position for p, _ in rejected)
    assert sorted(p.position for p, _ in rejected) == ["line:10", "line:31/releases/0"]
    assert all(r["block"] != WHOLE for r in out)
