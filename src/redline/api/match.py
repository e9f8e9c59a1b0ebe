"""Entity routes: yente-compatible ``POST /match/{dataset}``, ``GET /search``, ``GET /entities``.

Reach for ``/match`` from any client written for the OpenSanctions yente API: the request is
``{"queries": {"q1": {"schema": "Company", "properties": {"name": ["Nuctech"]}}}}`` and the
answer ``{"responses": {"q1": {"status": 200, "results": [{"id", "caption", "schema",
"properties", "datasets", "score", "match", "features", "explanations"}], "total": {...},
"query": {...}}}, "matcher": {...}, "limit": 5}``. A result is a *listed* entity; when the
name matched a subsidiary, ``explanations.ownership`` carries the path.
"""

from __future__ import annotations

from typing import Annotated, Any

import duckdb
import orjson
from fastapi import APIRouter, Depends, HTTPException, Query
from followthemoney import model
from pydantic import BaseModel, ConfigDict, Field

from redline.api.deps import cursor, locked_store
from redline.api.security import reader
from redline.engine.store import Store
from redline.errors import InputError, Problem
from redline.report import queries
from redline.services.match import Query as NameQuery
from redline.services.match import match_names

router = APIRouter(tags=["entities"], dependencies=[Depends(reader)])

#: FtM properties whose values are sent to the matcher as identifiers
ID_PROPS = ("registrationNumber", "taxNumber", "leiCode", "innCode", "ogrnCode", "idNumber")
MAX_QUERIES = 100


class EntityExample(BaseModel):
    """One yente query: an FtM schema and properties (values as strings or lists)."""

    model_config = ConfigDict(populate_by_name=True)
    id: str | None = None
    schema_: str = Field(..., alias="schema", examples=["Company"])
    properties: dict[str, str | list[str]] = Field(..., examples=[{"name": ["Nuctech"]}])


class MatchRequest(BaseModel):
    queries: dict[str, EntityExample] = Field(..., max_length=MAX_QUERIES)
    weights: dict[str, float] = Field(default_factory=dict)


def _values(example: EntityExample, prop: str) -> list[str]:
    raw = example.properties.get(prop, [])
    items = [raw] if isinstance(raw, str) else raw
    return [v.strip() for v in items if v and v.strip()]


def _name_queries(key: str, example: EntityExample) -> list[NameQuery]:
    """yente queries → Redline name queries (one per name; first country and identifier)."""
    problems = []
    schema = model.get(example.schema_)
    if schema is None:
        problems.append(Problem(f"queries.{key}", "schema", f"unknown schema {example.schema_!r}"))
    elif not schema.is_a("LegalEntity"):
        problems.append(Problem(f"queries.{key}", "schema", f"{schema.name} cannot be matched"))
    names = _values(example, "name") + _values(example, "alias")
    if not names:
        problems.append(Problem(f"queries.{key}", "properties.name", "at least one name needed"))
    if problems:
        raise InputError(problems)
    country = next(iter(_values(example, "country") + _values(example, "jurisdiction")), None)
    ident = next((v for p in ID_PROPS for v in _values(example, p)), None)
    return [NameQuery(f"{key}\x1f{i}", n, country, ident) for i, n in enumerate(names)]


def _datasets(cur: duckdb.DuckDBPyConnection) -> set[str]:
    return {str(r[0]) for r in cur.execute("SELECT DISTINCT dataset FROM entities").fetchall()}


def _result(cur: duckdb.DuckDBPyConnection, hit: Any, threshold: float) -> dict[str, Any]:
    row = cur.execute(
        "SELECT caption, schema, dataset, ftm FROM entities WHERE id = ?", [hit.entity_id]
    ).fetchone()
    caption, schema, dataset, ftm = row if row else (hit.entity_id, "LegalEntity", "", "{}")
    explanation = hit.explanation
    name = explanation.get("name") or {}
    features: dict[str, float] = {}
    explanations: dict[str, dict[str, Any]] = {}
    if name:
        feature = str(name.get("feature") or "name")
        features[feature] = hit.score
        detail = f"{name.get('query_name')!r} ~ {name.get('list_name')!r}"
        explanations[feature] = {"score": hit.score, "detail": detail, "name": name}
    if explanation.get("identifiers"):
        features["identifier_match"] = 1.0
        explanations["identifier_match"] = {"score": 1.0, "detail": "identifier agrees",
                                            "identifiers": explanation["identifiers"]}  # fmt: skip
    ownership = explanation.get("ownership") or {}
    if ownership.get("edges"):
        explanations["ownership"] = {"score": hit.score, "detail": ownership.get("wording"),
                                     "path": hit.path, "edges": ownership["edges"]}  # fmt: skip
    return {
        "id": hit.entity_id,
        "caption": caption,
        "schema": schema,
        "properties": orjson.loads(ftm).get("properties", {}),
        "datasets": [dataset],
        "referents": [],
        "target": True,
        "first_seen": None,
        "last_seen": None,
        "last_change": None,
        "score": hit.score,
        "match": hit.score >= threshold,
        "features": features,
        "explanations": explanations,
        "listings": hit.listings,
        "matched_id": hit.matched_id,
    }


@router.post("/match/{dataset}")
def match_entities(
    dataset: str,
    body: MatchRequest,
    store: Annotated[Store, Depends(locked_store)],
    limit: Annotated[int, Query(ge=1, le=500)] = 5,
    threshold: Annotated[float, Query(ge=0, le=1)] = 0.85,
    cutoff: Annotated[float, Query(ge=0, le=1)] = 0.5,
    algorithm: str = "redline",
) -> dict[str, Any]:
    """Match entities the yente way: every result scored, ``match`` true at ``threshold``."""
    cur = store.conn.cursor()
    try:
        known = _datasets(cur)
        if dataset not in {"default", "redline", *known}:
            raise HTTPException(404, f"dataset {dataset!r} not found; known: {sorted(known)}")
        per_key = {key: _name_queries(key, ex) for key, ex in body.queries.items()}
        flat = [q for qs in per_key.values() for q in qs]
        results = match_names(store, flat, threshold=min(cutoff, threshold))
        responses: dict[str, Any] = {}
        for key, example in body.queries.items():
            best: dict[str, Any] = {}
            for res in results:
                if res.id.split("\x1f", 1)[0] != key:
                    continue
                for hit in res.matches:
                    if dataset in known:
                        row = cur.execute(
                            "SELECT dataset FROM entities WHERE id = ?", [hit.entity_id]
                        ).fetchone()
                        if not row or row[0] != dataset:
                            continue
                    if hit.entity_id not in best or hit.score > best[hit.entity_id].score:
                        best[hit.entity_id] = hit
            ranked = sorted(best.values(), key=lambda h: (-h.score, h.entity_id))
            responses[key] = {
                "status": 200,
                "results": [_result(cur, h, threshold) for h in ranked[:limit]],
                "total": {"value": len(ranked), "relation": "eq"},
                "query": example.model_dump(by_alias=True),
            }
    finally:
        cur.close()
    return {
        "responses": responses,
        "matcher": {
            "name": "redline",
            "requested": algorithm,
            "description": "Redline name matcher: normalised forms, token weights, "
            "identifiers, ownership paths to listed entities",
            "features": {"identifier_match": {"description": "An identifier agrees"}},
        },
        "limit": limit,
    }


@router.get("/search")
def search(
    cur: Annotated[duckdb.DuckDBPyConnection, Depends(cursor)],
    q: Annotated[str, Query(min_length=1, max_length=200)],
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> dict[str, Any]:
    """Watchlist entities whose names contain ``q``."""
    page = queries.search_entities(cur, q, limit=limit, offset=offset)
    return {"total": {"value": page.total, "relation": "eq"}, "limit": limit, "offset": offset,
            "results": page.items}  # fmt: skip


@router.get("/entities/{entity_id}")
def entity(
    entity_id: str, cur: Annotated[duckdb.DuckDBPyConnection, Depends(cursor)]
) -> dict[str, Any]:
    """An entity with its listings (dates, sources), owners and subsidiaries."""
    found = queries.entity_detail(cur, entity_id)
    if found is None:
        raise HTTPException(404, f"entity {entity_id!r} not found")
    return found
