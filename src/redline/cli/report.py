"""`redline report`: the analyst's briefing as HTML (and PDF)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from redline.cli import app
from redline.cli.common import DataOpt, StoreOpt, data_dir, err, open_store
from redline.report.briefing import DEFAULT_GROWTH_YEARS
from redline.services.report import write_report


@app.command("report")
def report(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder to write into.")],
    fmt: Annotated[str, typer.Option("--format", help="Comma-separated: html, pdf.")] = "html",
    growth_from: Annotated[int, typer.Option(help="First year of trade growth.")] = (
        DEFAULT_GROWTH_YEARS[0]
    ),
    growth_to: Annotated[int, typer.Option(help="Last year of trade growth.")] = (
        DEFAULT_GROWTH_YEARS[1]
    ),
    store: StoreOpt = None,
    data: DataOpt = None,
) -> None:
    """Write briefing.html (charts inline, opens offline) and optionally briefing.pdf."""
    formats = [f.strip() for f in fmt.split(",") if f.strip()]
    with open_store(ctx, store, read_only=True) as st:
        written = write_report(st, output, formats=formats, data_dir=data_dir(ctx, data),
                               growth_years=(growth_from, growth_to))  # fmt: skip
    for kind, path in written.items():
        err.print(f"{kind}: {path}")
