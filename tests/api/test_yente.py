"""`POST /match`, `/algorithms` and `/catalog` against what yente clients read, on a real server
over the DEMO store (real lists). The reference is a SYNTHETIC example exchange in yente's
shape (yente_match_example.synthetic.json, see its ``about``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

EXAMPLE = json.loads(
    (Path(__file__).parent / "yente_match_example.synthetic.json").read_text(encoding="utf-8")
)
#: keys yente allows to be null
NULLABLE = {"first_seen", "last_seen", "last_change", "id", "detail", "query", "candidate"}


def same_shape(ours: Any, theirs: Any, where: str = "") -> None:
    """Every key of the yente example is in ours with a value of the same JSON type; dicts
    keyed by free names (responses, properties, features, explanations) are compared per value
    against the example's first value."""
    if isinstance(theirs, dict):
        assert isinstance(ours, dict), where
        free = where.rsplit(".", 1)[-1] in {"responses", "features", "explanations", "matcher"}
        if free:
            (sample,) = list(theirs.values())[:1]
            for key, value in ours.items():
                same_shape(value, sample, f"{where}.{key}")
            return
        if where.endswith("properties"):
            assert all(isinstance(v, list) for v in ours.values()), where
            return
        for key, value in theirs.items():
            assert key in ours, f"{where}.{key} missing"
            if ours[key] is None and key in NULLABLE:
                continue
            same_shape(ours[key], value, f"{where}.{key}")
    elif isinstance(theirs, list):
        assert isinstance(ours, list), where
        for item in ours:
            same_shape(item, theirs[0], f"{where}[]")
    elif isinstance(theirs, bool):
        assert isinstance(ours, bool), where
    elif isinstance(theirs, (int, float)):
        assert isinstance(ours, (int, float)) and not isinstance(ours, bool), where
    else:
        assert isinstance(ours, type(theirs)), (where, ours)


def _match(client: httpx.Client, names: dict[str, str], **params: Any) -> dict[str, Any]:
    query = {k: {"schema": "Company", "properties": {"name": [n]}} for k, n in names.items()}
    resp = client.post("/match/default", json={"queries": query}, params=params)
    assert resp.status_code == 200, resp.text
    return dict(resp.json())


def test_match_answers_in_the_shape_of_the_yente_example(demo: httpx.Client) -> None:
    query = json.loads(json.dumps(EXAMPLE["request"]))
    query["queries"]["entity1"]["properties"]["name"] = ["Nuctech"]
    resp = demo.post("/match/default", json=query, params=EXAMPLE["params"])
    assert resp.status_code == 200, resp.text
    body = resp.json()
    same_shape(body, EXAMPLE["response"])
    (top, *_) = body["responses"]["entity1"]["results"]
    assert top["caption"] == "Tongfang NucTech Technology Ltd." and top["target"] is True
    assert top["match"] is True and top["score"] >= EXAMPLE["params"]["threshold"]
    assert body["algorithm"] == {"requested": "best", "used": "redline"}
    (listed,) = top["redline"]["listed"]
    assert listed["id"] == top["id"] and listed["path"] == [top["id"]]
    assert listed["listings"][0]["list_code"] == "us-bis-entity-list"
    assert listed["listings"][0]["start_date"] == "2020-12-22"


def test_result_is_the_matched_entity_with_the_path_to_its_listed_owner(
    demo: httpx.Client,
) -> None:
    """The 1260H list says CETC owns Hikvision: the result is Hikvision (what matched), and the
    owner rides along in explanations.ownership and redline.listed."""
    body = _match(demo, {"h": "Hangzhou Hikvision Digital Technology Co., Ltd."})
    top = body["responses"]["h"]["results"][0]
    assert top["caption"] == "Hangzhou Hikvision Digital Technology Co., Ltd."
    owners = [x for x in top["redline"]["listed"] if x["id"] != top["id"]]
    assert owners and owners[0]["caption"] == "China Electronics Technology Group Corporation"
    assert owners[0]["path"] == [top["id"], owners[0]["id"]] and owners[0]["edges"]
    ownership = top["explanations"]["ownership"]
    assert ownership["path"] == owners[0]["path"]
    assert (ownership["query"], ownership["candidate"]) == (top["caption"], owners[0]["caption"])
    assert "ownership" not in top["features"]  # the path explains, it does not score


def test_limit_threshold_and_cutoff(demo: httpx.Client) -> None:
    loose = _match(demo, {"q": "Huawei Technologies"}, limit=50, threshold=0.99, cutoff=0.6)
    res = loose["responses"]["q"]
    assert len(res["results"]) >= 2 and res["total"]["value"] == len(res["results"])
    assert all(r["score"] >= 0.6 for r in res["results"])
    assert [r["match"] for r in res["results"]] == [r["score"] >= 0.99 for r in res["results"]]
    one = _match(demo, {"q": "Huawei Technologies"}, limit=1, threshold=0.99, cutoff=0.6)
    assert len(one["responses"]["q"]["results"]) == 1 and one["limit"] == 1
    assert one["responses"]["q"]["total"]["value"] == res["total"]["value"]
    assert one["responses"]["q"]["results"][0]["id"] == res["results"][0]["id"]
    strict = _match(demo, {"q": "Huawei Technologies"}, limit=50, threshold=0.99, cutoff=0.99)
    assert len(strict["responses"]["q"]["results"]) < len(res["results"])


def test_algorithms_lists_yente_names_mapped_to_redline(demo: httpx.Client) -> None:
    body = demo.get("/algorithms").json()
    names = [a["name"] for a in body["algorithms"]]
    assert {"best", "logic-v2", "logic-v1", "name-based", "ofac"} <= set(names)
    assert body["default"] == body["best"] == "redline"
    for algo in body["algorithms"]:
        assert "Redline" in algo["description"] and algo["docs"]["features"] == algo["features"]
        for doc in algo["features"].values():
            assert set(doc) == {"description", "coefficient", "url"}
    for name in names:
        used = _match(demo, {"q": "Nuctech"}, algorithm=name)["algorithm"]["used"]
        assert used == "redline"
    query = {"queries": {"q": {"schema": "Company", "properties": {"name": "x"}}}}
    bad = demo.post("/match/default", params={"algorithm": "neural-net"}, json=query)
    assert bad.status_code == 422
    assert bad.json()["error"]["problems"][0]["position"] == "algorithm"


def test_catalog_names_the_datasets_match_takes(demo: httpx.Client) -> None:
    body = demo.get("/catalog").json()
    by_name = {d["name"]: d for d in body["datasets"]}
    # the shipped lists, and the ownership research the demo loads (its entities are matchable
    # too: a match on one shows its path to a listed parent)
    children = by_name["default"]["children"]
    assert "redline-lists" in children
    assert all(c == "redline-lists" or c.startswith("ownership:") for c in children)
    assert set(body["current"]) == set(by_name) and body["outdated"] == []
    assert len(by_name["redline-lists"]["version"]) == 14  # YYYYMMDDHHMMSS of the list load
    for name in (n for n in by_name if not n.startswith("ownership:")):  # Nuctech is listed
        query = {"queries": {"q": {"schema": "Company", "properties": {"name": ["Nuctech"]}}}}
        assert demo.post(f"/match/{name}", json=query).json()["responses"]["q"]["results"]
