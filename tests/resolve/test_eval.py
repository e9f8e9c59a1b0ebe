"""Quality floors on the labelled development sets (read in place from the mirror)."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from redline.ingest.lists.watchlist import scratch_watchlist
from redline.services.match import Query, match_names

EVAL = Path(os.environ["REDLINE_DATA"]).parent / "eval" / "matching"  # the mirror's sibling


def f1(watchlist: str, queries: str) -> float:
    with (EVAL / queries).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with scratch_watchlist(EVAL / watchlist) as store:
        results = match_names(
            store, [Query(r["id"], r["name"], r["country"] or None) for r in rows]
        )
    tp = fp = fn = 0
    for row, result in zip(rows, results, strict=True):
        got = result.matches[0].entity_id if result.matches else None
        if got is not None and got == row["expected"]:
            tp += 1
        elif got is not None:
            fp += 1
        if row["expected"] and got != row["expected"]:
            fn += 1
    precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    return 2 * precision * recall / max(precision + recall, 1e-9)


@pytest.mark.skipif(not EVAL.exists(), reason="evaluation sets not mounted")
def test_plain_set_f1_floor() -> None:
    assert f1("watchlist.ftm.jsonl", "queries.csv") >= 0.98


@pytest.mark.skipif(not EVAL.exists(), reason="evaluation sets not mounted")
def test_hard_set_f1_floor() -> None:
    assert f1("hard_watchlist.ftm.jsonl", "hard_queries.csv") >= 0.90
