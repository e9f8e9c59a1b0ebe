"""`redline ownership load`: ownership and control research, into the store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from redline.cli.app import app
from redline.cli.common import JsonOpt, StoreOpt, err, open_store, print_json

ownership_app = typer.Typer(help="Ownership and control research (FtM, BODS, tables).")
app.add_typer(ownership_app, name="ownership")


@ownership_app.command("load")
def load(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(metavar="PATHS", help="Research files")],
    form: Annotated[
        str | None,
        typer.Option("--form", help="ftm, bods or table [default: recognised from the file]"),
    ] = None,
    citation: Annotated[
        str | None,
        typer.Option("--citation", help="Citation of a table not listed in ownership.yaml"),
    ] = None,
    store: StoreOpt = None,
    json: JsonOpt = False,
) -> None:
    """Load ownership and control links: FtM JSON Lines, BODS 0.4 JSON, or a researcher's
    table (NOMBRE, TIPO_ENTIDAD, RELACIONADO_CON, TIPO_RELACION, PUESTO).

    Every edge keeps its source (file, line, citation); owners whose name matches a listed
    entity are linked to it (shown in the table); board seats are control, not ownership.
    Load the lists first so owners can be resolved. Each file replaces its previous load.
    """
    from redline.services.ownership import load_ownership

    with open_store(ctx, store, create=True) as opened:
        report = load_ownership(opened, paths, form=form, citation=citation)
    if json:
        print_json(report.as_dict())
        return
    table = Table("file", "form", "entities", "ownership", "control", "left out", "resolved")
    for f in report.files:
        resolved = "; ".join(f"{name} → {eid} ({score})" for name, eid, score in f.resolved)
        table.add_row(Path(f.path).name, f.form, str(f.entities), str(f.ownership),
                      str(f.control), str(sum(f.skipped.values())), resolved or "-")  # fmt: skip
    err.print(table)
