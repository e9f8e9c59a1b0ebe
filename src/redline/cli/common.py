"""What every command shares: store and data options, stderr console, progress bars."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from redline.errors import InputError, Problem
from redline.settings import get_settings
from redline.store.db import Store

#: progress, tables meant for people and errors go to stderr; stdout stays for data.
err = Console(stderr=True)
out = Console()

StoreOpt = Annotated[
    Path | None,
    typer.Option(
        "--store", help="DuckDB store file [env: REDLINE_STORE; default ./redline.duckdb]"
    ),
]
DataOpt = Annotated[
    Path | None,
    typer.Option("--data", help="Data directory (local mirror) [env: REDLINE_DATA]"),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON on stdout instead of a table.")]
#: where the set-based work runs; checked by the service (an unknown name is a one-line error)
EngineOpt = Annotated[
    str,
    typer.Option(
        "--engine",
        help="Where the set-based work runs (ingest: parse, compile, extract; screen and match: "
        "blocking and scoring): duckdb on this machine, or spark.",
    ),
]
SparkMasterOpt = Annotated[
    str | None,
    typer.Option(
        "--spark-master",
        help="Spark master URL with --engine spark [env: SPARK_MASTER; default local[*]]",
    ),
]


def _root(ctx: typer.Context | None, key: str) -> Any:
    node: Any = ctx  # typer vendors click: parents are typed as its own Context class
    while node is not None:
        if isinstance(node.obj, dict) and node.obj.get(key) is not None:
            return node.obj[key]
        node = node.parent
    return None


def store_path(ctx: typer.Context | None, store: Path | None) -> Path:
    """The store named on this command, else on `redline --store`, else REDLINE_STORE."""
    return store or _root(ctx, "store") or get_settings().store


def data_dir(ctx: typer.Context | None, data: Path | None) -> Path:
    """The data directory named on this command, else on `redline --data`, else REDLINE_DATA."""
    return data or _root(ctx, "data") or get_settings().data


def open_store(
    ctx: typer.Context | None, store: Path | None, *, read_only: bool = False, create: bool = False
) -> Store:
    """The command's store. Only commands that load data pass ``create=True``; for every other
    one a path with no store is a one-line error (exit 1), never a new empty store."""
    return Store(store_path(ctx, store), read_only=read_only, create=create)


def progress() -> Progress:
    """A Rich progress bar on stderr (hidden automatically when stderr is not a terminal)."""
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=False,
    )


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def as_of_date(text: str | None) -> date | None:
    """``--as-of`` of any command (``match``, ``screen``): None when not given (the service
    takes today); a bad date is one line naming the option and the value (exit 2)."""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise InputError([Problem("--as-of", "", f"not a date (YYYY-MM-DD): {text!r}")]) from exc
