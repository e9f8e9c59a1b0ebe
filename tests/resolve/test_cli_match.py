from __future__ import annotations

import json
from pathlib import Path

import pytest

from redline.cli import run

FIXTURES = Path(__file__).parent / "fixtures"

WATCH = str(FIXTURES / "synthetic_watchlist.ftm.jsonl")


def test_single_name_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["match", "中国天龙重工集团有限公司", "--watchlist", WATCH, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["matches"][0]["entity_id"] == "syn-tianlong"


def test_bulk_writes_one_line_per_row_in_order(tmp_path: Path) -> None:
    src = tmp_path / "q.csv"
    src.write_text(
        "id,name,country\nb,Otra Empresa SA de CV,mx\n"
        "a,TIANLONG MAQUINARIA DE MEXICO SA DE CV,mx\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    assert run(["match", "--input", str(src), "--output", str(out), "--watchlist", WATCH]) == 0
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [x["id"] for x in lines] == ["b", "a"]
    assert lines[0]["matches"] == []
    assert (
        lines[1]["matches"][0]["path"][-1] == lines[1]["matches"][0]["entity_id"] == "syn-tianlong"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("id,nombre\n1,Foo\n", "q.csv:line 1: missing column(s): name"),
        ("id,name\n1,Foo\n2,\n", "q.csv:line 3: empty name"),
    ],
)
def test_bad_csv_is_one_clear_line_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    src = tmp_path / "q.csv"
    src.write_text(content, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert run(["match", "--input", str(src), "--output", str(out), "--watchlist", WATCH]) != 0
    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == [src]


def test_watchlist_line_that_is_not_ftm(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.ftm.jsonl"
    bad.write_text(
        '{"id": "x", "schema": "Company", "properties": {"name": ["X"]}}\nnot json\n',
        encoding="utf-8",
    )
    src = tmp_path / "q.csv"
    src.write_text("id,name\n1,Foo\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert run(["match", "--input", str(src), "--output", str(out), "--watchlist", str(bad)]) != 0
    err = capsys.readouterr().err
    assert "bad.ftm.jsonl" in err and "2" in err
    assert not out.exists()
