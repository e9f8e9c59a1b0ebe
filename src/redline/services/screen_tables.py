"""Use case: screen the award suppliers of an ingest's Parquet tables on an engine.

Reach for :func:`screen_tables` when the awards are too many for the store: ``redline ingest
ocds --engine spark --out DIR`` writes one Parquet folder per table (``DIR/award_suppliers/``,
``DIR/awards/``, … with the columns of ``redline.ingest.ocds_extract.SCHEMAS``), and this
screens them against the lists in the store with :func:`redline.engine.steps.screen_suppliers`
— every step on the engine — writing ``OUT/matches.parquet`` and ``OUT/by_listed.parquet``
(folders of parts on Spark). Matches carry the matched and listed entity, score and ownership
route; the policy judge is not run here (``redline screen`` without ``--tables`` does that).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from redline.engine.base import open_engine
from redline.engine.location import Location, is_remote
from redline.engine.steps import TABLE_COLUMNS, screen_suppliers, supplier_awards
from redline.engine.store import Store
from redline.errors import InputError, Problem
from redline.report.queries import captions
from redline.services.match import check_engine, default_threshold

#: how many listed entities the summary names
TOP = 10


@dataclass
class TablesReport:
    """What one screen of Parquet tables did: counts, where the output went, the top listed."""

    as_of: date
    engine: str
    out: Location
    names: int
    matches: int
    top_listed: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> dict[str, object]:
        return {
            "as_of": self.as_of.isoformat(),
            "engine": self.engine,
            "out": str(self.out),
            "supplier_names": self.names,
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
        for name in TABLE_COLUMNS
        if not (tables / name).exists()
    ]
    if problems:
        raise InputError(problems)


def screen_tables(
    store: Store,
    tables: Location,
    out: Location,
    *,
    as_of: date | None = None,
    threshold: float | None = None,
    max_depth: int = 3,
    engine: str = "duckdb",
    spark_master: str | None = None,
) -> TablesReport:
    """Screen ``tables`` (an ingest's Parquet output) against the lists in ``store`` on
    ``engine``; write the matches and the per-listed-entity aggregate to ``out``."""
    check_engine(engine)
    check_tables(tables)
    day = as_of or date.today()
    with open_engine(engine, master=spark_master) as eng:
        source = supplier_awards(eng, tables)
        counts = screen_suppliers(
            eng,
            source,
            store.conn,
            as_of=day,
            threshold=default_threshold() if threshold is None else threshold,
            max_depth=max_depth,
            out=out,
        )
        top = eng.to_arrow(
            "SELECT listed_id, awards, processes, supplier_names, amount FROM rl_by_listed "
            f"ORDER BY awards DESC, listed_id LIMIT {TOP}"
        ).to_pylist()
    names = captions(store.conn, [row["listed_id"] for row in top])
    for row in top:
        row["caption"] = names.get(row["listed_id"])
    return TablesReport(day, engine, out, counts["names"], counts["matches"], top)
