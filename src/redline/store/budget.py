"""A memory budget for one large write: DuckDB bounded while a file goes into the store.

Reach for :func:`write_budget` around a file's transaction (its commit included) when the file
can be large, so the process's peak does not grow with the file. Two things grew with it
(measured on a SYNTHETIC 80,000-row ComprasMX year, docs/benchmarks.md ``## national``):

- DuckDB's buffer pool keeps every block the open transaction writes while its memory limit
  allows (``auto`` is a quarter of the machine's memory, at least 1 GiB): 615 MB of
  ``IN_MEMORY_TABLE`` at 80,000 rows. Committing in chunks did not help: committed blocks stay
  cached up to the same limit. Under a small limit DuckDB moves them to a temporary file beside
  the store instead, and the file stays one transaction (all or nothing).
- The checkpoint at commit compresses each table's row group whole (a row group is 122,880
  rows, more than a year's releases), and the dictionary compression's analysis of the JSON
  columns held about 200 MB above the limit at 80,000 rows. Without it (FSST still compresses
  the text) the commit stays within the budget; the rows written take ~15 % more disk.

The previous limit is restored afterwards (the configured ``REDLINE_MEMORY_LIMIT``), and a
smaller configured limit is kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

from redline.settings import get_settings

#: DuckDB's memory limit while one large file is written (spilled blocks go to a temporary file)
WRITE_MEMORY = "128MiB"
#: compression methods left out of the checkpoints of that write (see the module docstring)
NO_COMPRESSION = "dictionary,dict_fsst"
_UNITS = {"": 1, "b": 1, "bytes": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12}
_UNITS |= {"kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40}
_SIZE = re.compile(r"^\s*([0-9.]+)\s*([a-z]*)\s*$", re.IGNORECASE)


def size_bytes(text: str) -> int | None:
    """``"192MiB"``, ``"5.7 GiB"``, ``"4GB"`` as bytes; None for anything else."""
    found = _SIZE.match(text)
    unit = found and _UNITS.get(found.group(2).lower())
    return int(float(found.group(1)) * unit) if found and unit else None


@contextmanager
def write_budget(conn: duckdb.DuckDBPyConnection, limit: str = WRITE_MEMORY) -> Iterator[None]:
    """Inside the block, ``conn``'s DuckDB uses at most ``limit`` (or the configured limit when
    smaller) and its checkpoints skip dictionary compression; both restored on the way out."""
    row = conn.execute(
        "SELECT current_setting('memory_limit'), current_setting('disabled_compression_methods')"
    ).fetchone()
    current, disabled = (str(row[0]), str(row[1])) if row else ("", "")
    now, wanted = size_bytes(current), size_bytes(limit)
    lower = wanted is not None and (now is None or wanted < now)
    if lower:
        conn.execute("SET memory_limit = ?", [limit])
    conn.execute("SET disabled_compression_methods = ?", [NO_COMPRESSION])
    try:
        yield
    finally:
        conn.execute("SET disabled_compression_methods = ?", [disabled])
        if lower:
            configured = get_settings().memory_limit
            if configured:
                conn.execute("SET memory_limit = ?", [configured])
            else:
                conn.execute("RESET memory_limit")
