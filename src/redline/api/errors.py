"""Every error the API returns, mapped in one place and in one shape.

Reach for :func:`install` once when building the app. Whatever goes wrong — a typed
:class:`~redline.errors.RedlineError`, a request that fails validation, a 404 — the client gets
``{"error": {"status": 422, "type": "input", "message": "...", "problems": [{"source",
"position", "message"}]}}``, the same problem list the CLI prints line by line.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from redline.errors import InputError, Problem, RedlineError, StoreError


def error_body(
    status: int, kind: str, message: str, problems: list[Problem] | None = None
) -> dict[str, Any]:
    return {
        "error": {
            "status": status,
            "type": kind,
            "message": message,
            "problems": [
                {"source": p.source, "position": p.position, "message": p.message}
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


async def _http(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    kinds = {401: "auth", 403: "forbidden", 404: "not_found", 405: "method", 413: "too_large"}
    return _json(exc.status_code, kinds.get(exc.status_code, "http"), str(exc.detail),
                 headers=exc.headers)  # fmt: skip


def install(app: FastAPI) -> None:
    """Register the handlers; call once in :func:`redline.api.app.create_app`."""
    app.add_exception_handler(RedlineError, _redline)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(HTTPException, _http)
