"""ASGI middleware around the whole API: the body limit, the trusted hosts, the last resort.

Reach for :func:`install` once in :func:`redline.api.app.create_app`. Each guard answers in the
one error shape of :mod:`redline.api.errors`:

- :class:`BodyLimit` — a body over ``REDLINE_API_MAX_BODY`` bytes is 413, whether it declared a
  Content-Length or streams chunked (counted as it arrives; FastAPI would turn an exception
  raised while reading into "400 error parsing the body", so the limit raises a 413
  :class:`HTTPException`, which FastAPI passes through).
- :class:`TrustedHosts` — a ``Host`` header not in ``REDLINE_API_HOSTS`` is 400: a page on
  another site that rebinds its DNS name to 127.0.0.1 cannot read a keyless loopback server.
- :class:`LastResort` — an exception nothing else handled is a JSON 500 naming no file and
  carrying no traceback (it is logged on the server), and the connection stays open.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

import orjson
from fastapi import FastAPI
from starlette.exceptions import HTTPException

from redline.api.errors import error_body

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger("redline.api")


async def send_error(send: Send, status: int, kind: str, message: str) -> None:
    """Answer ``status`` in the API's error shape, straight from a middleware."""
    body = orjson.dumps(error_body(status, kind, message))
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with 413, declared or chunked."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length", b"0")
        if declared.isdigit() and int(declared) > self.limit:
            await send_error(send, 413, "too_large", f"request body over {self.limit} bytes")
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise HTTPException(413, f"request body over {self.limit} bytes")
            return message

        await self.app(scope, counted, send)


def _host_of(header: bytes) -> str:
    text = header.decode("latin-1").strip().lower()
    if text.startswith("["):  # [::1]:8000
        return text[1 : text.find("]")] if "]" in text else text
    return text.rsplit(":", 1)[0] if text.count(":") == 1 else text


class TrustedHosts:
    """Answer only requests whose ``Host`` is one of ``hosts`` (``*``: any)."""

    def __init__(self, app: ASGIApp, hosts: Iterable[str]) -> None:
        self.app = app
        self.hosts = {h.strip().lower().strip("[]") for h in hosts if h.strip()}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or "*" in self.hosts:
            await self.app(scope, receive, send)
            return
        header = dict(scope.get("headers") or []).get(b"host", b"")
        if _host_of(header) not in self.hosts:
            await send_error(send, 400, "host", "host not allowed (see REDLINE_API_HOSTS)")
            return
        await self.app(scope, receive, send)


class LastResort:
    """Turn an unhandled exception into a JSON 500; log it, show the client no detail."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception:
            log.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if started:  # half a response is out: nothing honest can follow it
                raise
            await send_error(send, 500, "internal", "internal error; the server log has the cause")


def allowed_hosts(setting: str, bound: str | None) -> list[str]:
    """The host names of ``REDLINE_API_HOSTS`` plus the interface the server binds."""
    hosts = [h for h in setting.split(",") if h.strip()]
    if bound and bound not in ("0.0.0.0", "::"):
        hosts.append(bound)
    return hosts


def install(app: FastAPI, *, max_body: int, hosts: list[str]) -> None:
    """Add the guards, outermost last: hosts, then the body limit, then the last resort."""
    app.add_middleware(LastResort)
    app.add_middleware(BodyLimit, limit=max_body)
    app.add_middleware(TrustedHosts, hosts=hosts)
