"""redline.files.atomic_write: the target holds the whole new file or the old one, never half."""

from __future__ import annotations

from pathlib import Path

import pytest

from redline.files import atomic_write


def test_a_finished_block_replaces_the_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out" / "synthetic_results.jsonl"  # the folder is made on the way
    with atomic_write(target) as fh:
        fh.write(b"first\n")
        fh.seek(0)
        assert fh.read() == b"first\n"  # readable before the rename (fetch checks its sha256)
        assert not target.exists()
    assert target.read_bytes() == b"first\n"
    assert [p.name for p in target.parent.iterdir()] == [target.name]


def test_a_failed_block_keeps_the_old_file_and_removes_the_temporary(tmp_path: Path) -> None:
    target = tmp_path / "synthetic_results.jsonl"
    target.write_bytes(b"old\n")
    with pytest.raises(RuntimeError), atomic_write(target) as fh:
        fh.write(b"half of the new")
        raise RuntimeError("interrupted")
    assert target.read_bytes() == b"old\n"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]
