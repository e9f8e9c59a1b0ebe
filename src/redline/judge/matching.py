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
from typing import Any

from redline.engine.store import Store


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


Matcher = Callable[[Store, Sequence[NameQuery], date], list[NameHit]]


def _get(obj: Any, name: str) -> Any:
    return obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)


def _explain(raw: Any) -> str:
    if raw is None or isinstance(raw, str):
        return raw or ""
    if hasattr(raw, "to_dict"):
        raw = raw.to_dict()
    return json.dumps(raw, ensure_ascii=False, sort_keys=True, default=str)


def redline_matcher(store: Store, queries: Sequence[NameQuery], as_of: date) -> list[NameHit]:
    """Run the project's matcher; imported lazily so the judge loads without it."""
    from redline.services import match as match_service

    query_type = match_service.Query
    asked = [
        query_type(id=q.id, name=q.name, country=q.country, identifier=q.identifier)
        for q in queries
    ]
    hits: list[NameHit] = []
    for result in match_service.match_names(store, asked, as_of=as_of):
        query_id = str(_get(result, "id") or _get(_get(result, "query"), "id"))
        for match in _get(result, "matches") or []:
            hits.append(
                NameHit(
                    query_id=query_id,
                    matched_id=str(_get(match, "matched_id")),
                    entity_id=str(_get(match, "entity_id")),
                    score=float(_get(match, "score")),
                    explanation=_explain(_get(match, "explanation")),
                )
            )
    return hits
