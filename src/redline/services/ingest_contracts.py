"""Use case: contract-register exports (ComprasMX, CompraNet, PODER's table) into the store.

Reach for :func:`ingest_contracts` from any front end (``redline ingest contracts``). Each file
is recognised by its header among the shipped layouts (``data/contract_layouts.yaml``), or read
with the one forced (``layout``) or with a user's own layouts file (``mapping``), and each row
becomes an OCDS release of its procedure; files are loaded like OCDS files (one transaction
each, a bad file rejected whole and named in one line, an unchanged file skipped). Re-reading a
newer cumulative yearly file stores only the rows that changed; the older versions stay in the
history. Example::

    ingest_contracts(store, [Path("Contratos_ComprasMX_2026.csv")])
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from redline.errors import InputError, Problem
from redline.ingest.contracts.layout import ContractLayout, load_layouts
from redline.ingest.contracts.read import contract_items
from redline.ingest.ocds.read import Item
from redline.services.ingest import IngestReport, ingest_items
from redline.store.db import Store

SUFFIXES = (".csv", ".xlsx", ".xlsm")


def contract_files(paths: Sequence[Path]) -> list[Path]:
    """Files as given, folders expanded to their CSV/XLSX files; a missing path is an error."""
    missing = [Problem(str(p), "", "no such file or folder") for p in paths if not p.exists()]
    if missing:
        raise InputError(missing)
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES))
        else:
            found.append(path)
    return found


def layouts_for(layout: str | None, mapping: Path | None) -> dict[str, ContractLayout]:
    """The layouts to try: shipped or the user's, and ``layout`` (when given) must be one."""
    layouts = load_layouts(mapping)
    if layout is not None and layout not in layouts:
        known = ", ".join(sorted(layouts))
        raise InputError([Problem("--layout", "", f"unknown layout {layout!r}; use {known}")])
    return layouts


def _known(store: Store, layouts: dict[str, ContractLayout]) -> dict[str, str]:
    """Stored release id → its date, for the ocid prefixes of ``layouts``."""
    prefixes = sorted({f"{lay.ocid_prefix}-" for lay in layouts.values()})
    rows = store.conn.execute(
        "SELECT release_id, json_extract_string(data, '$.date') FROM ocds_releases "
        "WHERE len(list_filter(?::VARCHAR[], p -> starts_with(ocid, p))) > 0",
        [prefixes],
    ).fetchall()
    return {str(rid): str(date) for rid, date in rows if date}


def ingest_contracts(
    store: Store,
    paths: Sequence[Path],
    *,
    layout: str | None = None,
    mapping: Path | None = None,
    skip_invalid: bool = False,
    reject_report: Path | None = None,
    on_progress: Callable[[int], None] | None = None,
    data_dir: Path | None = None,
) -> IngestReport:
    """Ingest contract exports at ``paths``; see the module docstring.

    Raises :class:`InputError` for a bad call (missing path, unknown layout, bad mapping
    file); a file no layout fits is rejected in the report, with the columns each lacks.
    """
    files = contract_files(paths)
    layouts = layouts_for(layout, mapping)
    known = _known(store, layouts)
    observed = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    bad: Counter[str] = Counter()
    salt = "|".join(f"{n}={lay.model_dump_json()}" for n, lay in sorted(layouts.items()))
    salt += f"|forced={layout}"

    def items_for(path: Path) -> Iterable[Item | Problem]:
        return contract_items(
            path, layouts, forced=layout, observed=observed, known=known, bad=bad,
            on_bytes=on_progress,
        )  # fmt: skip

    report = ingest_items(
        store, files, items_for, salt=salt, kind="contracts", skip_invalid=skip_invalid,
        reject_report=reject_report, data_dir=data_dir,
    )  # fmt: skip
    for key, count in bad.items():
        report.bad_values[key] = report.bad_values.get(key, 0) + count
    return report
