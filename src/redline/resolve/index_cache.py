"""The list index kept on disk beside its store, so a cold ``redline match`` need not rebuild it.

Reach for :func:`load` and :func:`save` only from :meth:`redline.resolve.block.WatchIndex.of`:
building the index of the shipped lists (every name's forms, keys and stems) takes about 5 s,
reading it back about 0.1 s. The files are ``<store>.index/<digest>.json`` (the forms,
countries and stems) and ``<digest>.arrow`` (the blocking keys, Arrow IPC), named by the
digest of the rows the index is read from (:func:`redline.resolve.block.fingerprint`): any
change of the lists changes the digest, so a stale file is never read, and a save removes the
files of other digests. Plain data only (JSON and Arrow, no pickle): a file is read, never run.
A cache that cannot be written (read-only folder) or read (damaged file) is skipped: the index
is built as before.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import duckdb
import orjson
import pyarrow as pa
import pyarrow.ipc as ipc

#: bump when the stored shape, or what the index holds, changes
FORMAT = 1


def folder(conn: duckdb.DuckDBPyConnection) -> Path | None:
    """``<store file>.index`` of the store on ``conn``; None for an in-memory store."""
    row = conn.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    if row is None or not row[0]:
        return None
    return Path(str(row[0]) + ".index")


def _stem(digest: str) -> str:
    return f"v{FORMAT}-" + re.sub(r"[^0-9a-f]+", "-", digest.lower())


def load(where: Path, digest: str) -> tuple[dict[str, Any], pa.Table] | None:
    """The stored parts of the index of ``digest``: (plain data, keys table), or None."""
    data_path, keys_path = where / f"{_stem(digest)}.json", where / f"{_stem(digest)}.arrow"
    try:
        data = orjson.loads(data_path.read_bytes())
        with pa.memory_map(str(keys_path)) as source:
            keys = ipc.open_file(source).read_all()
    except (OSError, ValueError, pa.ArrowException):
        return None
    if not isinstance(data, dict) or data.get("digest") != digest:
        return None
    return data, keys


def save(where: Path, digest: str, data: dict[str, Any], keys: pa.Table) -> None:
    """Store the index of ``digest`` (keys first, then the data that marks it complete)."""
    stem = _stem(digest)
    try:
        where.mkdir(exist_ok=True)
        tmp = where / f".{stem}.{os.getpid()}.tmp"
        with pa.OSFile(str(tmp), "wb") as sink, ipc.new_file(sink, keys.schema) as writer:
            writer.write_table(keys)
        os.replace(tmp, where / f"{stem}.arrow")
        tmp.write_bytes(orjson.dumps({**data, "digest": digest}))
        os.replace(tmp, where / f"{stem}.json")
        for old in where.iterdir():  # other list contents: never read again
            if not old.name.startswith((stem, ".")):
                old.unlink(missing_ok=True)
    except OSError:
        return  # a folder we may not write: the next run builds the index again
