"""Every error the API returns, mapped in one place and in one shape.

Reach for :func:`install` once when building the app. Whatever goes wrong — a typed
:class:`~redline.errors.RedlineError`, a request that fails validation, a 404 — the client gets
``{"error": {"status": 422, "type": "input", "message": "...", "problems": [{"source",
"position", "message"}]}}``, the same problem list the CLI prints line by line. No answer names
a file on the server: :func:`scrub` cuts every absolute path in a message or a problem's source
to its file name (``/tmp/redline-post-x1/posted-package.json`` → ``posted-package.json``).
The middleware in :mod:`.guards` answers in the same shape (413, 400 host, 500).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException
from starlette.routing import compile_path

from redline.errors import InputError, Problem, RedlineError, StoreError

#: an absolute path on a Unix server (the first folder one a system has), or a Windows drive
_PATH = re.compile(
    r"(?<![\w/.:])(?:/(?:tmp|var|home|work|usr|opt|srv|mnt|root|data|Users|private|etc|run"
    r"|media|nix)(?:/[^\s'\":,;)\]}]+)+|[A-Za-z]:\\[^\s'\":,;)\]}]+)"
)


class ProblemModel(BaseModel):
    source: str
    position: str
    message: str


class ErrorDetail(BaseModel):
    status: int
    type: str
    message: str
    problems: list[ProblemModel]


class ErrorResponse(BaseModel):
    """Every error the API returns, whatever its status."""

    error: ErrorDetail


#: the error statuses every route may answer, for the OpenAPI document (``responses=``)
ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": text}
    for status, text in (
        (400, "Host not allowed (REDLINE_API_HOSTS) or a request the server cannot read"),
        (401, "An API key is required"),
        (403, "Writing is disabled (no REDLINE_API_KEY)"),
        (404, "Not found"),
        (413, "Body over REDLINE_API_MAX_BODY or more releases than REDLINE_API_MAX_RELEASES"),
        (422, "The request or its input is invalid; one problem per entry"),
        (500, "Internal error (logged on the server; no detail is shown)"),
        (503, "Busy, timed out (REDLINE_API_TIMEOUT) or the store is unavailable"),
    )
}


def scrub(text: str) -> str:
    """``text`` with every absolute server path cut to its last part (the file's name)."""
    return _PATH.sub(lambda m: re.split(r"[/\\]", m.group(0).rstrip("/\\"))[-1], text)


def error_body(
    status: int, kind: str, message: str, problems: list[Problem] | None = None
) -> dict[str, Any]:
    return {
        "error": {
            "status": status,
            "type": kind,
            "message": scrub(message),
            "problems": [
                {"source": scrub(p.source), "position": p.position, "message": scrub(p.message)}
                for p in problems or []
            ],
        }
    }


def _json(status: int, kind: str, message: str, problems: list[Problem] | None = None,
          headers: Mapping[str, str] | None = None) -> JSONResponse:  # fmt: skip
    return JSONResponse(error_body(status, kind, message, problems), status, headers=headers)


def _status_of(exc: RedlineError) -> tuple[int, str]:
    if isinstance(exc, InputError):
        return 422, "input"
    if isinstance(exc, StoreError):
        return 503, "store"
    return 400, "redline"


async def _redline(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RedlineError)
    status, kind = _status_of(exc)
    problems = exc.problems if isinstance(exc, InputError) else []
    first = str(problems[0]) if problems else str(exc) or type(exc).__name__
    return _json(status, kind, first, problems)


async def _validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = [
        Problem(
            str(err.get("loc", ["request"])[0]),
            ".".join(str(x) for x in err.get("loc", [])[1:]),
            str(err.get("msg", "invalid")),
        )
        for err in exc.errors()
    ]
    return _json(422, "validation", str(problems[0]) if problems else "invalid request", problems)


def _allowed(request: Request) -> str | None:
    """The methods the API's routes take at this path, read from the OpenAPI document (the
    dashboard's mount at ``/`` would otherwise answer every wrong method ``GET, HEAD``)."""
    methods: set[str] = set()
    for template, operations in request.app.openapi().get("paths", {}).items():
        if compile_path(template)[0].match(request.url.path):
            methods |= {m.upper() for m in operations}
    return ", ".join(sorted(methods)) if methods else None


async def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    kinds = {401: "auth", 403: "forbidden", 404: "not_found", 405: "method", 413: "too_large"}
    headers = dict(exc.headers or {})
    status, detail = exc.status_code, str(exc.detail)
    if status in (404, 405):
        allowed = _allowed(request)
        if allowed and request.method not in allowed.split(", "):  # a route, another method
            status, detail = 405, "Method Not Allowed"
        if status == 405:
            headers["Allow"] = allowed or headers.get("Allow", "GET, HEAD")
    return _json(status, kinds.get(status, "http"), detail, headers=headers)


def install(app: FastAPI) -> None:
    """Register the handlers; call once in :func:`redline.api.app.create_app`."""
    app.add_exception_handler(RedlineError, _redline)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(HTTPException, _http)
