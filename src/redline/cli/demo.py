"""`redline demo`: the whole pipeline on the data directory, then a briefing."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from redline.cli.app import app
from redline.cli.common import DataOpt, JsonOpt, StoreOpt, data_dir, err, open_store, print_json
from redline.cli.screen import findings_table

if TYPE_CHECKING:
    from redline.services.demo import DemoSummary


@app.command()
def demo(
    ctx: typer.Context,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Folder for the briefing (HTML and PDF).")
    ] = Path("reports/demo"),
    formats: Annotated[
        str, typer.Option("--format", help="Briefing formats, comma-separated: html,pdf")
    ] = "html,pdf",
    store: StoreOpt = None,
    data: DataOpt = None,
    json: JsonOpt = False,
) -> None:
    """Ingest the data directory's OCDS and trackers, load its lists, screen, and report."""
    from redline.services.demo import run_demo  # the whole pipeline: imported when it runs

    root = data_dir(ctx, data)
    fmts = tuple(f.strip() for f in formats.split(",") if f.strip())
    with open_store(ctx, store, create=True) as opened:
        summary = run_demo(
            opened, root, output, formats=fmts, on_step=lambda s: err.print(f"[bold]{s}[/]")
        )
    if json:
        print_json(_as_dict(summary))
        return
    err.print(_findings_table(summary))
    if summary.unflagged:
        err.print("[bold]Screened without a finding:[/]")
        for ocid, name, status in summary.unflagged:
            err.print(f"  {name} ({ocid}): {status}", highlight=False, markup=False)
    for kind, path in summary.report.items():
        err.print(f"briefing ({kind}): {path}", highlight=False)


def _as_dict(summary: DemoSummary) -> dict[str, object]:
    return {
        "ingest": summary.ingest.as_dict(),
        "trackers": {k: v.as_dict() for k, v in summary.trackers.items()},
        "lists": summary.lists,
        "screen": summary.screen.summary() if summary.screen else None,
        "report": {k: str(v) for k, v in summary.report.items()},
        "unflagged": [{"ocid": o, "supplier": n, "status": s} for o, n, s in summary.unflagged],
    }


def _findings_table(summary: DemoSummary) -> Table | str:
    if summary.screen is None:
        return "no screen ran"
    return findings_table(summary.screen, err.width)
