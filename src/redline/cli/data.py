"""`redline data ...`: the public sources Redline reads."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from redline.cli.app import app
from redline.cli.common import DataOpt, JsonOpt, data_dir, err, print_json, progress

data_app = typer.Typer(help="The public sources: where they are, and fetching them.")
app.add_typer(data_app, name="data")


@data_app.command("fetch")
def fetch(
    ctx: typer.Context,
    into: Annotated[
        Path | None,
        typer.Option("--into", help="Directory to fill [default: the data directory]"),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            help="Read every file from <URL>/<target path> (a mirror over HTTP) "
            "[env: REDLINE_FETCH_BASE_URL]",
        ),
    ] = None,
    only: Annotated[
        list[str] | None,
        typer.Option("--only", help="Fetch only this manifest entry (repeatable)."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Download the sources in the manifest; record size and sha256 in DIR/FETCHED.json."""
    from redline.services.data import fetch_sources  # its HTTP client: only when fetching

    target = into or data_dir(ctx, None)
    with progress() as bar:
        task = bar.add_task("fetch", total=None)

        def advance(name: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, description=name[-40:])

        report = fetch_sources(target, base_url=base_url, only=only, on_progress=advance)
    for name, reason in report.skipped.items():
        err.print(f"skipped {name}: {reason}", style="yellow", highlight=False, markup=False)
    size = sum(f.size for f in report.fetched)
    if as_json:
        print_json(
            {
                "into": str(target),
                "files": len(report.fetched),
                "bytes": size,
                "skipped": report.skipped,
            }
        )
    else:
        err.print(f"{len(report.fetched)} files, {size:,} bytes in {target}", highlight=False)


@data_app.command("path")
def path(ctx: typer.Context, data: DataOpt = None) -> None:
    """Print the data directory in use (--data, else REDLINE_DATA)."""
    from redline.services.data import data_path

    print(data_path(data_dir(ctx, data)))
