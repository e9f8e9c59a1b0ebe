"""Who may call what: open reads on localhost, an API key for anything that writes.

Reach for :func:`reader` and :func:`writer` as route dependencies. The key comes from
``REDLINE_API_KEY`` or the first line of ``REDLINE_API_KEY_FILE`` and is sent as
``X-API-Key`` or ``Authorization: Bearer …``; it is compared with :func:`hmac.compare_digest`
so the time taken does not reveal how much of a guess was right. Without a configured key,
writing is refused outright (403) rather than left open.
"""

from __future__ import annotations

import hmac
import ipaddress
from dataclasses import dataclass
from pathlib import Path

from fastapi import HTTPException, Request

from redline.errors import InputError, Problem
from redline.settings import get_settings

OPEN_READS = ("local", "all", "none")


@dataclass(frozen=True)
class Access:
    """The key (empty: writes disabled) and who reads without it."""

    key: str
    open_reads: str

    @classmethod
    def from_settings(cls) -> Access:
        settings = get_settings()
        key = settings.api_key.strip()
        if not key and settings.api_key_file:
            path = Path(settings.api_key_file)
            try:
                key = (path.read_text(encoding="utf-8").splitlines() or [""])[0].strip()
            except OSError as exc:
                raise InputError(
                    [Problem(str(path), "", f"cannot read API key file: {exc.strerror}")]
                ) from exc
        if settings.api_open_reads not in OPEN_READS:
            raise InputError([Problem("REDLINE_API_OPEN_READS", "",
                                      f"must be one of {', '.join(OPEN_READS)}")])  # fmt: skip
        return cls(key, settings.api_open_reads)


def _presented(request: Request) -> str:
    key = request.headers.get("x-api-key", "")
    auth = request.headers.get("authorization", "")
    if not key and auth.lower().startswith("bearer "):
        key = auth[7:].strip()
    return key


def _key_ok(access: Access, request: Request) -> bool:
    given = _presented(request)
    return bool(access.key) and hmac.compare_digest(given.encode(), access.key.encode())


def _is_loopback(request: Request) -> bool:
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "testclient"


def reader(request: Request) -> None:
    """Dependency of read endpoints: open per ``REDLINE_API_OPEN_READS``, else the key."""
    access: Access = request.app.state.access
    if access.open_reads == "all" or (access.open_reads == "local" and _is_loopback(request)):
        return
    if not _key_ok(access, request):
        raise HTTPException(401, "an API key is required", {"WWW-Authenticate": "Bearer"})


def writer(request: Request) -> None:
    """Dependency of endpoints that change the store: always the key."""
    access: Access = request.app.state.access
    if not access.key:
        raise HTTPException(403, "writing is disabled: set REDLINE_API_KEY to enable it")
    if not _key_ok(access, request):
        raise HTTPException(401, "a valid API key is required", {"WWW-Authenticate": "Bearer"})
