"""`redline lists load`: the designation lists in the data directory, into the store."""

from __future__ import annotations

import typer
from rich.table import Table

from redline.cli.app import app
from redline.cli.common import DataOpt, JsonOpt, StoreOpt, data_dir, err, open_store, print_json

lists_app = typer.Typer(help="Designation lists (1260H, Entity List, NDAA, FCC ...).")
app.add_typer(lists_app, name="lists")


@lists_app.command("load")
def load(
    ctx: typer.Context, store: StoreOpt = None, data: DataOpt = None, json: JsonOpt = False
) -> None:
    """Load every list under DATA/lists as FtM entities; replaces the previous load."""
    # imported when lists load (FtM, ~0.5 s): every `redline` command imports this module
    from redline.services.lists import COLUMNS, load_lists

    with open_store(ctx, store, create=True) as opened:
        report = load_lists(opened, data_dir(ctx, data))
    if json:
        print_json(report.as_dict())
        return
    table = Table(title=f"lists loaded (run {report.run_id})")
    table.add_column("list", no_wrap=True)
    for column in COLUMNS:
        table.add_column(column, justify="right")
    for code, counts in report.per_list.items():
        table.add_row(code, *(str(counts[c]) for c in COLUMNS))
    err.print(table)
    err.print(", ".join(f"{k}: {v}" for k, v in report.totals.items()))
    for line in report.date_errors:  # a row no window can be read from: the source's error
        err.print(f"data error: {line}", markup=False, highlight=False)
