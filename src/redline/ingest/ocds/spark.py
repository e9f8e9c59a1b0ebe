"""OCDS ingest on Spark: input files in, one Parquet folder per store table out.

Reach for :func:`spark_ingest` (callers go through
:func:`redline.services.ingest_parquet.ingest_to_parquet`) to build the OCDS tables of many
inputs on a cluster. It is a batch build: the outputs describe exactly the given inputs, each run
overwrites them (re-running is idempotent); history across runs lives in the DuckDB store. The
per-release work is the DuckDB ingest's own code (:mod:`redline.ingest.ocds.spark_udfs`), and every
input is read once, on the executors:

1. releases (UDFs): a plain JSON Lines file is read by ``spark.read.text`` in blocks across
   the executors (split on ``\\n`` as Python reads it); the UDF numbers each block's lines and
   counts them. Any other file (``.gz``, which does not split, and single JSON documents:
   packages, records) goes whole to one executor, which reads it as the DuckDB ingest does, so
   a truncated ``.gz`` names its first unreadable line. Out come release rows, reject rows
   (file, position, message) and a count row per block, kept (checkpointed) while the driver
   gathers the counts and rejects; the counts number the rejects' lines in their files.
2. compile (UDF): the releases partitioned by ocid, sorted in input order (pointers numbered
   in their files by the same counts) → per (ocid, release_id) the last content (an identical
   copy keeps the earliest of the final run, as the DuckDB ingest leaves an unchanged release
   where it was), then every output table in one pass as Arrow IPC blobs, checkpointed, then
   split and written per table.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pyarrow as pa

from redline.errors import InputError, Problem
from redline.ingest.ocds.chunk import Context
from redline.ingest.ocds.parquet import ParquetIngestReport
from redline.ingest.ocds.read import OCDS_SUFFIXES, is_gzip, is_jsonl, ocds_files
from redline.ingest.ocds.spark_udfs import (
    BLOBS,
    COMPILE_IN,
    FILES,
    LINES,
    OUTPUTS,
    REJECTS,
    STAGE1,
    block_bases,
    compile_blobs,
    file_rows,
    line_rows,
    numbered,
    split_blobs,
)
from redline.store.arrow_io import read_ipc
from redline.store.location import is_remote

_PEEK_BYTES = 1 << 20  # of a local file's first line, on the driver


@dataclass(frozen=True)
class InputFile:
    """One input: ``source`` as provenance names it, ``uri`` as Spark names it (:func:`qualify`).

    ``split``: plain JSON Lines, read by Spark's text reader in blocks across executors. Else
    the whole file goes to one executor: read from ``local`` (a path the executors see, as a
    local session's do) or, for a remote file, from the bytes Spark's ``binaryFile`` hands over
    (at most 2 GB a file).
    """

    source: str
    uri: str
    split: bool
    local: str | None = None


def _struct(schema: pa.Schema) -> Any:
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(schema)


def _hadoop_path(spark: Any, uri: str) -> tuple[Any, Any]:
    jvm = spark.sparkContext._jvm  # Hadoop's FileSystem reads every scheme Spark reads
    path = jvm.org.apache.hadoop.fs.Path(uri)
    return path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()), path


def qualify(spark: Any, uri: str) -> str:
    """``uri`` as Spark names the files it reads (``file:/abs/path``, ``s3a://b/key``)."""
    fs, path = _hadoop_path(spark, uri)
    return str(fs.makeQualified(path).toString())


def list_remote(spark: Any, uri: str) -> list[str]:
    """A remote file, or the OCDS-looking files below a remote folder, in sorted order."""
    fs, path = _hadoop_path(spark, uri)
    if not fs.exists(path):
        raise InputError([Problem(uri, "", "no such file or folder")])
    if not fs.getFileStatus(path).isDirectory():
        return [qualify(spark, uri)]
    found: list[str] = []
    files = fs.listFiles(path, True)
    while files.hasNext():
        name = str(files.next().getPath().toString())
        if name.endswith(OCDS_SUFFIXES):  # as a local folder
            found.append(name)
    return sorted(found)


def input_files(spark: Any, paths: Sequence[str | Path], fmt: str | None) -> list[InputFile]:
    """The inputs of ``paths`` (files, local or remote folders), in the order given: a later
    file's release replaces an earlier one's. A file named twice is read once (the DuckDB
    ingest skips the repeat as unchanged); every missing local path is named at once."""
    ocds_files([Path(p) for p in paths if not is_remote(p)])
    files: list[InputFile] = []
    for given in paths:
        if is_remote(given):
            files.extend(
                InputFile(uri, uri, _splits(uri, fmt)) for uri in list_remote(spark, str(given))
            )
            continue
        for path in ocds_files([Path(given)]):
            local = str(path.resolve())
            files.append(
                InputFile(str(path), qualify(spark, local), _splits_local(path, fmt), local)
            )
    unique: dict[str, InputFile] = {}
    for f in files:
        unique.setdefault(f.uri, f)
    return list(unique.values())


def _splits_local(path: Path, fmt: str | None) -> bool:
    """Whether Spark's text reader may split ``path``: plain JSON Lines (the first line says
    so, as for the DuckDB ingest, read up to 1 MB). A ``.gz`` does not split and its executor
    reads it itself, so a truncated one names its first unreadable line."""
    return not is_gzip(path) and is_jsonl(path, fmt, max_line=_PEEK_BYTES)


def _splits(uri: str, fmt: str | None) -> bool:
    """A remote file is split when its name says JSON Lines (peeking at it would be another
    read); a ``.json`` goes whole to an executor, which reads any form."""
    if uri.endswith(".gz"):
        return False
    return fmt == "jsonl" or (fmt != "json" and uri.endswith((".jsonl", ".ndjson")))


def _inputs(spark: Any, files: list[InputFile], fmt: str | None, ctx: Context) -> Any:
    """STAGE1 rows of every input (see the module docstring, step 1)."""
    from pyspark.sql import functions as F

    sources = [f.source for f in files]
    index = {f.uri: i for i, f in enumerate(files)}
    parts = []
    split = [f.uri for f in files if f.split]
    if split:
        lines = (
            spark.read.option("lineSep", "\n")
            .text(split)
            .select(
                F.col("_metadata.file_path").alias("fp"),
                F.col("_metadata.file_block_start").alias("block"),
                F.col("value").alias("text"),
            )
        )
        parts.append(
            lines.select(*LINES.names).mapInArrow(line_rows(index, sources, ctx), _struct(STAGE1))
        )
    local = [(i, f.local, None) for i, f in enumerate(files) if not f.split and f.local]
    if local:  # a file a task: only the paths leave the driver
        paths = spark.sparkContext.parallelize(local, min(len(local), _shares(spark)))
        parts.append(
            spark.createDataFrame(paths, _struct(FILES)).mapInArrow(
                file_rows(index, sources, fmt, ctx), _struct(STAGE1)
            )
        )
    remote = [f.uri for f in files if not f.split and not f.local]
    if remote:
        handed = (
            spark.read.format("binaryFile")
            .load(remote)
            .select(F.lit(None).cast("int").alias("file"), "path", "content")
        )
        parts.append(handed.mapInArrow(file_rows(index, sources, fmt, ctx), _struct(STAGE1)))
    frame = parts[0]
    for part in parts[1:]:
        frame = frame.unionByName(part)
    return frame


def _shares(spark: Any) -> int:
    """Tasks for a cluster's share: every core busy a few times over."""
    return max(8, 3 * int(spark.sparkContext.defaultParallelism))


def _sort_key(problem: Problem, order: dict[str, int]) -> tuple[int, int, str]:
    where = problem.position.removeprefix("line:").split("/", 1)[0]
    return (order.get(problem.source, -1), int(where) if where.isdigit() else 0, problem.position)


#: the STAGE1 columns the driver gathers: block counts and rejects
_SIDE = ["file", "block", "pos", "block_lines", "source_file", "reject_position",
         "reject_message", "reject_item"]  # fmt: skip
_UNREADABLE = re.compile(r"FAILED_READ_FILE\S*\] Encountered error while reading file (\S+?)\.?\s")


def spark_ingest(
    spark: Any,
    files: list[InputFile],
    out: str,
    *,
    ctx: Context,
    skip_invalid: bool,
    fmt: str | None = None,
) -> ParquetIngestReport:
    """Build ``OUT/<table>/`` (see :func:`_build`); a file Spark itself cannot read (a remote
    file over binaryFile's 2 GB) is an :class:`InputError` naming it, not a Java stack trace."""
    try:
        return _build(spark, files, out, ctx=ctx, skip_invalid=skip_invalid, fmt=fmt)
    except InputError:
        raise
    except Exception as exc:  # PySpark wraps the executor's error in one of several classes
        found = _UNREADABLE.search(str(exc))
        if found is None:
            raise
        causes = [line.split("Caused by:", 1)[1].strip() for line in str(exc).splitlines()
                  if "Caused by:" in line]  # fmt: skip
        message = f"unreadable: {causes[0] if causes else 'see the log'}"
        raise InputError([Problem(_source(files, found.group(1)), "", message)]) from exc


def _source(files: list[InputFile], uri: str) -> str:
    """The input as given for a URI Spark names (``file:///a%20b`` for ``/a b``)."""
    where = urlparse(unquote(uri))
    for f in files:
        mine = urlparse(f.uri)
        if (mine.netloc, mine.path) == (where.netloc, where.path):
            return f.source
    return uri


def _build(
    spark: Any,
    files: list[InputFile],
    out: str,
    *,
    ctx: Context,
    skip_invalid: bool,
    fmt: str | None,
) -> ParquetIngestReport:
    """Build ``OUT/<table>/`` (Parquet) for every OCDS table, and ``OUT/_rejects``.

    Raises :class:`InputError` listing every problem (file, position, message) when an input
    has a bad line and not ``skip_invalid``; nothing is written then, so a build never silently
    replaces an earlier one with fewer files. With ``skip_invalid`` the valid items are kept.
    """
    if not files:
        raise InputError([Problem(out, "", "no input files")])
    seconds: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        seconds[stage] = round(time.perf_counter() - clock, 2)
        clock = time.perf_counter()

    # the one read of every input, kept (a lazy checkpoint: the job that gathers the block
    # counts and rejects, a few rows, stores it as it goes; the shuffle reads the stored rows)
    stage1 = _inputs(spark, files, fmt, ctx).localCheckpoint(eager=False)
    bases, rejects = _gather(stage1, files)
    lap("releases")
    problems = [p for p, _ in rejects]
    if problems and not skip_invalid:
        raise InputError(problems)
    blobs = _compile(spark, stage1, ctx, bases)
    lap("compile")
    result = ParquetIngestReport(ctx.run_id, "spark", out, len(files), rejected=problems,
                                 stage_seconds=seconds)  # fmt: skip
    counts = _row_counts(blobs)
    _side_tables(blobs, result)
    _write(spark, blobs, out, rejects, counts, result)
    lap("write")
    return result


def _gather(
    stage1: Any, files: list[InputFile]
) -> tuple[dict[tuple[int, int], int], list[tuple[Problem, Any]]]:
    """The block bases (:func:`block_bases`) and the rejects (problem, item) of ``stage1``,
    the rejects in input order with their lines numbered in their files."""
    from pyspark.sql import functions as F

    side = stage1.where(F.col("block_lines").isNotNull() | F.col("reject_message").isNotNull())
    gathered = side.select(*_SIDE).collect()
    bases = block_bases(
        (r["file"], r["block"], r["block_lines"]) for r in gathered if r["block_lines"] is not None
    )
    rejects = [
        (Problem(r["source_file"], numbered(r["reject_position"], r["file"], r["block"], r["pos"],
                                            bases) or "", r["reject_message"]), r["reject_item"])
        for r in gathered if r["reject_message"] is not None
    ]  # fmt: skip
    order = {f.source: i for i, f in enumerate(files)}
    rejects.sort(key=lambda r: _sort_key(r[0], order))
    return bases, rejects


def _compile(spark: Any, stage1: Any, ctx: Context, bases: dict[tuple[int, int], int]) -> Any:
    """Every output table as Arrow IPC blobs (step 2 of the module docstring), kept."""
    from pyspark.sql import functions as F

    # one shuffle: the compile UDF sees each ocid's releases together, in input order, and
    # keeps the last content of each release id (ingest_udfs.latest)
    shares = max(_shares(spark), stage1.rdd.getNumPartitions())
    releases = (
        stage1.where(F.col("reject_message").isNull() & F.col("block_lines").isNull())
        .repartition(shares, "ocid")
        .sortWithinPartitions("ocid", "file", "block", "pos", "sub")
        .select(*COMPILE_IN)
    )
    blobs = releases.mapInArrow(compile_blobs(ctx, bases), _struct(BLOBS))
    return blobs.localCheckpoint(eager=True)  # the compile runs once for every table


def _row_counts(blobs: Any) -> dict[str, int]:
    """Rows per table of ``blobs``."""
    from pyspark.sql import functions as F

    summary = blobs.groupBy("table").agg(F.sum("rows").alias("rows")).collect()
    return {r["table"]: int(r["rows"]) for r in summary}


def _side_tables(blobs: Any, result: ParquetIngestReport) -> None:
    """The compile's problems (raised), merge warnings and bad-value counts into ``result``."""
    from pyspark.sql import functions as F

    extras = blobs.where(F.col("table").startswith("_")).collect()
    compile_problems: list[Problem] = []
    bad: Counter[str] = Counter()
    for row in extras:
        data = read_ipc(bytes(row["ipc"])).to_pylist()
        if row["table"] == "_problems":
            compile_problems.extend(Problem(d["source"], d["position"], d["message"]) for d in data)
        elif row["table"] == "_warnings":
            result.merge_warnings.extend(d["message"] for d in data)
        else:
            bad.update({d["key"]: d["count"] for d in data})
    if compile_problems:  # e.g. no merge rules: every executor task reports the same one
        raise InputError(list(dict.fromkeys(compile_problems)))
    result.bad_values = dict(bad)


def _write(
    spark: Any,
    blobs: Any,
    out: str,
    rejects: list[tuple[Problem, Any]],
    counts: dict[str, int],
    result: ParquetIngestReport,
) -> None:
    """``OUT/<table>/`` of every output table and ``OUT/_rejects``, counted in ``result``."""
    from pyspark.sql import functions as F

    for table, schema in OUTPUTS.items():
        rows = blobs.where(F.col("table") == table).mapInArrow(split_blobs(), _struct(schema))
        rows.write.mode("overwrite").parquet(f"{out}/{table}")
        result.counts[table] = counts.get(table, 0)
    kept = [(p.source, p.position, p.message, item) for p, item in rejects]  # (as gathered)
    spark.createDataFrame(kept, _struct(REJECTS)).write.mode("overwrite").parquet(f"{out}/_rejects")
    result.counts["_rejects"] = len(rejects)
