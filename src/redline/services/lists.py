"""Use case: load every designation list in the data directory into the store.

Reach for :func:`load_lists` from any front end (``redline lists load``). It reads the files
named in ``data/lists.yaml`` under ``<data>/lists/``, merges rows into entities with evidence,
and replaces the ``redline-lists`` dataset in one transaction, so a second load gives the same
rows. Every structural problem in every file is reported at once.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import orjson

from redline.errors import InputError, Problem
from redline.ingest.lists import dod_1260h, fcc, mieu, ndaa, nsfreg, register
from redline.ingest.lists import ftm_store as fs
from redline.ingest.lists.build import DATASET, build
from redline.ingest.lists.catalog import Catalog, ListFile, load_catalog
from redline.ingest.lists.records import ListRow
from redline.ingest.lists.watchlist import load_watchlist as load_watchlist  # front ends' door
from redline.ingest.lists.watchlist import scratch_watchlist as scratch_watchlist
from redline.store.db import Store

COLUMNS = ("rows read", "entities", "listings", "ownership edges", "rows merged",
           "values dropped", "date errors")  # fmt: skip


def _read(path: Path, rel: str, code: str, spec: ListFile) -> list[ListRow]:
    readers: dict[str, Callable[[Path, str, str], list[ListRow]]] = {
        "dod_1260h": dod_1260h.read,
        "ndaa": ndaa.read,
        "mieu": mieu.read,
        "fcc": fcc.read,
    }
    if spec.reader == "nsfreg":
        return nsfreg.read(path, rel, code, schema=spec.schema_)
    if spec.reader == "register":
        if spec.columns is None:
            raise InputError([Problem(rel, "", f"list {code}: a register file names its columns")])
        return register.read(path, rel, code, spec.columns)
    return readers[spec.reader](path, rel, code)


@dataclass
class ListsReport:
    """Per list: rows read, entities, listings, ownership edges, rows merged, values dropped."""

    run_id: str
    per_list: dict[str, dict[str, int]] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)
    #: rows whose dates are a data error (an end before its start), one line each
    date_errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {"run_id": self.run_id, "lists": self.per_list, "totals": self.totals,
                "date_errors": self.date_errors}  # fmt: skip


def read_all(data_dir: Path, catalog: Catalog) -> list[ListRow]:
    """Every row of every catalogued file; InputError listing all missing or malformed files."""
    rows: list[ListRow] = []
    problems: list[Problem] = []
    base = data_dir / "lists"
    for spec in catalog.lists:
        for file in spec.files:
            path = base / file.path
            if not path.is_file():
                problems.append(Problem(str(path), "", f"missing file of list {spec.code}"))
                continue
            try:
                rows.extend(_read(path, file.path, spec.code, file))
            except InputError as exc:
                problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return rows


def load_lists(store: Store, data_dir: Path, catalog: Catalog | None = None) -> ListsReport:
    """Replace the ``redline-lists`` dataset with the lists under ``data_dir/lists``."""
    catalog = catalog or load_catalog()
    started = datetime.now(UTC)
    rows = read_all(data_dir, catalog)
    built = build(rows, catalog)
    report = ListsReport(run_id=str(uuid.uuid4()), date_errors=built.date_errors)
    for spec in catalog.lists:
        counts = built.per_list.get(spec.code)
        report.per_list[spec.code] = {c: int(counts[c]) if counts else 0 for c in COLUMNS}
    report.totals = {
        "entities": len(built.rows["entities"]),
        "listings": len(built.rows["listings"]),
        "ownership edges": len(built.rows["ownership"]),
        "identifiers": len(built.rows["entity_identifiers"]),
        "enrichment aliases not placed": len(built.enrichment_unmatched),
    }
    inputs = [str(data_dir / "lists" / f.path) for s in catalog.lists for f in s.files]
    with store.transaction() as conn:
        fs.clear_dataset(conn, DATASET)
        for table in ("entities", "entity_identifiers", "listings", "ownership"):
            fs.insert_rows(conn, table, built.rows[table])
        conn.execute(
            "INSERT INTO ingest_runs VALUES (?, 'lists', ?, ?, 'ok', ?, ?)",
            [report.run_id, started, datetime.now(UTC), inputs,
             orjson.dumps(report.as_dict()).decode()],
        )  # fmt: skip
    return report
