"""From a matched entity to the LISTED entities above it, through stated ownership and control.

Reach for :class:`OwnershipGraph` after a name or identifier match: a Mexican subsidiary that
is not listed itself still matters when a listed parent owns it. Edges are walked child →
parent up to ``max_depth``; a path ends at an entity with a listing in force on the as-of date.
The wording never overstates: "owned ≥ 50% (aggregate) by" only with percentages on every edge,
"owned by (percentage not stated)" otherwise, "controlled by" only across a control edge.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import duckdb


@dataclass(frozen=True)
class Edge:
    child_id: str
    parent_id: str
    relation: str  # 'ownership' | 'control'
    percentage: float | None
    source: str | None
    source_url: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "child": self.child_id,
            "parent": self.parent_id,
            "relation": self.relation,
            "percentage": self.percentage,
            "source": self.source,
            "source_url": self.source_url,
        }


@dataclass
class Listing:
    listing_id: str
    entity_id: str
    list_code: str
    list_name: str
    authority: str | None
    program: str | None
    start_date: date | None
    end_date: date | None
    source_url: str | None
    in_force: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "listing_id": self.listing_id,
            "list_code": self.list_code,
            "list_name": self.list_name,
            "authority": self.authority,
            "program": self.program,
            "start_date": self.start_date.isoformat() if self.start_date else None,
            "end_date": self.end_date.isoformat() if self.end_date else None,
            "source_url": self.source_url,
            "in_force": self.in_force,
        }


@dataclass
class OwnershipPath:
    """How a matched entity leads to a listed one: the entity ids and the edges between them."""

    entity_ids: list[str]
    edges: list[Edge] = field(default_factory=list)

    @property
    def aggregate_percentage(self) -> float | None:
        """Product of the percentages along the path; ``None`` if any edge does not state one."""
        if not self.edges:
            return None
        total = 1.0
        for edge in self.edges:
            if edge.relation != "ownership" or edge.percentage is None:
                return None
            total *= edge.percentage / 100.0
        return round(total * 100.0, 4)

    @property
    def wording(self) -> str:
        if not self.edges:
            return "listed"
        if any(e.relation == "control" for e in self.edges):
            return "controlled by"
        aggregate = self.aggregate_percentage
        if aggregate is None:
            return "owned by (percentage not stated)"
        if aggregate >= 50:
            return "owned ≥ 50% (aggregate) by"
        return f"owned {aggregate:g}% (aggregate) by"


def in_force(start: date | None, end: date | None, as_of: date) -> bool:
    """A listing (or ownership edge) binds on ``as_of`` when it has started and not yet ended.

    The one rule for every stage (the judge's :func:`redline.judge.evidence.in_force` and the
    SQL of its ownership walk say the same). The start date is the first day in force; the end
    date is the first day it no longer applies: FtM's ``endDate`` is the day a sanctioned status
    or relationship "ended", and a US Entity List removal takes effect on its date. So a
    listing ending 2026-07-01 binds on 2026-06-30 and not on 2026-07-01.
    """
    return (start is None or start <= as_of) and (end is None or end > as_of)


class OwnershipGraph:
    """Edges and listings read once from the store; walks are then plain dictionary lookups."""

    def __init__(self, conn: duckdb.DuckDBPyConnection, as_of: date) -> None:
        self.as_of = as_of
        self.parents: dict[str, list[Edge]] = {}
        for row in conn.execute(
            "SELECT child_id, parent_id, relation, percentage, source, source_url, "
            "start_date, end_date FROM ownership ORDER BY edge_id"
        ).fetchall():
            if not in_force(row[6], row[7], as_of):
                continue  # an edge that ended (or had not begun) says nothing about as_of
            edge = Edge(row[0], row[1], row[2], row[3], row[4], row[5])
            self.parents.setdefault(edge.child_id, []).append(edge)
        self.listings: dict[str, list[Listing]] = {}
        for row in conn.execute(
            "SELECT listing_id, entity_id, list_code, list_name, authority, program, "
            "start_date, end_date, source_url FROM listings ORDER BY listing_id"
        ).fetchall():
            listing = Listing(*row)
            listing.in_force = in_force(listing.start_date, listing.end_date, as_of)
            self.listings.setdefault(listing.entity_id, []).append(listing)

    def paths(self, entity_id: str, max_depth: int) -> list[OwnershipPath]:
        """Every path from ``entity_id`` to an entity with any listing, shortest first."""
        found: list[OwnershipPath] = []
        frontier = [OwnershipPath([entity_id])]
        for depth in range(max_depth + 1):
            next_frontier: list[OwnershipPath] = []
            for path in frontier:
                head = path.entity_ids[-1]
                if head in self.listings:
                    found.append(path)
                if depth == max_depth:
                    continue
                for edge in self.parents.get(head, []):
                    if edge.parent_id in path.entity_ids:
                        continue  # cycles occur in real ownership data
                    next_frontier.append(
                        OwnershipPath([*path.entity_ids, edge.parent_id], [*path.edges, edge])
                    )
            frontier = next_frontier
        return found
