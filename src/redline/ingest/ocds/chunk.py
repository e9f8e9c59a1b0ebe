"""The CPU work of OCDS ingest on one chunk of input, without the store: picklable in and out.

Reach for :func:`lines_chunk` (a batch of JSON Lines) or :func:`items_chunk` (releases already
read) to turn input into a :class:`Chunk`: every release checked, hashed and laid out as an
``ocds_releases`` batch, and every ocid of the chunk compiled (the single-release shortcut, or
ocdsmerge when the chunk holds several of its releases) and extracted into the tables of
``002_ocds.sql``. :func:`compile_groups` compiles ocids whose releases the store handed back.
These functions run in worker processes (:mod:`redline.ingest.ocds.workers`) or in-process, with the
same result; the loader (:mod:`redline.ingest.ocds.load`) decides against the store which of a
chunk's compiles it keeps (an ocid already stored, or seen in an earlier chunk, is merged again
at the end of the file with all its releases).

Example: a chunk of lines 1-3 holding releases 01, 02, 03 of ``ocds-rlsynt-000000002`` gives
three release rows and one compiled record (``release_count`` 3) with its processes, parties,
awards ... rows; provenance names the newest release, ``line:3``.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.compute as pc

from redline.errors import InputError, Problem
from redline.ingest.ocds.check import check_release, parse_date
from redline.ingest.ocds.compile import Compiler, is_single
from redline.ingest.ocds.extract import TABLES, Provenance, Rows
from redline.ingest.ocds.read import Item, jsonl_items

_CANON = orjson.OPT_SORT_KEYS
RELEASE_COLS = [
    ("ocid", pa.string()), ("release_id", pa.string()), ("date", pa.string()),
    ("tags", pa.list_(pa.string())), ("content_hash", pa.string()), ("publisher", pa.string()),
    ("source_file", pa.string()), ("pointer", pa.string()), ("run_id", pa.string()),
    ("ingested_at", pa.string()), ("data", pa.string()),
]  # fmt: skip
COMPILED_COLS = [
    ("ocid", pa.string()), ("release_count", pa.int32()), ("last_date", pa.string()),
    ("publisher", pa.string()), ("source_file", pa.string()), ("pointer", pa.string()),
    ("release_id", pa.string()), ("run_id", pa.string()), ("ingested_at", pa.string()),
    ("data", pa.string()),
]  # fmt: skip


@dataclass(frozen=True)
class Context:
    """What every chunk of one file shares (sent along with each chunk to a worker)."""

    source: str
    run_id: str
    now: str
    data_dir: Path


@dataclass(frozen=True)
class Release:
    """One release of an ocid to compile, with where it came from."""

    data: dict[str, Any] | str  # str: JSON text as stored, parsed where it is compiled
    release_id: str
    date: str | None
    publisher: str | None
    source_file: str
    pointer: str


@dataclass
class Compiled:
    """Compiled records and their extracted rows, one Arrow table per target table."""

    compiled: pa.Table
    rows: dict[str, pa.Table]
    bad_values: dict[str, Counter[str]] = field(default_factory=dict)  # per ocid
    warnings: list[str] = field(default_factory=list)
    merged: int = 0
    error: list[Problem] = field(default_factory=list)  # an InputError raised while compiling
    # ocids whose releases do not merge (a field that changes type, an id that is a list): left
    # out of ``compiled`` and ``rows``, each with the problem naming its release ids
    unmerged: dict[str, Problem] = field(default_factory=dict)

    def tables(self) -> dict[str, pa.Table]:
        """Every table this holds rows of, by target table name: ``ocds_compiled`` and the
        extracted ones (e.g. to hand them on, or filter them all at once)."""
        return {"ocds_compiled": self.compiled, **self.rows}


@dataclass
class Chunk:
    """A chunk of input, checked and compiled; see the module docstring."""

    problems: list[Problem]
    rejected: list[tuple[Problem, dict[str, Any] | None]]
    releases: pa.Table  # one row per release (a repeated release: the last one)
    groups: Compiled  # one compiled record per ocid of ``releases``


_COMPILERS: dict[Path, Compiler] = {}


def _compiler(data_dir: Path) -> Compiler:
    found = _COMPILERS.get(data_dir)
    if found is None:
        found = _COMPILERS[data_dir] = Compiler(data_dir)
    return found


def lines_chunk(ctx: Context, first_lineno: int, lines: list[bytes]) -> Chunk:
    """A :class:`Chunk` of JSON Lines (see :func:`~redline.ingest.ocds.read.jsonl_batches`)."""
    return items_chunk(ctx, list(jsonl_items(ctx.source, first_lineno, lines)))


def items_chunk(ctx: Context, entries: list[Item | Problem]) -> Chunk:
    """A :class:`Chunk` of releases read in file order."""
    problems, rejected, releases, groups = release_rows(ctx, entries)
    compiled = compile_groups(ctx, groups)
    if compiled.unmerged:  # their releases are rejected items like any other bad release
        failed = compiled.unmerged
        for group in groups:
            problem = failed.get(group[0].data["ocid"]) if isinstance(group[0].data, dict) else None
            if problem is not None:
                problems.append(problem)
                rejected.extend((problem, r.data) for r in group if isinstance(r.data, dict))
        keep = pc.invert(pc.is_in(releases["ocid"], value_set=pa.array(sorted(failed))))
        releases = releases.filter(keep)
        compiled.unmerged = {}
    return Chunk(problems, rejected, releases, compiled)


def release_rows(
    ctx: Context, entries: list[Item | Problem]
) -> tuple[
    list[Problem], list[tuple[Problem, dict[str, Any] | None]], pa.Table, list[list[Release]]
]:
    """What :func:`items_chunk` makes before it compiles: the problems, the rejected items,
    the ``ocds_releases`` rows and each ocid's releases (for a caller that compiles each ocid
    later, with all its releases, e.g. the Spark ingest)."""
    problems: list[Problem] = []
    rejected: list[tuple[Problem, dict[str, Any] | None]] = []
    latest: dict[tuple[str, str], tuple[Item, bytes]] = {}
    for entry in entries:
        if isinstance(entry, Problem):
            problems.append(entry)
            rejected.append((entry, None))
            continue
        found = check_release(entry.data, ctx.source, entry.pointer)
        if found:
            problems.extend(found)
            rejected.append((found[0], entry.data))
            continue
        try:
            canon = orjson.dumps(entry.data, option=_CANON)
        except TypeError as exc:  # nested deeper than orjson's 255 levels (no release is)
            problem = Problem(ctx.source, entry.pointer, _unstorable(exc))
            problems.append(problem)
            rejected.append((problem, None))  # (the reject report could not write it either)
            continue
        latest[(entry.data["ocid"], str(entry.data["id"]))] = (entry, canon)
    groups: dict[str, list[Release]] = {}
    rows: list[tuple[Any, ...]] = []  # RELEASE_COLS but those in `fixed` below
    sha256 = hashlib.sha256
    for (ocid, release_id), (item, canon) in latest.items():
        data = item.data
        date = data.get("date")
        date = date if isinstance(date, str) else None
        tag = data.get("tag")
        tags = [t for t in tag if isinstance(t, str)] if isinstance(tag, list) else None
        digest = sha256(canon).hexdigest()
        rows.append((ocid, release_id, date, tags, digest, item.publisher, item.pointer, canon))
        groups.setdefault(ocid, []).append(
            Release(data, release_id, date, item.publisher, ctx.source, item.pointer)
        )
    fixed = {"source_file": ctx.source, "run_id": ctx.run_id, "ingested_at": ctx.now}
    releases = _table(RELEASE_COLS, rows, fixed)
    return problems, rejected, releases, list(groups.values())


def _unstorable(exc: TypeError) -> str:
    if "Recursion" in str(exc):
        return "release is nested deeper than 255 levels"
    return f"release cannot be stored as JSON: {exc}"


def _table(
    cols: list[tuple[str, pa.DataType]], rows: list[tuple[Any, ...]], fixed: dict[str, str]
) -> pa.Table:
    """The table of ``rows`` (tuples of the columns not in ``fixed``, in order), each column
    of ``fixed`` holding its one value on every row; ``data`` is JSON text as bytes."""
    varying = [name for name, _ in cols if name not in fixed]
    values = list(zip(*rows, strict=True)) if rows else [()] * len(varying)
    given = dict(zip(varying, values, strict=True))
    arrays = [
        pa.repeat(pa.scalar(fixed[name], kind), len(rows))
        if name in fixed
        else _json_text(given[name])
        if name == "data"
        else pa.array(given[name], kind)
        for name, kind in cols
    ]
    return pa.Table.from_arrays(arrays, schema=pa.schema(cols))


def _json_text(texts: Sequence[bytes | None]) -> pa.Array:
    """orjson's output as an Arrow string column, taken as it is: it is valid UTF-8 already,
    and decoding to str (or Arrow validating bytes) cost more than the copy (200 MB a file)."""
    return pa.array(texts, pa.binary()).view(pa.string())


def _instant(date: str | None) -> tuple[bool, float]:
    """Sort key: releases without a date first, then by instant (a naive date counts as UTC)."""
    parsed = parse_date(date)
    if parsed is None:
        return (False, 0.0)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return (True, parsed.timestamp())


def compile_groups(ctx: Context, groups: list[list[Release]]) -> Compiled:
    """Compile each group (all releases of one ocid) and extract its rows."""
    compiler = _compiler(ctx.data_dir)
    merged_before = compiler.merged
    rows = Rows()
    per_ocid: dict[str, Counter[str]] = {}
    records: list[tuple[Any, ...]] = []  # COMPILED_COLS but run_id and ingested_at
    counts = rows.bad_values = Counter[str]()  # the current ocid's bad values, counted by add()
    unmerged: dict[str, Problem] = {}
    try:
        for group in groups:
            if len(group) > 1:  # the newest release gives provenance (stable: file order)
                group = sorted(group, key=lambda r: _instant(r.date))
            newest = group[-1]
            releases = [r.data if isinstance(r.data, dict) else orjson.loads(r.data) for r in group]
            try:
                data = compiler.compile(releases)
            except InputError:
                raise
            except Exception as exc:
                unmerged[str(releases[0].get("ocid"))] = _unmerged(group, exc)
                continue
            # a lone release is its own compiled release: not stored twice (ocds_compiled_data)
            text = None if is_single(releases) else orjson.dumps(data, option=_CANON)
            prov = Provenance(
                newest.source_file, newest.pointer, newest.release_id, newest.publisher,
                ctx.run_id, ctx.now,
            )  # fmt: skip
            rows.add(data, prov)
            if counts:  # (an ocid merged again later must take back exactly its own counts)
                per_ocid[data["ocid"]] = counts
                counts = rows.bad_values = Counter()
            records.append(
                (
                    data["ocid"], len(group), newest.date, newest.publisher, newest.source_file,
                    newest.pointer, str(data.get("id")), text,
                )
            )  # fmt: skip
    except InputError as exc:  # a missing schema: the caller raises it (exceptions pickle badly)
        empty = pa.Table.from_pydict({n: [] for n, _ in COMPILED_COLS}, pa.schema(COMPILED_COLS))
        return Compiled(empty, {}, error=list(exc.problems))
    warnings = compiler.warnings[:]
    compiler.warnings.clear()
    return Compiled(
        _table(COMPILED_COLS, records, {"run_id": ctx.run_id, "ingested_at": ctx.now}),
        {table: rows.arrow(table) for table in TABLES},
        per_ocid,
        warnings,
        compiler.merged - merged_before,
        unmerged=unmerged,
    )


def _unmerged(group: list[Release], exc: Exception) -> Problem:
    """The problem of an ocid whose releases do not merge, naming them (at the newest)."""
    ids = ", ".join(r.release_id for r in group[:5]) + (" ..." if len(group) > 5 else "")
    detail = " ".join(str(exc).split())[:200] or type(exc).__name__
    newest = group[-1]
    return Problem(newest.source_file, newest.pointer, f"releases {ids} do not merge: {detail}")
