"""`redline classify`: sector classes with evidence, for the store or for one text."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from redline.cli.app import app
from redline.cli.common import JsonOpt, StoreOpt, err, open_store, out, print_json

if TYPE_CHECKING:
    from redline.services.classify import Assignment

classify_app = typer.Typer(
    help="Put tenders, awards, contracts and items into sensitive sector classes.",
    invoke_without_command=True,
)
app.add_typer(classify_app, name="classify")


@classify_app.callback()
def classify(ctx: typer.Context, store: StoreOpt = None, as_json: JsonOpt = False) -> None:
    """Classify everything in the store; rewrites table `classifications`."""
    if ctx.invoked_subcommand is not None:
        return
    # imported when a classification runs: every `redline` command imports this module
    from redline.services.classify import classify_store
    from redline.services.status import require

    with open_store(ctx, store) as st:
        require(st, records=True)
        report = classify_store(st)
    if as_json:
        print_json(asdict(report))
        return
    table = Table("class", "subjects", title="Classified subjects per class")
    for class_id, n in report.by_class.items():
        table.add_row(class_id, str(n))
    out.print(table)
    err.print(
        f"{report.classified_subjects} of {report.subjects} subjects classified "
        f"({report.rows} evidence rows, {report.unique_texts} distinct texts) "
        f"in {report.seconds}s"
    )


def _print_assignments(assignments: list[Assignment]) -> None:
    table = Table("class", "tier", "score", "kind", "value", "field")
    for a in assignments:
        for s in a.signals:
            table.add_row(a.class_id, str(a.tier), f"{a.score:g}", s.kind, s.value, s.field)
    out.print(table if assignments else "no class")


@classify_app.command("text")
def text(
    description: Annotated[str, typer.Argument(help="The description to classify.")],
    buyer: Annotated[str | None, typer.Option("--buyer", help="Buyer name.")] = None,
    code: Annotated[
        list[str] | None,
        typer.Option("--code", help="SCHEME:CODE, e.g. CPV:38581000 (repeatable)."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Classify one description (with an optional buyer and codes)."""
    from redline.services.classify import classify_text

    pairs = []
    for raw in code or []:
        scheme, sep, value = raw.partition(":")
        if not sep or not value:
            raise typer.BadParameter(f"{raw!r} is not SCHEME:CODE", param_hint="--code")
        pairs.append((scheme, value))
    assignments = classify_text(description, buyer=buyer, codes=pairs)
    if as_json:
        print_json([a.to_dict() for a in assignments])
    else:
        _print_assignments(assignments)
