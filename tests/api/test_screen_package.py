"""POST /screen's use case (services.serve.screen_package) on one open store, as the server
calls it request after request: the lists' index is shared, yet never stale."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from redline.ingest.lists.watchlist import load_watchlist
from redline.services.serve import PREFILTER_FROM, screen_package
from redline.store.db import Store

DAY = date(2026, 7, 1)
SUPPLIER = "Velmora Scanners Synthetic Limited"


def _watchlist(folder: Path, name: str) -> Path:
    """A SYNTHETIC list with one fictional company called ``name``, listed since 2020; the same
    file name in each folder, so loading another replaces the dataset (as a re-ingest does)."""
    folder.mkdir(exist_ok=True)
    rows = [
        {"id": "syn-velmora", "schema": "Company",
         "properties": {"name": [name], "country": ["cn"], "notes": ["SYNTHETIC"]}},
        {"id": "syn-velmora-listing", "schema": "Sanction",
         "properties": {"entity": ["syn-velmora"], "program": ["Synthetic test list"],
                        "authority": ["Synthetic authority"], "startDate": ["2020-01-01"]}},
    ]  # fmt: skip
    path = folder / "synthetic_list.ftm.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _release(n: int, supplier: str) -> dict[str, Any]:
    """A SYNTHETIC award release to ``supplier``."""
    return {
        "ocid": f"ocds-synthetic-{n}", "id": f"synthetic-{n}", "date": "2023-01-01T00:00:00Z",
        "tag": ["award"], "initiationType": "tender",
        "parties": [{"id": "b1", "name": "Aduana Sintética", "roles": ["buyer"]},
                    {"id": "s1", "name": supplier, "roles": ["supplier"]}],
        "buyer": {"id": "b1", "name": "Aduana Sintética"},
        "awards": [{"id": "a1", "date": "2023-01-01T00:00:00Z",
                    "suppliers": [{"id": "s1", "name": supplier}]}],
    }  # fmt: skip


def _matched(store: Store, package: dict[str, Any]) -> int:
    return int(screen_package(store, package, as_of=DAY)["summary"]["candidates_matched"])


def test_a_list_change_between_requests_is_seen_by_the_next(tmp_path: Path) -> None:
    posted = _release(1, SUPPLIER)
    with Store(tmp_path / "s.duckdb") as store:
        load_watchlist(store.conn, _watchlist(tmp_path / "v1", SUPPLIER))
        assert _matched(store, posted) == 1
        assert _matched(store, posted) == 1  # the second request reuses the index
        # the list re-ingested with the company renamed: the old name must stop matching
        load_watchlist(store.conn, _watchlist(tmp_path / "v2", "Ostrava Radar Synthetic"))
        assert _matched(store, posted) == 0
        assert _matched(store, _release(2, "Ostrava Radar Synthetic")) == 1
        load_watchlist(store.conn, _watchlist(tmp_path / "v1", SUPPLIER))
        assert _matched(store, posted) == 1


def test_a_big_package_goes_through_the_first_pass_a_small_one_does_not(tmp_path: Path) -> None:
    releases = [_release(n, SUPPLIER if n == 0 else f"Panaderia Sintetica {n}")
                for n in range(PREFILTER_FROM)]  # fmt: skip
    with Store(tmp_path / "s.duckdb") as store:
        load_watchlist(store.conn, _watchlist(tmp_path / "v1", SUPPLIER))
        big = screen_package(store, {"releases": releases}, as_of=DAY)["summary"]
        small = screen_package(store, {"releases": releases[:2]}, as_of=DAY)["summary"]
    # the pass kept the one record the matcher meets; the small package was judged whole
    assert (big["records_judged"], big["candidates"], big["candidates_matched"]) == (1, 1, 1)
    assert "records_judged" not in small
    assert (small["candidates"], small["candidates_matched"]) == (2, 1)
