"""The HTTP API behind ``redline serve``: FastAPI over one open store.

Reach for :func:`create_app` to serve a store (``redline serve`` does) or to test the API.
Routes live per area (:mod:`.match`, :mod:`.findings`); errors map to HTTP in
:mod:`.errors`; keys in :mod:`.security`. The dashboard in :mod:`redline.web` is mounted at
``/`` and calls these same endpoints.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from redline import __version__
from redline.api import errors, findings, match
from redline.api.deps import Cursor
from redline.api.errors import error_body
from redline.api.security import Access
from redline.services.read.coverage import totals
from redline.settings import get_settings
from redline.store.db import Store
from redline.store.shared import SharedStore

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with 413, whether or not the client sent a
    Content-Length (a chunked upload is counted as it streams)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length", b"0")
        if declared.isdigit() and int(declared) > self.limit:
            await _too_large(send, self.limit)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise _TooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except _TooLarge:
            await _too_large(send, self.limit)


class _TooLarge(Exception):
    pass


async def _too_large(send: Send, limit: int) -> None:
    import orjson

    body = orjson.dumps(error_body(413, "too_large", f"request body over {limit} bytes"))
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json")]})  # fmt: skip
    await send({"type": "http.response.body", "body": body})


def create_app(store_path: Path, *, data_dir: Path | None = None) -> FastAPI:
    """An app serving the store at ``store_path``, opened per request (see :mod:`.deps`)."""
    access = Access.from_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # migrated once here (a missing store is refused, never created); then no connection
        # is held between requests: the CLI may write the store meanwhile
        Store(store_path, create=False).close()
        app.state.shared = SharedStore(store_path)
        yield

    app = FastAPI(
        title="Redline API",
        version=__version__,
        summary="Screen procurement for vendors tied to foreign military or security services.",
        description="Read endpoints are open to loopback clients by default; endpoints that "
        "change the store need an API key (`X-API-Key`). `POST /match/{dataset}` speaks the "
        "OpenSanctions yente matching format.",
        lifespan=lifespan,
    )
    app.state.access = access
    app.state.data_dir = data_dir or get_settings().data
    errors.install(app)
    app.include_router(match.router)
    app.include_router(findings.router)

    @app.get("/healthz", tags=["meta"])
    def healthz(cur: Cursor) -> dict[str, Any]:
        """Liveness and what the store holds."""
        held = totals(cur)
        return {"status": "ok", "version": __version__, "findings": held.findings,
                "entities": held.entities, "store": str(store_path)}  # fmt: skip

    web = Path(__file__).resolve().parents[1] / "web"
    app.mount("/", StaticFiles(directory=web, html=True), name="web")
    app.add_middleware(BodyLimit, limit=get_settings().api_max_body)
    return app
