"""Write the releases of one OCDS file into the store, inside the caller's transaction.

Reach for :func:`load_file` (the ingest service calls it once per file, each inside
``store.transaction()``). It streams the file in batches: each batch is checked against
the store by content hash, its new releases are bulk-inserted (pyarrow → DuckDB), and
ocids seen for the first time compile by the single-release shortcut and are extracted at once.
Ocids that need a real merge (a second release in this file, or releases already stored)
are deferred and compiled with ocdsmerge at the end of the file, when all their releases are in.
A superseded compiled release is copied to ``ocds_compiled_history`` before it is replaced.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import orjson
import pyarrow as pa

from redline.errors import Problem
from redline.ingest.ocds_compile import Compiler
from redline.ingest.ocds_extract import TABLES, TIMESTAMP_COLUMNS, Provenance, Rows
from redline.ingest.ocds_forms import Item, read_items
from redline.ingest.ocds_validate import check_release

BATCH = 2000  # releases per bulk insert: large enough to amortise DuckDB calls, small in memory
DEFER_CHUNK = 2000  # ocids merged per round trip at the end of a file
_CANON = orjson.OPT_SORT_KEYS

_RELEASE_COLS = [
    ("ocid", pa.string()), ("release_id", pa.string()), ("date", pa.string()),
    ("tags", pa.list_(pa.string())), ("content_hash", pa.string()), ("publisher", pa.string()),
    ("source_file", pa.string()), ("pointer", pa.string()), ("run_id", pa.string()),
    ("ingested_at", pa.string()), ("data", pa.string()),
]  # fmt: skip
_COMPILED_COLS = [
    ("ocid", pa.string()), ("release_count", pa.int32()), ("last_date", pa.string()),
    ("publisher", pa.string()), ("source_file", pa.string()), ("pointer", pa.string()),
    ("release_id", pa.string()), ("run_id", pa.string()), ("ingested_at", pa.string()),
    ("data", pa.string()),
]  # fmt: skip
_TS_COLS = TIMESTAMP_COLUMNS | {"last_date"}


@dataclass
class FileResult:
    """What one file contributed; ``problems`` non-empty means items were rejected."""

    source: str
    releases_stored: int = 0
    releases_unchanged: int = 0
    compiled: int = 0
    problems: list[Problem] = field(default_factory=list)
    rejected_items: list[tuple[Problem, dict[str, Any] | None]] = field(default_factory=list)
    rows: Rows = field(default_factory=Rows)

    @property
    def releases_read(self) -> int:
        return self.releases_stored + self.releases_unchanged


@dataclass
class _Pending:
    """A checked release waiting for its batch."""

    item: Item
    ocid: str
    release_id: str
    canon: bytes
    digest: str
    source_file: str

    @property
    def pointer(self) -> str:
        return self.item.pointer

    @property
    def publisher(self) -> str | None:
        return self.item.publisher

    @property
    def date(self) -> str | None:
        value = self.item.data.get("date")
        return value if isinstance(value, str) else None


def file_sha256(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def insert_arrow(conn: duckdb.DuckDBPyConnection, table: str, data: pa.Table) -> None:
    """Bulk insert ``data`` into ``table``; timestamp columns arrive as ISO text."""
    if data.num_rows == 0:
        return
    cols = data.column_names
    select = ", ".join(
        f'TRY_CAST("{c}" AS TIMESTAMPTZ)' if c in _TS_COLS else f'"{c}"' for c in cols
    )
    # DuckDB scans the local variable `arrow_batch` by name (a replacement scan); register()
    # would pin every batch in memory until the file's transaction commits
    arrow_batch = data  # noqa: F841 - read by DuckDB through the SQL below
    conn.execute(f'INSERT INTO "{table}" ({", ".join(cols)}) SELECT {select} FROM arrow_batch')


class FileLoader:
    """Loads one file; ``skip_invalid`` keeps the valid items of a file with bad ones."""

    def __init__(
        self,
        conn: duckdb.DuckDBPyConnection,
        compiler: Compiler,
        *,
        run_id: str,
        now: str,
        skip_invalid: bool,
    ) -> None:
        self.conn, self.compiler = conn, compiler
        self.run_id, self.now, self.skip_invalid = run_id, now, skip_invalid

    def load(
        self,
        path: Path,
        *,
        fmt: str | None = None,
        on_bytes: Callable[[int], None] | None = None,
        items: Iterable[Item | Problem] | None = None,
    ) -> FileResult:
        """Load ``path``; when it has problems and not ``skip_invalid``, store nothing of it.

        ``items`` replaces reading ``path`` as OCDS: other sources (CSV trackers) hand in their
        rows as releases and get the same checks, storage and provenance.
        The caller owns the transaction and rolls it back when ``problems`` is non-empty and
        ``skip_invalid`` is off (work done for earlier batches is then discarded).
        """
        res = FileResult(str(path))
        self._source = str(path)
        self._shortcut: set[str] = set()  # ocids compiled by the shortcut in this file
        self._deferred: set[str] = set()
        self._stored_before: set[str] = set()  # ocids compiled before this file began
        batch: list[_Pending] = []
        source = read_items(path, fmt=fmt, on_bytes=on_bytes) if items is None else iter(items)
        for entry in self._checked(source, res):
            if res.problems and not self.skip_invalid:
                continue  # keep reading to report every problem, but store nothing
            batch.append(entry)
            if len(batch) >= BATCH:
                self._flush(batch, res)
                batch = []
        if not res.problems or self.skip_invalid:
            self._flush(batch, res)
            self._merge_deferred(res)
        return res

    def _checked(self, entries: Iterator[Item | Problem], res: FileResult) -> Iterator[_Pending]:
        source = res.source
        for entry in entries:
            if isinstance(entry, Problem):
                res.problems.append(entry)
                res.rejected_items.append((entry, None))
                continue
            problems = check_release(entry.data, source, entry.pointer)
            if problems:
                res.problems.extend(problems)
                res.rejected_items.append((problems[0], entry.data))
                continue
            data = entry.data
            canon = orjson.dumps(data, option=_CANON)
            yield _Pending(
                entry,
                data["ocid"],
                str(data["id"]),
                canon,
                hashlib.sha256(canon).hexdigest(),
                source,
            )

    # -- one batch ----------------------------------------------------------------------------
    def _flush(self, batch: list[_Pending], res: FileResult) -> None:
        if not batch:
            return
        latest = {(p.ocid, p.release_id): p for p in batch}  # a repeated release: last wins
        known = self._known(list(latest.values()))
        counts: dict[str, int] = {}
        for p in latest.values():
            counts[p.ocid] = counts.get(p.ocid, 0) + 1
        store: list[_Pending] = []
        replace: list[tuple[str, str]] = []
        for p in latest.values():
            old_hash, ocid_known = known.get((p.ocid, p.release_id), (None, False))
            if old_hash == p.digest:
                res.releases_unchanged += 1
                continue
            if old_hash is not None:
                replace.append((p.ocid, p.release_id))
            store.append(p)
            if ocid_known and p.ocid not in self._shortcut:
                # (the transaction sees this file's own shortcut compiles: not "before")
                self._stored_before.add(p.ocid)
            if ocid_known or counts[p.ocid] > 1 or p.ocid in self._shortcut:
                self._deferred.add(p.ocid)
        if replace:
            replace_keys = pa.table(  # noqa: F841 - scanned by name (see insert_arrow)
                {"ocid": [k[0] for k in replace], "release_id": [k[1] for k in replace]}
            )
            self.conn.execute(
                "DELETE FROM ocds_releases r USING replace_keys k "
                "WHERE r.ocid = k.ocid AND r.release_id = k.release_id"
            )
        insert_arrow(self.conn, "ocds_releases", self._release_table(store))
        res.releases_stored += len(store)
        single = [p for p in store if p.ocid not in self._deferred]
        self._write_compiled(
            [(self.compiler.compile([p.item.data]), p, 1) for p in single], res, replace=[]
        )
        self._shortcut.update(p.ocid for p in single)

    def _known(self, batch: list[_Pending]) -> dict[tuple[str, str], tuple[str | None, bool]]:
        """(ocid, release_id) → (stored content hash or None, ocid already compiled)."""
        batch_keys = pa.table(  # noqa: F841 - scanned by name (see insert_arrow)
            {"ocid": [p.ocid for p in batch], "release_id": [p.release_id for p in batch]}
        )
        rows = self.conn.execute(
            "SELECT k.ocid, k.release_id, r.content_hash, c.ocid IS NOT NULL FROM batch_keys k "
            "LEFT JOIN ocds_releases r ON r.ocid = k.ocid AND r.release_id = k.release_id "
            "LEFT JOIN ocds_compiled c ON c.ocid = k.ocid "
            "WHERE r.ocid IS NOT NULL OR c.ocid IS NOT NULL"
        ).fetchall()
        return {(r[0], r[1]): (r[2], bool(r[3])) for r in rows}

    def _release_table(self, store: list[_Pending]) -> pa.Table:
        cols: dict[str, list[Any]] = {name: [] for name, _ in _RELEASE_COLS}
        for p in store:
            data = p.item.data
            tag = data.get("tag")
            cols["ocid"].append(p.ocid)
            cols["release_id"].append(p.release_id)
            cols["date"].append(p.date)
            cols["tags"].append(
                [t for t in tag if isinstance(t, str)] if isinstance(tag, list) else None
            )
            cols["content_hash"].append(p.digest)
            cols["publisher"].append(p.item.publisher)
            cols["source_file"].append(p.source_file)
            cols["pointer"].append(p.item.pointer)
            cols["run_id"].append(self.run_id)
            cols["ingested_at"].append(self.now)
            cols["data"].append(p.canon.decode())
        return pa.Table.from_pydict(cols, schema=pa.schema(_RELEASE_COLS))

    # -- compiled records and extracted rows ----------------------------------------------
    def _write_compiled(
        self,
        compiled: Sequence[tuple[dict[str, Any], _Pending | _Stored, int]],
        res: FileResult,
        *,
        replace: list[str],
    ) -> None:
        """Insert compiled releases and their rows, first deleting the rows of ``replace``."""
        if not compiled:
            return
        rows = Rows()
        cols: dict[str, list[Any]] = {name: [] for name, _ in _COMPILED_COLS}
        for data, newest, count in compiled:
            prov = Provenance(
                newest.source_file, newest.pointer, newest.release_id, newest.publisher,
                self.run_id, self.now,
            )  # fmt: skip
            rows.add(data, prov)
            for name, value in (
                ("ocid", data["ocid"]), ("release_count", count),
                ("last_date", newest.date), ("publisher", newest.publisher),
                ("source_file", newest.source_file), ("pointer", newest.pointer),
                ("release_id", str(data.get("id"))), ("run_id", self.run_id),
                ("ingested_at", self.now), ("data", orjson.dumps(data, option=_CANON).decode()),
            ):  # fmt: skip
                cols[name].append(value)
        res.rows.bad_values.update(rows.bad_values)
        if replace:
            replaced = pa.table({"ocid": replace})  # noqa: F841 - scanned by name
            for table in ("ocds_compiled", *TABLES):
                self.conn.execute(
                    f'DELETE FROM "{table}" WHERE ocid IN (SELECT ocid FROM replaced)'
                )
        insert_arrow(
            self.conn, "ocds_compiled", pa.Table.from_pydict(cols, schema=pa.schema(_COMPILED_COLS))
        )
        for table in TABLES:
            insert_arrow(self.conn, table, rows.arrow(table))
        res.compiled += len(compiled)

    def _merge_deferred(self, res: FileResult) -> None:
        """Merge every ocid that has several releases, now that all of this file is in."""
        pending = sorted(self._deferred)
        for start in range(0, len(pending), DEFER_CHUNK):
            chunk = pending[start : start + DEFER_CHUNK]
            # only ocids with rows already written need history and deletes: skipping the
            # others saves a scan of every extracted table per chunk
            before = [o for o in chunk if o in self._stored_before]
            written = [o for o in chunk if o in self._stored_before or o in self._shortcut]
            if before:
                # history: compiled versions committed before this file are kept
                before_ocids = pa.table({"ocid": before})  # noqa: F841 - scanned by name
                self.conn.execute(
                    "INSERT INTO ocds_compiled_history SELECT ocid, release_id, release_count, "
                    "CAST(? AS TIMESTAMPTZ), ?, data FROM ocds_compiled "
                    "WHERE ocid IN (SELECT ocid FROM before_ocids)",
                    [self.now, self.run_id],
                )
            chunk_ocids = pa.table({"ocid": chunk})  # noqa: F841 - scanned by name
            fetched = self.conn.execute(
                "SELECT ocid, release_id, CAST(date AS VARCHAR), publisher, source_file, "
                "pointer, data FROM ocds_releases WHERE ocid IN (SELECT ocid FROM chunk_ocids) "
                "ORDER BY ocid, date NULLS FIRST, ingested_at"
            ).fetchall()
            groups: dict[str, list[_Stored]] = {}
            for row in fetched:
                groups.setdefault(row[0], []).append(_Stored(*row))
            compiled = [
                (
                    self.compiler.compile([orjson.loads(s.data) for s in group]),
                    group[-1],
                    len(group),
                )
                for group in groups.values()
            ]
            self._write_compiled(compiled, res, replace=written)


@dataclass
class _Stored:
    """A release as read back from ``ocds_releases`` (the newest one gives provenance)."""

    ocid: str
    release_id: str
    date: str | None  # as DuckDB prints a TIMESTAMPTZ (Python would need pytz to fetch it)
    publisher: str | None
    source_file: str
    pointer: str
    data: str
