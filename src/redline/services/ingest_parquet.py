"""Ingest use case as a batch build: OCDS inputs → one Parquet folder per table, on an engine.

Reach for :func:`ingest_to_parquet` when the tables should be built from many inputs at once
(``redline ingest ocds --engine spark --out DIR``, or a benchmark), and :func:`import_parquet`
to load such a build into a store so ``redline screen`` judges from it. Example::

    report = ingest_to_parquet(EngineSpec("spark"), ["s3a://bucket/ocds/"], "s3a://bucket/tables")
    report.counts["awards"]  # rows written to s3a://bucket/tables/awards/

``OUT/<table>/`` holds the columns the store's table gets (timestamps as the published ISO
text, cast on import as the DuckDB ingest casts them), ``OUT/_rejects/`` the items left out by
``skip_invalid``, ``OUT/_manifest.json`` the inputs, counts, run id and time. On ``duckdb`` the
build goes through a scratch store (:func:`~redline.services.ingest.ingest_ocds`) and its tables
are exported, with timestamps already typed.
"""

from __future__ import annotations

import shutil
import tempfile
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import orjson

from redline.engine.spec import EngineSpec
from redline.errors import InputError, Problem
from redline.ingest.ocds.chunk import Context
from redline.ingest.ocds.compile import require_schema
from redline.ingest.ocds.parquet import (
    ParquetIngestReport,
    export_tables,
    missing_tables,
    read_manifest,
    replace_build,
    write_manifest,
)
from redline.ingest.ocds.read import FORMATS
from redline.services.ingest import ingest_ocds
from redline.settings import get_settings
from redline.store.db import Store
from redline.store.location import is_remote

# the report is defined beside the build's folder layout; callers take it from here
__all__ = ["ParquetIngestReport", "import_parquet", "ingest_to_parquet"]


def ingest_to_parquet(
    engine: EngineSpec,
    paths: Sequence[str | Path],
    out: str | Path,
    *,
    fmt: str | None = None,
    skip_invalid: bool = False,
    data_dir: Path | None = None,
) -> ParquetIngestReport:
    """Build ``OUT/<table>/`` from OCDS ``paths`` on ``engine`` (DuckDB, or Spark at its master).

    A bad item (invalid JSON, not OCDS, no ocid ...) raises :class:`InputError` naming every
    problem, and nothing is written, unless ``skip_invalid`` keeps the valid items. On Spark,
    the executors read every input, from any path Spark reads: plain JSON Lines split across
    them, any other file (``.gz``, packages, records) whole (see
    :class:`~redline.ingest.ocds.spark.InputFile`).
    """
    if fmt is not None and fmt not in FORMATS:
        raise InputError([Problem("--format", "", f"unknown format {fmt!r}; use {FORMATS}")])
    started = time.perf_counter()
    root = data_dir or get_settings().data
    require_schema(root)  # before Spark starts, not once per task
    if engine.name == "spark":
        report = _spark_build(paths, str(out), fmt, skip_invalid, engine.master, root)
    else:
        report = _duckdb_build(paths, out, fmt, skip_invalid, root)
    report.seconds = round(time.perf_counter() - started, 3)
    write_manifest(report, [str(p) for p in paths])
    return report


def _spark_build(
    paths: Sequence[str | Path],
    out: str,
    fmt: str | None,
    skip_invalid: bool,
    master: str | None,
    root: Path,
) -> ParquetIngestReport:
    from redline.engine.spark_engine import session
    from redline.ingest.ocds.spark import input_files, qualify, spark_ingest

    spark = session(master)
    files = input_files(spark, paths, fmt)
    ctx = Context("", str(uuid.uuid4()), datetime.now(UTC).isoformat(), root)
    target = out if is_remote(out) else qualify(spark, str(Path(out).resolve()))
    report = spark_ingest(spark, files, target, ctx=ctx, skip_invalid=skip_invalid, fmt=fmt)
    report.out = out
    return report


def _duckdb_build(
    paths: Sequence[str | Path], out: str | Path, fmt: str | None, skip_invalid: bool, root: Path
) -> ParquetIngestReport:
    _require_local(out, [out, *paths], "--engine duckdb reads and writes local paths")
    scratch = Path(tempfile.mkdtemp(prefix="redline-build-"))
    try:
        with Store(scratch / "build.duckdb") as store:
            done = ingest_ocds(
                store, [Path(p) for p in paths], fmt=fmt, skip_invalid=skip_invalid,
                reject_report=scratch / "rejects.jsonl", data_dir=root,
            )  # fmt: skip
            if done.rejected and not skip_invalid:
                raise InputError(done.rejected)
            report = ParquetIngestReport(
                done.run_id, "duckdb", str(out), done.files, rejected=done.rejected,
                bad_values=done.bad_values, merge_warnings=done.merge_warnings,
            )  # fmt: skip
            report.counts = export_tables(store.conn, Path(out))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return report


def _require_local(where: str | Path, locations: Sequence[str | Path], message: str) -> None:
    """An :class:`InputError` at ``where`` when any of ``locations`` is a URI."""
    if any(is_remote(p) for p in locations):
        raise InputError([Problem(str(where), "", message)])


def import_parquet(store: Store, out: str | Path) -> dict[str, int]:
    """Load a build's tables into ``store`` in one transaction; rows added per table.

    Each ocid of the build replaces what the store held for it (its releases, compiled record
    and extracted rows), so importing the same build twice changes nothing. Local paths only.
    """
    _require_local(out, [out], "--store imports a local --out only; copy the Parquet folders "
                   "here first (e.g. aws s3 sync)")  # fmt: skip
    root = Path(out)
    missing = missing_tables(root)
    if missing:
        raise InputError([Problem(str(folder), "", "no such Parquet folder") for folder in missing])
    manifest = read_manifest(root)
    started = datetime.now(UTC)
    with store.transaction() as conn:
        added = replace_build(conn, root)
        # the rows' run_id names the build; its run record says where they came from
        conn.execute(
            "INSERT OR REPLACE INTO ingest_runs VALUES (?, 'ocds-parquet', ?, ?, 'ok', ?, ?)",
            [manifest.get("run_id") or str(uuid.uuid4()), started, datetime.now(UTC),
             [str(out), *manifest.get("inputs", [])],
             orjson.dumps({
                 "files": manifest.get("files"), "releases_stored": added["ocds_releases"],
                 "rejected": manifest.get("rejected"), "imported": added, "build": manifest,
             }).decode()],
        )  # fmt: skip
    return added
