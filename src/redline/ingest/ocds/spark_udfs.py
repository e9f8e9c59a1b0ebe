"""The Python parts of the Spark OCDS ingest: Arrow batch functions over the ingest's own code.

Reach for these only through :mod:`redline.ingest.ocds.spark`, which runs them as
``mapInArrow`` UDFs. They call what the DuckDB ingest calls, unchanged:
:func:`~redline.ingest.ocds.read.jsonl_items` parses a line,
:func:`~redline.ingest.ocds.read.stream_items` reads a whole file (a ``.gz``, a package),
:func:`~redline.ingest.ocds.chunk.release_rows` checks, hashes and lays out release rows, and
:func:`~redline.ingest.ocds.chunk.compile_groups` compiles each ocid (single-release shortcut or
ocdsmerge) and extracts the rows of every table. Example: lines 1-3 of a file holding releases
01-03 of one ocid give three STAGE1 rows ``(file 0, pos 1..3)``; the ocid's group then gives one
``ocds_compiled`` row and its ``processes``, ``parties`` ... rows, as Arrow IPC blobs.

Lines of a split file are numbered inside their block (Spark's split of the file): a row's
``pos`` and the ``line:N`` of its pointer count from the block's first line, and one
``block_lines`` row per block says how many lines it held. The driver gathers those rows with
the rejects, and the rejects and (in the compile stage) the pointers get file line numbers
without the file being read again (:func:`block_bases`, :func:`numbered`).
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import IO, Any
from urllib.parse import unquote

import orjson
import pyarrow as pa

from redline.engine.base import BatchFn
from redline.errors import Problem
from redline.ingest.ocds.chunk import (
    COMPILED_COLS,
    RELEASE_COLS,
    Context,
    Release,
    compile_groups,
)
from redline.ingest.ocds.chunk import (
    release_rows as chunk_release_rows,
)
from redline.ingest.ocds.extract import SCHEMAS
from redline.ingest.ocds.read import Item, jsonl_items, stream_items
from redline.store.arrow_io import read_ipc, write_ipc

#: the Parquet folders written under OUT, each with the columns the DuckDB ingest inserts
OUTPUTS: dict[str, pa.Schema] = {
    "ocds_releases": pa.schema(RELEASE_COLS),
    "ocds_compiled": pa.schema(COMPILED_COLS),
    **{t: pa.schema(cols) for t, cols in SCHEMAS.items()},
}
REJECTS = pa.schema([("source", pa.string()), ("position", pa.string()),
                     ("message", pa.string()), ("item", pa.string())])  # fmt: skip
#: input of :func:`line_rows`: a line of a split JSON Lines file (Spark's URI, block start)
LINES = pa.schema([("fp", pa.string()), ("block", pa.int64()), ("text", pa.string())])
#: input of :func:`file_rows`: a whole file, read from ``path`` or handed over as ``content``
FILES = pa.schema([("file", pa.int32()), ("path", pa.string()), ("content", pa.binary())])
#: ``block`` -1: a whole file (positions final); else the block of a split file, where ``pos``
#: and a pointer's ``line:N`` count from the block's start (``block_lines``: its count row)
_ORDER = [("file", pa.int32()), ("pos", pa.int64()), ("sub", pa.int32()),
          ("block", pa.int64()), ("block_lines", pa.int64())]  # fmt: skip
STAGE1 = pa.schema([*RELEASE_COLS, *_ORDER, ("reject_position", pa.string()),
                    ("reject_message", pa.string()), ("reject_item", pa.string())])  # fmt: skip
BLOBS = pa.schema([("table", pa.string()), ("rows", pa.int64()), ("ipc", pa.binary())])
EXTRA = {  # side tables carried in the blobs: compile problems, merge warnings, bad values
    "_problems": pa.schema([("source", pa.string()), ("position", pa.string()),
                            ("message", pa.string())]),
    "_warnings": pa.schema([("message", pa.string())]),
    "_bad_values": pa.schema([("key", pa.string()), ("count", pa.int64())]),
}  # fmt: skip
WHOLE = -1  # ``block`` of a whole file's rows
_GROUPS_PER_COMPILE = 500  # ocids per compile_groups call: amortises the Arrow building
_ITEMS_PER_CHUNK = 2000  # a whole file's releases per release_rows call (as ocds_load.BATCH)
_LINE = re.compile(r"line:(\d+)")


def line_rows(index: dict[str, int], sources: list[str], ctx: Context) -> BatchFn:
    """Stage 1 of split files: LINES batches → STAGE1 batches (releases, rejects) and, at
    the end of the partition, one count row per block. ``index`` maps a file's URI (as the driver
    qualified it) to its number in ``sources``."""

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        counted: dict[tuple[int, int], int] = {}  # lines so far per (file, block)
        for batch in batches:
            fps, blocks = batch.column("fp").to_pylist(), batch.column("block").to_pylist()
            texts = batch.column("text").to_pylist()
            start = 0
            while start < len(fps):  # a run of one block: its lines in file order
                end = start
                while end < len(fps) and (fps[end], blocks[end]) == (fps[start], blocks[start]):
                    end += 1
                file, block = index[unquote(fps[start])], blocks[start]  # (URI: %20 for " ")
                first = counted.get((file, block), 0) + 1
                counted[(file, block)] = first + end - start - 1
                lines = [t.encode() for t in texts[start:end]]
                entries = list(jsonl_items(sources[file], first, lines))
                yield from _rows(sources[file], file, block, ctx, entries, _line_order(entries))
                start = end
        if counted:
            n = len(counted)
            rows: dict[str, list[Any]] = {name: [None] * n for name in STAGE1.names}
            rows.update(file=[f for f, _ in counted], block=[b for _, b in counted],
                        block_lines=list(counted.values()))  # fmt: skip
            yield pa.RecordBatch.from_pydict(rows, schema=STAGE1)

    return run


def _line_order(entries: list[Item | Problem]) -> dict[str, tuple[int, int]]:
    """Where each item's pointer sits: (its line, its place among the line's items)."""
    order: dict[str, tuple[int, int]] = {}
    last, sub = 0, 0
    for entry in entries:
        if isinstance(entry, Item):
            line = _line(entry.pointer)
            sub = sub + 1 if line == last else 0
            last = line
            order[entry.pointer] = (line, sub)
    return order


def file_rows(index: dict[str, int], sources: list[str], fmt: str | None, ctx: Context) -> BatchFn:
    """Stage 1 of whole files: FILES batches → STAGE1 batches. Each file is read as the DuckDB
    ingest reads it (:func:`~redline.ingest.ocds.read.stream_items`: any form, a truncated
    ``.gz`` ending with a problem naming its first unreadable line). A row without ``file``
    came from Spark's ``binaryFile`` reader and is named by its ``path`` (a URI)."""

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            for file, path, content in zip(*batch.to_pydict().values(), strict=True):
                if file is None:
                    file = index[unquote(path)]
                raw: IO[bytes] = open(path, "rb") if content is None else io.BytesIO(content)  # noqa: SIM115 (stream_items closes it)
                entries = stream_items(sources[file], raw, fmt=fmt)
                done = 0
                while chunk := list(islice(entries, _ITEMS_PER_CHUNK)):
                    order: dict[str, tuple[int, int]] = {}
                    for entry in chunk:
                        if isinstance(entry, Item):
                            done += 1
                            order[entry.pointer] = (done, 0)
                    yield from _rows(sources[file], file, WHOLE, ctx, chunk, order)

    return run


def _rows(
    source: str,
    file: int,
    block: int,
    ctx: Context,
    entries: list[Item | Problem],
    order: dict[str, tuple[int, int]],
) -> Iterator[pa.RecordBatch]:
    """STAGE1 rows of ``entries`` (all of one file, in file order); in a block (``block`` is
    not WHOLE) a pointer keeps what follows its ``line:N``, the line going to ``pos``."""
    # the release rows only: stage 2 compiles each ocid once, with all its releases
    _, rejected, table, _ = chunk_release_rows(
        Context(source, ctx.run_id, ctx.now, ctx.data_dir), entries
    )  # the table's columns go on as Arrow (the JSON text is most of the bytes)
    pointers = table.column("pointer").to_pylist()
    positions = [order[p] for p in pointers]
    n = len(positions)
    if block != WHOLE:
        table = table.set_column(
            table.schema.get_field_index("pointer"), "pointer",
            pa.array([_rest(p) for p in pointers], pa.string()),
        )  # fmt: skip
    for name, values in (
        ("file", [file] * n), ("pos", [p[0] for p in positions]),
        ("sub", [p[1] for p in positions]), ("block", [block] * n), ("block_lines", [None] * n),
        ("reject_position", [None] * n), ("reject_message", [None] * n),
        ("reject_item", [None] * n),
    ):  # fmt: skip
        table = table.append_column(name, pa.array(values, STAGE1.field(name).type))
    yield from table.select(STAGE1.names).cast(STAGE1).to_batches()
    if rejected:
        m = len(rejected)
        where = [p.position for p, _ in rejected]
        rej: dict[str, list[Any]] = {name: [None] * m for name in STAGE1.names}
        rej.update(
            source_file=[p.source for p, _ in rejected], file=[file] * m, block=[block] * m,
            pos=[_line(w) for w in where] if block != WHOLE else [None] * m,
            reject_position=[_rest(w) for w in where] if block != WHOLE else where,
            reject_message=[p.message for p, _ in rejected],
            reject_item=[None if d is None else orjson.dumps(d).decode()
                         for _, d in rejected],
        )  # fmt: skip
        yield pa.RecordBatch.from_pydict(rej, schema=STAGE1)


def _line(pointer: str) -> int:
    found = _LINE.match(pointer)
    return int(found[1]) if found else 0


def _rest(pointer: str) -> str:
    """``line:7/releases/0`` → ``/releases/0`` (the line goes to ``pos``)."""
    found = _LINE.match(pointer)
    return pointer[found.end() :] if found else pointer


def block_bases(counts: Iterable[tuple[int, int, int]]) -> dict[tuple[int, int], int]:
    """The count rows (file, block start, lines) of :func:`line_rows` → the lines of the
    file before each block: what its block-numbered lines move by."""
    bases: dict[tuple[int, int], int] = {}
    done: Counter[int] = Counter()
    for file, block, lines in sorted(counts):
        bases[(file, block)] = done[file]
        done[file] += lines
    return bases


def numbered(
    where: str | None, file: int, block: int, pos: int | None, bases: dict[tuple[int, int], int]
) -> str | None:
    """A STAGE1 row's pointer or reject position as its file numbers it: in a block, the line
    (``pos`` plus the block's base) put back before the rest (``/releases/0`` →
    ``line:7/releases/0``); a whole file's as it is."""
    if where is None or block == WHOLE or pos is None:
        return where
    return f"line:{pos + bases.get((file, block), 0)}{where}"


#: the columns :func:`compile_blobs` takes: a release and where it sits
COMPILE_IN = [*(name for name, _ in RELEASE_COLS), "file", "block", "pos"]


def compile_blobs(ctx: Context, bases: dict[tuple[int, int], int]) -> BatchFn:
    """Stage 2: COMPILE_IN rows sorted by (ocid, input order) → BLOBS of every output table
    (the kept releases, compiled records, extracted rows), one compile per ocid; a pointer
    counted in its block is numbered in its file first (``bases``: :func:`block_bases`)."""
    names = [name for name, _ in RELEASE_COLS]
    at = names.index("pointer")

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        groups: list[list[tuple[Any, ...]]] = []  # release rows, one list per ocid
        current: list[tuple[Any, ...]] = []
        for batch in batches:
            cols = [batch.column(n).to_pylist() for n in names]
            where = [batch.column(n).to_pylist() for n in ("file", "block", "pos")]
            cols[at] = [numbered(p, f, b, n, bases)
                        for p, f, b, n in zip(cols[at], *where, strict=True)]  # fmt: skip
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
        **compiled.tables(),
    }
    bad: Counter[str] = Counter()
    for counts in compiled.bad_values.values():
        bad.update(counts)
    problems = [*compiled.error, *compiled.unmerged.values()]  # (releases that do not merge)
    side = {
        "_problems": {"source": [p.source for p in problems],
                      "position": [p.position for p in problems],
                      "message": [p.message for p in problems]},
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
            "ipc": [write_ipc(tables[t]).to_pybytes() for t in kept],
        },
        schema=BLOBS,
    )


def split_blobs() -> BatchFn:
    """BLOBS rows (all of one table) → that table's rows."""

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            for blob in batch.column("ipc").to_pylist():
                yield from read_ipc(blob).to_batches()

    return run
