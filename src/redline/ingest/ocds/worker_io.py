"""Move JSON Lines chunks to worker processes and their results back without pickling them.

Reach for :func:`file_slices` and :func:`slice_chunk` when a plain (not gzipped) JSON Lines
file is ingested: the main process only finds where each slice of about ``max_bytes`` ends (the
last newline in it) and counts its lines; the worker reads the slice from the file itself. A
pooled worker writes its :class:`~redline.ingest.ocds.chunk.Chunk` tables as Arrow IPC streams
into one scratch file (:func:`slice_to_file`) and the main process maps that file instead of
unpickling it (:func:`take_over`), so the Arrow data is never copied through a pipe.
Measured on 200 MB of synthetic JSON Lines: pickling, piping and unpickling the lines and the
chunks (about 200 MB out, 470 MB back) took 14 % of all the CPU of an ingest.

Example: a 5 MB file with ``max_bytes`` 2 MB gives three slices, e.g. ``(0, 1999872, line 1)``,
``(1999872, 2001234, line 611)`` and the rest; each ends just after a newline (the last one at
the end of the file).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from redline.errors import Problem
from redline.ingest.ocds.chunk import Chunk, Compiled, Context, lines_chunk
from redline.store.arrow_io import read_ipc, write_ipc

_PREFIX = "redline-ingest-"
_SHM = Path("/dev/shm")  # memory-backed on Linux; a small one (containers: 64 MB) is skipped
_SHM_MIN_FREE = 2 << 30


@dataclass(frozen=True)
class Slice:
    """Bytes ``offset`` to ``offset + length`` of ``path``: whole lines, the first numbered
    ``first_lineno``."""

    path: str
    offset: int
    length: int
    first_lineno: int


@dataclass
class Handed:
    """A chunk written to ``path`` (see :func:`slice_to_file`): where each table's stream is,
    and the small parts of the chunk, pickled as usual."""

    path: str
    streams: dict[str, tuple[int, int]]  # table → (offset, length) in the file
    problems: list[Problem]
    rejected: list[tuple[Problem, dict[str, Any] | None]]
    bad_values: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    merged: int = 0
    error: list[Problem] = field(default_factory=list)


def file_slices(
    path: Path, *, max_lines: int, max_bytes: int, on_bytes: Callable[[int], None] | None = None
) -> Iterator[Slice]:
    """``path`` (plain JSON Lines) cut after a newline every ``max_bytes`` or ``max_lines``."""
    offset, lineno = 0, 1
    with path.open("rb") as fh:
        while True:
            # each read starts where the last slice ended: the unfinished line at the end of a
            # block is read again (a few KB), instead of copying every block onto it
            fh.seek(offset)
            data = fh.read(max_bytes)
            end, lines = _nth_newline(data, max_lines)
            while end < 0 and len(data) % max_bytes == 0 and data:  # a line longer than a block
                more = fh.read(max_bytes)
                if not more:
                    break
                data += more
                end, lines = _nth_newline(data, max_lines)
            if not data:
                return
            if end < 0:  # the last line, without a newline
                end, lines = len(data), 1
            yield Slice(str(path), offset, end, lineno)
            if on_bytes is not None:
                on_bytes(end)
            lineno += lines
            offset += end


def _nth_newline(data: bytes, n: int) -> tuple[int, int]:
    """(index just past the ``n``-th newline in ``data``, else past the last one there is, -1
    for none; how many lines end before it)."""
    last = data.rfind(b"\n")
    if last < 0:
        return -1, 0
    count = data.count(b"\n", 0, last + 1)
    if count <= n:
        return last + 1, count
    pos = 0
    for _ in range(n):
        pos = data.index(b"\n", pos) + 1
    return pos, n


def read_slice(piece: Slice) -> list[bytes]:
    """The lines of ``piece`` (without their newlines)."""
    with open(piece.path, "rb") as fh:
        fh.seek(piece.offset)
        data = fh.read(piece.length)
    lines = data.split(b"\n")
    if data.endswith(b"\n"):
        lines.pop()  # (the empty text after the last newline is no line)
    return lines


def slice_chunk(ctx: Context, piece: Slice) -> Chunk:
    """:func:`~redline.ingest.ocds.chunk.lines_chunk` of the lines of ``piece``."""
    return lines_chunk(ctx, piece.first_lineno, read_slice(piece))


def slice_to_file(ctx: Context, piece: Slice, scratch: str) -> Handed:
    """In a worker: :func:`slice_chunk`, its tables written to a new file in ``scratch``."""
    chunk = slice_chunk(ctx, piece)
    groups = chunk.groups
    fd, name = tempfile.mkstemp(dir=scratch, suffix=".arrows")
    os.close(fd)
    streams: dict[str, tuple[int, int]] = {}
    with pa.OSFile(name, "wb") as sink:
        for table, data in {"ocds_releases": chunk.releases, **groups.tables()}.items():
            start = sink.tell()
            streams[table] = (start, write_ipc(data, sink))
    return Handed(
        name, streams, chunk.problems, chunk.rejected, dict(groups.bad_values),
        groups.warnings, groups.merged, groups.error,
    )  # fmt: skip


def take_over(handed: Handed) -> Chunk:
    """In the main process: the chunk :func:`slice_to_file` wrote, mapped (not copied) from
    its file, which is deleted at once (the mapping lives as long as its tables)."""
    with pa.memory_map(handed.path) as mapped:
        buffer = mapped.read_buffer()
    os.unlink(handed.path)
    tables = {
        table: read_ipc(buffer.slice(start, length))
        for table, (start, length) in handed.streams.items()
    }
    releases, compiled = tables.pop("ocds_releases"), tables.pop("ocds_compiled")
    groups = Compiled(
        compiled, tables, handed.bad_values, handed.warnings, handed.merged, handed.error
    )
    return Chunk(handed.problems, handed.rejected, releases, groups)


class Scratch:
    """A folder for handed chunks, in memory (``/dev/shm``) when there is room; removed on
    close. Folders left by a killed ingest (their process gone) are removed on the next start.
    """

    def __init__(self) -> None:
        base = Path(tempfile.gettempdir())
        if _SHM.is_dir() and os.access(_SHM, os.W_OK):
            stat = os.statvfs(_SHM)
            if stat.f_bavail * stat.f_frsize >= _SHM_MIN_FREE:
                base = _SHM
        _remove_orphans(base)
        self.path = tempfile.mkdtemp(prefix=f"{_PREFIX}{os.getpid()}-", dir=base)

    def close(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def _remove_orphans(base: Path) -> None:
    for folder in base.glob(f"{_PREFIX}*-*"):
        pid = folder.name.removeprefix(_PREFIX).split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True
