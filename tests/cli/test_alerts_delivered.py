"""Issue 16: what a saving screen changed reaches the sinks — a signed webhook on loopback
(a receiver this test starts) and a JSON Lines file — and `redline alerts` lists it."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from synthetic_screen import ingested, invoke, screened

SECRET = "synthetic-webhook-secret"


class _Receiver(BaseHTTPRequestHandler):
    got: ClassVar[list[tuple[dict[str, str], bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Receiver.got.append((dict(self.headers), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:  # quiet
        pass


@pytest.fixture
def receiver() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    _Receiver.got = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()
    server.server_close()


def test_a_screen_that_adds_a_finding_posts_a_signed_alert(
    tmp_path: Path, receiver: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, watchlist, policy = ingested(tmp_path)
    jsonl = tmp_path / "alerts.jsonl"
    monkeypatch.setenv("REDLINE_ALERTS_WEBHOOK", receiver)
    monkeypatch.setenv("REDLINE_ALERTS_SECRET", SECRET)
    monkeypatch.setenv("REDLINE_ALERTS_FILE", str(jsonl))
    summary = screened(store, watchlist, policy)
    assert summary["changes"] == {"new": 1}
    assert summary["alerts_delivered"] == {"file": "ok", "webhook": "ok"}
    assert len(_Receiver.got) == 1
    headers, body = _Receiver.got[0]
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["X-Redline-Signature"], expected)
    events = json.loads(body)["events"]
    assert [(e["change"], e["listed_entity_id"]) for e in events] == [("new", "syn-1")]
    assert [json.loads(line)["change"] for line in jsonl.read_text().splitlines()] == ["new"]

    # the same screen again changes nothing: nothing is sent
    assert screened(store, watchlist, policy)["changes"] == {}
    assert len(_Receiver.got) == 1
    listed = invoke(store, "alerts", "--since", "2000-01-01", "--json")
    assert listed.exit_code == 0, listed.output
    assert [a["change"] for a in json.loads(listed.stdout)] == ["new"]


def test_a_what_if_date_does_not_overwrite_the_saved_findings(tmp_path: Path) -> None:
    store, watchlist, policy = ingested(tmp_path)
    screened(store, watchlist, policy)
    what_if = screened(store, watchlist, policy, "--as-of", "2019-01-01")
    assert what_if["saved"] is None  # listed from 2020: nothing in force in 2019
    shown = invoke(store, "status", "--json")
    assert json.loads(shown.stdout)["tables"]["findings"] == 1
