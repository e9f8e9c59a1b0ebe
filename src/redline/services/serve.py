"""Use cases behind the API's writes: screen or ingest one posted OCDS package.

Reach for :func:`screen_package` to judge a release or package against the stored lists
without writing anything (it works in a scratch in-memory store holding a copy of the
watchlist tables), and :func:`ingest_package` to store one. The API runs screens in a worker
process, off the request path: it takes :func:`lists_snapshot` of the store and the worker
calls :func:`screen_with_lists`. :func:`release_count` is what the API's batch limit counts.
The server itself is :func:`redline.api.server.serve`.
"""

from __future__ import annotations

import json
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import orjson
import pyarrow as pa

from redline.errors import InputError, Problem
from redline.ingest.lists.ftm_store import WATCHLIST_TABLES, copy_lists
from redline.judge.persist import finding_json
from redline.services.ingest import ingest_ocds
from redline.services.screen import screen_store
from redline.store.arrow_io import insert
from redline.store.db import Store

#: the watchlist tables copied into a scratch store for POST /screen
#: a posted package of at least this many releases is judged after the engine's first pass;
#: below, every record is judged (same findings): the pass costs ~0.1 s whatever the size,
#: ~a quarter of a one-release request, and saves nothing on the demo store's 53 records
PREFILTER_FROM = 100


def as_package(doc: Any, source: str = "body") -> dict[str, Any]:
    """A release package, record package or single release → a package dict.

    Anything else is a bad structure: raises :class:`InputError` saying what was expected.
    """
    if not isinstance(doc, dict):
        raise InputError([Problem(source, "/", "expected a JSON object (OCDS release or package)")])
    if isinstance(doc.get("releases"), list) or isinstance(doc.get("records"), list):
        return doc
    if isinstance(doc.get("ocid"), str) and doc["ocid"]:
        return {"uri": "urn:redline:posted", "publishedDate": doc.get("date"), "releases": [doc]}
    raise InputError([Problem(source, "/", "not OCDS: need 'releases', 'records' or an 'ocid'")])


def release_count(doc: Any) -> int:
    """How many releases (or records) a posted body carries; a single release counts 1."""
    if not isinstance(doc, dict):
        return 0
    for key in ("releases", "records"):
        if isinstance(doc.get(key), list):
            return len(doc[key])
    return 1


def _write(package: dict[str, Any], folder: Path) -> Path:
    path = folder / "posted-package.json"
    try:
        data = orjson.dumps(package)
    except TypeError:  # an integer beyond 64 bits: the standard encoder writes it, and the
        # reader (orjson) reads it back as a float, a value like any other the checks judge
        data = json.dumps(package, ensure_ascii=False).encode("utf-8", "surrogatepass")
    path.write_bytes(data)
    return path


def _ingest(store: Store, package: dict[str, Any], data_dir: Path | None) -> dict[str, Any]:
    """Ingest ``package``: a body that is not OCDS is an :class:`InputError`; a bad release
    in it is reported in ``rejected``, one line each, and the others are stored — also when
    none is left (the answer then says 0 stored; the OpenAPI document allows any release
    object, so refusing the whole request would contradict it)."""
    with tempfile.TemporaryDirectory(prefix="redline-post-") as tmp:
        path = _write(as_package(package), Path(tmp))
        rejects = Path(tmp) / "rejects.jsonl"
        report = ingest_ocds(
            store, [path], data_dir=data_dir, skip_invalid=True, reject_report=rejects, workers=1
        )
    # the problems name the scratch file; the client posted a body, and sees no server path
    rejected = [Problem("body", p.position, p.message) for p in report.rejected]
    return {
        "releases_stored": report.releases_stored,
        "releases_unchanged": report.releases_unchanged,
        "rejected": [str(p) for p in rejected],
    }


def screen_package(
    store: Store, package: Any, *, data_dir: Path | None = None, as_of: date | None = None
) -> dict[str, Any]:
    """Findings for ``package`` against the lists in ``store``; ``store`` is only read.

    Returns ``{"ingest": {...}, "summary": {...}, "findings": [canonical JSON bytes, ...]}``.
    """
    with Store(":memory:") as scratch:
        copy_lists(store.conn, scratch.conn)
        return _screen_scratch(scratch, package, data_dir, as_of)


def lists_snapshot(conn: duckdb.DuckDBPyConnection) -> dict[str, pa.Table]:
    """The watchlist tables of the store on ``conn`` as Arrow tables (to hand to a worker)."""
    return {t: conn.execute(f'SELECT * FROM "{t}"').to_arrow_table() for t in WATCHLIST_TABLES}


def screen_with_lists(
    lists: dict[str, pa.Table], package: Any, *, data_dir: Path | None = None,
    as_of: date | None = None,
) -> dict[str, Any]:  # fmt: skip
    """:func:`screen_package` against ``lists`` (a :func:`lists_snapshot`), in any process."""
    with Store(":memory:") as scratch:
        for table, rows in lists.items():
            insert(scratch.conn, table, rows)
        return _screen_scratch(scratch, package, data_dir, as_of)


def _screen_scratch(
    scratch: Store, package: Any, data_dir: Path | None, as_of: date | None
) -> dict[str, Any]:
    ingested = _ingest(scratch, package, data_dir)
    big = ingested["releases_stored"] + ingested["releases_unchanged"] >= PREFILTER_FROM
    # the lists' index is built once per list content and kept (WatchIndex.of): requests
    # share it until a list ingest or watchlist changes the entities
    report = screen_store(scratch, as_of=as_of, save=False, prefilter=big)
    return {
        "ingest": ingested,
        "summary": report.summary(),
        "findings": [finding_json(f) for f in report.findings],
    }


def ingest_package(
    store: Store, package: Any, *, data_dir: Path | None = None, screen: bool = False
) -> dict[str, Any]:
    """Store ``package`` (``POST /ingest``); with ``screen`` re-screen and save findings."""
    result = _ingest(store, package, data_dir)
    if screen:
        result["screen"] = screen_store(store).summary()
    return result


__all__ = [
    "as_package",
    "ingest_package",
    "lists_snapshot",
    "release_count",
    "screen_package",
    "screen_with_lists",
]
