"""Every `redline` command imports every command module; the heavy stages wait for their command.

`redline ingest ocds` paid ~1.6 CPU s a process for imports it never used (FtM, the matcher,
the charts) because the command modules imported their services at the top. These checks run
in a fresh interpreter, so what another test imported does not hide a regression.
"""

from __future__ import annotations

import subprocess
import sys

import typer
import typer.core
import typer.main

from redline.cli import app
from redline.services.read.briefing import DEFAULT_GROWTH_YEARS

#: modules only some commands need, each costing 0.1-0.5 s to import
HEAVY = (
    "followthemoney",
    "altair",
    "pypinyin",
    "redline.services.screen",
    "redline.services.match",
    "redline.services.demo",
    "redline.services.report",
    "redline.services.lists",
    "redline.services.ingest_parquet",
    "redline.judge.export",
)


def _imported_by(statement: str) -> set[str]:
    code = f"import sys\n{statement}\nprint('\\n'.join(sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(done.stdout.split())


def test_the_cli_imports_no_command_s_heavy_stages() -> None:
    loaded = _imported_by("import redline.cli")
    assert "redline.cli.screen" in loaded, "every command module registers at import"
    assert sorted(loaded.intersection(HEAVY)) == []


def test_a_command_still_imports_what_it_runs() -> None:
    # the check above must be able to see a heavy module when one is imported
    loaded = _imported_by("import redline.cli\nimport redline.services.screen")
    assert {"redline.services.screen", "redline.services.match"} <= loaded


def test_report_help_states_the_briefing_s_default_years() -> None:
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    helps = {p.name: getattr(p, "help", "") for p in group.commands["report"].params}
    first, last = DEFAULT_GROWTH_YEARS
    assert f"(default: {first}, the briefing's)" in helps["growth_from"]
    assert f"(default: {last}, the briefing's)" in helps["growth_to"]
