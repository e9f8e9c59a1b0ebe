"""What a saving screen changed: new findings, severity changes, listings added or ended,
findings gone, dismissals reopened — as rows of ``alert_events``.

Reach for :func:`snapshot` before :func:`~redline.judge.persist.save_findings` and
:func:`record_changes` after it (the screen does both). Example: a re-screen after a list adds
a designation of a vendor yields ``{"change": "listing_added", "detail": {"listings":
["syn-1-listing-2"]}}`` for each of its findings; a finding whose newest review is a dismissal
raises nothing until the screen reopens it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import duckdb
import orjson

from redline.judge.reviews import latest

#: finding id → (severity, supplier, listed entity, {listing id: end date text})
Snapshot = dict[str, tuple[str, str, str, dict[str, str]]]


@dataclass(frozen=True)
class AlertEvent:
    finding_id: str
    change: str
    severity: str
    supplier_name: str
    listed_entity_id: str
    detail: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"finding_id": self.finding_id, "change": self.change, "severity": self.severity,
                "supplier_name": self.supplier_name, "listed_entity_id": self.listed_entity_id,
                "detail": self.detail}  # fmt: skip


def snapshot(conn: duckdb.DuckDBPyConnection) -> Snapshot:
    """Every stored finding's severity, names and listings (with end dates), read at once."""
    found = conn.execute(
        "SELECT f.finding_id, f.severity, f.supplier_name, f.listed_entity_id, "
        "list(e.ref || '\x1f' || coalesce(e.detail->>'end_date', '')) "
        "FILTER (WHERE e.kind = 'listing') "
        "FROM findings f LEFT JOIN finding_evidence e USING (finding_id) GROUP BY ALL"
    ).fetchall()
    return {
        str(fid): (str(sev), str(sup), str(listed),
                   dict(x.split("\x1f", 1) for x in (items or [])))
        for fid, sev, sup, listed, items in found
    }  # fmt: skip


def _changes(fid: str, old: tuple[str, str, str, dict[str, str]] | None,
             new: tuple[str, str, str, dict[str, str]]) -> list[AlertEvent]:  # fmt: skip
    severity, supplier, listed, listings = new
    if old is None:
        return [AlertEvent(fid, "new", severity, supplier, listed)]
    events = []
    if old[0] != severity:
        events.append(AlertEvent(fid, "severity", severity, supplier, listed,
                                 {"from": old[0], "to": severity}))  # fmt: skip
    added = sorted(set(listings) - set(old[3]))
    if added:
        events.append(AlertEvent(fid, "listing_added", severity, supplier, listed,
                                 {"listings": added}))  # fmt: skip
    ended = sorted(i for i, end in listings.items() if end and not old[3].get(i))
    if ended:
        detail = {"listings": ended, "end_dates": [listings[i] for i in ended]}
        events.append(AlertEvent(fid, "listing_ended", severity, supplier, listed, detail))
    return events


def record_changes(
    conn: duckdb.DuckDBPyConnection, before: Snapshot, reopened: list[dict[str, str]]
) -> list[AlertEvent]:
    """Compare the stored findings with ``before`` and store one ``alert_events`` row per
    change; dismissed findings stay quiet (their reopening is an event of its own)."""
    after = snapshot(conn)
    dismissed = {f for f, r in latest(conn).items() if r.action == "dismiss"}
    events = [e for fid, now in sorted(after.items()) if fid not in dismissed
              for e in _changes(fid, before.get(fid), now)]  # fmt: skip
    gone = [fid for fid in sorted(before) if fid not in after and fid not in dismissed]
    events += [AlertEvent(fid, "gone", *before[fid][:3]) for fid in gone]
    events += [AlertEvent(r["finding_id"], "reopened", after[r["finding_id"]][0],
                          after[r["finding_id"]][1], after[r["finding_id"]][2], {"note": r["note"]})
               for r in reopened if r["finding_id"] in after]  # fmt: skip
    now = datetime.now(UTC)
    if not events:
        return events
    conn.executemany(
        "INSERT INTO alert_events VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(str(uuid.uuid4()), now, e.finding_id, e.change, e.severity, e.supplier_name,
          e.listed_entity_id, orjson.dumps(e.detail).decode()) for e in events],
    )  # fmt: skip
    return events
