"""Issue 16: an analyst's dismissal survives re-screens until the evidence changes.

The record, list and rule are SYNTHETIC (tests/cli/synthetic_screen.py): one award to a made-up
vendor that the user's own list designates, judged by a rule over that list.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import httpx
from synthetic_screen import LISTING, VENDOR, ingested, invoke, screened, write_watchlist

from redline.store.db import Store

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
from live_server import API_KEY, start_server, stop


def _finding_id(store: Path) -> str:
    with Store(store, read_only=True) as st:
        rows = st.conn.execute("SELECT finding_id FROM findings").fetchall()
    assert len(rows) == 1
    return str(rows[0][0])


def _trail(store: Path, finding_id: str) -> list[dict[str, str]]:
    shown = invoke(store, "review", finding_id, "--json")
    assert shown.exit_code == 0, shown.output
    trail: list[dict[str, str]] = json.loads(shown.stdout)["trail"]
    return trail


def test_a_dismissal_survives_three_rescreens_and_a_new_listing_reopens_it(
    tmp_path: Path,
) -> None:
    store, watchlist, policy = ingested(tmp_path)
    assert screened(store, watchlist, policy)["findings"] == 1
    fid = _finding_id(store)
    done = invoke(store, "review", fid, "--dismiss", "--note", "namesake, other RFC", "--by", "ana")
    assert done.exit_code == 0, done.output

    for _ in range(3):
        again = screened(store, watchlist, policy)
        assert again["findings"] == 1 and _finding_id(store) == fid  # same id every screen
        assert again["reviews"] == {"dismiss": 1} and again["reopened"] == []

    # the list designates the vendor a second time (SYNTHETIC): new evidence
    second = {"id": "syn-1-listing-2", "schema": "Sanction",
              "properties": {"entity": ["syn-1"], "authority": ["SYNTHETIC second authority"],
                             "startDate": ["2023-06-01"]}}  # fmt: skip
    write_watchlist(watchlist, [VENDOR, LISTING, second])
    after = screened(store, watchlist, policy)
    assert after["reviews"] == {"reopen": 1}
    assert [r["finding_id"] for r in after["reopened"]] == [fid]
    assert "new listing syn-1-listing-2" in after["reopened"][0]["note"]

    trail = _trail(store, fid)
    assert [(r["action"], r["reviewer"]) for r in trail] == [
        ("dismiss", "ana"),
        ("reopen", "redline"),
    ]
    assert trail[0]["note"] == "namesake, other RFC"


def test_exports_and_the_briefing_show_the_review(tmp_path: Path) -> None:
    store, watchlist, policy = ingested(tmp_path)
    screened(store, watchlist, policy)
    fid = _finding_id(store)
    assert (
        invoke(store, "review", fid, "--confirm", "--note", "checked RFC", "--by", "bo").exit_code
        == 0
    )

    out_csv, out_json, out_ftm = (tmp_path / n for n in ("f.csv", "f.json", "f.ftm.jsonl"))
    for out in (out_csv, out_json, out_ftm):
        screened(store, watchlist, policy, "--output", str(out))
    row = next(csv.DictReader(out_csv.read_text(encoding="utf-8").splitlines()))
    assert (row["review"], row["review_note"], row["reviewed_by"]) == (
        "confirm",
        "checked RFC",
        "bo",
    )
    assert json.loads(out_json.read_text())[0]["review"]["action"] == "confirm"
    risks = [json.loads(line) for line in out_ftm.read_text().splitlines()]
    status = [e["properties"]["status"] for e in risks if e["schema"] == "Risk"]
    assert status and status[0][0].startswith("confirm by bo")

    report = invoke(store, "report", "-o", str(tmp_path / "brief"))
    assert report.exit_code == 0, report.output
    html = (tmp_path / "brief" / "briefing.html").read_text(encoding="utf-8")
    assert 'data-review="confirm"' in html and "checked RFC" in html


def test_the_api_records_a_review_with_the_key(tmp_path: Path) -> None:
    store, watchlist, policy = ingested(tmp_path)
    screened(store, watchlist, policy)
    fid = _finding_id(store)
    proc, base = start_server(store, {"REDLINE_API_KEY": API_KEY})
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            refused = client.post(f"/findings/{fid}/review", json={"action": "dismiss"})
            assert refused.status_code == 401
            done = client.post(
                f"/findings/{fid}/review", headers={"X-API-Key": API_KEY},
                json={"action": "dismiss", "note": "namesake", "by": "cy"},
            )  # fmt: skip
            assert done.status_code == 201, done.text
            assert done.json()["review"]["action"] == "dismiss"
            detail = client.get(f"/findings/{fid}").json()
            assert detail["review"]["reviewer"] == "cy" and len(detail["review_trail"]) == 1
            listed = client.get("/findings").json()["items"]
            assert listed[0]["review"]["note"] == "namesake"
    finally:
        stop(proc)
