"""The cluster engine: PySpark, local or remote; tables are Spark temp views.

Reach for it through ``EngineSpec("spark", master=...).open()``. The master is the argument, else
``SPARK_MASTER``, else the one ``spark-submit --master`` gave, else ``local[*]``. PySpark is an
optional extra imported only here, with an actionable message when missing. One SparkSession
serves the whole process (starting one costs 8-14 s and about 1 GB), with fresh warehouse and
checkpoint folders; only a local session is bound to 127.0.0.1 (a cluster's executors must
reach the driver). Batch functions run as vectorised ``mapInArrow`` UDFs on the executors,
which import redline from the same Python (``PYSPARK_PYTHON`` is set to this interpreter
unless already set).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import pyarrow as pa

from redline.engine.base import BatchFn, Engine
from redline.engine.dialect import to_spark
from redline.errors import RedlineError
from redline.settings import get_settings
from redline.store.location import Location

_SESSION: Any = None
_SPARK_TYPES = {
    pa.string(): "STRING", pa.large_string(): "STRING", pa.int64(): "BIGINT",
    pa.int32(): "INT", pa.float64(): "DOUBLE", pa.float32(): "FLOAT", pa.bool_(): "BOOLEAN",
    pa.date32(): "DATE",
}  # fmt: skip


class SparkMissing(RedlineError):
    """PySpark (or Java) is not installed."""


def _ddl(schema: pa.Schema) -> str:
    return ", ".join(f"`{f.name}` {_SPARK_TYPES[f.type]}" for f in schema)


def session(master: str | None = None) -> Any:
    """The process's SparkSession, started on first use."""
    global _SESSION
    if _SESSION is not None:
        return _SESSION
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise SparkMissing(
            "the Spark engine needs PySpark and Java 17: pip install 'redline[spark]' "
            "(and apt-get install openjdk-17-jre-headless), or use --engine duckdb"
        ) from exc
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    scratch = Path(tempfile.mkdtemp(prefix="redline-spark-"))
    url = master or get_settings().spark_master
    builder = SparkSession.builder.appName("redline")
    if url is None and "PYSPARK_GATEWAY_PORT" in os.environ:
        url = ""  # started by spark-submit: its --master (already in the JVM's conf) stands
    elif url is None:
        url = "local[*]"
    if url:
        builder = builder.master(url)
    if url.startswith("local"):
        # a local session listens on loopback only; a cluster's executors must reach the
        # driver, so there Spark's own choice (or spark.driver.host from the job) stands
        builder = builder.config("spark.driver.bindAddress", "127.0.0.1").config(
            "spark.driver.host", "127.0.0.1"
        )
    builder = (
        builder.config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.warehouse.dir", str(scratch / "warehouse"))
        .config("spark.local.dir", str(scratch / "local"))
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
    )
    _SESSION = builder.getOrCreate()
    _SESSION.sparkContext.setLogLevel("ERROR")
    _SESSION.sparkContext.setCheckpointDir(str(scratch / "checkpoints"))
    return _SESSION


class SparkEngine(Engine):
    """Steps on Spark; inputs and outputs are Parquet on any path Spark reads (local, HDFS, S3)."""

    name = "spark"

    def __init__(self, master: str | None = None) -> None:
        self.spark = session(master)

    def register(self, name: str, data: pa.Table | Location) -> None:
        if not isinstance(data, pa.Table):
            frame = self.spark.read.parquet(str(data))
        else:
            frame = self.spark.createDataFrame(data)
        frame.createOrReplaceTempView(name)

    def create(self, name: str, sql: str) -> None:
        self.spark.sql(to_spark(sql)).createOrReplaceTempView(name)

    def map_batches(self, name: str, source: str, fn: BatchFn, schema: pa.Schema) -> None:
        frame = self.spark.table(source).mapInArrow(fn, _ddl(schema))
        # checkpoint: later steps read the result more than once; the Python UDF runs once
        frame.localCheckpoint(eager=True).createOrReplaceTempView(name)

    def to_arrow(self, sql: str) -> pa.Table:
        table: pa.Table = self.spark.sql(to_spark(sql)).toArrow()
        return table

    def write_parquet(self, name: str, path: Location) -> None:
        self.spark.table(name).write.mode("overwrite").parquet(str(path))
