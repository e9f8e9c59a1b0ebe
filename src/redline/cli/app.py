"""The Typer application every command module adds its commands to, and its global options."""

from __future__ import annotations

from typing import Annotated

import typer

from redline import __version__
from redline.cli.common import DataOpt, StoreOpt

app = typer.Typer(
    name="redline",
    help="Screen public procurement for vendors tied to foreign military or security services.",
    no_args_is_help=True,
    # help is plain text: Rich markup would eat "[env: REDLINE_STORE; …]" mid-sentence
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(shown: bool) -> None:
    if shown:
        typer.echo(f"redline {__version__}")
        raise typer.Exit()


VersionOpt = Annotated[
    bool,
    typer.Option("--version", callback=_version, is_eager=True,
                 help="Print Redline's version and exit."),
]  # fmt: skip


@app.callback()
def _root(
    ctx: typer.Context, store: StoreOpt = None, data: DataOpt = None, version: VersionOpt = False
) -> None:
    ctx.obj = {"store": store, "data": data}
