"""Finding routes: list with filters, detail, alerts, overview, screen a package, ingest one.

Reach for ``GET /findings?sector=border_inspection&severity=breach`` to page through stored
findings, ``GET /alerts?since=2024-01-01T00:00:00Z`` for what is new or changed, ``POST
/screen`` to judge an OCDS release or package without storing it, and ``POST /ingest`` (API
key) to add one to the store. Every number comes from the read model
(:mod:`redline.services.read`), the queries the briefing prints from.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Body, Depends, HTTPException, Query, Request
from pydantic import BaseModel, Field

from redline.api.deps import Cursor, LockedStore
from redline.api.security import reader, writer
from redline.services.read import findings as read
from redline.services.read.base import Page
from redline.services.read.briefing_sections import list_names
from redline.services.read.coverage import coverage
from redline.services.read.language import localise_rows, sector_names
from redline.services.review import review_finding, review_state
from redline.services.serve import ingest_package, screen_package

router = APIRouter(tags=["findings"])
Severity = Annotated[str | None, Query(pattern="^(breach|high|watch)$")]
Text = Annotated[str | None, Query(min_length=1, max_length=200)]
Lang = Annotated[Literal["en", "es"] | None, Query()]
Package = Annotated[dict[str, Any], Body(examples=[{"releases": [{"ocid": "ocds-x-1"}]}])]


def _page(page: Page) -> dict[str, Any]:
    return {"total": page.total, "limit": page.limit, "offset": page.offset, "items": page.items}


@router.get("/findings", dependencies=[Depends(reader)])
def list_findings(
    cur: Cursor,
    sector: Annotated[str | None, Query(pattern="^[a-z0-9_]{1,64}$")] = None,
    severity: Severity = None,
    buyer: Text = None,
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    vendor: Text = None,
    q: Text = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    list_code: Annotated[str | None, Query(alias="list", pattern="^[a-z0-9-]{1,64}$")] = None,
    listed: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
    date_from: date | None = None,
    date_to: date | None = None,
    lang: Lang = None,
) -> dict[str, Any]:
    """Stored findings, most severe first; every filter optional and combined with AND.
    ``lang=es`` (or ``en``) adds each finding's sector name, sentence and list names in that
    language, from the reviewed data files."""
    filt = read.FindingFilter(sector, severity, buyer, year, vendor, q, None, list_code, listed,
                              date_from, date_to)  # fmt: skip
    page = read.findings_page(cur, filt, limit=limit, offset=offset)
    if lang:
        page = Page(page.total, page.limit, page.offset,
                    localise_rows(cur, page.items, lang))  # fmt: skip
    return _page(page)


@router.get("/findings/{finding_id}", dependencies=[Depends(reader)])
def get_finding(finding_id: str, cur: Cursor, lang: Lang = None) -> dict[str, Any]:
    """One finding with evidence, ownership graph, alternatives and guard rails; ``lang``
    gives its reader-facing text in that language."""
    found = read.finding_detail(cur, finding_id)
    if found is None:
        raise HTTPException(404, f"finding {finding_id!r} not found")
    return localise_rows(cur, [found], lang)[0] if lang else found


class ReviewBody(BaseModel):
    """An analyst's act on a finding, as ``redline review`` takes it."""

    action: Literal["confirm", "dismiss", "reopen"]
    note: str = Field("", max_length=2000)
    by: str = Field("", max_length=200, description="Who reviews; default 'api'.")


@router.post("/findings/{finding_id}/review", dependencies=[Depends(writer)], status_code=201)
def review(finding_id: str, body: ReviewBody, store: LockedStore) -> dict[str, Any]:
    """Confirm, dismiss or reopen a finding (API key); returns its review and audit trail. A
    dismissal stands across re-screens until the finding's evidence changes."""
    review_finding(store, finding_id, body.action, body.note, body.by or "api")
    return review_state(store, finding_id)


@router.get("/alerts", dependencies=[Depends(reader)])
def alerts(
    cur: Cursor,
    since: datetime,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    """Findings first seen (``change: new``) or changed since ``since`` (ISO 8601)."""
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return _page(read.alerts(cur, since, limit=limit))


@router.get("/overview", dependencies=[Depends(reader)])
def overview(cur: Cursor, lang: Lang = None) -> dict[str, Any]:
    """What the dashboard's first page shows: totals, sector × severity, trends, coverage,
    and the sector names and list names in ``lang`` (English without it)."""
    return {
        "sector_names": sector_names(lang or "en"),
        "list_names": list_names(cur)[0],
        "severity": read.severity_totals(cur),
        "by_sector_severity": [asdict(r) for r in read.by_sector_severity(cur)],
        "trends": [asdict(t) for t in read.trends(cur)],
        "coverage": coverage(cur),
    }


@router.post("/screen", dependencies=[Depends(reader)])
def screen(request: Request, package: Package, store: LockedStore) -> dict[str, Any]:
    """Judge an OCDS release, release package or record package against the stored lists;
    nothing is written to the store."""
    result = screen_package(store, package, data_dir=request.app.state.data_dir)
    return {**result, "findings": [orjson.loads(f) for f in result["findings"]]}


@router.post("/ingest", dependencies=[Depends(writer)], status_code=201)
def ingest(
    request: Request, package: Package, store: LockedStore,
    screen: bool = False,
) -> dict[str, Any]:  # fmt: skip
    """Add an OCDS release or package to the store (API key); ``screen=true`` re-screens."""
    return ingest_package(store, package, data_dir=request.app.state.data_dir, screen=screen)
