"""``write_findings`` writes through ``redline.files.atomic_write``: whole or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from redline.judge.export import write_findings


def test_a_write_replaces_the_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out" / "findings.json"
    target.parent.mkdir()
    target.write_text("old")
    write_findings([], target)
    assert target.read_text() == "[]\n"
    assert [p.name for p in target.parent.iterdir()] == ["findings.json"]


def test_a_failed_write_leaves_what_was_there(tmp_path: Path) -> None:
    target = tmp_path / "findings.csv"
    target.mkdir()  # the rename onto a folder fails after the bytes are written
    (target / "keep").write_text("x")
    with pytest.raises(OSError):
        write_findings([], target)
    assert [p.name for p in tmp_path.iterdir()] == ["findings.csv"]
    assert [p.name for p in target.iterdir()] == ["keep"]
