"""``lang`` and the dashboard's further filters on the API, over the DEMO store."""

from __future__ import annotations

from pathlib import Path

import httpx

from redline.store.db import Store

NUCTECH = "rl-tongfang-nuctech-technology-0c6e6479"


def _count(store: Path, sql: str) -> int:
    with Store(store, read_only=True) as st:
        row = st.conn.execute(sql).fetchone()
    assert row is not None
    return int(row[0])


def test_findings_in_spanish_carry_names_not_ids(demo: httpx.Client) -> None:
    body = demo.get("/findings", params={"sector": "border_inspection", "lang": "es"}).json()
    for item in body["items"]:
        assert item["sector_name"] == "Inspección aduanera y fronteriza (inspección no intrusiva)"
        assert "figura en BIS Entity List" in item["sentence"], item["sentence"]
        assert "us-bis-entity-list" not in item["sentence"]
        detail = demo.get(f"/findings/{item['finding_id']}", params={"lang": "es"}).json()
        assert detail["guard_rails"][0].startswith("sin acceso remoto del proveedor")
    english = demo.get("/findings", params={"sector": "border_inspection"}).json()
    assert "sector_name" not in english["items"][0]  # without lang: the stored finding as is
    overview = demo.get("/overview", params={"lang": "es"}).json()
    assert overview["sector_names"]["telecom_core"].startswith("Núcleo de telecomunicaciones")
    assert demo.get("/findings", params={"lang": "fr"}).status_code == 422


def test_list_entity_and_date_filters_match_sql(demo: httpx.Client, demo_store: Path) -> None:
    cases = {
        (("list", "us-bis-entity-list"),): "list_contains(list_codes, 'us-bis-entity-list')",
        (("listed", NUCTECH),): f"listed_entity_id = '{NUCTECH}'",
        (("date_from", "2020-01-01"), ("date_to", "2022-12-31")):
            "award_date BETWEEN DATE '2020-01-01' AND DATE '2022-12-31'",
    }  # fmt: skip
    for params, where in cases.items():
        body = demo.get("/findings", params=dict(params)).json()
        assert body["total"] == _count(demo_store, f"SELECT count(*) FROM findings WHERE {where}")
        assert body["total"] > 0, params
