"""`redline report`: the analyst's briefing as HTML (and PDF)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from redline.cli.app import app
from redline.cli.common import DataOpt, StoreOpt, data_dir, err, open_store


@app.command("report")
def report(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder to write into.")],
    fmt: Annotated[str, typer.Option("--format", help="Comma-separated: html, pdf.")] = "html",
    # None stands for the briefing's own years: reading them here would import the charts
    # (altair, ~0.2 s) in every `redline` command, as every command imports this module
    growth_from: Annotated[
        int | None, typer.Option(help="First year of trade growth (default: 2013, the briefing's).")
    ] = None,
    growth_to: Annotated[
        int | None, typer.Option(help="Last year of trade growth (default: 2019, the briefing's).")
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of the briefing: es or en.")] = "en",
    store: StoreOpt = None,
    data: DataOpt = None,
) -> None:
    """Write briefing.html (charts inline, opens offline) and optionally briefing.pdf;
    with --lang es, briefing.es.html and briefing.es.pdf."""
    from redline.services.read.briefing import DEFAULT_GROWTH_YEARS
    from redline.services.report import write_report

    first, last = DEFAULT_GROWTH_YEARS
    years = (
        first if growth_from is None else growth_from,
        last if growth_to is None else growth_to,
    )
    formats = [f.strip() for f in fmt.split(",") if f.strip()]
    from redline.services.status import require

    with open_store(ctx, store, read_only=True) as st:
        require(st, records=True, lists=True)  # a briefing of nothing would read as all-clear
        written = write_report(st, output, formats=formats, data_dir=data_dir(ctx, data),
                               growth_years=years, lang=lang)  # fmt: skip
    for kind, path in written.items():
        err.print(f"{kind}: {path}")
