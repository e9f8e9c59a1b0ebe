"""A batch build's Parquet folder: what it holds, how a store's tables go out and come back in.

Reach for it behind :mod:`redline.services.ingest_parquet` (the use case): :func:`export_tables`
writes a DuckDB build's tables, :func:`write_manifest` the build's record, and
:func:`replace_build` loads a build into a store. The folder ``OUT`` holds::

    OUT/<table>/*.parquet   one folder per table of :data:`OUTPUTS`
    OUT/_rejects/           the items left out by skip_invalid (a Spark build)
    OUT/_manifest.json      inputs, counts, run id and time

Example::

    report.counts = export_tables(store.conn, Path("out"))
    write_manifest(report, ["data/ocds/"])
    added = replace_build(conn, Path("out"))   # inside the store's transaction
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
import pyarrow as pa
import pyarrow.dataset as ds

from redline.errors import Problem
from redline.ingest.ocds.load import insert_arrow
from redline.ingest.ocds.spark_udfs import OUTPUTS
from redline.store.arrow_io import registered
from redline.store.location import is_remote

if TYPE_CHECKING:
    import duckdb

__all__ = ["OUTPUTS", "ParquetIngestReport", "export_tables", "replace_build", "write_manifest"]

_IMPORT_ROWS = 50_000  # rows per INSERT on import: bounded memory, few DuckDB calls


@dataclass
class ParquetIngestReport:
    """What one batch build wrote; ``rejected`` lists the items left out by skip_invalid."""

    run_id: str
    engine: str
    out: str
    files: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    rejected: list[Problem] = field(default_factory=list)
    bad_values: dict[str, int] = field(default_factory=dict)
    merge_warnings: list[str] = field(default_factory=list)
    imported: dict[str, int] = field(default_factory=dict)  # rows loaded into a store
    seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=dict)  # Spark: per stage

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["rejected"] = [str(p) for p in self.rejected]
        return data


def export_tables(conn: duckdb.DuckDBPyConnection, target: Path) -> dict[str, int]:
    """Each table of :data:`OUTPUTS` into ``target/<table>/part-0.parquet`` (replacing what
    the folder held, as Spark's ``mode("overwrite")`` does); rows written per table."""
    counts: dict[str, int] = {}
    for table, schema in OUTPUTS.items():
        folder = target / table
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.parquet"):
            old.unlink()
        cols = ", ".join(f'"{c}"' for c in schema.names)
        part = str(folder / "part-0.parquet").replace("'", "''")
        # COPY answers with the number of rows it wrote
        row = conn.execute(
            f"COPY (SELECT {cols} FROM \"{table}\") TO '{part}' (FORMAT parquet)"
        ).fetchone()
        counts[table] = int(row[0]) if row else 0
    return counts


def write_manifest(report: ParquetIngestReport, inputs: list[str]) -> None:
    """``OUT/_manifest.json`` of ``report``'s build (written by Spark when ``OUT`` is remote)."""
    manifest = {
        "run_id": report.run_id, "engine": report.engine, "inputs": inputs,
        "files": report.files, "counts": report.counts, "rejected": len(report.rejected),
        "bad_values": report.bad_values, "seconds": report.seconds,
        "written_at": datetime.now(UTC).isoformat(),
    }  # fmt: skip
    text = orjson.dumps(manifest, option=orjson.OPT_INDENT_2)
    if is_remote(report.out):
        from redline.engine.spark_engine import session

        # no local file system there: Spark writes it (a folder holding one text part)
        spark = session()
        frame = spark.createDataFrame([(text.decode(),)], "value STRING").coalesce(1)
        frame.write.mode("overwrite").text(f"{report.out}/_manifest.json")
        return
    Path(report.out).mkdir(parents=True, exist_ok=True)
    (Path(report.out) / "_manifest.json").write_bytes(text + b"\n")


def read_manifest(root: Path) -> dict[str, Any]:
    """The build's ``_manifest.json``, or ``{}`` when it has none."""
    manifest_file = root / "_manifest.json"
    return dict(orjson.loads(manifest_file.read_bytes())) if manifest_file.is_file() else {}


def missing_tables(root: Path) -> list[Path]:
    """The table folders of :data:`OUTPUTS` that ``root`` lacks."""
    return [root / t for t in OUTPUTS if not (root / t).is_dir()]


def replace_build(conn: duckdb.DuckDBPyConnection, root: Path) -> dict[str, int]:
    """Load the build at ``root`` into the store behind ``conn`` (call it inside a transaction):
    each ocid of the build replaces the store's rows for it. Rows added per table."""
    releases = ds.dataset(root / "ocds_releases", format="parquet")
    build_ocids = releases.to_table(columns=["ocid"]).group_by("ocid").aggregate([])
    with registered(conn, "rl_build_ocids", build_ocids) as view:
        for table in OUTPUTS:
            conn.execute(f'DELETE FROM "{table}" WHERE ocid IN (SELECT ocid FROM {view})')
    added: dict[str, int] = {}
    for table in OUTPUTS:
        data = ds.dataset(root / table, format="parquet")
        added[table] = 0
        for batch in data.to_batches(batch_size=_IMPORT_ROWS):
            insert_arrow(conn, table, pa.Table.from_batches([batch]))
            added[table] += batch.num_rows
    return added
