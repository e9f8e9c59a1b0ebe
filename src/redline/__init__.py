"""Redline: find vendors tied to a foreign state's military or security services inside a
partner country's sensitive infrastructure, with the evidence and the alternatives.

The public API is what ``__all__`` lists; everything else is private. Use cases are imported on
first use, so ``import redline`` stays cheap (no charts, PDF or web stack until asked for)::

    from redline import EngineSpec, Store, ingest_ocds, load_lists, screen_store
    with Store("redline.duckdb") as store:
        ingest_ocds(store, [Path("releases.jsonl.gz")])
        screen_store(store, engine=EngineSpec("spark"))  # default: DuckDB in this process
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from redline.errors import InputError, Problem, RedlineError, StoreError

__version__ = "0.1.0"

#: public name → module that defines it (imported lazily, see __getattr__)
_LAZY = {
    "Store": "redline.store.db",
    "EngineSpec": "redline.engine.spec",
    "ingest_ocds": "redline.services.ingest",
    "ingest_tracker": "redline.services.ingest",
    "IngestReport": "redline.services.ingest",
    "load_lists": "redline.services.lists",
    "Query": "redline.services.match",
    "match_names": "redline.services.match",
    "classify_store": "redline.services.classify",
    "classify_text": "redline.services.classify",
    "screen_store": "redline.services.screen",
    "write_report": "redline.services.report",
    "fetch_sources": "redline.services.data",
    "run_demo": "redline.services.demo",
}

__all__ = ["InputError", "Problem", "RedlineError", "StoreError", "__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'redline' has no attribute {name!r}")
