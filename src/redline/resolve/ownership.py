"""From a matched entity to the LISTED entities above it, through stated ownership and control.

Reach for this module whenever a stage asks "which listed entities does this entity lead to,
and does a listing or an edge bind on this day": a Mexican subsidiary that is not listed itself
still matters when a listed parent owns it. It is the one owner of

* "in force": :func:`in_force` in Python and :func:`in_force_sql`, the same rule as SQL;
* the path type: :class:`OwnershipPath`, its edges :class:`~redline.model.OwnershipEvidence`;
* the walk: :func:`walk_steps`, the SQL run on the store as one statement by :func:`paths_from`
  (the matcher through :class:`Reach`, the judge, the alternatives guard) and on an engine step
  by step by :func:`walk_to_listed` (the first pass, DuckDB or Spark).

Edges are walked child → parent up to ``max_depth``, only edges in force on the as-of date, never
through an entity twice; a path ends at an entity with any listing (whether a listing binds on a
given day is the reader's question: the matcher shows lapsed ones apart, the judge's rules ask
about the as-of and the award day). The wording never overstates: "owned ≥ 50% (aggregate) by"
only with percentages on every edge, "owned by (percentage not stated)" otherwise,
"controlled by" only across a control edge.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb
import pyarrow as pa

from redline.engine.base import Engine
from redline.memo import Kept
from redline.model import OwnershipEvidence
from redline.store.arrow_io import registered


def in_force(start: date | None, end: date | None, as_of: date) -> bool:
    """A listing (or ownership edge) binds on ``as_of`` when it has started and not yet ended.

    The one rule for every stage; :func:`in_force_sql` says the same in SQL. The start date is
    the first day in force; the end date is the first day it no longer applies: FtM's
    ``endDate`` is the day a sanctioned status or relationship "ended", and a US Entity List
    removal takes effect on its date. So a listing ending 2026-07-01 binds on 2026-06-30 and
    not on 2026-07-01.
    """
    return (start is None or start <= as_of) and (end is None or end > as_of)


def in_force_sql(as_of: date, table: str | None = None) -> str:
    """:func:`in_force` as an SQL predicate over the ``start_date`` / ``end_date`` columns (of
    ``table``, an alias, when given) on ``as_of``, e.g. ``WHERE {in_force_sql(day, "o")}``.

    The day is a literal (a date's ISO form, nothing a caller types), so a query carrying it
    several times needs no parameters counted.
    """
    day = f"DATE '{as_of.strftime('%Y-%m-%d')}'"
    start, end = (f"{table}.{c}" if table else c for c in ("start_date", "end_date"))
    return f"({start} IS NULL OR {start} <= {day}) AND ({end} IS NULL OR {end} > {day})"


def edges_sql(as_of: date) -> str:
    """The store's ownership edges in force on ``as_of``: what the walk follows."""
    return f"SELECT edge_id, child_id, parent_id FROM ownership WHERE {in_force_sql(as_of)}"


#: where a path ends: entities with a listing of any date
LISTED_SQL = "SELECT DISTINCT entity_id FROM listings"


@dataclass(frozen=True)
class OwnershipPath:
    """Edges child → parent from the matched entity up to ``listed_id`` (empty when direct).

    Example: "Synthetic Tianlong México" → its holding → listed "Synthetic Tianlong" is
    ``OwnershipPath("syn-tianlong", (edge 1, edge 2))`` of depth 2.
    """

    listed_id: str
    edges: tuple[OwnershipEvidence, ...] = ()

    @property
    def depth(self) -> int:
        return len(self.edges)

    @property
    def entity_ids(self) -> list[str]:
        """The entities along the path, the matched one first and the listed one last."""
        if not self.edges:
            return [self.listed_id]
        return [self.edges[0].child_id, *(edge.parent_id for edge in self.edges)]

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

    @property
    def aggregate_percentage(self) -> float | None:
        """The share in percent, when every edge is ownership with a stated percentage."""
        share = self.share
        if not self.edges or share is None or any(e.relation != "ownership" for e in self.edges):
            return None
        return round(share * 100.0, 4)

    @property
    def wording(self) -> str:
        if not self.edges:
            return "listed"
        if self.has_control:
            return "controlled by"
        aggregate = self.aggregate_percentage
        if aggregate is None:
            return "owned by (percentage not stated)"
        if aggregate >= 50:
            return "owned ≥ 50% (aggregate) by"
        return f"owned {aggregate:g}% (aggregate) by"


def walk_steps(
    matched: str, max_depth: int, edges: str = "rl_edges", listed: str = "rl_listed"
) -> list[tuple[str, str]]:
    """The walk as (table name, SELECT) steps, each reading the ones before by name: rl_walk0 …
    rl_walk<max_depth> (the routes of each length), then rl_paths (matched_id, node, depth,
    path, edges): every acyclic route of at most ``max_depth`` edges (of ``edges``: edge_id,
    child_id, parent_id) from a ``matched_id`` of ``matched`` to an entity of ``listed``
    (entity_id), the direct one (depth 0) included.

    ``path`` and ``edges`` are the entity and edge ids along the route, each between ``|``
    (``|a|b|``, ``|e1|``); a table name or a parenthesised SELECT fits each argument. Written in
    DuckDB's dialect: :mod:`redline.engine.dialect` carries it to Spark.
    """
    steps = [(
        "rl_walk0",
        "SELECT DISTINCT matched_id, matched_id AS node, 0 AS depth, "
        f"'|' || matched_id || '|' AS path, '|' AS edges FROM {matched}",
    )]  # fmt: skip
    for depth in range(1, max_depth + 1):
        # acyclic: an entity already on the path is not entered again (real data has cycles)
        steps.append((
            f"rl_walk{depth}",
            f"SELECT w.matched_id, e.parent_id AS node, {depth} AS depth, "
            "w.path || e.parent_id || '|' AS path, w.edges || e.edge_id || '|' AS edges "
            f"FROM rl_walk{depth - 1} w JOIN {edges} e ON e.child_id = w.node "
            "WHERE position('|' || e.parent_id || '|' IN w.path) = 0",
        ))  # fmt: skip
    union = " UNION ALL ".join(f"SELECT * FROM {name}" for name, _ in steps)
    steps.append(
        ("rl_paths", f"SELECT p.* FROM ({union}) p JOIN {listed} l ON l.entity_id = p.node")
    )
    return steps


def walk_sql(
    matched: str, max_depth: int, edges: str = "rl_edges", listed: str = "rl_listed"
) -> str:
    """:func:`walk_steps` as one statement (rl_paths, the steps before it as WITH tables)."""
    *walks, (_, paths) = walk_steps(matched, max_depth, edges, listed)
    return f"WITH {', '.join(f'{name} AS ({sql})' for name, sql in walks)} {paths}"


def register_ownership(engine: Engine, conn: duckdb.DuckDBPyConnection, as_of: date) -> None:
    """Put the store's edges in force on ``as_of`` (rl_edges) and listed ids (rl_listed) in
    ``engine``: the tables :func:`walk_to_listed` walks."""
    engine.register("rl_edges", conn.execute(edges_sql(as_of)).to_arrow_table())
    engine.register("rl_listed", conn.execute(LISTED_SQL).to_arrow_table())


def walk_to_listed(engine: Engine, matched: str, max_depth: int) -> None:
    """Engine table rl_paths (matched_id, node, depth, path, edges) of :func:`walk_steps` from
    the ``matched_id`` column of engine table ``matched`` (after :func:`register_ownership`),
    one engine table a step (on Spark a view each, planned as one query)."""
    for name, sql in walk_steps(matched, max_depth):
        engine.create(name, sql)


def _nearest_first(path: OwnershipPath) -> tuple[int, tuple[tuple[str, str], ...]]:
    # fewest edges first, then by owner and edge at each step: the order is stable, and a
    # reader that keeps the first of equal routes keeps the same one every run
    return path.depth, tuple((edge.parent_id, edge.edge_id) for edge in path.edges)


def _edge_rows(conn: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, OwnershipEvidence]:
    if not ids:
        return {}
    rows = conn.execute(
        "SELECT edge_id, child_id, parent_id, relation, percentage, source, source_url "
        "FROM ownership WHERE list_contains(?, edge_id)",
        [ids],
    ).fetchall()
    return {row[0]: OwnershipEvidence(*row) for row in rows}


def paths_from(
    conn: duckdb.DuckDBPyConnection, matched_ids: Iterable[str], *, max_depth: int, as_of: date
) -> dict[str, list[OwnershipPath]]:
    """Every path of :func:`walk_steps` (edges in force on ``as_of``) from each matched entity to
    an entity with a listing, by matched id, nearest first (the direct case, the matched entity
    itself listed, is the empty path); an id that reaches none maps to ``[]``.

    Two queries for all of them, the walk and its edges' rows (a screen meets hundreds of
    entities). Example: ``paths_from(store.conn, ["syn-tianlong-mx"], max_depth=3, as_of=day)``
    → ``{"syn-tianlong-mx": [OwnershipPath("syn-tianlong", (own-1, own-2))]}``.
    """
    starts = list(dict.fromkeys(matched_ids))
    paths: dict[str, list[OwnershipPath]] = {m: [] for m in starts}
    if not starts:
        return paths
    sql = walk_sql("rl_walk_starts", max_depth, f"({edges_sql(as_of)})", f"({LISTED_SQL})")
    frame = pa.table({"matched_id": pa.array(starts, pa.string())})
    with registered(conn, "rl_walk_starts", frame):
        rows = conn.execute(f"SELECT matched_id, node, edges FROM ({sql}) w").fetchall()
    routes = [(start, node, str(edges).split("|")[1:-1]) for start, node, edges in rows]
    edges_by_id = _edge_rows(conn, sorted({e for _, _, ids in routes for e in ids}))
    for start, node, ids in routes:
        paths[start].append(OwnershipPath(node, tuple(edges_by_id[e] for e in ids)))
    for found in paths.values():
        found.sort(key=_nearest_first)
    return paths


@dataclass
class Listing:
    """One listing as the matcher shows it, with whether it binds on the as-of date."""

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


@dataclass(frozen=True)
class Reach:
    """Where matched entities lead on one day: each one's paths (:func:`paths_from`) and the
    listings at their ends, by listed id in listing-id order.

    Reach for :meth:`of` once for every entity a batch of queries matched; the matcher then
    resolves each query from it with dictionary lookups.
    """

    paths: dict[str, list[OwnershipPath]]
    listings: dict[str, list[Listing]]

    @classmethod
    def of(
        cls,
        conn: duckdb.DuckDBPyConnection,
        matched_ids: Iterable[str],
        *,
        as_of: date,
        max_depth: int,
    ) -> Reach:
        paths = paths_from(conn, matched_ids, max_depth=max_depth, as_of=as_of)
        ends = sorted({p.listed_id for found in paths.values() for p in found})
        listings: dict[str, list[Listing]] = {}
        if ends:
            for row in conn.execute(
                "SELECT listing_id, entity_id, list_code, list_name, authority, program, "
                "start_date, end_date, source_url FROM listings "
                "WHERE list_contains(?, entity_id) ORDER BY listing_id",
                [ends],
            ).fetchall():
                listing = Listing(*row)
                listing.in_force = in_force(listing.start_date, listing.end_date, as_of)
                listings.setdefault(listing.entity_id, []).append(listing)
        return cls(paths, listings)


#: (matched id, as-of day, max depth) → that entity's paths and the listings at their ends
_Reached = tuple[list[OwnershipPath], dict[str, list[Listing]]]


class ReachCache:
    """:meth:`Reach.of` remembered per matched entity, for a holder of lists that do not change
    (a server's in-memory copy, :mod:`redline.services.lists_snapshot`): the few entities
    requests match are walked once per day instead of once per request (about 8 ms each).

    Holds at most ``size`` entities (:class:`~redline.memo.Kept`). What it returns is shared
    between callers: read it, never change it (the matcher only reads a Reach).
    """

    def __init__(self, size: int = 4096) -> None:
        self._held: Kept[tuple[str, date, int], _Reached] = Kept(size)

    def of(
        self,
        conn: duckdb.DuckDBPyConnection,
        matched_ids: Iterable[str],
        *,
        as_of: date,
        max_depth: int,
    ) -> Reach:
        """What :meth:`Reach.of` answers for the same arguments; ``conn`` is read only for
        entities not yet held."""
        wanted = list(dict.fromkeys(matched_ids))
        held = self._held.found((m, as_of, max_depth) for m in wanted)
        found = {key[0]: value for key, value in held.items()}
        missing = [m for m in wanted if m not in found]
        if missing:
            fresh = Reach.of(conn, missing, as_of=as_of, max_depth=max_depth)
            for matched_id in missing:
                paths = fresh.paths[matched_id]
                ends = {p.listed_id: fresh.listings.get(p.listed_id, []) for p in paths}
                found[matched_id] = (paths, ends)
            self._held.keep({(m, as_of, max_depth): found[m] for m in missing})
        listings: dict[str, list[Listing]] = {}
        for _, ends in found.values():
            listings.update(ends)
        return Reach({m: found[m][0] for m in wanted}, listings)
