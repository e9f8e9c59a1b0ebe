"""Slices and handed-over chunks carry exactly what the line reader and the chunk carry.

The JSON Lines files here are synthetic (``ocds-rlsynt`` ocids), made up for these checks.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import orjson
import pytest

from redline.ingest.ocds import worker_io as ocds_handoff
from redline.ingest.ocds.chunk import Context
from redline.ingest.ocds.extract import TABLES
from redline.ingest.ocds.read import jsonl_batches
from redline.ingest.ocds.worker_io import (
    Scratch,
    file_slices,
    read_slice,
    slice_chunk,
    slice_to_file,
    take_over,
)

_LINES = {
    "empty": b"",
    "no_final_newline": b'{"a":1}\n{"b":2}',
    "blank_lines": b'\n\n{"a":1}\n\n',
    "crlf": b'{"a":1}\r\n{"b":2}\r\n',
    "line_longer_than_a_block": b"x" * 5000 + b"\n" + b"y" * 10 + b"\n" + b"z" * 3000,
    "many_short": b"".join(b'{"n":%d}\n' % i for i in range(3000)),
}


def _numbered_by_reader(path: Path, max_lines: int, max_bytes: int) -> list[tuple[int, bytes]]:
    out = []
    for batch in jsonl_batches(path, max_lines=max_lines, max_bytes=max_bytes):
        assert isinstance(batch, tuple)
        first, lines = batch
        out += [(first + i, line.rstrip(b"\n")) for i, line in enumerate(lines)]
    return out


@pytest.mark.parametrize("name", sorted(_LINES))
@pytest.mark.parametrize(("max_lines", "max_bytes"), [(2000, 2_000_000), (3, 1000), (1, 5)])
def test_slices_number_lines_as_the_line_reader_does(
    tmp_path: Path, name: str, max_lines: int, max_bytes: int
) -> None:
    path = tmp_path / f"synthetic_{name}.jsonl"
    path.write_bytes(_LINES[name])
    numbered: list[tuple[int, bytes]] = []
    for piece in file_slices(path, max_lines=max_lines, max_bytes=max_bytes):
        lines = read_slice(piece)
        assert 0 < len(lines) <= max_lines
        numbered += [(piece.first_lineno + i, line) for i, line in enumerate(lines)]
    assert numbered == _numbered_by_reader(path, max_lines, max_bytes)


def _release(ocid: int, n: int) -> dict[str, object]:
    return {
        "ocid": f"ocds-rlsynt-{ocid:09d}", "id": f"{ocid}-{n}", "date": f"2024-0{n}-01T00:00:00Z",
        "tender": {"title": f"Obra sintética {ocid}", "items": [{"id": "1", "quantity": 2}]},
        "awards": [{"id": "a1", "suppliers": [{"id": "S1", "name": "Proveedor Sintético"}]}],
    }  # fmt: skip


def test_a_handed_chunk_comes_back_whole_and_leaves_no_file(tmp_path: Path) -> None:
    path = tmp_path / "synthetic_releases.jsonl"
    lines = [orjson.dumps(_release(ocid, n)) for ocid in range(5) for n in (1, 2)]
    path.write_bytes(b"\n".join([*lines, b"not json"]) + b"\n")
    ctx = Context(str(path), "run", "2026-01-01T00:00:00+00:00", Path(os.environ["REDLINE_DATA"]))
    (piece,) = file_slices(path, max_lines=100, max_bytes=1 << 20)
    direct = slice_chunk(ctx, piece)
    scratch = Scratch()
    try:
        handed = slice_to_file(ctx, piece, scratch.path)
        back = take_over(handed)
        assert not Path(handed.path).exists()  # mapped, then deleted at once
    finally:
        scratch.close()
    assert not Path(scratch.path).exists()
    assert back.releases.equals(direct.releases) and back.releases.num_rows == 10
    tables = direct.groups.tables()  # the compiled records and every extracted table
    assert list(tables) == ["ocds_compiled", *TABLES]
    assert tables["ocds_compiled"] is direct.groups.compiled
    assert back.groups.tables().keys() == tables.keys()
    assert all(back.groups.tables()[t].equals(tables[t]) for t in tables)
    assert back.groups.merged == direct.groups.merged == 5
    assert [str(p) for p in back.problems] == [str(p) for p in direct.problems]
    assert back.problems[0].position == "line:11"


def test_scratch_folders_of_dead_ingests_are_removed_and_live_ones_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ocds_handoff, "_SHM", tmp_path / "no-shm")
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path))
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], check=True,
                          capture_output=True, text=True)  # fmt: skip
    dead = tmp_path / f"redline-ingest-{int(done.stdout)}-abc"
    live = tmp_path / f"redline-ingest-{os.getppid()}-def"
    for folder in (dead, live):
        folder.mkdir()
        (folder / "left.arrows").write_bytes(b"x")
    scratch = Scratch()
    assert Path(scratch.path).parent == tmp_path
    assert not dead.exists() and live.exists()
    scratch.close()
