"""Use case: the whole pipeline on the data directory, as `make demo` runs it.

Reach for :func:`run_demo` to see Redline end to end on real data: it ingests every OCDS file
under ``<data>/procurement``, every shipped tracker found in the data directory (e.g. the events
table), loads every list under ``<data>/lists`` and the ownership research (the researchers'
tables in the data directory, and the reviewed ownership files Redline ships, e.g. CRRC
Zhuzhou Locomotive → CRRC), screens the store and writes the briefing.
Each step is idempotent, so running it twice gives the same store and the same findings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from redline.errors import InputError, Problem
from redline.ingest.ownership.vocab import load_vocab, packaged_files
from redline.ingest.tracker import load_mappings
from redline.services.ingest import IngestReport, ingest_ocds, ingest_tracker
from redline.services.ingest_contracts import ingest_contracts
from redline.services.lists import load_lists
from redline.services.match import Query, match_names
from redline.services.ownership import load_ownership
from redline.services.report import write_report
from redline.services.screen import ScreenReport, screen_store
from redline.store.db import Store

Step = Callable[[str], None]
#: contract exports of the mirror the demo screens (paths under the data directory)
DEMO_CONTRACTS = (
    "procurement/tren-maya-poder/contracts.csv",
    "procurement/comprasmx/contratos_comprasmx_2026_imss.csv",
)


@dataclass
class DemoSummary:
    """What each step did, and where the briefing is."""

    ingest: IngestReport
    trackers: dict[str, IngestReport] = field(default_factory=dict)
    lists: dict[str, Any] = field(default_factory=dict)
    screen: ScreenReport | None = None
    report: dict[str, Path] = field(default_factory=dict)
    contracts: IngestReport | None = None
    ownership: dict[str, Any] = field(default_factory=dict)
    #: (ocid, supplier, why) of tracker records screened without a finding
    unflagged: list[tuple[str, str, str]] = field(default_factory=list)


def unflagged_suppliers(store: Store, prefixes: list[str]) -> list[tuple[str, str, str]]:
    """Suppliers and tenderers of tracker records that no finding names, and why.

    Saying so is part of the answer: a documented PRC vendor with no listing (e.g. a bus maker)
    is a fact the reader needs, not an omission. Each comes back as (ocid, name, status):
    "no listing found", "possible affiliate of X (not counted)", or "listed (X), but no red
    line met" when the record's sector is not one a rule covers.
    """
    rows = store.conn.execute(
        """
        SELECT DISTINCT p.ocid, p.name FROM parties p
        WHERE (list_contains(p.roles, 'supplier') OR list_contains(p.roles, 'tenderer'))
          AND list_has_any([split_part(p.ocid, '-', 1) || '-' || split_part(p.ocid, '-', 2)], ?)
          AND NOT EXISTS (SELECT 1 FROM findings f WHERE f.ocid = p.ocid
                          AND f.supplier_party_id IS NOT DISTINCT FROM p.party_id)
        ORDER BY 1, 2
        """,
        [prefixes],
    ).fetchall()
    queries = [Query(id=str(n), name=str(name)) for n, (_, name) in enumerate(rows)]
    results = match_names(store, queries)
    out = []
    for (ocid, name), result in zip(rows, results, strict=True):
        if result.matches:
            status = f"listed ({result.matches[0].entity_id}), but no red line met"
        elif result.possible_affiliates:
            status = (
                f"possible affiliate of {result.possible_affiliates[0].entity_id} (not counted)"
            )
        else:
            status = "no listing found"
        out.append((str(ocid), str(name), status))
    return out


def run_demo(
    store: Store,
    data_dir: Path,
    output: Path,
    *,
    formats: tuple[str, ...] = ("html", "pdf"),
    on_step: Step | None = None,
) -> DemoSummary:
    """Ingest, load lists, screen and report; see the module docstring."""
    step = on_step or (lambda _name: None)
    procurement = data_dir / "procurement"
    if not procurement.is_dir():
        raise InputError(
            [Problem(str(data_dir), "", "no procurement/ folder: run `redline data fetch` first")]
        )
    step("ingest OCDS")
    summary = DemoSummary(ingest=ingest_ocds(store, [procurement], data_dir=data_dir))
    for name, mapping in load_mappings().items():
        path = data_dir / mapping.path if mapping.path else None
        if path is not None and path.is_file():
            step(f"ingest tracker {name}")
            summary.trackers[name] = ingest_tracker(store, path, mapping)
    contracts = [data_dir / p for p in DEMO_CONTRACTS if (data_dir / p).is_file()]
    if contracts:
        step("ingest contract exports")
        summary.contracts = ingest_contracts(store, contracts, data_dir=data_dir)
    step("load lists")
    summary.lists = load_lists(store, data_dir).as_dict()
    vocab = load_vocab()
    research = [data_dir / t.path for t in vocab.tables.values() if t.path]
    research = [p for p in research if p.is_file()] + packaged_files(vocab)
    if research:
        step("load ownership research")
        summary.ownership = load_ownership(store, research).as_dict()
    step("screen")
    summary.screen = screen_store(store)
    summary.unflagged = unflagged_suppliers(
        store, [m.ocid_prefix for m in load_mappings().values()]
    )
    step("report")
    summary.report = write_report(store, output, formats=formats, data_dir=data_dir)
    spanish = write_report(store, output, formats=formats, data_dir=data_dir, lang="es")
    summary.report.update({f"{kind} (es)": path for kind, path in spanish.items()})
    return summary
