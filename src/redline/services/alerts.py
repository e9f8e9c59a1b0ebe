"""Use case: deliver what a screen changed to the configured sinks, and read past changes.

Reach for :func:`deliver` after a saving screen (``screen_store`` calls it) and for
:func:`alerts_since` behind ``redline alerts --since``. Sinks come from settings:
``REDLINE_ALERTS_FILE`` (JSON Lines, one change a line, appended) and ``REDLINE_ALERTS_WEBHOOK``
(one POST per screen with every change, signed with HMAC-SHA256 of the body under
``REDLINE_ALERTS_SECRET`` in ``X-Redline-Signature: sha256=<hex>``, as GitHub signs its
webhooks; 3 tries with backoff). A sink that fails is reported, never fails the screen: the
changes are in ``alert_events`` either way and ``redline alerts`` reads them.
"""

from __future__ import annotations

import hashlib
import hmac
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from redline.judge.alerts import AlertEvent
from redline.settings import get_settings
from redline.store.db import Store

TRIES = 3
SIGNATURE_HEADER = "X-Redline-Signature"


def sign(body: bytes, secret: str) -> str:
    """``sha256=<hex>``: HMAC-SHA256 of the exact body bytes under ``secret``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _post(url: str, body: bytes, secret: str, *, backoff: float = 0.5) -> str | None:
    """POST with retries; None when delivered, else the last problem."""
    headers = {"Content-Type": "application/json", "User-Agent": "redline-alerts"}
    if secret:
        headers[SIGNATURE_HEADER] = sign(body, secret)
    problem = None
    for attempt in range(TRIES):
        try:
            request = urllib.request.Request(url, data=body, headers=headers, method="POST")
            with urllib.request.urlopen(request, timeout=10) as response:
                if 200 <= response.status < 300:
                    return None
                problem = f"HTTP {response.status}"
        except (urllib.error.URLError, OSError) as exc:
            problem = str(exc)
        time.sleep(backoff * 2**attempt) if attempt < TRIES - 1 else None
    return problem


def deliver(events: list[AlertEvent], store_name: str) -> dict[str, str]:
    """Send ``events`` to every configured sink; sink → "ok" or its problem."""
    settings = get_settings()
    if not events:
        return {}
    at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    items = [e.as_dict() | {"run_at": at, "store": store_name} for e in events]
    outcome: dict[str, str] = {}
    if settings.alerts_file:
        try:
            with Path(settings.alerts_file).open("ab") as handle:
                handle.write(b"".join(orjson.dumps(i) + b"\n" for i in items))
            outcome["file"] = "ok"
        except OSError as exc:
            outcome["file"] = f"{settings.alerts_file}: {exc.strerror}"
    if settings.alerts_webhook:
        body = orjson.dumps({"run_at": at, "store": store_name, "events": items})
        problem = _post(settings.alerts_webhook, body, settings.alerts_secret)
        outcome["webhook"] = problem or "ok"
    return outcome


def alerts_since(store: Store, since: datetime) -> list[dict[str, Any]]:
    """Every change recorded at or after ``since``, oldest first."""
    found = store.conn.execute(
        "SELECT strftime(timezone('UTC', run_at), '%Y-%m-%dT%H:%M:%SZ'), finding_id, change, "
        "severity, supplier_name, listed_entity_id, detail FROM alert_events "
        "WHERE run_at >= ? ORDER BY run_at, finding_id, change",
        [since],
    ).fetchall()
    return [{"run_at": r[0], "finding_id": r[1], "change": r[2], "severity": r[3],
             "supplier_name": r[4], "listed_entity_id": r[5], "detail": orjson.loads(r[6])}
            for r in found]  # fmt: skip
