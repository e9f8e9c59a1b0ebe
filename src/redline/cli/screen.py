"""`redline screen`: classify → match → judge over the whole store; findings with evidence."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from redline.cli import app
from redline.cli.common import JsonOpt, StoreOpt, err, open_store, print_json, progress
from redline.judge.export import format_of, write_findings
from redline.services.screen import ScreenReport, screen_store


def _table(report: ScreenReport) -> Table:
    table = Table(title=f"Findings as of {report.as_of.isoformat()} ({len(report.findings)})")
    for col in ("severity", "risk", "supplier", "award", "sector", "listed", "at award / now"):
        table.add_column(col)
    for f in report.findings:
        when = f"{'?' if f.listed_at_award is None else 'yes' if f.listed_at_award else 'no'}"
        table.add_row(
            f.severity,
            f"{f.risk.total:.1f}",
            escape(f.supplier_name),
            escape(f"{f.ocid}/{f.award_id or '-'}"),
            f.class_id,
            escape(f"{f.listed_caption} ({', '.join(f.list_codes)})"),
            f"{when} / {'yes' if f.listed_now else 'no'}",
        )
    return table


@app.command()
def screen(
    ctx: typer.Context,
    policy: Annotated[
        list[Path] | None,
        typer.Option(
            "--policy", help="Extra policy YAML file (repeatable); adds to the shipped set."
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="Judge listings and rules on this date (YYYY-MM-DD; default today)."
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write findings to FILE.csv, FILE.json or FILE.ftm.jsonl ('-' = JSON on stdout).",
        ),
    ] = None,
    no_classify: Annotated[
        bool, typer.Option("--no-classify", help="Reuse the classifications already in the store.")
    ] = False,
    store: StoreOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Screen every award supplier and tenderer in the store against the red-line policies."""
    day = _parse_date(as_of)
    if output is not None:
        format_of(output)  # a bad file name fails before the work, not after
    with open_store(ctx, store) as st, progress() as bar:
        task = bar.add_task("judge", total=None)

        def tick(_stage: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        report = screen_store(
            st, policy_files=policy or [], as_of=day, classify=not no_classify, on_progress=tick
        )
    if output is not None:
        write_findings(report.findings, output)
    if json_out:
        print_json(report.summary())
    elif str(output) != "-":
        err.print(_table(report))
        err.print(report.summary())


def _parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(
            f"{value!r} is not a date (YYYY-MM-DD)", param_hint="--as-of"
        ) from exc
