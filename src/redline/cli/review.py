"""`redline review FINDING_ID --confirm|--dismiss|--reopen --note TEXT [--by NAME]`."""

from __future__ import annotations

from typing import Annotated

import typer

from redline.cli.app import app
from redline.cli.common import JsonOpt, StoreOpt, err, open_store, print_json
from redline.errors import InputError, Problem

_Flag = Annotated[bool, typer.Option(show_default=False)]


@app.command("review")
def review(
    ctx: typer.Context,
    finding_id: Annotated[
        str, typer.Argument(help="The finding's id (`screen --json` lists them).")
    ],
    confirm: Annotated[bool, typer.Option("--confirm", help="The finding holds.")] = False,
    dismiss: Annotated[
        bool,
        typer.Option("--dismiss", help="A false alarm: kept dismissed until its evidence changes."),
    ] = False,
    reopen: Annotated[bool, typer.Option("--reopen", help="Back to open.")] = False,
    note: Annotated[str, typer.Option("--note", help="Why (kept in the audit trail).")] = "",
    by: Annotated[
        str | None, typer.Option("--by", help="Who reviews [default: the OS user].")
    ] = None,
    store: StoreOpt = None,
    json: JsonOpt = False,
) -> None:
    """Confirm, dismiss or reopen a finding; without an action, show its review and audit trail."""
    from redline.services.review import review_finding, review_state

    chosen = [a for a, on in (("confirm", confirm), ("dismiss", dismiss), ("reopen", reopen)) if on]
    if len(chosen) > 1:
        raise InputError(
            [Problem("redline review", "", "give one of --confirm, --dismiss, --reopen")]
        )
    with open_store(ctx, store) as st:
        if chosen:
            done = review_finding(st, finding_id, chosen[0], note, by)
            err.print(f"{finding_id}: {done.action} by {done.reviewer} at {done.reviewed_at}",
                      highlight=False, markup=False)  # fmt: skip
        state = review_state(st, finding_id)
    if json:
        print_json(state)
        return
    for act in state["trail"]:
        err.print(f"{act['reviewed_at']}  {act['action']:<8} {act['reviewer']}: {act['note']}",
                  highlight=False, markup=False, soft_wrap=True)  # fmt: skip
