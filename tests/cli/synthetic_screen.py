"""SYNTHETIC inputs for the CLI tests of the analyst's workflow: one tracker row (a border
X-ray award to a made-up vendor), its mapping, the user's list naming that vendor, and a rule
over that list. Every name here is made up; none is a real company or designation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from click.testing import CliRunner, Result

from redline.cli import main

VENDOR = {
    "id": "syn-1",
    "schema": "Company",
    "properties": {"name": ["Escaneres Sinteticos Ficticios"], "country": ["mx"]},
}
LISTING = {"id": "syn-1-listing", "schema": "Sanction",
           "properties": {"entity": ["syn-1"], "authority": ["SYNTHETIC authority"],
                          "startDate": ["2020-01-01"]}}  # fmt: skip

POLICY = """version: 1
rules:
  - id: synthetic-own-list-border
    title: SYNTHETIC rule over the user's own list
    severity: breach
    sectors: [border_inspection]
    listing:
      lists: [synthetic_watchlist.ftm.jsonl]
    basis:
      - instrument: SYNTHETIC internal policy
        citation: test only
        url: https://example.invalid/policy
    sentence: "{vendor} {supplies} {sector} ({ocid}, {award})"
"""


def write_watchlist(path: Path, entities: list[dict[str, Any]]) -> Path:
    path.write_text("\n".join(json.dumps(e) for e in entities) + "\n", encoding="utf-8")
    return path


def files(tmp_path: Path) -> tuple[Path, Path, Path, Path]:
    """(tracker, mapping, watchlist, policy), written under ``tmp_path``."""
    tracker = tmp_path / "synthetic_projects.csv"
    tracker.write_text(
        "id,vendor,buyer,date,what\n"
        "P1,Escaneres Sintéticos Ficticios SA de CV,Aduana Sintética,2024-05-02,"
        "equipo de rayos X para inspección no intrusiva de contenedores\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        "trackers:\n  synthetic:\n    publisher: SYNTHETIC projects\n"
        "    ocid_prefix: synthetic-projects\n    id: id\n    suppliers: vendor\n"
        "    buyer: buyer\n    date: date\n    description: what\n",
        encoding="utf-8",
    )
    watchlist = write_watchlist(tmp_path / "synthetic_watchlist.ftm.jsonl", [VENDOR, LISTING])
    policy = tmp_path / "synthetic_policy.yaml"
    policy.write_text(POLICY, encoding="utf-8")
    return tracker, mapping, watchlist, policy


@click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True,
                                  "help_option_names": []})  # fmt: skip
@click.pass_context
def _redline(ctx: click.Context) -> None:
    main(list(ctx.args))  # the entry point itself: its errors are one line and an exit code


def invoke(store: Path, *args: str) -> Result:
    """`redline --store STORE ARGS...` as the shell runs it (stdout and stderr apart)."""
    return CliRunner().invoke(_redline, ["--store", str(store), *args])


def ingested(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A store holding the tracker's record (no list yet); returns (store, watchlist, policy)."""
    tracker, mapping, watchlist, policy = files(tmp_path)
    store = tmp_path / "s.duckdb"
    done = invoke(store, "ingest", "tracker", str(tracker), "--mapping", str(mapping))
    assert done.exit_code == 0, done.output
    return store, watchlist, policy


def screened(store: Path, watchlist: Path, policy: Path, *extra: str) -> dict[str, Any]:
    """`screen --json` with the user's list and rule; its summary."""
    done = invoke(store, "screen", "--json", "--watchlist", str(watchlist), "--policy",
                  str(policy), *extra)  # fmt: skip
    assert done.exit_code == 0, done.output
    summary: dict[str, Any] = json.loads(done.stdout)
    return summary
