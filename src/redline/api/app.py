"""The HTTP API behind ``redline serve``: FastAPI over one open store.

Reach for :func:`create_app` to serve a store (``redline serve`` does) or to test the API.
Routes live per area (:mod:`.match`, :mod:`.findings`); errors map to HTTP in
:mod:`.errors`; keys in :mod:`.security`. The dashboard in :mod:`redline.web` is mounted at
``/`` and calls these same endpoints.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from redline import __version__
from redline.api import docs, errors, findings, guards, match
from redline.api.deps import Cursor
from redline.api.errors import ERRORS
from redline.api.screening import ScreenWorker
from redline.api.security import Access
from redline.services.read.coverage import totals
from redline.settings import get_settings
from redline.store.db import Store
from redline.store.shared import SharedStore


def create_app(
    store_path: Path, *, data_dir: Path | None = None, host: str | None = None
) -> FastAPI:
    """An app serving the store at ``store_path``, opened per request (see :mod:`.deps`);
    ``host`` is the interface the server binds, a host name requests may name besides
    ``REDLINE_API_HOSTS``."""
    access = Access.from_settings()
    settings = get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # migrated once here (a missing store is refused, never created); then no connection
        # is held between requests: the CLI may write the store meanwhile
        Store(store_path, create=False).close()
        app.state.shared = SharedStore(store_path)
        app.state.screens.start()
        try:
            yield
        finally:
            app.state.screens.stop()

    app = FastAPI(
        title="Redline API",
        version=__version__,
        summary="Screen procurement for vendors tied to foreign military or security services.",
        description="Read endpoints are open to loopback clients by default; endpoints that "
        "change the store need an API key (`X-API-Key`). `POST /match/{dataset}` speaks the "
        "OpenSanctions yente matching format.",
        lifespan=lifespan,
        responses=ERRORS,
        docs_url=None,  # served with local assets by docs.install (the defaults use a CDN)
        redoc_url=None,
    )
    app.state.access = access
    app.state.data_dir = data_dir or settings.data
    app.state.screens = ScreenWorker(settings.api_timeout)
    errors.install(app)
    app.include_router(match.router)
    app.include_router(findings.router)
    docs.install(app)

    @app.get("/healthz", tags=["meta"])
    def healthz(cur: Cursor) -> dict[str, Any]:
        """Liveness and what the store holds (its file name; no server path is shown)."""
        held = totals(cur)
        return {"status": "ok", "version": __version__, "findings": held.findings,
                "entities": held.entities, "store": store_path.name}  # fmt: skip

    web = Path(__file__).resolve().parents[1] / "web"
    app.mount("/", StaticFiles(directory=web, html=True), name="web")
    hosts = guards.allowed_hosts(settings.api_hosts, host)
    guards.install(app, max_body=settings.api_max_body, hosts=hosts)
    return app
