"""The judge's view of the matcher: which known entity a supplier or vendor name is.

Reach for :func:`redline_matcher` (a :data:`Matcher`) backed by
``redline.services.match.match_names``; tests and callers may pass any function of the same
shape. The judge uses only ``matched_id``, ``score`` and the explanation: it walks ownership
and reads listings itself, because the evidence ledger must cite each edge and listing row.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from redline.engine.store import Store

if TYPE_CHECKING:  # the matcher is imported lazily (see redline_matcher)
    from redline.resolve.block import WatchIndex


@dataclass(frozen=True)
class NameQuery:
    id: str
    name: str
    country: str | None = None
    identifier: str | None = None


@dataclass(frozen=True)
class NameHit:
    """One query met a known entity (``matched_id``) that is, or is owned by, a listed one."""

    query_id: str
    matched_id: str
    entity_id: str
    score: float
    explanation: str
    member: str | None = None  # the consortium member the match names, when a joint bid


Matcher = Callable[[Store, Sequence[NameQuery], date], list[NameHit]]


def redline_matcher(
    store: Store,
    queries: Sequence[NameQuery],
    as_of: date,
    *,
    engine: str = "duckdb",
    spark_master: str | None = None,
    watch: WatchIndex | None = None,
) -> list[NameHit]:
    """Run the project's matcher (imported lazily so the judge loads without it).

    Matches whose listing is not in force at ``as_of`` count too: the judge decides with the
    listing dates whether the supplier was listed at the award date. ``engine`` and
    ``spark_master`` say where blocking runs (see ``match_names``), ``watch`` is the index of
    the store's lists when the caller built it already; bind them with ``functools.partial``
    to get a :data:`Matcher`.
    """
    from redline.services.match import Query, match_names

    asked = [Query(q.id, q.name, q.country, q.identifier) for q in queries]
    hits: list[NameHit] = []
    found = match_names(
        store, asked, as_of=as_of, engine=engine, spark_master=spark_master, watch=watch
    )
    for result in found:
        for match in [*result.matches, *result.not_in_force]:
            explanation = json.dumps(match.explanation, ensure_ascii=False, sort_keys=True,
                                     default=str)  # fmt: skip
            name = match.explanation.get("name") or {}
            member = str(name["query_name"]) if name.get("consortium_member") else None
            hits.append(
                NameHit(
                    result.id, match.matched_id, match.entity_id, match.score, explanation, member
                )
            )
    return hits
