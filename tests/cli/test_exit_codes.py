"""The exit codes are a contract (``redline.errors``, README "Exit codes"): 0 done, 1 input
refused, 2 usage, 3 Redline's own fault -- always one line on stderr, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from synthetic_screen import ingested

import redline.cli.status as status_cli
from redline.cli import run
from redline.errors import EXIT_INTERNAL, EXIT_REFUSED, EXIT_USAGE
from redline.store.db import Store


def _errors(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("error:")]


def _store(tmp_path: Path) -> str:
    Store(tmp_path / "s.duckdb").close()
    return str(tmp_path / "s.duckdb")


def test_done_is_0(tmp_path: Path) -> None:
    # a store holding something: `status` on an empty one is "nothing to work on" (exit 1)
    store, _watchlist, _policy = ingested(tmp_path)
    assert run(["status", "--store", str(store)]) == 0


def test_nothing_to_work_on_is_1(tmp_path: Path) -> None:
    # an empty store: status has nothing to report, and says so rather than an all-clear
    assert run(["status", "--store", _store(tmp_path)]) == 1


def test_an_input_refused_is_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.json"
    assert run(["ingest", "ocds", str(missing), "--store", str(tmp_path / "s.duckdb")]) == 1
    assert EXIT_REFUSED == 1
    assert _errors(capsys.readouterr().err) == [f"error: {missing}: no such file or folder"]


def test_usage_is_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["status", "--no-such-option"]) == EXIT_USAGE == 2
    assert run(["match", "X", "--as-of", "2026-13-01", "--store", str(tmp_path / "s")]) == 2


def test_an_internal_error_is_3_and_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("synthetic fault\nsecond line")

    monkeypatch.setattr(status_cli, "store_status", broken)
    assert run(["status", "--store", _store(tmp_path)]) == EXIT_INTERNAL == 3
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert _errors(err) == [
        "error: internal error (RuntimeError): synthetic fault second line — please report it"
    ]
