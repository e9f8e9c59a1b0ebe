"""Entity routes: yente-compatible ``POST /match/{dataset}``, ``GET /search``, ``GET /entities``.

Reach for ``/match`` from any client written for the OpenSanctions yente API: the request is
``{"queries": {"q1": {"schema": "Company", "properties": {"name": ["Nuctech"]}}}}`` and the
answer ``{"responses": {"q1": {"status": 200, "results": [{"id", "caption", "schema",
"properties", "datasets", "score", "match", "features", "explanations"}], "total": {...},
"query": {...}}}, "matcher": {...}, "limit": 5}``. A result is the entity that MATCHED (as in
yente); when it leads to a listed owner, ``explanations.ownership`` and ``redline.listed`` carry
the path (see :mod:`redline.api.yente`). ``/algorithms`` and ``/catalog`` answer as yente's do.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query
from followthemoney import model
from pydantic import BaseModel, ConfigDict, Field, JsonValue, StringConstraints

from redline.api import yente
from redline.api.deps import Cursor, Lists, ReadStore
from redline.api.errors import ERRORS
from redline.api.security import reader
from redline.errors import InputError, Problem
from redline.services.match import Query as NameQuery
from redline.services.match import match_names
from redline.services.read import entities as read
from redline.services.search import search as search_all
from redline.store.db import Store

router = APIRouter(tags=["entities"], dependencies=[Depends(reader)], responses=ERRORS)

#: FtM properties whose values are sent to the matcher as identifiers
ID_PROPS = ("registrationNumber", "taxNumber", "leiCode", "innCode", "ogrnCode", "idNumber")
MAX_QUERIES = 100


#: the FtM schemata a query may name: those of organisations and people (LegalEntity and below)
MATCHABLE: list[JsonValue] = [
    *sorted(s.name for s in model.schemata.values() if s.is_a("LegalEntity"))
]
#: a value with something in it (blank names are no names)
Filled = Annotated[str, StringConstraints(pattern=r"\S")]
Algorithm = Literal["redline", "best", "logic-v2", "logic-v1", "name-based", "name-qualified",
                    "ofac", "regression-v1"]  # fmt: skip


class QueryProperties(BaseModel):
    """FtM properties of a query: ``name`` (one or more) and any others, strings or lists."""

    model_config = ConfigDict(extra="allow")
    name: Filled | Annotated[list[Filled], Field(min_length=1)]
    __pydantic_extra__: dict[str, str | list[str]] = Field(init=False)


class EntityExample(BaseModel):
    """One yente query: an FtM schema and properties (values as strings or lists)."""

    model_config = ConfigDict(populate_by_name=True)
    id: str | None = None
    schema_: str = Field(
        ..., alias="schema", examples=["Company"], json_schema_extra={"enum": MATCHABLE}
    )
    properties: QueryProperties = Field(..., examples=[{"name": ["Nuctech"]}])


class MatchRequest(BaseModel):
    queries: dict[str, EntityExample] = Field(..., max_length=MAX_QUERIES)
    weights: dict[str, float] = Field(default_factory=dict)


def _values(example: EntityExample, prop: str) -> list[str]:
    raw = example.properties.model_dump().get(prop, [])
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


@router.post("/match/{dataset}")
def match_entities(
    dataset: str,
    body: MatchRequest,
    lists: Lists,
    limit: Annotated[int, Query(ge=1, le=500)] = 5,
    threshold: Annotated[float, Query(ge=0, le=1)] = 0.85,
    cutoff: Annotated[float, Query(ge=0, le=1)] = 0.5,
    algorithm: Algorithm = "redline",
) -> dict[str, Any]:
    """Match entities the yente way. Results scoring at least ``cutoff`` (never above
    ``threshold``) are returned, at most ``limit`` per query; ``match`` is true at
    ``threshold``. ``algorithm`` takes yente's names, all scored by Redline's matcher."""
    used = yente.resolve_algorithm(algorithm)
    # the lists in memory (copied when the store last changed): no store opened per request
    cur = lists.store.conn.cursor()
    store = Store.over(cur, lists.store.path)
    try:
        known = lists.datasets()
        if dataset not in {"default", "redline", *known}:
            raise HTTPException(404, f"dataset {dataset!r} not found; known: {sorted(known)}")
        per_key = {key: _name_queries(key, ex) for key, ex in body.queries.items()}
        flat = [q for qs in per_key.values() for q in qs]
        floor = min(cutoff, threshold)  # as yente: a cutoff above the threshold is lowered
        results = match_names(store, flat, threshold=floor, watch=lists.watch, reach=lists.reach)
        in_dataset = read.ids_in_dataset(cur, dataset) if dataset in known else None
        responses: dict[str, Any] = {}
        for key, example in body.queries.items():
            hits = [h for r in results if r.id.split("\x1f", 1)[0] == key for h in r.matches
                    if in_dataset is None or h.matched_id in in_dataset]  # fmt: skip
            total, scored = yente.scored_results(
                lists.summaries, hits, threshold=threshold, limit=limit
            )
            responses[key] = {
                "status": 200,
                "results": scored,
                "total": {"value": total, "relation": "eq"},
                "query": example.model_dump(by_alias=True),
            }
    finally:
        cur.close()
    return {
        "responses": responses,
        "matcher": yente.feature_docs(),
        "limit": limit,
        "algorithm": {"requested": algorithm, "used": used},
    }


@router.get("/algorithms")
def algorithms() -> dict[str, Any]:
    """The algorithm names ``/match`` accepts (yente's, mapped to Redline's matcher)."""
    return yente.algorithms()


@router.get("/catalog")
def catalog(cur: Cursor) -> dict[str, Any]:
    """The datasets ``/match/{dataset}`` can be scoped to, in yente's catalog shape."""
    return yente.catalog(cur)


@router.get("/search")
def search(
    store: ReadStore,
    q: Annotated[str, Query(min_length=1, max_length=200, pattern=r"\S")],
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> dict[str, Any]:
    """Watchlist entities for ``q``, exact and alias matches first, then what the matcher
    finds (Chinese script included), then names starting with or containing ``q``; each
    with its ``reason``. ``contracts`` and ``buyers`` are the procurement processes and buyers
    whose text holds ``q`` (first ``limit`` of each)."""
    found = search_all(store, q.strip(), limit=limit, offset=offset)
    return {**found, "total": {"value": found["total"], "relation": "eq"}, "limit": limit,
            "offset": offset}  # fmt: skip


@router.get("/entities/{entity_id}")
def entity(entity_id: str, cur: Cursor) -> dict[str, Any]:
    """An entity with its listings (dates, sources), owners and subsidiaries."""
    found = read.entity_detail(cur, entity_id)
    if found is None:
        raise HTTPException(404, f"entity {entity_id!r} not found")
    return found
