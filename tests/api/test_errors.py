"""Every error the API answers — 400 host, 404, 405, 413, 422, 500, 503 — in one JSON shape,
naming no server path and carrying no traceback (issue 15). In-process (FastAPI's TestClient)
on a copy of the SYNTHETIC test store, and the chunked upload on the real server."""

from __future__ import annotations

import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from test_api import SYNTHETIC_RELEASE, _error

from redline.api import create_app

with warnings.catch_warnings():  # Starlette 1.x would rather test through httpx2; httpx works
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

LOCAL = "http://localhost"


@pytest.fixture(scope="module")
def store_copy(synthetic_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("api-errors") / "copy.duckdb"
    shutil.copy(synthetic_store_path, copy)
    return copy


def _client(store: Path, monkeypatch: pytest.MonkeyPatch, **env: str) -> TestClient:
    monkeypatch.setenv("REDLINE_DATA", "/work/shared/data")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    app = create_app(store)

    @app.get("/boom", include_in_schema=False)
    def boom() -> None:  # an unexpected exception naming a server file
        raise RuntimeError(f"cannot read {store.parent}/secret.json")

    app.router.routes.insert(0, app.router.routes.pop())  # before the dashboard's mount at /
    return TestClient(app, base_url=LOCAL, raise_server_exceptions=False)


@pytest.fixture()
def api(store_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    env = {"REDLINE_API_MAX_RELEASES": "2", "REDLINE_API_KEY": "synthetic-key"}
    with _client(store_copy, monkeypatch, **env) as client:
        yield client


def _clean(resp: httpx.Response) -> str:
    text = resp.text
    assert resp.headers["content-type"].startswith("application/json"), text
    for leak in ("Traceback", "/tmp/", "/work/", 'File "', ".py"):
        assert leak not in text, text
    return text


def test_unknown_path_and_method(api: TestClient) -> None:
    assert _error(api.get("/no/such/page"), 404)["type"] == "not_found"
    assert _error(api.get("/entities/none"), 404)["type"] == "not_found"
    assert _error(api.delete("/healthz"), 405)["type"] == "method"
    assert _error(api.put("/findings"), 405)["type"] == "method"


def test_an_unexpected_exception_is_a_json_500_without_detail(api: TestClient) -> None:
    resp = api.get("/boom")
    err = _error(resp, 500)
    assert err["type"] == "internal"
    assert "secret" not in _clean(resp)


def test_validation_and_input_errors_name_no_server_path(api: TestClient) -> None:
    assert _error(api.get("/findings", params={"limit": 0}), 422)["problems"]
    # a release the ingest rejects: its problem names the body, not the scratch file
    resp = api.post("/screen", json={"releases": [{"ocid": "ocds-x-1", "date": "2019-02-30"}]})
    assert resp.status_code == 200, resp.text
    _clean(resp)
    assert (
        "body:/releases/0/date: date '2019-02-30' is not a date"
        in resp.json()["ingest"]["rejected"]
    )


def test_healthz_names_no_path(api: TestClient) -> None:
    body = api.get("/healthz").json()
    assert body["store"] == "copy.duckdb"


def test_too_many_releases_is_413(api: TestClient) -> None:
    three = {"releases": [{**SYNTHETIC_RELEASE, "id": f"r{i}"} for i in range(3)]}
    err = _error(api.post("/screen", json=three), 413)
    assert "REDLINE_API_MAX_RELEASES" in str(err["message"])
    assert _error(api.post("/ingest", json=three, headers={"X-API-Key": "synthetic-key"}), 413)


def test_a_screen_past_the_timeout_is_503_and_the_next_one_runs(
    store_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _client(store_copy, monkeypatch, REDLINE_API_TIMEOUT="0.01") as api:
        err = _error(api.post("/screen", json=SYNTHETIC_RELEASE), 503)
        assert "REDLINE_API_TIMEOUT" in str(err["message"])
        api.app.state.screens.timeout = 120  # type: ignore[attr-defined]
        ok = api.post("/screen", json=SYNTHETIC_RELEASE)  # on a fresh worker
        assert ok.status_code == 200, ok.text
        assert [f["listed_entity_id"] for f in ok.json()["findings"]] == ["rl-nuctech"]


@pytest.mark.parametrize("host", ["localhost", "localhost:8000", "127.0.0.1:9", "[::1]:8000"])
def test_trusted_hosts_answer(api: TestClient, host: str) -> None:
    assert api.get("/healthz", headers={"host": host}).status_code == 200


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.nip.io", ""])
def test_other_hosts_are_refused(api: TestClient, host: str) -> None:
    """A DNS-rebinding page reaches the server under its own name: refused."""
    assert _error(api.get("/findings", headers={"host": host}), 400)["type"] == "host"


def test_hosts_setting_and_the_bound_interface(
    store_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REDLINE_API_HOSTS", "redline.internal")
    app = create_app(store_copy, host="10.1.2.3")
    with TestClient(app, base_url="http://redline.internal") as api:
        assert api.get("/healthz").status_code == 200
        assert api.get("/healthz", headers={"host": "10.1.2.3:8000"}).status_code == 200
        assert api.get("/healthz", headers={"host": "localhost"}).status_code == 400


def test_a_chunked_upload_over_the_limit_is_413(client: httpx.Client) -> None:
    """The real server (REDLINE_API_MAX_BODY 200,000): no Content-Length, counted as it
    streams; 413 in the error shape, not FastAPI's "400 error parsing the body"."""

    def chunks() -> Iterator[bytes]:
        yield b'{"ocid": "x", "pad": "'
        for _ in range(100):
            yield b"a" * 10_000
        yield b'"}'

    resp = client.post("/screen", content=chunks(), headers={"content-type": "application/json"})
    assert _error(resp, 413)["type"] == "too_large"
    assert client.get("/healthz").status_code == 200  # the server answers on


def test_an_integer_beyond_64_bits_is_a_value_not_a_crash(api: TestClient) -> None:
    """Found by schemathesis: ``orjson`` cannot write such an integer (was a 500)."""
    body = {**SYNTHETIC_RELEASE, "huge": 10**30}
    resp = api.post("/screen", json=body)
    assert resp.status_code == 200, resp.text
    assert resp.json()["ingest"]["releases_stored"] == 1
