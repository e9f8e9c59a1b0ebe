"""The docs stay honest: every setting and every CLI command is documented."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import typer.main

from redline.cli import app
from redline.settings import SETTINGS_DOC

ROOT = Path(__file__).resolve().parents[1]


def _commands(group: Any, prefix: str = "redline") -> list[str]:
    # typer vendors its own click, so groups are recognised by their `commands` mapping
    found = []
    for name, cmd in sorted(group.commands.items()):
        path = f"{prefix} {name}"
        if hasattr(cmd, "commands"):
            found.extend(_commands(cmd, path))
        else:
            found.append(path)
    return found


def test_every_setting_is_documented() -> None:
    text = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    missing = [name for name in SETTINGS_DOC if f"`{name}`" not in text]
    assert not missing, f"docs/settings.md lacks {missing}"


def test_settings_are_read_only_in_settings_module() -> None:
    pattern = re.compile(r"""environ(\.get)?\s*[\[(]\s*["']REDLINE_""")
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "src" / "redline").rglob("*.py")
        if path.name != "settings.py" and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, f"read REDLINE_* through redline.settings, not in {offenders}"


def test_every_cli_command_is_documented() -> None:
    group = typer.main.get_command(app)
    commands = _commands(group)
    assert "redline ingest ocds" in commands
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    missing = [c for c in commands if f"`{c}" not in text]
    assert not missing, f"docs/cli.md lacks {missing}"
