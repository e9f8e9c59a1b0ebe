"""The Python parts of the Spark OCDS ingest: Arrow batch functions over the ingest's own code.

Reach for these only through :mod:`redline.engine.ingest_steps`, which runs them as
``mapInArrow`` UDFs. They call what the DuckDB ingest calls, unchanged:
:func:`~redline.ingest.ocds_forms.jsonl_items` parses a line,
:func:`~redline.ingest.ocds_chunk.release_rows` checks, hashes and lays out release rows, and
:func:`~redline.ingest.ocds_chunk.compile_groups` compiles each ocid (single-release shortcut or
ocdsmerge) and extracts the rows of every table. Example: lines 1-3 of a file holding releases
01-03 of one ocid give three STAGE1 rows ``(file 0, pos 1..3)``; the ocid's group then gives one
``ocds_compiled`` row and its ``processes``, ``parties`` ... rows, as Arrow IPC blobs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import orjson
import pyarrow as pa

from redline.engine.base import BatchFn
from redline.errors import Problem
from redline.ingest.ocds_chunk import (
    COMPILED_COLS,
    RELEASE_COLS,
    Context,
    Release,
    compile_groups,
)
from redline.ingest.ocds_chunk import (
    release_rows as chunk_release_rows,
)
from redline.ingest.ocds_extract import SCHEMAS
from redline.ingest.ocds_forms import Item, jsonl_items

#: the Parquet folders written under OUT, each with the columns the DuckDB ingest inserts
OUTPUTS: dict[str, pa.Schema] = {
    "ocds_releases": pa.schema(RELEASE_COLS),
    "ocds_compiled": pa.schema(COMPILED_COLS),
    **{t: pa.schema(cols) for t, cols in SCHEMAS.items()},
}
REJECTS = pa.schema([("source", pa.string()), ("position", pa.string()),
                     ("message", pa.string()), ("item", pa.string())])  # fmt: skip
#: input of release_rows: a JSON line (``kind`` "line", ``pos`` its number) or a driver-read item
INPUT = pa.schema([("file", pa.int32()), ("pos", pa.int64()), ("kind", pa.string()),
                   ("pointer", pa.string()), ("publisher", pa.string()),
                   ("text", pa.string())])  # fmt: skip
_ORDER = [("file", pa.int32()), ("pos", pa.int64()), ("sub", pa.int32())]
STAGE1 = pa.schema([*RELEASE_COLS, *_ORDER, ("reject_position", pa.string()),
                    ("reject_message", pa.string()), ("reject_item", pa.string())])  # fmt: skip
BLOBS = pa.schema([("table", pa.string()), ("rows", pa.int64()), ("ipc", pa.binary())])
EXTRA = {  # side tables carried in the blobs: compile problems, merge warnings, bad values
    "_problems": pa.schema([("source", pa.string()), ("position", pa.string()),
                            ("message", pa.string())]),
    "_warnings": pa.schema([("message", pa.string())]),
    "_bad_values": pa.schema([("key", pa.string()), ("count", pa.int64())]),
}  # fmt: skip
_GROUPS_PER_COMPILE = 500  # ocids per compile_groups call: amortises the Arrow building


def _ipc(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return bytes(sink.getvalue().to_pybytes())


def _entries(
    sources: list[str], cols: dict[str, list[Any]], rows: range
) -> tuple[list[Item | Problem], dict[str, tuple[int, int]]]:
    """The items of ``rows`` (all of one file) in file order, as ``items_chunk`` takes them,
    and where each item's pointer sits in the input: (line or item number, place in the line)."""
    out: list[Item | Problem] = []
    order: dict[str, tuple[int, int]] = {}
    for i in rows:
        source, kind, text, pos = (
            sources[cols["file"][i]],
            cols["kind"][i],
            cols["text"][i],
            cols["pos"][i],
        )
        if kind == "line":
            found = list(jsonl_items(source, pos, [text.encode()]))
        elif kind == "item":
            found = [Item("release", orjson.loads(text), cols["pointer"][i], cols["publisher"][i])]
        else:
            found = [Problem(source, cols["pointer"][i], text)]
        for sub, entry in enumerate(found):
            if isinstance(entry, Item):
                order[entry.pointer] = (pos, sub)
        out.extend(found)
    return out, order


def release_rows(sources: list[str], ctx: Context) -> BatchFn:
    """Stage 2: INPUT batches (runs of one file in order) → STAGE1 batches (releases, rejects)."""

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            cols = batch.to_pydict()
            files = cols["file"]
            start = 0
            while start < len(files):  # a chunk names one source
                end = start
                while end < len(files) and files[end] == files[start]:
                    end += 1
                yield from _chunk_rows(sources, ctx, cols, range(start, end))
                start = end

    return run


def _chunk_rows(
    sources: list[str], ctx: Context, cols: dict[str, list[Any]], rows: range
) -> Iterator[pa.RecordBatch]:
    file = cols["file"][rows.start]
    entries, order = _entries(sources, cols, rows)
    # the release rows only: stage 3 compiles each ocid once, with all its releases
    _, rejected, table, _ = chunk_release_rows(
        Context(sources[file], ctx.run_id, ctx.now, ctx.data_dir), entries
    )  # the table's columns go on as Arrow (the JSON text is most of the bytes)
    positions = [order[p] for p in table.column("pointer").to_pylist()]
    n = len(positions)
    for name, values in (
        ("file", [file] * n), ("pos", [p[0] for p in positions]),
        ("sub", [p[1] for p in positions]), ("reject_position", [None] * n),
        ("reject_message", [None] * n), ("reject_item", [None] * n),
    ):  # fmt: skip
        table = table.append_column(name, pa.array(values, STAGE1.field(name).type))
    yield from table.select(STAGE1.names).cast(STAGE1).to_batches()
    if rejected:
        m = len(rejected)
        rej: dict[str, list[Any]] = {name: [None] * m for name in STAGE1.names}
        rej.update(
            source_file=[p.source for p, _ in rejected], file=[file] * m,
            reject_position=[p.position for p, _ in rejected],
            reject_message=[p.message for p, _ in rejected],
            reject_item=[None if d is None else orjson.dumps(d).decode()
                         for _, d in rejected],
        )  # fmt: skip
        yield pa.RecordBatch.from_pydict(rej, schema=STAGE1)


def compile_blobs(ctx: Context) -> BatchFn:
    """Stage 3: release rows sorted by (ocid, input order) → BLOBS of every output table (the
    kept releases, compiled records, extracted rows), one compile per ocid."""
    names = [name for name, _ in RELEASE_COLS]

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        groups: list[list[tuple[Any, ...]]] = []  # release rows, one list per ocid
        current: list[tuple[Any, ...]] = []
        for batch in batches:
            cols = [batch.column(n).to_pylist() for n in names]
            for row in zip(*cols, strict=True):
                if current and row[0] != current[0][0]:  # a new ocid (rows are sorted)
                    groups.append(latest(current))
                    current = []
                    if len(groups) >= _GROUPS_PER_COMPILE:
                        yield _blobs(ctx, groups)
                        groups = []
                current.append(row)
        if current:
            groups.append(latest(current))
        if groups:
            yield _blobs(ctx, groups)

    return run


_RID = [name for name, _ in RELEASE_COLS].index("release_id")
_HASH = [name for name, _ in RELEASE_COLS].index("content_hash")


def latest(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The release rows of one ocid in input order → one per release id, in input order.

    As in the DuckDB ingest, a release seen again with other content replaces the earlier one,
    and one seen again unchanged stays where it was first read: for copies A, B, A' (A' equal
    to A) A' is kept; for A, A' it is A.
    """
    kept: dict[str, tuple[int, tuple[Any, ...]]] = {}
    for n, row in enumerate(rows):
        found = kept.get(row[_RID])
        if found is None or found[1][_HASH] != row[_HASH]:
            kept[row[_RID]] = (n, row)
    return [row for _, row in sorted(kept.values(), key=lambda k: k[0])]


def _blobs(ctx: Context, groups: list[list[tuple[Any, ...]]]) -> pa.RecordBatch:
    at = {name: i for i, (name, _) in enumerate(RELEASE_COLS)}
    releases = [
        [Release(r[at["data"]], r[at["release_id"]], r[at["date"]], r[at["publisher"]],
                 r[at["source_file"]], r[at["pointer"]]) for r in group]
        for group in groups
    ]  # fmt: skip
    compiled = compile_groups(ctx, releases)
    rows = [r for group in groups for r in group]
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(at)
    tables: dict[str, pa.Table] = {  # column-wise: one list per column, not a dict per row
        "ocds_releases": pa.Table.from_arrays(
            [pa.array(c, t) for c, (_, t) in zip(columns, RELEASE_COLS, strict=True)],
            schema=pa.schema(RELEASE_COLS),
        ),
        "ocds_compiled": compiled.compiled,
        **compiled.rows,
    }
    bad: Counter[str] = Counter()
    for counts in compiled.bad_values.values():
        bad.update(counts)
    side = {
        "_problems": {"source": [p.source for p in compiled.error],
                      "position": [p.position for p in compiled.error],
                      "message": [p.message for p in compiled.error]},
        "_warnings": {"message": compiled.warnings},
        "_bad_values": {"key": list(bad), "count": list(bad.values())},
    }  # fmt: skip
    for name, data in side.items():
        tables[name] = pa.Table.from_pydict(data, schema=EXTRA[name])
    kept = [t for t, data in tables.items() if data.num_rows]
    return pa.RecordBatch.from_pydict(
        {
            "table": kept,
            "rows": [tables[t].num_rows for t in kept],
            "ipc": [_ipc(tables[t]) for t in kept],
        },
        schema=BLOBS,
    )


def split_blobs() -> BatchFn:
    """BLOBS rows (all of one table) → that table's rows."""

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            for blob in batch.column("ipc").to_pylist():
                yield from pa.ipc.open_stream(blob).read_all().to_batches()

    return run
