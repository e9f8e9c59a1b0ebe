"""``GET /search`` over the DEMO store: exact and alias matches first, Chinese script through
the matcher, contracts and buyers beside entities (issue 17)."""

from __future__ import annotations

from pathlib import Path

import httpx

from redline.store.db import Store

HUAWEI = "rl-cn-uscc-914403001922038216"  # Huawei Technologies Co., Ltd. (1260H, Entity List)
NUCTECH = "rl-tongfang-nuctech-technology-0c6e6479"


def test_the_main_huawei_entity_comes_first_not_alphabetically(demo: httpx.Client) -> None:
    found = demo.get("/search", params={"q": "huawei"}).json()
    assert found["total"]["value"] > 100  # every name holding "huawei" is still counted
    first = found["results"][0]
    assert (first["id"], first["reason"]) == (HUAWEI, "alias")
    reasons = [r["reason"] for r in found["results"]]
    order = ["exact", "alias", "matcher", "prefix", "contains"]
    assert reasons == sorted(reasons, key=order.index)  # ranked, never interleaved


def test_chinese_script_found_through_the_matcher(demo: httpx.Client) -> None:
    found = demo.get("/search", params={"q": "华为"}).json()
    assert found["results"][0]["id"] == HUAWEI
    assert found["results"][0]["reason"] == "matcher"
    nuctech = demo.get("/search", params={"q": "同方威视"}).json()
    assert nuctech["results"][0]["id"] == NUCTECH


def test_contracts_and_buyers_are_searched(demo: httpx.Client, demo_store: Path) -> None:
    with Store(demo_store, read_only=True) as st:
        (want,) = st.conn.execute(
            "SELECT count(DISTINCT buyer_name) FROM processes WHERE buyer_name ILIKE '%aduanas%'"
        ).fetchone() or (0,)
    found = demo.get("/search", params={"q": "aduanas"}).json()
    assert found["buyers"]["total"] == want > 0
    assert found["buyers"]["items"][0]["buyer_name"].startswith("Agencia Nacional de Aduanas")
    assert found["buyers"]["items"][0]["findings"] >= 1
    ocids = [c["ocid"] for c in found["contracts"]["items"]]
    assert "redline-events-MX-009" in ocids  # the ANAM purchase of Nuctech scanners
    nuctech = demo.get("/search", params={"q": "nuctech"}).json()
    titles = [c["title"] for c in nuctech["contracts"]["items"]]
    assert all(t and "_" not in t for t in titles), titles  # a code title gives way to its text
    assert demo.get("/search", params={"q": " "}).status_code == 422
