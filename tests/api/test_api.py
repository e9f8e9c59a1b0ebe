"""The API, called over HTTP on a real `redline serve` process (see conftest.py)."""

from __future__ import annotations

import httpx
import pytest
from live_server import API_KEY, start_server, stop

# a SYNTHETIC release: the supplier name is the BIS Entity List name read from the mirror
SYNTHETIC_RELEASE = {
    "ocid": "ocds-synthetic-900",
    "id": "synthetic-r1",
    "date": "2023-01-01T00:00:00Z",
    "tag": ["award"],
    "initiationType": "tender",
    "parties": [
        {"id": "b1", "name": "Agencia Nacional de Aduanas de México", "roles": ["buyer"]},
        {"id": "s1", "name": "Tongfang NucTech Technology Ltd.", "roles": ["supplier"]},
    ],
    "buyer": {"id": "b1", "name": "Agencia Nacional de Aduanas de México"},
    "awards": [
        {
            "id": "a1",
            "date": "2023-01-01T00:00:00Z",
            "value": {"amount": 1000, "currency": "MXN"},
            "suppliers": [{"id": "s1", "name": "Tongfang NucTech Technology Ltd."}],
            "items": [{"id": "1", "description": "Arcos detectores de rayos X para aduanas"}],
        }
    ],
}


def _error(resp: httpx.Response, status: int) -> dict[str, object]:
    """Every error has one shape: status, type, message and a list of problems."""
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "type", "message", "problems"}
    assert body["error"]["status"] == status
    return dict(body["error"])


def test_healthz_counts_the_store(client: httpx.Client) -> None:
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert (body["findings"], body["entities"]) == (4, 5)


def test_openapi_documents_every_endpoint(client: httpx.Client) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/match/{dataset}", "/search", "/entities/{entity_id}", "/screen",
                 "/findings", "/alerts", "/healthz", "/algorithms", "/catalog"):  # fmt: skip
        assert path in paths


def test_match_answers_in_the_yente_shape(client: httpx.Client) -> None:
    body = {
        "queries": {
            "nt": {"schema": "Company", "properties": {"name": ["Nuctech"]}},
            "none": {"schema": "Company", "properties": {"name": "Panadería La Espiga"}},
        }
    }
    resp = client.post("/match/default", json=body, params={"limit": 3})
    assert resp.status_code == 200, resp.text
    data = resp.json()
    assert set(data) >= {"responses", "matcher", "limit"} and data["limit"] == 3
    hit = data["responses"]["nt"]
    assert hit["status"] == 200 and hit["query"]["schema"] == "Company"
    assert hit["total"]["value"] == len(hit["results"]) == 1
    top = hit["results"][0]
    assert top["id"] == "rl-nuctech" and top["caption"] == "Tongfang NucTech Technology Ltd."
    assert top["match"] is True and 0.85 <= top["score"] <= 1 and top["target"] is True
    assert top["features"] and all(0 <= v <= 1 for v in top["features"].values())
    assert set(top["explanations"]) == set(top["features"])
    # the listing date comes from the mirror's Federal Register citation
    assert top["redline"]["listed"][0]["listings"][0]["start_date"] == "2020-12-22"
    assert data["responses"]["none"]["results"] == []


def test_match_returns_the_subsidiary_that_matched(client: httpx.Client) -> None:
    """Kept on the synthetic store: the lists in the mirror state no owner of an unlisted
    company, so only here is the matched entity not itself a target."""
    query = {"schema": "Company", "properties": {"name": ["Synthetic Cam Distribuidora"]}}
    body = {"queries": {"s": query}}
    top = client.post("/match/default", json=body).json()["responses"]["s"]["results"][0]
    assert top["id"] == "syn-sub" and top["target"] is False
    assert top["explanations"]["ownership"]["path"] == ["syn-sub", "syn-holding"]
    (listed,) = top["redline"]["listed"]
    assert listed["id"] == "syn-holding" and listed["edges"][0]["percentage"] == 80.0


def test_match_threshold_decides_match_flag(client: httpx.Client) -> None:
    body = {
        "queries": {"q": {"schema": "Company", "properties": {"name": ["Tongfang Technology"]}}}
    }
    loose = client.post("/match/default", json=body, params={"threshold": 0.5, "cutoff": 0.5})
    results = loose.json()["responses"]["q"]["results"]
    assert results and results[0]["score"] < 1
    strict = client.post("/match/default", json=body, params={"threshold": 1.0, "cutoff": 0.5})
    assert [r["match"] for r in strict.json()["responses"]["q"]["results"]] == [False] * len(
        results
    )


@pytest.mark.parametrize(
    ("body", "source", "where"),
    [
        ({"queries": {"q": {"schema": "Vessel", "properties": {"name": ["x"]}}}}, "queries.q",
         "schema"),
        ({"queries": {"q": {"schema": "Nope", "properties": {"name": ["x"]}}}}, "queries.q",
         "schema"),
        # a name is required by the request's schema (OpenAPI), so FastAPI's validation says it
        ({"queries": {"q": {"schema": "Company", "properties": {}}}}, "body",
         "queries.q.properties.name"),
    ],
)  # fmt: skip
def test_match_rejects_bad_queries_naming_each(
    client: httpx.Client, body: dict[str, object], source: str, where: str
) -> None:
    err = _error(client.post("/match/default", json=body), 422)
    assert err["problems"] == [
        {"source": source, "position": where, "message": err["problems"][0]["message"]}
    ]  # type: ignore[index]


def test_match_unknown_dataset_is_404(client: httpx.Client) -> None:
    body = {"queries": {"q": {"schema": "Company", "properties": {"name": ["x"]}}}}
    assert "not found" in str(_error(client.post("/match/nope", json=body), 404)["message"])


def test_search_and_entity_with_listings_and_subsidiaries(client: httpx.Client) -> None:
    found = client.get("/search", params={"q": "nuctech"}).json()
    assert [r["id"] for r in found["results"]] == ["rl-nuctech"]
    assert found["results"][0]["list_codes"] == ["us-bis-entity-list"]
    holding = client.get("/entities/syn-holding").json()
    assert [s["entity_id"] for s in holding["subsidiaries"]] == ["syn-sub"]
    assert holding["subsidiaries"][0]["percentage"] == 80.0
    assert client.get("/entities/syn-sub").json()["owners"][0]["entity_id"] == "syn-holding"
    _error(client.get("/entities/nobody"), 404)
    _error(client.get("/search"), 422)


@pytest.mark.parametrize(
    ("params", "ids"),
    [
        ({}, ["syn-nuctech", "syn-chain", "syn-hikvision", "syn-huawei"]),
        ({"sector": "border_inspection"}, ["syn-nuctech"]),
        ({"severity": "high"}, ["syn-chain", "syn-hikvision"]),
        ({"year": 2022}, ["syn-nuctech", "syn-chain"]),
        ({"vendor": "hikvision"}, ["syn-hikvision"]),
        ({"buyer": "aduanas"}, ["syn-nuctech"]),
        ({"q": "C5", "year": 2021}, ["syn-hikvision"]),
        ({"limit": 2, "offset": 1}, ["syn-chain", "syn-hikvision"]),
    ],
)
def test_findings_filters(client: httpx.Client, params: dict[str, object], ids: list[str]) -> None:
    body = client.get("/findings", params=params).json()
    assert [f["finding_id"] for f in body["items"]] == ids
    if "limit" in params:
        assert body["total"] == 4


@pytest.mark.parametrize(
    "params", [{"severity": "bad"}, {"year": "twenty"}, {"limit": 0}, {"sector": "x;drop"}]
)
def test_findings_bad_filters_are_422(client: httpx.Client, params: dict[str, object]) -> None:
    err = _error(client.get("/findings", params=params), 422)
    assert err["type"] == "validation" and err["problems"]


def test_finding_detail_has_evidence_and_graph(client: httpx.Client) -> None:
    f = client.get("/findings/syn-chain").json()
    assert [x["kind"] for x in f["ledger"]] == [
        "release",
        "match",
        "listing",
        "ownership",
        "signal",
    ]
    assert [e["to"] for e in f["graph"]["edges"]] == ["syn-sub", "syn-holding"]
    assert f["guard_rails"] and f["alternatives"]
    assert f["also_meets"] == []
    (also,) = client.get("/findings/syn-nuctech").json()["also_meets"]
    assert (also["rule_id"], also["severity"], also["path"]) == (
        "synthetic-rule-high", "high", "listed directly"
    )  # fmt: skip
    assert also["evidence"]["listings"][0]["list_code"] == "us-bis-entity-list"
    _error(client.get("/findings/none"), 404)


def test_alerts_since(client: httpx.Client) -> None:
    every = client.get("/alerts", params={"since": "2000-01-01T00:00:00Z"}).json()
    assert every["total"] == 4 and {i["change"] for i in every["items"]} == {"new"}
    assert client.get("/alerts", params={"since": "2999-01-01T00:00:00Z"}).json()["total"] == 0
    _error(client.get("/alerts", params={"since": "yesterday"}), 422)


def test_screen_returns_findings_and_stores_nothing(client: httpx.Client) -> None:
    resp = client.post("/screen", json=SYNTHETIC_RELEASE)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["ingest"]["releases_stored"] == 1
    assert [f["listed_entity_id"] for f in body["findings"]] == ["rl-nuctech"]
    assert body["findings"][0]["class_id"] == "border_inspection"
    assert client.get("/healthz").json()["findings"] == 4
    assert client.get("/findings", params={"q": "ocds-synthetic-900"}).json()["total"] == 0


def test_screen_rejects_what_is_not_ocds(client: httpx.Client) -> None:
    err = _error(client.post("/screen", json={"hello": 1}), 422)
    assert "not OCDS" in str(err["message"])
    _error(
        client.post("/screen", content=b"{not json", headers={"content-type": "application/json"}),
        422,
    )


def test_body_size_limit(client: httpx.Client) -> None:
    big = {"ocid": "x", "pad": "a" * 300_000}
    assert _error(client.post("/screen", json=big), 413)["type"] == "too_large"


def test_writes_need_the_key(client: httpx.Client) -> None:
    release = {**SYNTHETIC_RELEASE, "ocid": "ocds-synthetic-901"}
    assert _error(client.post("/ingest", json=release), 401)["type"] == "auth"
    _error(client.post("/ingest", json=release, headers={"X-API-Key": API_KEY[:-1] + "x"}), 401)
    ok = client.post("/ingest", json=release, headers={"Authorization": f"Bearer {API_KEY}"})
    assert ok.status_code == 201, ok.text
    assert ok.json()["releases_stored"] == 1


def test_without_a_key_writes_are_disabled_and_reads_can_be_closed(
    synthetic_store_path: object, tmp_path: object
) -> None:
    import shutil
    from pathlib import Path

    copy = Path(str(tmp_path)) / "copy.duckdb"
    shutil.copy(str(synthetic_store_path), copy)
    proc, base = start_server(copy, {"REDLINE_API_KEY": "", "REDLINE_API_OPEN_READS": "none"})
    try:
        assert _error(httpx.post(f"{base}/ingest", json=SYNTHETIC_RELEASE), 403)["type"] == (
            "forbidden"
        )
        assert httpx.get(f"{base}/findings").status_code == 401
    finally:
        stop(proc)
