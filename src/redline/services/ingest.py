"""Ingest use case: OCDS files and folders into the store, one transaction per file.

Reach for :func:`ingest_ocds` from any front end (CLI, API, benchmark). Each file is loaded
in its own transaction: a bad file (invalid JSON, not OCDS, a release without ``ocid``, an
amount that is a string ...) is rejected whole and reported, the good files of the same call
are kept, and the report lists every problem. With ``skip_invalid`` the valid items of a bad
file are stored and the rejected ones are written with their errors to a JSON Lines report.
A file already ingested byte for byte (same sha256) is skipped. A kill in the middle of a file
leaves the store as it was before that file; running the same command again completes it.
"""

from __future__ import annotations

import gc
import hashlib
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from redline.errors import InputError, Problem
from redline.ingest.ocds.compile import Compiler
from redline.ingest.ocds.extract import TABLES
from redline.ingest.ocds.load import FileLoader, file_sha256
from redline.ingest.ocds.read import FORMATS as FORMATS  # the CLI's door to it
from redline.ingest.ocds.read import Item
from redline.ingest.ocds.read import ocds_files as ocds_files  # the CLI's door to it
from redline.ingest.ocds.workers import Workers, cpu_count
from redline.ingest.tracker import TrackerMapping, tracker_items
from redline.ingest.tracker import load_mappings as load_mappings  # the CLI's door to it
from redline.settings import get_settings
from redline.store.budget import write_budget
from redline.store.db import Store, run_owner

OCDS_TABLES = ("ocds_releases", "ocds_compiled", "ocds_compiled_history", *TABLES)


@dataclass
class IngestReport:
    """What one ingest run did; ``table_deltas`` is rows added (or removed) per table."""

    run_id: str
    files: int = 0
    files_rejected: int = 0
    releases_stored: int = 0
    releases_unchanged: int = 0
    records_compiled: int = 0
    skipped_unchanged: int = 0  # whole files skipped: same sha256 ingested before
    items_rejected: int = 0
    rejected: list[Problem] = field(default_factory=list)
    table_deltas: dict[str, int] = field(default_factory=dict)
    bad_values: dict[str, int] = field(default_factory=dict)
    merge_warnings: list[str] = field(default_factory=list)
    reject_report: str | None = None
    bytes_read: int = 0
    seconds: float = 0.0

    @property
    def status(self) -> str:
        if not self.rejected:
            return "ok"
        return "failed" if self.files_rejected == self.files else "partial"

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["rejected"] = [str(p) for p in self.rejected]
        data["status"] = self.status
        return data


def default_reject_report(store: Store) -> Path:
    """``<store>.rejects.jsonl`` next to the store file."""
    return store.path.with_name(store.path.name + ".rejects.jsonl")


def _counts(store: Store) -> dict[str, int]:
    counts = store.table_counts()
    return {t: counts.get(t, 0) for t in OCDS_TABLES}


def _now() -> str:
    return datetime.now(UTC).isoformat()


def ingest_ocds(
    store: Store,
    paths: Sequence[Path],
    *,
    fmt: str | None = None,
    skip_invalid: bool = False,
    reject_report: Path | None = None,
    on_progress: Callable[[int], None] | None = None,
    data_dir: Path | None = None,
    workers: int | None = None,
) -> IngestReport:
    """Ingest OCDS ``paths`` (files or folders) into ``store``; see the module docstring.

    ``on_progress`` receives byte increments as files are read. ``workers`` is how many
    processes do the CPU work on large JSON Lines files (default ``REDLINE_WORKERS``; 1 keeps
    it in this process; the stored result is the same). Raises :class:`InputError`
    only for problems with the call itself (a missing path, an unknown ``fmt``); problems in
    the files are returned in ``IngestReport.rejected``.
    """
    if fmt is not None and fmt not in FORMATS:
        raise InputError([Problem("--format", "", f"unknown format {fmt!r}; use {FORMATS}")])
    files = ocds_files(paths)
    # Parsed OCDS is millions of small dicts and lists without reference cycles; the cyclic
    # collector would rescan them over and over (measured: orjson parsing 4-9x slower).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        job = _Job(
            paths, files, fmt=fmt, skip_invalid=skip_invalid, reject_report=reject_report,
            on_progress=on_progress, data_dir=data_dir, workers=workers,
        )  # fmt: skip
        return _ingest(store, job)
    finally:
        if was_enabled:
            gc.enable()


def ingest_tracker(
    store: Store,
    path: Path,
    mapping: TrackerMapping,
    *,
    skip_invalid: bool = False,
    reject_report: Path | None = None,
    data_dir: Path | None = None,
) -> IngestReport:
    """Ingest a CSV tracker (deals, projects, documented events) as OCDS-shaped releases.

    Same guarantees as :func:`ingest_ocds`: one transaction for the file, every bad row named
    with its line, re-ingesting the same file with the same mapping changes nothing, and an
    edited row becomes a newer release of its ocid (history kept).
    """
    if not path.is_file():
        raise InputError([Problem(str(path), "", "no such file")])
    salt = mapping.model_dump_json()  # a changed mapping must re-read an unchanged file
    rows = store.conn.execute(
        "SELECT release_id, data FROM ocds_releases WHERE starts_with(ocid, ?)",
        [mapping.ocid_prefix + "-"],
    ).fetchall()
    known = {str(rid): orjson.loads(data) for rid, data in rows}
    observed = datetime.now(UTC).isoformat().replace("+00:00", "Z")

    def items_for(p: Path) -> Iterable[Item | Problem]:
        return tracker_items(p, mapping, observed=observed, known=known)

    job = _Job(
        [path], [path], skip_invalid=skip_invalid, reject_report=reject_report,
        data_dir=data_dir, items_for=items_for, salt=salt, kind="tracker",
    )  # fmt: skip
    return _ingest(store, job)


def ingest_items(
    store: Store,
    files: list[Path],
    items_for: Callable[[Path], Iterable[Item | Problem]],
    *,
    salt: str,
    kind: str,
    skip_invalid: bool = False,
    reject_report: Path | None = None,
    data_dir: Path | None = None,
) -> IngestReport:
    """Ingest other sources' rows as OCDS: ``items_for(path)`` reads one file into items.

    Reach for it from a use case that maps a table onto releases (contract exports): each file
    gets the guarantees of :func:`ingest_ocds` (one transaction, skipped when unchanged under
    the same ``salt``, history kept). ``items_for`` reports its own progress. Each file is
    written within :func:`~redline.store.budget.write_budget`, so a national year's peak memory
    does not grow with its rows.
    """
    job = _Job(
        files, files, skip_invalid=skip_invalid, reject_report=reject_report,
        data_dir=data_dir, items_for=items_for, salt=salt, kind=kind, bounded=True,
    )  # fmt: skip
    return _ingest(store, job)


@dataclass(frozen=True)
class _Job:
    """What one call asks for: the arguments :func:`ingest_ocds` and :func:`ingest_tracker`
    share, and how the tracker makes its files' items (``items_for``, ``salt``, ``kind``)."""

    paths: Sequence[Path]  # as given: the run record names them
    files: Sequence[Path]  # the files they expand to, in order
    fmt: str | None = None
    skip_invalid: bool = False
    reject_report: Path | None = None
    on_progress: Callable[[int], None] | None = None
    data_dir: Path | None = None
    items_for: Callable[[Path], Iterable[Item | Problem]] | None = None
    salt: str = ""  # mixed into each file's sha256: a changed mapping re-reads a file
    kind: str = "ocds"
    workers: int | None = None
    bounded: bool = False  # each file within the store's write budget (its commit included)


@dataclass
class _Run:
    """One run's state while its files go in: the report and what is written at the end."""

    report: IngestReport
    compiler: Compiler
    pool: Workers
    bad_values: Counter[str] = field(default_factory=Counter)
    rejects: list[dict[str, Any]] = field(default_factory=list)


def _ingest(store: Store, job: _Job) -> IngestReport:
    run_id = str(uuid.uuid4())
    started = datetime.now(UTC)
    if job.skip_invalid:  # checked before anything is stored: rejects must not be lost after it
        target = _writable(job.reject_report or default_reject_report(store))
        job = replace(job, reject_report=target)
    compiler = Compiler(job.data_dir or get_settings().data)
    # DuckDB's own progress bar would print on stdout, where `--json` output goes
    store.conn.execute("SET enable_progress_bar = false")
    before = _counts(store)
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO ingest_runs VALUES (?, ?, ?, NULL, 'running', ?, ?)",
            # the owner lets the next open mark the run interrupted if this process is killed
            [
                run_id,
                job.kind,
                started,
                [str(p) for p in job.paths],
                orjson.dumps(run_owner()).decode(),
            ],
        )
    wanted = get_settings().workers if job.workers is None else job.workers
    run = _Run(IngestReport(run_id=run_id), compiler, Workers(wanted or cpu_count()))
    try:
        for path in job.files:
            _ingest_file(store, job, run, path)
    except Exception as exc:
        # an unexpected error (not a bad file): the run is marked failed, not left "running"
        with store.transaction() as conn:
            conn.execute(
                "UPDATE ingest_runs SET finished_at = ?, status = 'failed', stats = ? "
                "WHERE run_id = ?",
                [datetime.now(UTC), orjson.dumps({"error": str(exc)}).decode(), run_id],
            )
        raise
    finally:
        run.pool.close()
    _finish(store, job, run, before, started)
    return run.report


def _ingest_file(store: Store, job: _Job, run: _Run, path: Path) -> None:
    """One file in its own transaction, counted in ``run``; skipped when the same bytes (and
    ``salt``) were ingested before."""
    report = run.report
    report.files += 1
    size = path.stat().st_size
    digest = file_sha256(path)
    if job.salt:
        digest = hashlib.sha256(f"{digest}\x1f{job.salt}".encode()).hexdigest()
    seen = store.conn.execute("SELECT 1 FROM ocds_files WHERE sha256 = ?", [digest]).fetchone()
    if seen:
        report.skipped_unchanged += 1
        report.bytes_read += size
        if job.on_progress is not None:
            job.on_progress(size)
        return
    now = _now()
    loader = FileLoader(
        store.conn, run.compiler, run_id=report.run_id, now=now, skip_invalid=job.skip_invalid,
        workers=run.pool,
    )  # fmt: skip
    budget: AbstractContextManager[None] = nullcontext()
    if job.bounded:
        budget = write_budget(store.conn)
    try:
        with budget, store.transaction() as conn:
            items = job.items_for(path) if job.items_for is not None else None
            res = loader.load(path, fmt=job.fmt, on_bytes=job.on_progress, items=items)
            if res.problems and (not job.skip_invalid or res.releases_read == 0):
                raise _Rejected  # (with --skip-invalid: a file with no valid item)
            if not res.problems:  # a file with rejects is read again next time
                conn.execute(
                    "INSERT INTO ocds_files VALUES (?, ?, ?, ?, ?, ?, CAST(? AS TIMESTAMPTZ))",
                    [digest, str(path), size, res.releases_read, 0, report.run_id, now],
                )
    except _Rejected:
        report.files_rejected += 1
    else:
        report.releases_stored += res.releases_stored
        report.releases_unchanged += res.releases_unchanged
        report.records_compiled += res.compiled
        run.bad_values.update(res.bad_values)
    report.bytes_read += size
    report.rejected.extend(res.problems)
    report.items_rejected += len(res.rejected_items)
    if job.skip_invalid:
        run.rejects.extend(
            {"source": p.source, "position": p.position, "message": p.message, "item": item}
            for p, item in res.rejected_items
        )


def _finish(store: Store, job: _Job, run: _Run, before: dict[str, int], started: datetime) -> None:
    """The report completed (rejects written, table deltas, time) and the run record closed."""
    report = run.report
    report.bad_values = dict(run.bad_values)
    report.merge_warnings = run.compiler.warnings
    if run.rejects:
        target = job.reject_report or default_reject_report(store)
        with target.open("ab") as fh:
            for entry in run.rejects:
                fh.write(orjson.dumps(entry) + b"\n")
        report.reject_report = str(target)
    after = _counts(store)
    report.table_deltas = {t: after[t] - before[t] for t in OCDS_TABLES}
    finished = datetime.now(UTC)
    report.seconds = (finished - started).total_seconds()
    stats = {k: v for k, v in report.as_dict().items() if k not in ("rejected", "run_id")}
    stats["rejected"] = len(report.rejected)
    with store.transaction() as conn:
        conn.execute(
            "UPDATE ingest_runs SET finished_at = ?, status = ?, stats = ? WHERE run_id = ?",
            [finished, report.status, orjson.dumps(stats).decode(), report.run_id],
        )


def _writable(target: Path) -> Path:
    """``target`` when a reject report can be appended there, else an :class:`InputError`."""
    if target.is_dir():
        raise InputError([Problem(str(target), "", "reject report: is a folder, not a file")])
    if not target.parent.is_dir():
        problem = f"reject report: folder {target.parent.name!r} does not exist"
        raise InputError([Problem(str(target), "", problem)])
    return target


class _Rejected(Exception):
    """Raised inside a file's transaction to roll it back (the problems are in the result)."""
