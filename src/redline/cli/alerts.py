"""`redline alerts --since DATE`: what the saving screens changed since then."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer

from redline.cli.app import app
from redline.cli.common import JsonOpt, StoreOpt, err, open_store, print_json
from redline.errors import InputError, Problem


@app.command("alerts")
def alerts(
    ctx: typer.Context,
    since: Annotated[
        str, typer.Option("--since", help="Date or time (ISO 8601, UTC) to list changes from.")
    ] = "1970-01-01",
    store: StoreOpt = None,
    json: JsonOpt = False,
) -> None:
    """New findings, severity changes, listings added or ended, findings gone, reopened."""
    from redline.services.alerts import alerts_since

    try:
        start = datetime.fromisoformat(since)
    except ValueError as exc:
        raise InputError([Problem("--since", "", f"not a date or time: {since!r}")]) from exc
    start = start if start.tzinfo else start.replace(tzinfo=UTC)
    with open_store(ctx, store, read_only=True) as st:
        found = alerts_since(st, start)
    if json:
        print_json(found)
        return
    for a in found:
        err.print(f"{a['run_at']}  {a['change']:<13} {a['severity'] or '':<6} {a['supplier_name']}"
                  f" → {a['listed_entity_id']}  {a['finding_id']}", highlight=False, markup=False,
                  soft_wrap=True)  # fmt: skip
    if not found:
        err.print(f"no change recorded since {start.isoformat()}")
