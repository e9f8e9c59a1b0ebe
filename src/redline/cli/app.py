"""The Typer application every command module adds its commands to, and its global options."""

from __future__ import annotations

import typer

from redline.cli.common import DataOpt, StoreOpt

app = typer.Typer(
    name="redline",
    help="Screen public procurement for vendors tied to foreign military or security services.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _root(ctx: typer.Context, store: StoreOpt = None, data: DataOpt = None) -> None:
    ctx.obj = {"store": store, "data": data}
