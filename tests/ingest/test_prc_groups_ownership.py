"""The reviewed ownership file of listed PRC groups Redline ships: every edge cites its source,
and on the mirror's lists it links Metro Line 1's contractor to the listed CRRC."""

from __future__ import annotations

import json
from pathlib import Path

from redline.ingest.ownership.vocab import load_vocab, packaged_files
from redline.services.lists import load_lists
from redline.services.ownership import load_ownership
from redline.store.db import Store

ZELC = "CRRC Zhuzhou Locomotive Co., Ltd."


def _lines() -> list[dict[str, object]]:
    (path,) = [p for p in packaged_files(load_vocab()) if p.name == "prc_groups.ftm.jsonl"]
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_every_edge_names_its_source_and_what_it_says() -> None:
    edges = [e for e in _lines() if e["schema"] == "Ownership"]
    assert edges
    for edge in edges:
        props = edge["properties"]
        assert isinstance(props, dict)
        for key in ("publisher", "sourceUrl", "summary", "recordId"):
            assert props.get(key), f"{edge['id']}: no {key}"
        assert all(str(u).startswith("http") for u in props["sourceUrl"])


def test_zelc_resolves_to_the_listed_crrc_with_its_citation(store: Store, data_dir: Path) -> None:
    load_lists(store, data_dir)
    report = load_ownership(store, packaged_files(load_vocab()))
    (loaded,) = report.files
    assert loaded.ownership == 2 and loaded.control == 0
    ((name, listed, score),) = loaded.resolved
    assert name == "CRRC Corporation Limited" and score == 1.0
    (listings,) = store.conn.execute(
        "SELECT count(*) FROM listings WHERE entity_id = ? AND list_code = 'us-dod-1260h'",
        [listed],
    ).fetchone() or (0,)
    assert listings > 0
    row = store.conn.execute(
        "SELECT o.parent_id, o.percentage, o.source, o.source_url FROM ownership o "
        "JOIN entities c ON c.id = o.child_id WHERE c.caption = ?",
        [ZELC],
    ).fetchone()
    assert row is not None
    parent, share, source, url = row
    assert parent == listed and share == 100.0
    assert "HKEX announcement" in str(source) and "(prc_groups:crrc-zelc)" in str(source)
    assert str(url).startswith("https://docslib.org/")


def test_metro_line_1_is_a_finding_with_its_ownership_path(demo_store: Path) -> None:
    with Store(demo_store, read_only=True) as st:
        rows = st.conn.execute(
            "SELECT supplier_name, sentence, data->>'$.evidence.ownership[0].edge_id' "
            "FROM findings WHERE ocid = 'redline-events-MX-010' ORDER BY 1"
        ).fetchall()
    by_supplier = {name: (sentence, edge) for name, sentence, edge in rows}
    sentence, edge = by_supplier["CRRC Zhuzhou Locomotive"]
    assert edge == "rl-own-crrc-zelc-parent"
    assert "owned 100%" in sentence and "Sistema de Transporte Colectivo Metro" in sentence
