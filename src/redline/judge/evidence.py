"""Read the evidence ledger's parts out of the store: listings, ownership paths, signals.

Reach for :func:`paths_to_listed` to learn through which ownership chain a matched entity
reaches a listed one (each edge with its source), and for :func:`listings_of` /
:func:`signals_for` to cite the listing rows and classifier signals a finding rests on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from redline.engine.store import Store
from redline.model import ListingEvidence, OwnershipEvidence, SignalEvidence


@dataclass(frozen=True)
class OwnershipPath:
    """Edges child → parent from the matched entity up to ``listed_id`` (empty when direct)."""

    listed_id: str
    edges: tuple[OwnershipEvidence, ...]

    @property
    def depth(self) -> int:
        return len(self.edges)

    @property
    def share(self) -> float | None:
        """Aggregate share (product of edge percentages, 0..1); None when any is not stated."""
        share = 1.0
        for edge in self.edges:
            if edge.percentage is None:
                return None
            share *= edge.percentage / 100
        return share

    @property
    def has_control(self) -> bool:
        return any(edge.relation == "control" for edge in self.edges)


def in_force(listing: ListingEvidence, day: date) -> bool:
    """Listed on ``day``: started (or start unknown) and not yet ended."""
    started = listing.start_date is None or listing.start_date <= day
    return started and (listing.end_date is None or listing.end_date > day)


def listings_of(store: Store, entity_ids: list[str]) -> dict[str, list[ListingEvidence]]:
    """Every listing row (any date) of each entity, by entity id."""
    if not entity_ids:
        return {}
    rows = store.conn.execute(
        "SELECT listing_id, entity_id, list_code, list_name, authority, start_date, end_date, "
        "source_url, source_file, source_row FROM listings WHERE list_contains(?, entity_id) "
        "ORDER BY entity_id, list_code, listing_id",
        [sorted(set(entity_ids))],
    ).fetchall()
    found: dict[str, list[ListingEvidence]] = {}
    for row in rows:
        found.setdefault(row[1], []).append(ListingEvidence(*row))
    return found


def _edges_from(store: Store, child_ids: list[str], day: date) -> list[OwnershipEvidence]:
    rows = store.conn.execute(
        "SELECT edge_id, child_id, parent_id, relation, percentage, source, source_url "
        "FROM ownership WHERE list_contains(?, child_id) "
        "AND (start_date IS NULL OR start_date <= ?) AND (end_date IS NULL OR end_date > ?) "
        "ORDER BY child_id, parent_id, edge_id",
        [child_ids, day, day],
    ).fetchall()
    return [OwnershipEvidence(*row) for row in rows]


def paths_to_listed(
    store: Store, matched_id: str, *, max_depth: int, day: date
) -> list[OwnershipPath]:
    """Every acyclic path of ownership edges in force on ``day`` to an entity with a listing.

    The direct case (the matched entity is itself listed) is the empty path.
    """
    paths: list[OwnershipPath] = []
    frontier: list[tuple[str, tuple[OwnershipEvidence, ...]]] = [(matched_id, ())]
    for depth in range(max_depth + 1):
        ids = sorted({node for node, _ in frontier})
        listed = listings_of(store, ids)
        for node, edges in frontier:
            if node in listed:
                paths.append(OwnershipPath(node, edges))
        if depth == max_depth or not ids:
            break
        by_child: dict[str, list[OwnershipEvidence]] = {}
        for edge in _edges_from(store, ids, day):
            by_child.setdefault(edge.child_id, []).append(edge)
        frontier = [
            (edge.parent_id, (*edges, edge))
            for node, edges in frontier
            for edge in by_child.get(node, [])
            if edge.parent_id not in {matched_id, *(e.child_id for e in edges)}
        ]
    return paths


def documents_for(store: Store, ocid: str, award_id: str | None) -> tuple[str, ...]:
    """URLs of the documents the compiled record attaches to this award (or to its tender).

    Example: an events-table row carries its news or list source as the award's document, so
    the finding cites that page beside the file and line it was read from.
    """
    rows = store.conn.execute(
        """
        SELECT DISTINCT json_extract_string(d.value, '$.url') AS url
        FROM ocds_compiled_data c, json_each(c.data, '$.awards') a,
             json_each(a.value, '$.documents') d
        WHERE c.ocid = ? AND json_extract_string(a.value, '$.id') IS NOT DISTINCT FROM ?
        UNION
        SELECT DISTINCT json_extract_string(d.value, '$.url')
        FROM ocds_compiled_data c, json_each(c.data, '$.tender.documents') d
        WHERE c.ocid = ?
        ORDER BY 1
        """,
        [ocid, award_id, ocid],
    ).fetchall()
    return tuple(str(r[0]) for r in rows if r[0])


def signals_for(store: Store, ocid: str, award_id: str | None) -> dict[str, list[SignalEvidence]]:
    """Classifier signals of the process ``ocid`` that concern this award, by class id.

    Signals on the tender or the process count for every award; signals on another award or
    on a contract of another award do not. A signal is cited once per class: when the tender
    and the award carry the same text, the same (kind, value, field kind) fires on both, and
    the ledger keeps the first occurrence in document order (tender, award, contract) with its
    pointer.
    """
    rows = store.conn.execute(
        """
        SELECT c.class_id, c.signal_kind, c.signal_value, c.signal_field, c.parent,
               c.parent_id, c.item_id, c.signal_detail, c.pointer
        FROM classifications c
        WHERE c.ocid = ? AND (
            c.parent NOT IN ('award', 'contract')
            OR (c.parent = 'award' AND c.parent_id IS NOT DISTINCT FROM ?)
            OR (c.parent = 'contract' AND c.parent_id IN (
                SELECT contract_id FROM contracts WHERE ocid = ? AND award_id = ?))
        )
        -- strongest first: a code or keyword classifies, a buyer only strengthens
        ORDER BY c.class_id, CASE c.signal_kind WHEN 'code' THEN 0 WHEN 'keyword' THEN 1 ELSE 2 END,
                 CASE c.parent WHEN 'tender' THEN 0 WHEN 'award' THEN 1 WHEN 'contract' THEN 2
                 ELSE 3 END, c.parent, c.parent_id NULLS FIRST, c.item_id NULLS FIRST, 3, 4
        """,
        [ocid, award_id, ocid, award_id],
    ).fetchall()
    found: dict[str, list[SignalEvidence]] = {}
    seen: set[tuple[str, str, str, str]] = set()
    for row in rows:
        signal = SignalEvidence(*row)
        key = (signal.class_id, signal.signal_kind, signal.signal_value, signal.field_kind)
        if key not in seen:
            seen.add(key)
            found.setdefault(signal.class_id, []).append(signal)
    return found
