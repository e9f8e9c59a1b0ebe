"""Use case: the whole screen — match, classify, judge — over an ingest's Parquet tables.

Reach for :func:`screen_tables` when the records are too many for one store. ``redline ingest
ocds --engine spark|duckdb --out DIR`` writes one Parquet folder per table (``DIR/processes/``,
``DIR/awards/``, … the folders of :data:`redline.ingest.ocds.spark_udfs.OUTPUTS`); this gives the
findings ``redline screen`` gives once that build is in the store (``ingest --out DIR --store``):

1. on the engine, :func:`redline.resolve.first_pass.judged_ocids` finds every record with a
   supplier or tenderer the matcher could meet — the set-based part, over every name;
2. only those records' rows are read from the tables into a scratch in-memory store, beside a
   copy of the store's lists (and any ``--watchlist``);
3. :func:`redline.services.screen.screen_store` — store mode's own code, not a copy —
   classifies them, matches them exactly (identifiers, consortium members, initials, stems,
   ownership) and applies every policy rule.

Records the store itself holds are judged with them, as store mode judges them (through the same
first pass): a tracker such as the events table, which only ``redline ingest tracker`` loads,
lives in the store. Where the build and the store hold the same ocid, the build's record stands
(as an import replaces it).

Writes to OUT: ``matches.parquet`` (one row per supplier or tenderer and listed entity met, with
the matcher's explanation), ``by_listed.parquet`` (per listed entity), ``findings.parquet`` (one
row per finding, the whole finding as JSON) and, when OUT is local, ``findings.json`` (as
``screen --output FILE.json`` writes it). On Spark the Parquet outputs are folders of parts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import orjson
import pyarrow as pa

from redline.engine.base import Engine
from redline.engine.spec import DUCKDB, EngineSpec
from redline.errors import InputError, Problem
from redline.ingest.lists.ftm_store import copy_lists
from redline.ingest.lists.watchlist import load_watchlist
from redline.ingest.ocds.load import insert_arrow
from redline.ingest.ocds.spark_udfs import OUTPUTS
from redline.judge.export import render, write_findings
from redline.resolve.engine_steps import register_tables
from redline.resolve.first_pass import SCREEN_COLUMNS, judged_ocids
from redline.services.match import default_threshold
from redline.services.read.entities import captions
from redline.services.screen import Progress, ScreenReport, screen_store
from redline.store.arrow_io import registered
from redline.store.db import Store
from redline.store.location import Location, child, is_remote

#: how many listed entities the summary names
TOP = 10
#: the record tables a build holds and the judge reads (the store's OCDS tables)
RECORD_TABLES = tuple(OUTPUTS)

MATCHES = pa.schema([
    ("ocid", pa.string()), ("award_id", pa.string()), ("party_id", pa.string()),
    ("supplier_name", pa.string()), ("member", pa.string()), ("identifier", pa.string()),
    ("award_date", pa.date32()), ("amount", pa.float64()), ("currency", pa.string()),
    ("matched_id", pa.string()), ("listed_id", pa.string()), ("score", pa.float64()),
    ("explanation", pa.string()),
])  # fmt: skip
FINDINGS = pa.schema([
    ("finding_id", pa.string()), ("severity", pa.string()), ("risk", pa.float64()),
    ("rule_id", pa.string()), ("ocid", pa.string()), ("award_id", pa.string()),
    ("supplier_name", pa.string()), ("listed_entity_id", pa.string()), ("data", pa.string()),
])  # fmt: skip


@dataclass
class TablesReport:
    """What one screen of Parquet tables did: the screen's own report, plus what the engine
    read, how many records the judge read, where the output went and the top listed."""

    engine: str
    out: Location
    names: int
    records: int
    store_records: int
    matches: int
    screen: ScreenReport
    top_listed: list[dict[str, Any]] = field(default_factory=list)

    @property
    def as_of(self) -> date:
        return self.screen.as_of

    def summary(self) -> dict[str, object]:
        # the scratch store's own first pass (over the store's records) is not this one's
        inner = {k: v for k, v in self.screen.summary().items()
                 if k not in ("names_screened", "records_judged")}  # fmt: skip
        return inner | {
            "engine": self.engine,
            "out": str(self.out),
            "supplier_names": self.names,
            "records_judged": self.records,
            "store_records_judged": self.store_records,
            "matches": self.matches,
            "top_listed": self.top_listed,
        }


def check_tables(tables: Location) -> None:
    """Raise one :class:`InputError` naming every table folder or file that is missing (a URI
    is left to the engine, which names what it cannot read)."""
    if is_remote(tables):
        return
    tables = Path(tables)
    problems = [
        Problem(str(tables / name), "", "missing: expected a Parquet folder or file of the table")
        for name in RECORD_TABLES
        if not (tables / name).exists()
    ]
    if problems:
        raise InputError(problems)


def _copy(conn: duckdb.DuckDBPyConnection, table: str, data: pa.Table) -> None:
    """Typed rows (read from a store) into ``table`` by column name."""
    with registered(conn, "rl_copy", data):
        conn.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM rl_copy')


def _store_records(engine: Engine, store: Store, scratch: Store) -> int:
    """Copy the records only the store holds (not in the build) into ``scratch``; how many."""
    held = store.conn.execute("SELECT ocid FROM ocds_compiled").to_arrow_table()
    if held.num_rows == 0:
        return 0
    engine.register("rl_store_ocids", held)
    only = engine.to_arrow(
        "SELECT ocid FROM rl_store_ocids EXCEPT SELECT ocid FROM rl_in_ocds_compiled"
    )
    with registered(store.conn, "rl_keep", only):
        for table in RECORD_TABLES:
            rows = store.conn.execute(
                f'SELECT * FROM "{table}" WHERE ocid IN (SELECT ocid FROM rl_keep)'
            ).to_arrow_table()
            _copy(scratch.conn, table, rows)
    return int(only.num_rows)


def _match_rows(report: ScreenReport) -> pa.Table:
    rows = [
        (c.ocid, c.award_id, c.party_id, c.name, hit.member, c.identifier, c.award_date,
         c.amount, c.currency, hit.matched_id, hit.entity_id, hit.score, hit.explanation.to_json())
        for c, hits in report.matched_hits
        for hit in hits
    ]  # fmt: skip
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in MATCHES.names]
    return pa.table(dict(zip(MATCHES.names, columns, strict=True)), schema=MATCHES)


def _finding_rows(report: ScreenReport) -> pa.Table:
    data = orjson.loads(render(report.findings, "json"))
    rows = [
        (f.finding_id, f.severity, f.risk.total, f.rule_id, f.ocid, f.award_id, f.supplier_name,
         f.listed_entity_id, orjson.dumps(row).decode())
        for f, row in zip(report.findings, data, strict=True)
    ]  # fmt: skip
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in FINDINGS.names]
    return pa.table(dict(zip(FINDINGS.names, columns, strict=True)), schema=FINDINGS)


def _write(engine: Engine, report: ScreenReport, out: Location) -> list[dict[str, Any]]:
    """The output files; the top listed entities by matches."""
    engine.register("rl_screen_matches", _match_rows(report))
    engine.create(
        "rl_screen_by_listed",
        "SELECT listed_id, count(*) AS matches, count(award_id) AS awards, "
        "count(DISTINCT ocid) AS processes, count(DISTINCT supplier_name) AS supplier_names, "
        "sum(amount) AS amount FROM rl_screen_matches GROUP BY listed_id",
    )
    engine.register("rl_screen_findings", _finding_rows(report))
    for name, file in (("rl_screen_matches", "matches"), ("rl_screen_by_listed", "by_listed"),
                       ("rl_screen_findings", "findings")):  # fmt: skip
        engine.write_parquet(name, child(out, f"{file}.parquet"))
    if not is_remote(out):
        write_findings(report.findings, Path(out) / "findings.json")
    top: list[dict[str, Any]] = engine.to_arrow(
        "SELECT listed_id, matches, awards, processes, supplier_names, amount "
        f"FROM rl_screen_by_listed ORDER BY matches DESC, listed_id LIMIT {TOP}"
    ).to_pylist()
    return top


def screen_tables(
    store: Store,
    tables: Location,
    out: Location,
    *,
    as_of: date | None = None,
    policy_files: Sequence[Path] = (),
    watchlists: Sequence[Path] = (),
    catalogue_path: Path | None = None,
    engine: EngineSpec = DUCKDB,
    on_progress: Progress | None = None,
) -> TablesReport:
    """Screen ``tables`` (an ingest's Parquet output) and the records ``store`` holds against
    its lists (plus ``watchlists``) on ``engine``, and write matches and findings to ``out``.

    The findings are those ``screen_store`` gives on a store holding both (see the module
    docstring); ``store`` is only read.
    """
    check_tables(tables)
    day = as_of or date.today()
    with Store(":memory:") as scratch, engine.open() as eng:
        copy_lists(store.conn, scratch.conn)
        for path in watchlists:
            load_watchlist(scratch.conn, path)
        register_tables(eng, tables, {t: SCREEN_COLUMNS.get(t, ()) for t in RECORD_TABLES})
        counts = judged_ocids(
            eng, scratch.conn, as_of=day, threshold=default_threshold(), with_stems=True
        )
        for table in RECORD_TABLES:
            rows = eng.to_arrow(
                f"SELECT * FROM rl_in_{table} WHERE ocid IN (SELECT ocid FROM rl_judged)"
            )
            insert_arrow(scratch.conn, table, rows)
        held = _store_records(eng, store, scratch)
        # the build's records passed the first pass already; the store's own, copied whole,
        # take store mode's (on DuckDB: they sit in the scratch store)
        report = screen_store(
            scratch, policy_files=policy_files, as_of=day, catalogue_path=catalogue_path,
            save=False, on_progress=on_progress, prefilter=held > 0,
        )  # fmt: skip
        top = _write(eng, report, out)
        names = captions(scratch.conn, [row["listed_id"] for row in top])
    for row in top:
        row["caption"] = names.get(row["listed_id"])
    matches = sum(len(hits) for _, hits in report.matched_hits)
    return TablesReport(
        engine.name, out, counts["names"], counts["ocids"], held, matches, report, top
    )
