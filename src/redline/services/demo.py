"""Use case: the whole pipeline on the data directory, as `make demo` runs it.

Reach for :func:`run_demo` to see Redline end to end on real data: it ingests every OCDS file
under ``<data>/procurement``, every shipped tracker found in the data directory (e.g. the events
table), loads every list under ``<data>/lists``, screens the store and writes the briefing.
Each step is idempotent, so running it twice gives the same store and the same findings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from redline.engine.store import Store
from redline.errors import InputError, Problem
from redline.ingest.tracker import load_mappings
from redline.services.ingest import IngestReport, ingest_ocds, ingest_tracker
from redline.services.lists import load_lists
from redline.services.report import write_report
from redline.services.screen import ScreenReport, screen_store

Step = Callable[[str], None]


@dataclass
class DemoSummary:
    """What each step did, and where the briefing is."""

    ingest: IngestReport
    trackers: dict[str, IngestReport] = field(default_factory=dict)
    lists: dict[str, Any] = field(default_factory=dict)
    screen: ScreenReport | None = None
    report: dict[str, Path] = field(default_factory=dict)


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
    step("load lists")
    summary.lists = load_lists(store, data_dir).as_dict()
    step("screen")
    summary.screen = screen_store(store)
    step("report")
    summary.report = write_report(store, output, formats=formats, data_dir=data_dir)
    return summary
