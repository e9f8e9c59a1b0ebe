"""`redline ingest ...`: records into the store."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from redline.cli.app import app
from redline.cli.common import (
    DataOpt,
    JsonOpt,
    SparkMasterOpt,
    StoreOpt,
    data_dir,
    err,
    open_store,
    print_json,
    progress,
)
from redline.engine.spec import EngineSpec
from redline.errors import InputError, Problem
from redline.services.ingest import (
    FORMATS,
    IngestReport,
    ingest_ocds,
    ingest_tracker,
    load_mappings,
    ocds_files,
)

if TYPE_CHECKING:
    from redline.services.ingest_parquet import ParquetIngestReport

ingest_app = typer.Typer(help="Load public records into the store.", no_args_is_help=True)
app.add_typer(ingest_app, name="ingest")


# the command's parameters, named here so its signature reads in one screen
PathsArg = Annotated[
    list[str],
    typer.Argument(
        metavar="PATHS",
        help="OCDS files or folders (.json, .jsonl, .gz); with --engine spark also "
        "hdfs:// or s3a:// URIs of the same forms",
    ),
]
FormatOpt = Annotated[
    str | None,
    typer.Option("--format", help=f"Force the form instead of recognising it: {FORMATS}"),
]
SkipInvalidOpt = Annotated[
    bool,
    typer.Option("--skip-invalid", help="Store the valid items of a file with bad ones."),
]
RejectReportOpt = Annotated[
    Path | None,
    typer.Option(
        "--reject-report",
        help="JSON Lines file for items left out by --skip-invalid "
        "[default: <store>.rejects.jsonl]",
    ),
]
#: ingest's own help: the engine decides where the rows go, not only where the work runs
IngestEngineOpt = Annotated[
    str,
    typer.Option(
        "--engine",
        help="duckdb: into the store, file by file. spark: a batch build of every input "
        "into Parquet folders under --out (then into --store if given).",
    ),
]
OutOpt = Annotated[
    str | None,
    typer.Option(
        "--out",
        help="Folder (local, hdfs://, s3a://) for one Parquet folder per table; "
        "needed with --engine spark.",
    ),
]


@ingest_app.command("ocds")
def ocds(
    ctx: typer.Context,
    paths: PathsArg,
    fmt: FormatOpt = None,
    skip_invalid: SkipInvalidOpt = False,
    reject_report: RejectReportOpt = None,
    engine: IngestEngineOpt = "duckdb",
    spark_master: SparkMasterOpt = None,
    out: OutOpt = None,
    store: StoreOpt = None,
    data: DataOpt = None,
    json: JsonOpt = False,
) -> None:
    """Ingest OCDS releases, records, packages, JSON Lines or .gz of them.

    Each file is one transaction: a bad file is reported (file, position, problem) and left
    out whole, and the exit code is 1; the other files are kept. With --out (always with
    --engine spark) the inputs are built into Parquet instead: a bad item stops the build
    before anything is written, unless --skip-invalid; with --store also given, the build is
    then loaded into that store (each ocid of the build replaces what the store held for it).
    """
    spec = EngineSpec(engine, spark_master)
    if out is None and spec.name == "spark":
        raise InputError([Problem("--out", "", "--engine spark writes Parquet: give --out DIR")])
    if out is not None:
        build = _Build(paths, out, spec, fmt, skip_invalid)
        _build(ctx, build, store, data, json)
        return
    local = [Path(p) for p in paths]
    files = ocds_files(local)  # a bad path is refused before a store is created
    with (
        open_store(ctx, store, create=True) as opened,
        _bytes_bar(files, "OCDS bytes") as advance,
    ):
        report = ingest_ocds(
            opened,
            local,
            fmt=fmt,
            skip_invalid=skip_invalid,
            reject_report=reject_report,
            on_progress=advance,
            data_dir=data_dir(ctx, data),
        )
    _finish(report, json)


@contextmanager
def _bytes_bar(files: list[Path], label: str) -> Iterator[Callable[[int], None]]:
    """A progress bar over the bytes of ``files``; yields what advances it."""
    total = sum(p.stat().st_size for p in files)
    if not err.is_terminal:
        # a plain line per run keeps logs (and the kill test) informed without a live bar
        err.print(f"ingesting {len(files)} file(s), {total:,} bytes", highlight=False)
    with progress() as bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)


@dataclass(frozen=True)
class _Build:
    """``ingest ocds --out``: what to build into Parquet, where and on which engine."""

    paths: list[str]
    out: str
    engine: EngineSpec
    fmt: str | None
    skip_invalid: bool


def _build(
    ctx: typer.Context, build: _Build, store: Path | None, data: Path | None, json: bool
) -> None:
    """``--out``: a batch build into Parquet, then into the store when --store is given."""
    from redline.services.ingest_parquet import import_parquet, ingest_to_parquet

    err.print(f"building {len(build.paths)} input(s) on {build.engine.name} into {build.out}",
              highlight=False)  # fmt: skip
    report = ingest_to_parquet(
        build.engine, build.paths, build.out, fmt=build.fmt, skip_invalid=build.skip_invalid,
        data_dir=data_dir(ctx, data),
    )  # fmt: skip
    if store is not None:
        with open_store(ctx, store, create=True) as opened:
            report.imported = import_parquet(opened, build.out)
    for problem in report.rejected[:200]:
        err.print(f"skipped: {problem}", style="yellow", highlight=False, markup=False,
                  soft_wrap=True)  # fmt: skip
    if json:
        print_json(report.as_dict())
    else:
        err.print(_build_summary(report))


def _build_summary(report: ParquetIngestReport) -> Table:
    table = Table("", "rows", title=f"Build {report.run_id} on {report.engine} → {report.out}")
    for name, count in report.counts.items():
        table.add_row(name, f"{count:,}")
    for name, count in report.imported.items():
        table.add_row(f"imported into the store: {name}", f"{count:,}")
    for key, count in report.bad_values.items():
        table.add_row(f"bad value: {key}", f"{count:,}")
    table.add_row("seconds", f"{report.seconds:,}")
    return table


@ingest_app.command("tracker")
def tracker(
    ctx: typer.Context,
    path: Annotated[
        Path | None,
        typer.Argument(help="Tracker CSV [default: the named tracker's file in the data dir]"),
    ] = None,
    name: Annotated[
        str,
        typer.Option("--tracker", help="Shipped mapping to use (see data/trackers.yaml)."),
    ] = "mexico-prc-vendor-events",
    mapping_file: Annotated[
        Path | None,
        typer.Option("--mapping", help="Your own mapping YAML (same shape as trackers.yaml)."),
    ] = None,
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Store the valid rows of a file with bad ones.")
    ] = False,
    store: StoreOpt = None,
    data: DataOpt = None,
    json: JsonOpt = False,
) -> None:
    """Ingest a project or event tracker (CSV) as OCDS-shaped records, one per row.

    Each row becomes a release with its buyer, supplier(s) and one award citing the row's
    source, so it is classified, screened and cited like procurement.
    """
    mappings = load_mappings(mapping_file)
    if name not in mappings:
        if mapping_file is not None and len(mappings) == 1:
            name = next(iter(mappings))
        else:
            known = ", ".join(sorted(mappings))
            raise InputError([Problem("--tracker", "", f"unknown tracker {name!r}; use {known}")])
    mapping = mappings[name]
    root = data_dir(ctx, data)
    if path is None:
        if mapping.path is None:
            raise InputError([Problem("--tracker", "", f"{name} names no file: give PATH")])
        path = root / mapping.path
    with open_store(ctx, store, create=True) as opened:
        report = ingest_tracker(opened, path, mapping, skip_invalid=skip_invalid, data_dir=root)
    _finish(report, json)


@ingest_app.command("contracts")
def contracts(
    ctx: typer.Context,
    paths: Annotated[
        list[Path],
        typer.Argument(metavar="PATHS", help="Contract exports (.csv, .xlsx) or folders"),
    ],
    layout: Annotated[
        str | None,
        typer.Option("--layout", help="Force a layout instead of recognising it from the header."),
    ] = None,
    mapping_file: Annotated[
        Path | None,
        typer.Option("--mapping", help="Your own layouts YAML (shape of contract_layouts.yaml)."),
    ] = None,
    skip_invalid: SkipInvalidOpt = False,
    reject_report: RejectReportOpt = None,
    store: StoreOpt = None,
    data: DataOpt = None,
    json: JsonOpt = False,
) -> None:
    """Ingest contract-register exports (ComprasMX, CompraNet, PODER's table) as OCDS.

    The layout is recognised from the header (names compared without accents, case or
    spacing; any column order); a file no layout fits is rejected in one line naming the
    columns each layout lacks, and the exit code is 1. Each row becomes an award of its
    procedure's record: buyer and buying unit, supplier with its RFC, amount, dates, codes.
    """
    from redline.services.ingest_contracts import contract_files, ingest_contracts

    files = contract_files(paths)
    with (
        open_store(ctx, store, create=True) as opened,
        _bytes_bar(files, "contract rows (bytes)") as advance,
    ):
        report = ingest_contracts(
            opened, paths, layout=layout, mapping=mapping_file, skip_invalid=skip_invalid,
            reject_report=reject_report, on_progress=advance, data_dir=data_dir(ctx, data),
        )  # fmt: skip
    _finish(report, json)


def _finish(report: IngestReport, json: bool) -> None:
    for problem in report.rejected[:200]:
        err.print(
            f"rejected: {problem}", style="red", highlight=False, markup=False, soft_wrap=True
        )
    if len(report.rejected) > 200:
        err.print(f"... and {len(report.rejected) - 200} more problems", style="red")
    if json:
        print_json(report.as_dict())
    else:
        err.print(_summary(report))
    if report.files_rejected:
        raise typer.Exit(1)


def _summary(report: IngestReport) -> Table:
    table = Table("", "count", title=f"Ingest {report.run_id} ({report.status})")
    for label, value in (
        ("files", report.files),
        ("files skipped (unchanged)", report.skipped_unchanged),
        ("files rejected", report.files_rejected),
        ("releases stored", report.releases_stored),
        ("releases unchanged", report.releases_unchanged),
        ("records compiled", report.records_compiled),
        ("items rejected", report.items_rejected),
        *((f"rows {t}", d) for t, d in report.table_deltas.items()),
        *((f"bad value: {k}", v) for k, v in report.bad_values.items()),
        ("seconds", round(report.seconds, 2)),
    ):
        table.add_row(label, f"{value:,}")
    if report.reject_report:
        table.caption = f"rejected items written to {report.reject_report}"
    return table
