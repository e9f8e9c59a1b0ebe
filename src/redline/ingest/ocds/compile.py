"""Compile the releases of one ``ocid`` into its compiled release (OCDS merge rules).

Reach for :class:`Compiler`. It runs ``ocdsmerge`` only when an ocid really has several
releases; a single release compiles to itself (``tag`` becomes ``["compiled"]`` and ``id``
becomes ``"<ocid>-<date>"``, exactly as ocdsmerge does), which is what makes ingest fast.
ocdsmerge additionally drops nulls and empty arrays/objects, and merges array entries that
share an ``id``; the shortcut keeps nulls and empties (they mean the same) and hands any release
with duplicate ids in ``parties``/``awards``/``contracts`` to ocdsmerge. A test checks the
shortcut against ocdsmerge on every real sample release.

The merge rules come from the OCDS release schema in the data directory
(``standards/ocds-1.1.5/release-schema.json``). ocdsmerge would otherwise download the schema;
Redline never does.
"""

from __future__ import annotations

import warnings
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import ocdsmerge
import orjson

from redline.errors import InputError, Problem

SCHEMA_PATH = Path("standards") / "ocds-1.1.5" / "release-schema.json"
_ID_ARRAYS = ("parties", "awards", "contracts")


def _embedded_schema() -> dict[str, Any] | None:
    """A release schema shipped inside the ocdsmerge package, if this version ships one."""
    try:
        for entry in resources.files("ocdsmerge").iterdir():
            if entry.name.endswith("release-schema.json"):
                loaded: dict[str, Any] = orjson.loads(entry.read_bytes())
                return loaded
    except (OSError, orjson.JSONDecodeError):
        return None
    return None


@lru_cache(maxsize=4)
def _merger(schema_file: Path) -> ocdsmerge.Merger:
    if schema_file.is_file():
        schema = orjson.loads(schema_file.read_bytes())
    else:
        schema = _embedded_schema()
        if schema is None:
            raise InputError(
                [
                    Problem(
                        str(schema_file),
                        "",
                        "OCDS release schema not found (needed for merge rules); point --data "
                        "or REDLINE_DATA at the data mirror that holds "
                        f"{SCHEMA_PATH.as_posix()}",
                    )
                ]
            )
    return ocdsmerge.Merger(schema=schema)


def require_schema(data_dir: Path) -> None:
    """Raise the :class:`InputError` a merge would raise when ``data_dir`` holds no release
    schema (and ocdsmerge ships none): a check before a long job starts, not in its tasks."""
    _merger(data_dir / SCHEMA_PATH)


def _has_duplicate_ids(release: dict[str, Any]) -> bool:
    for key in _ID_ARRAYS:
        entries = release.get(key)
        if isinstance(entries, list) and len(entries) > 1:
            ids = [e.get("id") for e in entries if isinstance(e, dict) and "id" in e]
            if len(ids) != len(set(map(str, ids))):
                return True
    return False


class Compiler:
    """Compiles releases with the merge rules of one schema; counts ocdsmerge warnings."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.schema_file = data_dir / SCHEMA_PATH
        self.warnings: list[str] = []
        self.merged = 0  # how many compiles went through ocdsmerge

    def compile(self, releases: list[dict[str, Any]]) -> dict[str, Any]:
        """The compiled release of ``releases`` (all of one ocid, any order)."""
        if is_single(releases):
            return compile_single(releases[0])
        self.merged += 1
        with warnings.catch_warnings(record=True) as caught:
            # ocdsmerge warns about duplicate ids; we report them instead of failing
            warnings.simplefilter("always")
            compiled: dict[str, Any] = _merger(self.schema_file).create_compiled_release(releases)
        self.warnings.extend(str(w.message) for w in caught)
        return compiled


def is_single(releases: list[dict[str, Any]]) -> bool:
    """Whether ``releases`` compile by the shortcut: :func:`compile_single` of the only one.

    The store then keeps no copy of the compiled release (see ``006_compiled_single.sql``).
    """
    return len(releases) == 1 and not _has_duplicate_ids(releases[0])


def compile_single(release: dict[str, Any]) -> dict[str, Any]:
    """The compiled form of a lone release: itself, retagged as ocdsmerge would."""
    compiled = dict(release)
    compiled["tag"] = ["compiled"]
    compiled["id"] = f"{release.get('ocid')}-{release.get('date')}"
    return compiled
