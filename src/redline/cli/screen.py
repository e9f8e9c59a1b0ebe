"""`redline screen`: classify → match → judge over the whole store, or over an ingest's Parquet
tables with ``--tables`` (the same findings); findings with evidence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.progress import TaskID
from rich.table import Table

from redline.cli.app import app
from redline.cli.common import (
    EngineOpt,
    JsonOpt,
    SparkMasterOpt,
    StoreOpt,
    as_of_date,
    err,
    open_store,
    print_json,
    progress,
)
from redline.cli.tables import findings_table as findings_table  # the demo's and tests' door
from redline.cli.tables import summary_table
from redline.engine.spec import EngineSpec
from redline.errors import InputError, Problem
from redline.store.location import as_location

if TYPE_CHECKING:
    from redline.services.screen_tables import TablesReport

# the command's parameters, named here so its signature reads in one screen
PolicyOpt = Annotated[
    list[Path] | None,
    typer.Option("--policy", help="Extra policy YAML file (repeatable); adds to the shipped set."),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of", help="Judge listings and rules on this date (YYYY-MM-DD; default today)."
    ),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write findings in the format the name ends in: FILE.csv, FILE.json, FILE.jsonl "
        "(one finding a line), FILE.parquet (the CSV's columns) or FILE.ftm.jsonl "
        "(FollowTheMoney entities); '-' = JSON on stdout.",
    ),
]
SaveOpt = Annotated[
    bool,
    typer.Option(
        "--save",
        help="With --as-of: keep the findings (a what-if date leaves the saved ones alone).",
    ),
]
NoClassifyOpt = Annotated[
    bool, typer.Option("--no-classify", help="Reuse the classifications already in the store.")
]
WatchlistOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--watchlist",
        help="Your own FtM JSON Lines list (repeatable): loaded into the store as its own "
        "dataset (replacing an earlier load of the same file) and screened with the lists.",
    ),
]
TablesOpt = Annotated[
    str | None,
    typer.Option(
        "--tables",
        help="Also screen an ingest's Parquet tables in DIR (`ingest ocds --out DIR`): "
        "names are matched on the engine, the records met are judged as the store's are "
        "(same findings as after importing DIR); needs --out. A local path, or with "
        "--engine spark any URI Spark reads (s3a://, hdfs://).",
    ),
]
OutDirOpt = Annotated[
    str | None,
    typer.Option(
        "--out",
        help="With --tables: write matches.parquet, by_listed.parquet, findings.parquet "
        "and (local OUT) findings.json here.",
    ),
]


@dataclass(frozen=True)
class _Screen:
    """What a screen of the store and a screen of ``--tables`` both take from the command."""

    store: Path | None
    as_of: date | None
    engine: EngineSpec
    policy: list[Path]
    watchlist: list[Path]
    output: Path | None
    json_out: bool
    save: bool = True


@app.command()
def screen(
    ctx: typer.Context,
    policy: PolicyOpt = None,
    as_of: AsOfOpt = None,
    output: OutputOpt = None,
    no_classify: NoClassifyOpt = False,
    watchlist: WatchlistOpt = None,
    tables: TablesOpt = None,
    out_dir: OutDirOpt = None,
    save: SaveOpt = False,
    engine: EngineOpt = "duckdb",
    spark_master: SparkMasterOpt = None,
    store: StoreOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Screen every award supplier and tenderer in the store (and with --tables, in an ingest's
    Parquet tables) against the red-line policies."""
    day = as_of_date(as_of)
    # before opening the store or loading a watchlist
    spec = EngineSpec(engine, spark_master)
    # a what-if date (--as-of) does not overwrite the findings the dashboard shows
    keep = day is None or save
    run = _Screen(store, day, spec, policy or [], watchlist or [], output, json_out, keep)
    if tables is not None or out_dir is not None:
        _screen_tables(ctx, run, tables, out_dir, no_classify=no_classify)
    else:
        _screen_store(ctx, run, no_classify=no_classify)


def _screen_store(ctx: typer.Context, run: _Screen, *, no_classify: bool) -> None:
    """`screen`: classify, match and judge the store's records; save the findings.

    In three openings of the store, so a running `redline serve` keeps answering: its writes
    (the watchlists, the classifications) in one short write, the judging on a read-only
    connection, the findings in one more short write (docs/architecture.md)."""
    # the services are imported here, not at the top: every `redline` command imports every
    # command module, and the screen's imports (FtM, the matcher) cost ~1 s a process
    from redline.services.screen import format_of, save_report, screen_store, write_findings

    if run.output is not None:
        format_of(run.output)  # a bad file name fails before the work, not after
    _prepare(ctx, run, classify=not no_classify)
    with open_store(ctx, run.store, read_only=True) as st, progress() as bar:
        task = bar.add_task("judge", total=None)

        def tick(_stage: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        report = screen_store(
            st, policy_files=run.policy, as_of=run.as_of, classify=False, on_progress=tick,
            engine=run.engine, save=False,
        )  # fmt: skip
    if run.save:  # the records not judged cannot match: no finding of theirs is lost
        with open_store(ctx, run.store) as st:
            save_report(st, report)
    if run.output is not None:
        write_findings(report.findings, run.output, report.reviews)
    if run.json_out:
        print_json(report.summary())
    elif str(run.output) != "-":
        err.print(findings_table(report, err.width))
        err.print(summary_table(report.summary()))


def _prepare(ctx: typer.Context, run: _Screen, *, classify: bool) -> None:
    """The screen's first write: check the store, load ``--watchlist``s, classify."""
    from redline.services.classify import classify_store
    from redline.services.lists import load_watchlist
    from redline.services.screen import load_screen_policies
    from redline.services.status import require

    with open_store(ctx, run.store) as st:
        require(st, records=True)  # before a watchlist is stored: a refused screen writes nothing
        for path in run.watchlist:
            held = load_watchlist(st.conn, path)  # one transaction; a bad line stores nothing
            err.print(held.summary(), highlight=False, markup=False, soft_wrap=True)
        if run.policy:  # the user's own files are named before the store's state is
            load_screen_policies(st, run.policy)
        require(st, lists=True)
        if classify:  # the whole store: its classifications are a product of their own
            classify_store(st)


def _screen_tables(
    ctx: typer.Context,
    run: _Screen,
    tables: str | None,
    out_dir: str | None,
    *,
    no_classify: bool,
) -> None:
    """`screen --tables DIR --out DIR`: match on the engine, judge the records met here."""
    from redline.services.screen import format_of, write_findings
    from redline.services.screen_tables import check_tables, screen_tables

    problems = []
    if no_classify:
        problems.append(Problem("--no-classify", "", "not with --tables (the records read from "
                                "the tables are classified as they are judged)"))  # fmt: skip
    if tables is None or out_dir is None:
        problems.append(Problem("redline screen", "", "--tables and --out go together"))
    if problems:
        raise InputError(problems)
    assert tables is not None and out_dir is not None  # narrowed by the check above
    if run.output is not None:
        format_of(run.output)  # a bad file name fails before the work, not after
    source, target = as_location(tables), as_location(out_dir)
    check_tables(source)  # before the store opens or Spark starts
    with open_store(ctx, run.store, read_only=True) as st, progress() as bar:
        tasks: dict[str, TaskID] = {}  # added at the judge's first tick: a bad table shows none

        def tick(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        report = screen_tables(
            st, source, target, as_of=run.as_of, policy_files=run.policy,
            watchlists=run.watchlist, engine=run.engine, on_progress=tick,
        )  # fmt: skip
    if run.output is not None:
        write_findings(report.screen.findings, run.output)
    if run.json_out:
        print_json(report.summary())
    elif str(run.output) != "-":
        _print_tables(report)


def _print_tables(report: TablesReport) -> None:
    """The findings, the listed entities met most and the summary of a ``--tables`` screen."""
    err.print(findings_table(report.screen, err.width))
    table = Table(title=f"Listed entities met, as of {report.as_of.isoformat()} (top)", box=None)
    for column in ("listed entity", "matches", "awards", "processes", "names", "amount"):
        table.add_column(column)
    for row in report.top_listed:
        amount = "—" if row["amount"] is None else f"{row['amount']:,.0f}"
        label = f"{row['caption'] or ''} ({row['listed_id']})"
        table.add_row(escape(label), str(row["matches"]), str(row["awards"]),
                      str(row["processes"]), str(row["supplier_names"]), amount)  # fmt: skip
    err.print(table)
    err.print(summary_table(report.summary() | {"top_listed": len(report.top_listed)}))
