"""`redline synth`: SYNTHETIC OCDS releases with planted listed vendors and a truth file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from redline.cli.app import app
from redline.cli.common import (
    DataOpt,
    JsonOpt,
    StoreOpt,
    data_dir,
    err,
    open_store,
    print_json,
    progress,
    store_path,
)
from redline.cli.tables import summary_table
from redline.services.synth import SynthSpec, synthesise


@app.command()
def synth(
    ctx: typer.Context,
    releases: Annotated[int, typer.Option("--releases", min=1, help="How many releases.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for the synthetic files.")],
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same files.")] = 1,
    listed_rate: Annotated[
        float,
        typer.Option("--listed-rate", min=0, max=1, help="Share of awards to a listed vendor."),
    ] = 0.002,
    subsidiary_rate: Annotated[
        float,
        typer.Option("--subsidiary-rate", min=0, max=1, help="Share of awards to a subsidiary."),
    ] = 0.0005,
    consortium_rate: Annotated[
        float,
        typer.Option("--consortium-rate", min=0, max=1, help="Share of awards to a consortium."),
    ] = 0.0005,
    store: StoreOpt = None,
    data: DataOpt = None,
    json: JsonOpt = False,
) -> None:
    """Write N synthetic OCDS releases (JSON Lines and Parquet) and synthetic_truth.jsonl.

    Planted vendors come from the lists loaded in the store, else from DATA/lists.
    """
    spec = SynthSpec(releases, seed, listed_rate, subsidiary_rate, consortium_rate)
    path = store_path(ctx, store)
    with progress() as bar:
        task = bar.add_task("synthetic releases", total=releases)
        if path.exists():
            with open_store(ctx, store, read_only=True) as opened:
                report = synthesise(out, spec, store=opened, data_dir=data_dir(ctx, data),
                                    on_progress=lambda n: bar.advance(task, n))  # fmt: skip
        else:
            report = synthesise(out, spec, store=None, data_dir=data_dir(ctx, data),
                                on_progress=lambda n: bar.advance(task, n))  # fmt: skip
    if json:
        print_json(report.as_dict())
    else:
        err.print(summary_table(report.as_dict(), "Synthetic procurement written"))
