"""The yente wire format: scored results, ``/algorithms`` and ``/catalog`` as yente clients read
them (OpenSanctions yente ``data/common.py``: ``ScoredEntityResponse``, ``AlgorithmResponse``,
``DataCatalogModel``).

Reach for :func:`scored_results` to turn Redline matcher hits into yente results. A result is
the entity the query's name MATCHED (as yente returns it); when that entity is not listed
itself but leads to a listed owner, the path is in ``explanations["ownership"]`` and in the
Redline extra ``redline.listed`` (yente clients ignore unknown keys). Example: "Hikvision
Digital Technology" may match a subsidiary; the result is the subsidiary, ``target`` false, and
``redline.listed[0]`` names the listed parent with its path and listings.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

import duckdb

from redline.errors import InputError, Problem
from redline.services.match import Match
from redline.services.read import entities as read

#: Redline's own matcher, the only scorer behind every name below
REDLINE = "redline"
#: the algorithm names yente documents (``/algorithms``); each is accepted and scored by
#: Redline's matcher, so a yente client's ``algorithm=best`` or ``logic-v2`` keeps working
YENTE_ALGORITHMS = (
    "best",
    "logic-v2",
    "logic-v1",
    "name-based",
    "name-qualified",
    "ofac",
    "regression-v1",
)
DESCRIPTION = (
    "Redline name matcher: normalised names and legal forms, token weights, derived initials, "
    "a country penalty, identifiers (any agreement scores 1.0), then ownership paths from the "
    "matched entity to a listed owner (up to 3 edges)."
)
#: feature → (description, coefficient) in nomenklatura's FeatureDocs shape
FEATURES = {
    "exact": ("The normalised names are identical.", 1.0),
    "fuzzy": ("Weighted token similarity of the normalised names.", 1.0),
    "initials": ("One name is the initials of the other (lifted only with support).", 1.0),
    "identifier_match": ("A registration, tax or LEI number agrees.", 1.0),
    "ownership": ("Path from the matched entity to a listed owner (not part of the score).", 0.0),
}
#: where the features are explained (a path in the Redline repository)
DOCS_URL = "docs/matching.md"


def resolve_algorithm(name: str) -> str:
    """The matcher that answers for ``name`` (always Redline's); unknown names are an error."""
    clean = name.strip().lower()
    if clean not in (REDLINE, *YENTE_ALGORITHMS):
        known = ", ".join((REDLINE, *YENTE_ALGORITHMS))
        message = f"unknown algorithm {name!r}; use {known}"
        raise InputError([Problem("query", "algorithm", message)])
    return REDLINE


def feature_docs() -> dict[str, dict[str, Any]]:
    return {
        name: {"description": text, "coefficient": coef, "url": DOCS_URL}
        for name, (text, coef) in FEATURES.items()
    }


def algorithms() -> dict[str, Any]:
    """``GET /algorithms`` in yente's ``AlgorithmResponse`` shape."""
    docs = feature_docs()
    entries = [{"name": REDLINE, "description": DESCRIPTION, "features": docs,
                "docs": {"name": REDLINE, "description": DESCRIPTION, "config": {},
                         "features": docs}}]  # fmt: skip
    for name in YENTE_ALGORITHMS:
        text = f"Accepted for yente compatibility; scored by Redline's matcher. {DESCRIPTION}"
        entries.append({"name": name, "description": text, "features": docs,
                        "docs": {"name": name, "description": text, "config": {},
                                 "features": docs}})  # fmt: skip
    return {"algorithms": entries, "default": REDLINE, "best": REDLINE}


def catalog(cur: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """``GET /catalog`` in yente's ``DataCatalogModel`` shape: each entity dataset, and the
    ``default`` collection of all of them. The version is the time of the last list load."""
    version = read.lists_version(cur) or "static"
    names = sorted(read.datasets(cur))
    base = {"summary": None, "url": None, "entities_url": None, "version": version,
            "index_version": version, "index_current": True}  # fmt: skip
    entries: list[dict[str, Any]] = [
        {**base, "name": n, "title": n, "load": True, "children": []} for n in names
    ]
    entries.append({**base, "name": "default", "title": "All Redline watchlists",
                    "load": False, "children": names})  # fmt: skip
    return {"datasets": entries, "current": [*names, "default"], "outdated": [],
            "index_stale": False}  # fmt: skip


def _features(hit: Match) -> tuple[dict[str, float], dict[str, dict[str, Any]]]:
    """Scoring features and their FeatureResult-shaped explanations (detail, score, query,
    candidate, plus Redline's own detail under extra keys)."""
    features: dict[str, float] = {}
    explanations: dict[str, dict[str, Any]] = {}
    name = hit.explanation.get("name") or {}
    if name:
        feature = str(name.get("feature") or "fuzzy")
        features[feature] = hit.score
        explanations[feature] = {
            "detail": f"{name.get('query_name')!r} ~ {name.get('list_name')!r}",
            "score": hit.score, "query": name.get("query_name"),
            "candidate": name.get("list_name"), "name": name,
        }  # fmt: skip
    idents = hit.explanation.get("identifiers") or []
    if idents:
        features["identifier_match"] = 1.0
        value = ", ".join(f"{i['scheme']}:{i['value']}" for i in idents)
        explanations["identifier_match"] = {"detail": "identifier agrees", "score": 1.0,
                                            "query": value, "candidate": value,
                                            "identifiers": idents}  # fmt: skip
    return features, explanations


def scored_results(
    summaries: Callable[[Sequence[str]], dict[str, dict[str, Any]]],
    hits: list[Match],
    *,
    threshold: float,
    limit: int,
) -> tuple[int, list[dict[str, Any]]]:
    """Hits (matched entity → listed entity) → (total, yente results of MATCHED entities).

    One result per matched entity with its best score; every listed entity it leads to is in
    ``redline.listed`` with path, ownership edges and listings. ``summaries`` reads the
    entities shown (:meth:`~redline.services.lists_snapshot.ListsSnapshot.summaries`).
    """
    by_matched: dict[str, list[Match]] = defaultdict(list)
    for hit in hits:
        by_matched[hit.matched_id].append(hit)
    ranked = sorted(by_matched.items(), key=lambda kv: (-max(h.score for h in kv[1]), kv[0]))
    shown = ranked[:limit]
    ids = sorted({i for _, group in shown for h in group for i in (h.matched_id, h.entity_id)})
    known = summaries(ids)
    results = []
    for matched_id, group in shown:
        group.sort(key=lambda h: (-h.score, len(h.path), h.entity_id))
        best = group[0]
        entity = known.get(matched_id) or {"caption": matched_id, "schema": "LegalEntity",
                                           "dataset": "", "referents": [], "properties": {},
                                           "target": False}  # fmt: skip
        features, explanations = _features(best)
        listed = []
        for hit in group:
            ownership = hit.explanation.get("ownership") or {}
            caption = (known.get(hit.entity_id) or {}).get("caption")
            listed.append({"id": hit.entity_id, "caption": caption, "path": hit.path,
                           "wording": ownership.get("wording"),
                           "edges": ownership.get("edges") or [],
                           "listings": hit.listings})  # fmt: skip
        owned = [x for x in listed if x["id"] != matched_id]
        if owned:
            first = owned[0]
            explanations["ownership"] = {
                "detail": f"{entity['caption']} {first['wording']} {first['caption']}",
                "score": best.score, "query": entity["caption"], "candidate": first["caption"],
                "path": first["path"], "edges": first["edges"],
            }  # fmt: skip
        results.append({
            "id": matched_id, "caption": entity["caption"], "schema": entity["schema"],
            "properties": entity["properties"], "datasets": [entity["dataset"]],
            "referents": entity["referents"], "target": entity["target"],
            # yente's first/last seen are index times; Redline keeps none per entity
            "first_seen": None, "last_seen": None, "last_change": None,
            "score": best.score, "match": best.score >= threshold,
            "features": features, "explanations": explanations,
            "redline": {"listed": listed},
        })  # fmt: skip
    return len(ranked), results
