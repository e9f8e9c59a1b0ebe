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
    "REDLINE_MEMORY_LIMIT": (
        "auto",
        "DuckDB memory limit, e.g. `4GB`; `auto` is a quarter of the memory this process may "
        "use (the machine's, or its cgroup's limit when lower), at least 1 GB; empty lets "
        "DuckDB decide (80 % of memory).",
    ),
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
    "REDLINE_API_HOSTS": (
        "localhost,127.0.0.1,::1",
        "Host names `redline serve` answers to (comma-separated; `*` any); others get 400, so a "
        "DNS-rebinding page cannot reach loopback reads. The `--host` it binds is added.",
    ),
    "REDLINE_API_MAX_RELEASES": (
        "1000",
        "Most releases one `POST /screen` or `POST /ingest` may carry (more: 413).",
    ),
    "REDLINE_API_TIMEOUT": (
        "60",
        "Seconds a `POST /screen` may run before it is stopped and answered 503.",
    ),
    "REDLINE_ALERTS_FILE": (
        "",
        "JSON Lines file each saving `redline screen` appends its changes to (one line per "
        "change); empty: no file.",
    ),
    "REDLINE_ALERTS_WEBHOOK": (
        "",
        "URL each saving screen POSTs its changes to (JSON, 3 tries); empty: no webhook.",
    ),
    "REDLINE_ALERTS_SECRET": (
        "",
        "Key of the webhook's HMAC-SHA256 signature (header `X-Redline-Signature: "
        "sha256=<hex of the body>`); empty: unsigned.",
    ),
    "REDLINE_LOCK_WAIT": (
        "30",
        "Seconds a command (or a `redline serve` request) waits for another process's write to "
        "the store to end before it gives up in one line (exit 1).",
    ),
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
    api_hosts: str = "localhost,127.0.0.1,::1"
    api_max_releases: int = 1000
    api_timeout: float = 60.0
    spark_master: str = ""
    workers: int = 0
    alerts_file: str = ""
    alerts_webhook: str = ""
    alerts_secret: str = ""
    lock_wait: float = 30.0


def _env(name: str) -> str:
    return os.environ.get(name, SETTINGS_DOC[name][0])


_MEMORY_SHARE = 4  # `auto` gives DuckDB 1/4 of memory: it shares it with Python and workers
_CGROUP_LIMITS = ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes")


def auto_memory_limit(total_bytes: int | None = None) -> str:
    """The DuckDB memory limit ``auto`` stands for, given the memory this process may use
    (``total_bytes``; read from the machine and its cgroup when None).

    DuckDB's own default (80 % of memory) lets the buffer pool keep everything an ingest
    writes while the file's transaction is open: a 1M-release file then took 5.4 GB. Bounded,
    DuckDB evicts blocks it has already written to the store file (measured: 2GB gave a
    3.3 GB peak at the same speed). Example: 16 GiB of memory gives ``4096MiB``.
    """
    if total_bytes is None:
        total_bytes = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        for path in _CGROUP_LIMITS:
            try:
                text = Path(path).read_text(encoding="ascii").strip()
            except OSError:
                continue
            if text.isdigit():  # ("max": no limit)
                total_bytes = min(total_bytes, int(text))
    return f"{max(1024, total_bytes // _MEMORY_SHARE >> 20)}MiB"


def _memory_limit(value: str) -> str:
    return auto_memory_limit() if value.strip().lower() == "auto" else value


def get_settings() -> Settings:
    """Read the environment now (tests change it between calls, so nothing is cached)."""
    return Settings(
        store=Path(_env("REDLINE_STORE")),
        data=Path(_env("REDLINE_DATA")),
        fetch_base_url=_env("REDLINE_FETCH_BASE_URL"),
        threads=int(_env("REDLINE_THREADS") or 0),
        memory_limit=_memory_limit(_env("REDLINE_MEMORY_LIMIT")),
        match_threshold=float(_env("REDLINE_MATCH_THRESHOLD") or 0) or None,
        api_key=_env("REDLINE_API_KEY"),
        api_key_file=_env("REDLINE_API_KEY_FILE"),
        api_open_reads=_env("REDLINE_API_OPEN_READS"),
        api_max_body=int(_env("REDLINE_API_MAX_BODY") or 5_000_000),
        api_hosts=_env("REDLINE_API_HOSTS"),
        api_max_releases=int(_env("REDLINE_API_MAX_RELEASES") or 1000),
        api_timeout=float(_env("REDLINE_API_TIMEOUT") or 60),
        spark_master=_env("SPARK_MASTER"),
        workers=int(_env("REDLINE_WORKERS") or 0),
        alerts_file=_env("REDLINE_ALERTS_FILE"),
        alerts_webhook=_env("REDLINE_ALERTS_WEBHOOK"),
        alerts_secret=_env("REDLINE_ALERTS_SECRET"),
        lock_wait=float(_env("REDLINE_LOCK_WAIT") or 0),
    )
