"""`redline match`: screen one name, or a CSV or Parquet file of names, against the watchlists."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table
from rich.tree import Tree

from redline.cli.app import app
from redline.cli.common import (
    EngineOpt,
    JsonOpt,
    SparkMasterOpt,
    StoreOpt,
    as_of_date,
    err,
    open_store,
    out,
    print_json,
    progress,
)
from redline.engine.spec import EngineSpec
from redline.errors import InputError, Problem
from redline.store.db import Store
from redline.store.location import as_location

if TYPE_CHECKING:
    from redline.services.match import Query, QueryResult


def _store(ctx: typer.Context, store: Path | None, watchlist: Path | None) -> Store:
    if watchlist is None:
        from redline.services.status import require

        opened = open_store(ctx, store, read_only=True)
        try:
            require(opened, lists=True)  # no list: "no match" would read as an all-clear
        except BaseException:
            opened.close()
            raise
        return opened
    from redline.services.lists import load_watchlist  # only needed with --watchlist

    scratch = Store(":memory:")
    try:
        held = load_watchlist(scratch.conn, watchlist)
    except BaseException:
        scratch.close()
        raise
    err.print(held.summary(), highlight=False, markup=False, soft_wrap=True)
    return scratch


def _render(result: QueryResult) -> None:
    if not result.matches and not result.not_in_force:
        out.print(f"No match for {result.name!r}.")
        _affiliates(result)
        return
    table = Table(title=f"Matches for {result.name!r}")
    for col in ("listed entity", "score", "matched", "route", "lists"):
        table.add_column(col)
    for match in result.matches + result.not_in_force:
        ownership = match.explanation["ownership"]
        lists = ", ".join(
            x["list_name"] + ("" if x["in_force"] else " (not in force)") for x in match.listings
        )
        same = match.matched_id == match.entity_id
        table.add_row(
            escape(named(match.entity_caption, match.entity_id)),
            f"{match.score:.3f}",
            "(the same)" if same else escape(named(match.matched_caption, match.matched_id)),
            escape(ownership["wording"]),
            escape(lists),
        )
    out.print(table)
    for match in result.matches:
        out.print(_tree(named(match.entity_caption, match.entity_id), match.explanation))
    _affiliates(result)


def _affiliates(result: QueryResult) -> None:
    # below the threshold: shown for review, never counted as a hit
    for match in result.possible_affiliates:
        name = match.explanation["name"] or {}
        stem = (name.get("tokens") or [{}])[0].get("query", "")
        out.print(
            f"possible affiliate (name stem “{stem}”, {match.score:.2f}, below the threshold): "
            f"{named(match.entity_caption, match.entity_id)}",
            highlight=False,
            markup=False,
        )


def named(caption: str, entity_id: str) -> str:
    """``Caption (id)``: the name a reader knows, the id a machine does; the id alone when
    the store has no name for it."""
    return f"{caption} ({entity_id})" if caption and caption != entity_id else entity_id


def _tree(label: str, explanation: dict[str, Any]) -> Tree:
    tree = Tree(f"[bold]{escape(label)}[/] — why")
    name = explanation.get("name")
    if name:
        node = tree.add(
            f"name: {name['query_form']['kind']} “{name['query_form']['text']}” meets "
            f"{name['list_form']['kind']} “{name['list_form']['text']}” ({name['feature']})"
        )
        if name["consortium_member"]:
            node.add(f"consortium member: {name['query_name']}")
        for tok in name["tokens"]:
            node.add(f"{tok['query']} ≈ {tok['list']}  sim {tok['similarity']} × w {tok['weight']}")
        for penalty in name["penalties"]:
            node.add(f"penalty: {penalty}")
    for ident in explanation["identifiers"]:
        tree.add(f"identifier {ident['scheme']} {ident['value']} agrees")
    for edge in explanation["ownership"]["edges"]:
        pct = "percentage not stated" if edge["percentage"] is None else f"{edge['percentage']:g}%"
        source = escape(f"[{edge['source']}]")
        child = escape(named(edge.get("child_caption", ""), edge["child"]))
        parent = escape(named(edge.get("parent_caption", ""), edge["parent"]))
        tree.add(f"{child} → {parent}: {edge['relation']}, {pct} {source}")
    return tree


# the command's parameters, named here so its signature reads in one screen
NameArg = Annotated[str | None, typer.Argument(help="Organisation name to screen.")]
CountryOpt = Annotated[str | None, typer.Option("--country", help="ISO country code.")]
IdentifierOpt = Annotated[
    str | None, typer.Option("--identifier", help="RFC, USCC or LEI of the organisation.")
]
AsOfOpt = Annotated[
    str | None, typer.Option("--as-of", help="Date listings must be in force (YYYY-MM-DD).")
]
WatchlistOpt = Annotated[
    Path | None, typer.Option("--watchlist", help="Match against this FtM JSONL file only.")
]
ThresholdOpt = Annotated[
    float | None, typer.Option("--threshold", min=0.0, max=1.0, help="Score needed, 0..1.")
]
InputOpt = Annotated[
    str | None,
    typer.Option(
        "--input",
        help="Queries id,name[,country,identifier]: a CSV, or Parquet (a .parquet file or "
        "folder, read by the engine; with --engine spark also a URI: s3a://, hdfs://).",
    ),
]
OutputOpt = Annotated[
    str | None,
    typer.Option(
        "--output",
        help="Results, one per input row, in the format the name ends in: .csv (the best "
        "match named), .json, .jsonl, or .parquet (written by the engine; a folder of parts "
        "on Spark).",
    ),
]
MaxDepthOpt = Annotated[int, typer.Option("--max-depth", min=0, help="Ownership hops.")]


@dataclass(frozen=True)
class _Run:
    """What every query of one ``redline match`` is screened with (results named: every id
    with its entity's caption)."""

    threshold: float | None
    as_of: date | None
    max_depth: int
    engine: EngineSpec

    def match(
        self,
        store: Store,
        queries: list[Query],
        on_progress: Callable[[int], None] | None = None,
    ) -> list[QueryResult]:
        from redline.services.match import match_names, with_captions

        return with_captions(
            store,
            match_names(
                store,
                queries,
                threshold=self.threshold,
                as_of=self.as_of,
                max_depth=self.max_depth,
                on_progress=on_progress,
                engine=self.engine,
            ),
        )


@app.command("match")
def match(
    ctx: typer.Context,
    name: NameArg = None,
    country: CountryOpt = None,
    identifier: IdentifierOpt = None,
    as_of: AsOfOpt = None,
    watchlist: WatchlistOpt = None,
    threshold: ThresholdOpt = None,
    input_csv: InputOpt = None,
    output: OutputOpt = None,
    max_depth: MaxDepthOpt = 3,
    engine: EngineOpt = "duckdb",
    spark_master: SparkMasterOpt = None,
    store: StoreOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Screen a name (or a CSV or Parquet file of names) against the lists, with each reason."""
    # imported when a match runs: every `redline` command imports this module
    from redline.services.match import Query, read_queries, results_format

    run = _Run(threshold, as_of_date(as_of), max_depth, EngineSpec(engine, spark_master))
    if (name is None) == (input_csv is None):
        raise InputError([Problem("redline match", "", "give either NAME or --input FILE")])
    if input_csv is not None and output is None:
        raise InputError([Problem("redline match", "", "--input needs --output")])
    if output is not None:
        results_format(as_location(output))  # a name without a format fails before the work
    queries = (
        read_queries(as_location(input_csv), engine=run.engine)
        if input_csv is not None
        else [Query("1", name or "", country, identifier)]
    )
    with _store(ctx, store, watchlist) as opened:
        if output is not None:
            _write(opened, queries, run, output)
            return
        result = run.match(opened, queries)[0]
        near = _near_misses(opened, queries, run, result)
    if json_out:
        print_json(result.to_dict() | {"near_misses": [m.to_dict() for m in near]})
    else:
        _render(result)
        for m in near:
            listed = (m.explanation.get("name") or {}).get("list_name", "")
            label = named(m.entity_caption or listed, m.entity_id)
            out.print(f"closest below the threshold (not a match): {label} {m.score:.2f}",
                      highlight=False, markup=False)  # fmt: skip


#: how far below the threshold a name still shows as a near miss when nothing matched
NEAR_FLOOR = 0.6


def _near_misses(store: Store, queries: list[Query], run: _Run, result: QueryResult) -> list[Any]:
    """The entities a name nearly met when it met none: "Zhengzhou Yutong" scores 0.80 on a
    list's "Zhengzhou Yutong Bus Co., Ltd.", under the 0.85 threshold; "No match" alone would
    read as an all-clear. Shown for review, never counted as a match."""
    if result.matches or result.not_in_force:
        return []
    from redline.services.match import default_threshold

    floor = replace(run, threshold=NEAR_FLOOR)
    needed = run.threshold if run.threshold is not None else default_threshold()
    if needed <= NEAR_FLOOR:
        return []
    return [m for m in floor.match(store, queries)[0].matches if m.score < needed][:3]


def _write(store: Store, queries: list[Query], run: _Run, output: str) -> None:
    """``--output``: every query's result into a file, with a progress bar."""
    from redline.services.match import write_results

    with progress() as bar:
        task = bar.add_task("matching", total=len(queries))
        results = run.match(store, queries, on_progress=lambda n: bar.advance(task, n))
    written = write_results(as_location(output), results, engine=run.engine)
    hits = sum(1 for r in results if r.matches)
    err.print(f"{written} rows written to {output}; {hits} with a match")
