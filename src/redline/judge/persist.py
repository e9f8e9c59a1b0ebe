"""Keep findings in the store: insert new ones, update changed ones, drop unsupported ones.

Reach for :func:`save_findings` at the end of a screen. Ids are stable (see
:func:`~redline.judge.findings.finding_id`), so re-running the same screen on the same store
changes nothing, and after a new ingest only the findings whose content moved are rewritten.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson

from redline.model import STRENGTH_ORDER, EvidenceLedger, Finding, saved_form
from redline.store.db import Store

_COLUMNS = (
    "rule_id, severity, score, ocid, award_id, supplier_party_id, supplier_name, "
    "listed_entity_id, list_codes, class_id, award_date, listed_at_award, listed_now, as_of, "
    "sentence, basis_url, policy_file, content_hash, updated_at, data, evidence_strength, "
    "strength_rank, listing_strength"
)
_CANONICAL = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS


@dataclass(frozen=True)
class SaveCounts:
    added: int
    updated: int
    unchanged: int
    removed: int


def finding_json(finding: Finding) -> bytes:
    """The finding as canonical JSON (sorted keys; a match's explanation as its JSON text): the
    stored ``data`` and the content hash."""
    return orjson.dumps(finding, default=saved_form, option=_CANONICAL)


Row = tuple[str, str, str | None, dict[str, Any]]


def _ledger_rows(ev: EvidenceLedger) -> list[Row]:
    rows: list[Row] = [
        (
            "release",
            f"{ev.release.ocid}/{ev.release.release_id}",
            ev.release.source_file,
            {
                "publisher": ev.release.publisher,
                "pointer": ev.release.pointer,
                "documents": list(ev.release.documents),
            },
        ),
        (
            "match",
            ev.match.matched_id,
            None,
            {
                "supplier_name": ev.match.supplier_name,
                "score": ev.match.score,
                "explanation": ev.match.explanation.to_json(),
            },
        ),
    ]
    rows += [
        (
            "listing",
            x.listing_id,
            x.source_url or x.source_file,
            {
                "list_code": x.list_code,
                "authority": x.authority,
                "start_date": x.start_date,
                "end_date": x.end_date,
                "entity_id": x.entity_id,
            },
        )
        for x in ev.listings
    ]
    rows += [
        (
            "ownership",
            x.edge_id,
            x.source_url or x.source,
            {
                "child_id": x.child_id,
                "parent_id": x.parent_id,
                "relation": x.relation,
                "percentage": x.percentage,
            },
        )
        for x in ev.ownership
    ]
    rows += [
        (
            "signal",
            x.class_id,
            x.signal_field,
            {
                "kind": x.signal_kind,
                "value": x.signal_value,
                "parent": x.parent,
                "parent_id": x.parent_id,
                "item_id": x.item_id,
                "detail": x.detail,
                "pointer": x.pointer,
            },
        )
        for x in ev.signals
    ]
    return rows


def evidence_rows(finding: Finding) -> list[Row]:
    """(kind, ref, source, detail) for every record the finding cites, ledger order.

    The headline's ledger first; then each record that only an ``also_meets`` rule cites
    (another listing, edge, match or signal), once, its detail naming that rule in ``for_rule``.
    """
    rows = _ledger_rows(finding.evidence)
    seen = {orjson.dumps(row, default=str) for row in rows}
    for other in finding.also_meets:
        for kind, ref, source, detail in _ledger_rows(other.evidence):
            key = orjson.dumps((kind, ref, source, detail), default=str)
            if key not in seen:
                seen.add(key)
                rows.append((kind, ref, source, {**detail, "for_rule": other.rule_id}))
    return rows


def save_findings(
    store: Store, findings: list[Finding], policy_files: dict[str, str]
) -> SaveCounts:
    """Make the findings table equal ``findings`` (one transaction); count what moved."""
    now = datetime.now(UTC)
    with store.transaction() as conn:
        existing = dict(conn.execute("SELECT finding_id, content_hash FROM findings").fetchall())
        added = updated = unchanged = 0
        for f in findings:
            data = finding_json(f)
            digest = hashlib.sha256(data).hexdigest()
            old = existing.pop(f.finding_id, None)
            if old == digest:
                unchanged += 1
                continue
            values = [
                f.rule_id, f.severity, f.risk.total, f.ocid, f.award_id, f.supplier_party_id,
                f.supplier_name, f.listed_entity_id, list(f.list_codes), f.class_id,
                f.award_date, f.listed_at_award, f.listed_now, f.as_of, f.sentence, f.basis_url,
                policy_files.get(f.rule_id, ""), digest, now, data.decode(), f.evidence_strength,
                STRENGTH_ORDER[f.evidence_strength], f.listing_strength,
            ]  # fmt: skip
            if old is None:
                added += 1
                conn.execute(
                    f"INSERT INTO findings ({_COLUMNS}, finding_id, first_seen_at) "
                    f"VALUES ({', '.join('?' * (len(values) + 2))})",
                    [*values, f.finding_id, now],
                )
            else:  # first_seen_at stays: the finding is the same, its content moved
                updated += 1
                assignments = ", ".join(f"{c} = ?" for c in _COLUMNS.split(", "))
                conn.execute(
                    f"UPDATE findings SET {assignments} WHERE finding_id = ?",
                    [*values, f.finding_id],
                )
                conn.execute("DELETE FROM finding_evidence WHERE finding_id = ?", [f.finding_id])
            conn.executemany(
                "INSERT INTO finding_evidence VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (f.finding_id, seq, kind, ref, source, orjson.dumps(detail).decode())
                    for seq, (kind, ref, source, detail) in enumerate(evidence_rows(f))
                ],
            )
        _delete(conn, list(existing))
    return SaveCounts(added, updated, unchanged, len(existing))


def _delete(conn: Any, ids: list[str]) -> None:
    if ids:
        conn.execute("DELETE FROM finding_evidence WHERE list_contains(?, finding_id)", [ids])
        conn.execute("DELETE FROM findings WHERE list_contains(?, finding_id)", [ids])
