"""`redline status`: what the store holds."""

from __future__ import annotations

import typer
from rich.table import Table

from redline.cli.app import app
from redline.cli.common import JsonOpt, StoreOpt, err, open_store, out, print_json
from redline.errors import NothingToDo
from redline.services.status import store_status
from redline.store.db import LOADERS


@app.command("status")
def status(ctx: typer.Context, store: StoreOpt = None, json: JsonOpt = False) -> None:
    """Row counts per table and per publisher, and the last ingest runs."""
    with open_store(ctx, store, read_only=True) as opened:
        data = store_status(opened)
    if not any(n for name, n in data["tables"].items() if name != "redline_meta"):
        raise NothingToDo(f"{data['store']}: the store holds nothing yet ({LOADERS})")
    if json:
        print_json(data)
        return
    tables = Table("table", "rows", title=f"store {data['store']}")
    for name, count in data["tables"].items():
        tables.add_row(name, f"{count:,}")
    pubs = Table("publisher", "records", "releases", title="OCDS by publisher")
    for row in data["publishers"]:
        pubs.add_row(row["publisher"], f"{row['records']:,}", f"{row['releases']:,}")
    runs = Table("started", "kind", "status", "files", "stored", "rejected", title="last runs")
    for run in data["runs"]:
        stats = run["stats"] or {}
        runs.add_row(
            str(run["started_at"])[:19], run["kind"], run["status"],
            str(stats.get("files", "")), str(stats.get("releases_stored", "")),
            str(stats.get("rejected", "")),
        )  # fmt: skip
    for table in (tables, pubs, runs):
        out.print(table)
    if not data["runs"]:
        err.print("nothing ingested yet: try `redline ingest ocds PATH`")
