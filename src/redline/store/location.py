"""Where an engine reads or writes Parquet: a local path, or a URI only Spark opens.

Reach for :data:`Location` in signatures that take an engine's input or output, and for
:func:`child` to name a table under one. A URI with a scheme (``s3a://bucket/tables``,
``hdfs://nn/tables``, ``file:///data``) is kept as text — ``Path`` would fold its ``//`` —
and is never opened by this process: the Spark engine hands it to the cluster, the DuckDB
engine refuses it with one line (it reads local files only; no extension is downloaded).
"""

from __future__ import annotations

from pathlib import Path

#: a local path (``Path`` or text) or a URI with a scheme
Location = str | Path


def is_remote(location: Location) -> bool:
    """Whether ``location`` is a URI (``s3a://``, ``hdfs://`` ...) rather than a local path."""
    return "://" in str(location)


def as_location(text: str) -> Location:
    """A command-line value as a location: URIs stay text, anything else becomes a ``Path``."""
    return text if is_remote(text) else Path(text)


def child(location: Location, name: str) -> Location:
    """``location``/``name``, keeping a URI a URI."""
    if is_remote(location):
        return f"{str(location).rstrip('/')}/{name}"
    return Path(location) / name


def suffix(location: Location) -> str:
    """The lower-case suffix of the last part (``.parquet``), for a path or a URI."""
    return Path(str(location).rstrip("/").rsplit("/", 1)[-1]).suffix.lower()
