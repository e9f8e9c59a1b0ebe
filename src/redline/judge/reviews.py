"""Review memory: an analyst's confirm / dismiss / reopen of a finding, kept across re-screens.

Reach for :func:`record_review` to store one act and :func:`reopen_changed` after a screen has
saved its findings. A review remembers the evidence it was made on (:func:`evidence_items`: the
finding's listings with their end dates, ownership edges, release and matched entity, read from
its ledger), so a dismissal stands while the evidence stands. Example: an analyst dismisses
"Escaneres Sintéticos → SYNTHETIC listed co." as a namesake; three re-screens keep it
dismissed; then the list adds a second designation of that entity, and the next screen reopens
the finding with the note "evidence changed: new listing syn-2-listing".
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import duckdb
import orjson

from redline.errors import InputError, Problem

ACTIONS = ("confirm", "dismiss", "reopen")
#: the ledger kinds whose change reopens a dismissal (a signal's wording does not)
_KINDS = ("release", "match", "listing", "ownership")
_NAMES = {"release": "release", "match": "matched entity", "listing": "listing",
          "ownership": "ownership edge"}  # fmt: skip


@dataclass(frozen=True)
class Review:
    """One act on one finding."""

    finding_id: str
    action: str
    note: str
    reviewer: str
    reviewed_at: str  # ISO 8601, UTC
    evidence_key: str

    def as_dict(self) -> dict[str, str]:
        return {"action": self.action, "note": self.note, "reviewer": self.reviewer,
                "reviewed_at": self.reviewed_at}  # fmt: skip


def evidence_items(conn: duckdb.DuckDBPyConnection, finding_id: str) -> list[str]:
    """The finding's evidence as sorted text items (``listing syn-1-listing ended None``)."""
    found = conn.execute(
        "SELECT kind, ref, detail->>'end_date' FROM finding_evidence "
        "WHERE finding_id = ? AND list_contains(?, kind)",
        [finding_id, list(_KINDS)],
    ).fetchall()
    return sorted({f"{k} {r}" + (f" ended {e}" if k == "listing" else "") for k, r, e in found})


def _key(items: list[str]) -> str:
    return hashlib.sha256("\n".join(items).encode()).hexdigest()


def latest(conn: duckdb.DuckDBPyConnection, ids: list[str] | None = None) -> dict[str, Review]:
    """The newest review of each finding (of ``ids`` when given)."""
    found = conn.execute(
        "SELECT finding_id, action, note, reviewer, "
        "strftime(timezone('UTC', reviewed_at), '%Y-%m-%dT%H:%M:%SZ'), evidence_key "
        "FROM finding_reviews WHERE ? IS NULL OR list_contains(?, finding_id) "
        "QUALIFY row_number() OVER (PARTITION BY finding_id "
        "ORDER BY reviewed_at DESC, review_id DESC) = 1",
        [ids, ids or []],
    ).fetchall()
    return {str(r[0]): Review(*map(str, r)) for r in found}


def trail(conn: duckdb.DuckDBPyConnection, finding_id: str) -> list[dict[str, Any]]:
    """Every review of the finding, oldest first: its audit trail."""
    found = conn.execute(
        "SELECT action, note, reviewer, "
        "strftime(timezone('UTC', reviewed_at), '%Y-%m-%dT%H:%M:%SZ'), evidence "
        "FROM finding_reviews WHERE finding_id = ? ORDER BY reviewed_at, review_id",
        [finding_id],
    ).fetchall()
    return [{"action": a, "note": n, "reviewer": r, "reviewed_at": t,
             "evidence": orjson.loads(e)} for a, n, r, t, e in found]  # fmt: skip


def _insert(
    conn: duckdb.DuckDBPyConnection,
    finding_id: str, action: str, note: str, reviewer: str, items: list[str],
) -> Review:  # fmt: skip
    now = datetime.now(UTC)
    key = _key(items)
    conn.execute(
        "INSERT INTO finding_reviews VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [str(uuid.uuid4()), finding_id, action, note, reviewer, now, key,
         orjson.dumps(items).decode()],
    )  # fmt: skip
    return Review(finding_id, action, note, reviewer, now.strftime("%Y-%m-%dT%H:%M:%SZ"), key)


def record_review(
    conn: duckdb.DuckDBPyConnection, finding_id: str, action: str, note: str, reviewer: str
) -> Review:
    """Store one act on a stored finding; an unknown finding or action is refused."""
    if action not in ACTIONS:
        raise InputError([Problem("review", finding_id, f"action must be one of {ACTIONS}")])
    row = conn.execute("SELECT count(*) FROM findings WHERE finding_id = ?", [finding_id])
    if not (row.fetchone() or (0,))[0]:
        raise InputError([Problem("review", finding_id, "no such finding in the store "
                                  "(`redline screen` lists the ids)")])  # fmt: skip
    return _insert(conn, finding_id, action, note, reviewer, evidence_items(conn, finding_id))


def reopen_changed(conn: duckdb.DuckDBPyConnection) -> list[Review]:
    """Reopen every dismissed finding whose evidence moved since its dismissal; the note says
    what was added and what went (``evidence changed: new listing X; gone release Y``)."""
    reopened = []
    for fid, review in latest(conn).items():
        if review.action != "dismiss":
            continue
        items = evidence_items(conn, fid)
        if not items or _key(items) == review.evidence_key:
            continue  # unchanged, or the finding is not in this screen's results
        row = conn.execute(
            "SELECT evidence FROM finding_reviews WHERE finding_id = ? AND evidence_key = ? "
            "ORDER BY reviewed_at DESC LIMIT 1",
            [fid, review.evidence_key],
        ).fetchone()
        before = set(orjson.loads(row[0])) if row else set()
        now = set(items)
        words = [f"new {_describe(i)}" for i in sorted(now - before)]
        words += [f"gone {_describe(i)}" for i in sorted(before - now)]
        note = "evidence changed since the dismissal: " + "; ".join(words)
        reopened.append(_insert(conn, fid, "reopen", note, "redline", items))
    return reopened


def _describe(item: str) -> str:
    kind, _, rest = item.partition(" ")
    return f"{_NAMES.get(kind, kind)} {rest}"
