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
import pyarrow as pa
from fastapi import APIRouter, Body, Depends, HTTPException, Query, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from redline.api.deps import Cursor, LockedStore
from redline.api.errors import ERRORS
from redline.api.security import reader, writer
from redline.errors import InputError, Problem
from redline.model.strength import Strength as StrengthLevel
from redline.services.dashboard import buyer_chart
from redline.services.export import COLUMNS, findings_xlsx
from redline.services.read import findings as read
from redline.services.read.base import Page
from redline.services.read.briefing_sections import list_names
from redline.services.read.coverage import coverage
from redline.services.read.language import localise_rows, sector_names, strength_names
from redline.services.review import review_finding, review_state
from redline.services.serve import ingest_package, lists_snapshot, release_count
from redline.settings import get_settings
from redline.store.shared import SharedStore

router = APIRouter(tags=["findings"], responses=ERRORS)
Severity = Annotated[str | None, Query(pattern="^(breach|high|watch|review)$")]
Text = Annotated[str | None, Query(min_length=1, max_length=200)]
#: a SYNTHETIC release, the example of the OpenAPI document (it is screened, and passes)
EXAMPLE = {"ocid": "ocds-synthetic-1", "id": "synthetic-1", "date": "2023-01-01T00:00:00Z",
           "tag": ["award"], "parties": [{"id": "s1", "name": "Synthetic Supplier SA",
                                          "roles": ["supplier"]}]}  # fmt: skip
#: what the body must be (checked by ``as_package``): a release package, a record package or
#: one release; what is inside each release is checked per release and reported in ``rejected``
PACKAGE_SCHEMA = {
    "type": "object",
    "anyOf": [
        {"required": ["releases"], "properties": {"releases": {"type": "array"}}},
        {"required": ["records"], "properties": {"records": {"type": "array"}}},
        {"required": ["ocid"], "properties": {"ocid": {"type": "string", "minLength": 1}}},
    ],
}
Package = Annotated[dict[str, Any], Body(examples=[EXAMPLE], json_schema_extra=PACKAGE_SCHEMA)]
#: an ISO 8601 date or date-time (a bare number is not one, though pydantic would read it so)
SINCE = r"^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?)?$"
Lang = Annotated[Literal["en", "es"] | None, Query()]
Strength = Annotated[StrengthLevel | None, Query()]
Column = Annotated[str | None, Query(pattern="^(" + "|".join(COLUMNS) + ")$")]
#: an ISO day (YYYY-MM-DD); typed as text because pydantic would read a bare number as a date
Day = Annotated[
    str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$", json_schema_extra={"format": "date"})
]


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:  # 2026-02-30: the right shape, not a day
        raise HTTPException(422, f"not a real day: {text}") from exc


def _page(page: Page) -> dict[str, Any]:
    return {"total": page.total, "limit": page.limit, "offset": page.offset, "items": page.items}


def finding_filter(
    sector: Annotated[str | None, Query(pattern="^[a-z0-9_]{1,64}$")] = None,
    severity: Severity = None,
    buyer: Text = None,
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    vendor: Text = None,
    q: Text = None,
    list_code: Annotated[str | None, Query(alias="list", pattern="^[a-z0-9-]{1,64}$")] = None,
    listed: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
    date_from: Day = None,
    date_to: Day = None,
    strength: Strength = None,
) -> read.FindingFilter:
    """The filters ``/findings`` and ``/findings.xlsx`` share (all optional, ANDed)."""
    return read.FindingFilter(sector, severity, buyer, year, vendor, q, None, list_code, listed,
                              _day(date_from), _day(date_to), strength)  # fmt: skip


Filters = Annotated[read.FindingFilter, Depends(finding_filter)]


@router.get("/findings", dependencies=[Depends(reader)])
def list_findings(
    cur: Cursor,
    filt: Filters,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    lang: Lang = None,
) -> dict[str, Any]:
    """Stored findings, strongest evidence and most severe first; every filter optional and
    combined with AND. ``lang=es`` (or ``en``) adds each finding's sector name, sentence,
    evidence strength and list names in that language, from the reviewed data files."""
    page = read.findings_page(cur, filt, limit=limit, offset=offset)
    if lang:
        page = Page(page.total, page.limit, page.offset,
                    localise_rows(cur, page.items, lang))  # fmt: skip
    return _page(page)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    "/findings.xlsx",
    dependencies=[Depends(reader)],
    response_class=Response,
    responses={200: {"content": {XLSX: {}}, "description": "The findings as a workbook."}},
)
def export_findings(
    cur: Cursor,
    filt: Filters,
    lang: Lang = None,
    sort: Column = None,
    desc: bool = False,
) -> Response:
    """The findings the same filters keep, as an Excel workbook in ``lang`` (Spanish by
    default, as the dashboard), sorted on column ``sort`` (``desc`` reverses): the
    dashboard's XLSX export of its current view."""
    body = findings_xlsx(cur, filt, lang or "es", sort=sort, desc=desc)
    name = "redline-hallazgos.xlsx" if (lang or "es") == "es" else "redline-findings.xlsx"
    return Response(body, media_type=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip


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
    if read.finding_detail(store.conn, finding_id) is None:
        raise HTTPException(404, f"finding {finding_id!r} not found")
    review_finding(store, finding_id, body.action, body.note, body.by or "api")
    return review_state(store, finding_id)


@router.get("/alerts", dependencies=[Depends(reader)])
def alerts(
    cur: Cursor,
    since: Annotated[
        str,
        Query(
            pattern=SINCE,
            json_schema_extra={"format": "date-time"},
            examples=["2024-01-01T00:00:00Z"],
        ),
    ],
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    """Findings first seen (``change: new``) or changed since ``since`` (ISO 8601)."""
    try:
        when = datetime.fromisoformat(since.upper())
    except ValueError as exc:
        raise InputError([Problem("query", "since", f"not a date: {exc}")]) from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return _page(read.alerts(cur, when, limit=limit))


@router.get("/overview", dependencies=[Depends(reader)])
def overview(cur: Cursor, lang: Lang = None) -> dict[str, Any]:
    """What the dashboard's first page shows: totals, sector × severity, trends, coverage,
    and the sector names and list names in ``lang`` (English without it)."""
    return {
        "sector_names": sector_names(lang or "en"),
        "strength_names": strength_names(lang or "en"),
        "list_names": list_names(cur)[0],
        "severity": read.severity_totals(cur),
        "by_sector_severity": [asdict(r) for r in read.by_sector_severity(cur)],
        "trends": [asdict(t) for t in read.trends(cur)],
        "by_buyer_year": [asdict(b) for b in read.by_buyer_year(cur)],
        "coverage": coverage(cur),
    }


@router.get(
    "/charts/buyers.svg",
    dependencies=[Depends(reader)],
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}, "description": "The chart as SVG."}},
)
def buyers_chart(cur: Cursor, lang: Lang = None) -> Response:
    """Findings and awarded value by buyer and award year (Vega-Lite rendered to SVG on the
    server), in ``lang`` (Spanish by default, as the dashboard); an empty SVG when no finding
    has an award date."""
    svg = buyer_chart(cur, lang or "es") or '<svg xmlns="http://www.w3.org/2000/svg"/>'
    return Response(svg, media_type="image/svg+xml")


def _batch_limit(package: dict[str, Any]) -> None:
    most = get_settings().api_max_releases
    count = release_count(package)
    if count > most:
        raise HTTPException(413, f"{count} releases posted; at most {most} per request "
                            "(REDLINE_API_MAX_RELEASES)")  # fmt: skip


@router.post("/screen", dependencies=[Depends(reader)])
async def screen(request: Request, package: Package) -> dict[str, Any]:
    """Judge an OCDS release, release package or record package against the stored lists;
    nothing is written to the store. Runs in a worker process: at most
    ``REDLINE_API_MAX_RELEASES`` releases, ``REDLINE_API_TIMEOUT`` seconds."""
    _batch_limit(package)
    state = request.app.state
    lists = await run_in_threadpool(_snapshot, state.shared)
    result = await state.screens.screen(lists, package, state.data_dir)
    return {**result, "findings": [orjson.loads(f) for f in result["findings"]]}


def _snapshot(shared: SharedStore) -> dict[str, pa.Table]:
    with shared.reading() as store:  # opened for this read only: the CLI may write meanwhile
        return lists_snapshot(store.conn)


@router.post("/ingest", dependencies=[Depends(writer)], status_code=201)
def ingest(
    request: Request, package: Package, store: LockedStore,
    screen: bool = False,
) -> dict[str, Any]:  # fmt: skip
    """Add an OCDS release or package to the store (API key); ``screen=true`` re-screens."""
    _batch_limit(package)
    return ingest_package(store, package, data_dir=request.app.state.data_dir, screen=screen)
