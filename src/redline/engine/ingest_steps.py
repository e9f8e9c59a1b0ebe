"""OCDS ingest on Spark: input files in, one Parquet folder per store table out.

Reach for :func:`spark_ingest` (callers go through
:func:`redline.services.ingest_parquet.ingest_to_parquet`) to build the OCDS tables of many
inputs on a cluster. It is a batch build: the outputs describe exactly the given inputs, each run
overwrites them (re-running is idempotent); history across runs lives in the DuckDB store. The
per-release work is the DuckDB ingest's own code (:mod:`redline.engine.ingest_udfs`):

1. lines: ``spark.read.text`` of the JSON Lines files (plain or .gz, split on ``\\n`` as Python
   reads them). A line's number is its place in its file block (``monotonically_increasing_id``
   is consecutive inside a block) plus the lines of the file's earlier blocks. Items of single
   JSON documents come from the driver (:func:`~redline.ingest.ocds_forms.read_items`).
2. releases (UDF): lines → release rows, or reject rows (file, position, message).
3. compile (UDF): the releases partitioned by ocid, sorted in input order → per (ocid,
   release_id) the last content (an identical copy keeps the earliest of the final run, as the
   DuckDB ingest leaves an unchanged release where it was), then every output table in one pass
   as Arrow IPC blobs, checkpointed, then split and written per table.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlparse

import pyarrow as pa

from redline.engine.ingest_udfs import (
    BLOBS,
    INPUT,
    OUTPUTS,
    REJECTS,
    STAGE1,
    compile_blobs,
    release_rows,
    split_blobs,
)
from redline.errors import InputError, Problem
from redline.ingest.ocds_chunk import Context
from redline.ingest.ocds_forms import OCDS_SUFFIXES, Item


@dataclass(frozen=True)
class InputFile:
    """One input: ``source`` as provenance names it, ``uri`` as Spark reads it; ``items`` holds
    the releases of a single JSON document read on the driver (None: JSON Lines)."""

    source: str
    uri: str
    items: list[Item | Problem] | None = None


@dataclass
class SparkIngestResult:
    """Rows written per table and what was left out (``problems`` only with skip_invalid)."""

    counts: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    bad_values: dict[str, int] = field(default_factory=dict)
    merge_warnings: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # wall time per stage


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


def _lines(spark: Any, files: list[InputFile]) -> Any:
    """The INPUT rows of the JSON Lines files, each line with its 1-based number."""
    from pyspark.sql import functions as F

    jsonl = [(i, qualify(spark, f.uri)) for i, f in enumerate(files) if f.items is None]
    if not jsonl:
        return None
    text = (
        spark.read.option("lineSep", "\n")
        .text([uri for _, uri in jsonl])
        .select(
            F.col("value").alias("text"),
            F.col("_metadata.file_path").alias("fp"),
            F.col("_metadata.file_block_start").alias("bs"),
            F.monotonically_increasing_id().alias("mid"),
        )
    )
    # a few rows per file (one per block): line numbers continue across a file's blocks
    blocks = text.groupBy("fp", "bs").agg(F.count("*").alias("n"), F.min("mid").alias("first"))
    index = {uri: i for i, uri in jsonl}
    bases: list[tuple[str, int, int, int]] = []
    done: Counter[str] = Counter()
    for fp, bs, n, first in sorted(blocks.collect(), key=lambda r: (r["fp"], r["bs"])):
        # Spark names files by URI (a space is %20), Hadoop's Path by its plain text
        given = index.get(unquote(fp))
        if given is None:
            raise InputError([Problem(fp, "", "Spark read a file it was not given")])
        bases.append((fp, bs, given, done[fp] + 1 - first))
        done[fp] += n
    base = spark.createDataFrame(bases, "fp STRING, bs BIGINT, file INT, base BIGINT")
    return text.join(F.broadcast(base), ["fp", "bs"]).select(
        F.col("file"),
        (F.col("mid") + F.col("base")).alias("pos"),
        F.lit("line").alias("kind"),
        F.lit(None).cast("string").alias("pointer"),
        F.lit(None).cast("string").alias("publisher"),
        F.col("text"),
    )


def _driver_items(spark: Any, files: list[InputFile]) -> Any:
    """The INPUT rows of single JSON documents, read on the driver."""
    import orjson

    cols: dict[str, list[Any]] = {name: [] for name in INPUT.names}
    for i, f in enumerate(files):
        for pos, entry in enumerate(f.items or (), 1):
            item = isinstance(entry, Item)
            for name, value in (
                ("file", i), ("pos", pos), ("kind", "item" if item else "problem"),
                ("pointer", entry.pointer if isinstance(entry, Item) else entry.position),
                ("publisher", entry.publisher if isinstance(entry, Item) else None),
                ("text", orjson.dumps(entry.data).decode() if isinstance(entry, Item)
                 else entry.message),
            ):  # fmt: skip
                cols[name].append(value)
    if not cols["file"]:
        return None
    return spark.createDataFrame(pa.Table.from_pydict(cols, schema=INPUT).to_pandas(),
                                 _struct(INPUT))  # fmt: skip


def _sort_key(problem: Problem, order: dict[str, int]) -> tuple[int, int, str]:
    where = problem.position.removeprefix("line:").split("/", 1)[0]
    return (order.get(problem.source, -1), int(where) if where.isdigit() else 0, problem.position)


_UNREADABLE = re.compile(r"FAILED_READ_FILE\S*\] Encountered error while reading file (\S+?)\.?\s")


def spark_ingest(
    spark: Any, files: list[InputFile], out: str, *, ctx: Context, skip_invalid: bool
) -> SparkIngestResult:
    """Build ``OUT/<table>/`` (see :func:`_build`); a file Spark cannot read (a truncated .gz)
    is an :class:`InputError` naming it, not a Java stack trace."""
    try:
        return _build(spark, files, out, ctx=ctx, skip_invalid=skip_invalid)
    except InputError:
        raise
    except Exception as exc:  # PySpark wraps the executor's error in one of several classes
        found = _UNREADABLE.search(str(exc))
        if found is None:
            raise
        causes = [line.split("Caused by:", 1)[1].strip() for line in str(exc).splitlines()
                  if "Caused by:" in line]  # fmt: skip
        message = f"unreadable (truncated or corrupt?): {causes[0] if causes else 'see the log'}"
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
    spark: Any, files: list[InputFile], out: str, *, ctx: Context, skip_invalid: bool
) -> SparkIngestResult:
    """Build ``OUT/<table>/`` (Parquet) for every OCDS table, and ``OUT/_rejects``.

    Raises :class:`InputError` listing every problem (file, position, message) when an input
    has a bad line and not ``skip_invalid``; nothing is written then, so a build never silently
    replaces an earlier one with fewer files. With ``skip_invalid`` the valid items are kept.
    """
    from pyspark.sql import functions as F

    seconds: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        seconds[stage] = round(time.perf_counter() - clock, 2)
        clock = time.perf_counter()

    parts = [df for df in (_lines(spark, files), _driver_items(spark, files)) if df is not None]
    if not parts:
        raise InputError([Problem(out, "", "no input files")])
    frame = parts[0] if len(parts) == 1 else parts[0].unionByName(parts[1])
    sources = [f.source for f in files]
    stage1 = frame.mapInArrow(release_rows(sources, ctx), _struct(STAGE1))
    lap("lines")  # (the block sizes: a first read of every JSON Lines file)
    stage1 = stage1.localCheckpoint(eager=True)  # read three times: rejects, releases, count
    lap("releases")

    rejects = stage1.where(F.col("reject_message").isNotNull()).select(
        F.col("source_file").alias("source"), F.col("reject_position").alias("position"),
        F.col("reject_message").alias("message"), F.col("reject_item").alias("item"),
    ).select(*REJECTS.names)  # fmt: skip
    order = {s: i for i, s in enumerate(sources)}
    problems = sorted(
        (Problem(r["source"], r["position"], r["message"]) for r in rejects.collect()),
        key=lambda p: _sort_key(p, order),
    )
    if problems and not skip_invalid:
        raise InputError(problems)

    # one shuffle: the compile UDF sees each ocid's releases together, in input order, and
    # keeps the last content of each release id (ingest_udfs.latest)
    # (a cluster's share: every core busy a few times over, whatever shuffle.partitions says)
    shares = max(8, 3 * spark.sparkContext.defaultParallelism, stage1.rdd.getNumPartitions())
    releases = (
        stage1.where(F.col("reject_message").isNull())
        .repartition(shares, "ocid")
        .sortWithinPartitions("ocid", "file", "pos", "sub")
        .select(*OUTPUTS["ocds_releases"].names)
    )
    blobs = releases.mapInArrow(compile_blobs(ctx), _struct(BLOBS))
    blobs = blobs.localCheckpoint(eager=True)  # the compile runs once for every table
    lap("compile")

    result = SparkIngestResult(problems=problems, seconds=seconds)
    summary = blobs.groupBy("table").agg(F.sum("rows").alias("rows")).collect()
    counts = {r["table"]: int(r["rows"]) for r in summary}
    side = blobs.where(F.col("table").startswith("_")).collect()
    compile_problems: list[Problem] = []
    bad: Counter[str] = Counter()
    for row in side:
        data = pa.ipc.open_stream(row["ipc"]).read_all().to_pylist()
        if row["table"] == "_problems":
            compile_problems.extend(Problem(d["source"], d["position"], d["message"]) for d in data)
        elif row["table"] == "_warnings":
            result.merge_warnings.extend(d["message"] for d in data)
        else:
            bad.update({d["key"]: d["count"] for d in data})
    if compile_problems:  # e.g. no merge rules: every executor task reports the same one
        raise InputError(list(dict.fromkeys(compile_problems)))
    result.bad_values = dict(bad)
    for table, schema in OUTPUTS.items():
        rows = blobs.where(F.col("table") == table).mapInArrow(split_blobs(), _struct(schema))
        rows.write.mode("overwrite").parquet(f"{out}/{table}")
        result.counts[table] = counts.get(table, 0)
    rejects.write.mode("overwrite").parquet(f"{out}/_rejects")
    result.counts["_rejects"] = len(problems)
    lap("write")
    return result
