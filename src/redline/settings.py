"""Every ``REDLINE_*`` environment variable, read in one place.

Reach for :func:`get_settings` instead of ``os.environ`` anywhere in the package, so that
`docs/settings.md` (checked by a test) stays the complete list.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

#: name → (default, what it does); the documentation test reads this table.
SETTINGS_DOC: dict[str, tuple[str, str]] = {
    "REDLINE_STORE": ("./redline.duckdb", "Path of the embedded DuckDB store."),
    "REDLINE_DATA": (
        "./data",
        "Data directory: a local mirror of the public sources, or where `redline data fetch` "
        "writes them.",
    ),
    "REDLINE_FETCH_BASE_URL": (
        "",
        "Base URL that replaces each manifest entry's origin (for a local mirror over HTTP).",
    ),
    "REDLINE_THREADS": ("0", "DuckDB worker threads; 0 lets DuckDB decide."),
    "REDLINE_MEMORY_LIMIT": ("", "DuckDB memory limit, e.g. `4GB`; empty lets DuckDB decide."),
    "REDLINE_WORKERS": (
        "0",
        "Processes doing the CPU work of `redline ingest ocds` on JSON Lines files of 4 MB and "
        "more; 0 means one per CPU, 1 keeps it all in one process (same result).",
    ),
    "REDLINE_MATCH_THRESHOLD": (
        "",
        "Default score (0..1) a name match needs in `redline match`; empty uses the tuned "
        "default (see docs/matching.md).",
    ),
    "REDLINE_API_KEY": ("", "API key that `redline serve` requires on endpoints that write."),
    "REDLINE_API_KEY_FILE": (
        "",
        "File holding the API key (first line); used when REDLINE_API_KEY is empty.",
    ),
    "REDLINE_API_OPEN_READS": (
        "local",
        "Who may call read endpoints without the key: `local` (loopback clients only), `all` "
        "or `none`.",
    ),
    "REDLINE_API_MAX_BODY": ("5000000", "Largest request body `redline serve` accepts, in bytes."),
    "SPARK_MASTER": (
        "",
        "Spark master URL for `--engine spark` (e.g. `spark://host:7077`, `yarn`); empty means "
        "`local[*]`. `--spark-master` overrides it.",
    ),
}


@dataclass(frozen=True)
class Settings:
    store: Path
    data: Path
    fetch_base_url: str
    threads: int
    memory_limit: str
    match_threshold: float | None
    api_key: str = ""
    api_key_file: str = ""
    api_open_reads: str = "local"
    api_max_body: int = 5_000_000
    spark_master: str = ""
    workers: int = 0


def _env(name: str) -> str:
    return os.environ.get(name, SETTINGS_DOC[name][0])


def get_settings() -> Settings:
    """Read the environment now (tests change it between calls, so nothing is cached)."""
    return Settings(
        store=Path(_env("REDLINE_STORE")),
        data=Path(_env("REDLINE_DATA")),
        fetch_base_url=_env("REDLINE_FETCH_BASE_URL"),
        threads=int(_env("REDLINE_THREADS") or 0),
        memory_limit=_env("REDLINE_MEMORY_LIMIT"),
        match_threshold=float(_env("REDLINE_MATCH_THRESHOLD") or 0) or None,
        api_key=_env("REDLINE_API_KEY"),
        api_key_file=_env("REDLINE_API_KEY_FILE"),
        api_open_reads=_env("REDLINE_API_OPEN_READS"),
        api_max_body=int(_env("REDLINE_API_MAX_BODY") or 5_000_000),
        spark_master=_env("SPARK_MASTER"),
        workers=int(_env("REDLINE_WORKERS") or 0),
    )
