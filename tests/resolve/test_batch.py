"""The vectorised bulk scorer gives the per-pair reference's scores, on the development sets."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import numpy as np
import pytest

from redline.ingest.lists.watchlist import scratch_watchlist
from redline.resolve.batch import compare_pairs, soft_dice_scores
from redline.resolve.block import WatchIndex
from redline.resolve.consortium import members
from redline.resolve.matcher import KEEP_FLOOR
from redline.resolve.score import compare, rule, soft_dice
from redline.resolve.variants import Variant, name_variants

EVAL = Path(os.environ["REDLINE_DATA"]).parent / "eval" / "matching"  # the mirror's sibling
SETS = [("watchlist.ftm.jsonl", "queries.csv"), ("hard_watchlist.ftm.jsonl", "hard_queries.csv")]
pytestmark = pytest.mark.skipif(not EVAL.exists(), reason="evaluation sets not mounted")


def _pairs(
    watchlist: str, queries: str
) -> tuple[list[Variant], list[Variant], list[tuple[int, int]]]:
    with (EVAL / queries).open(encoding="utf-8") as handle:
        names = [row["name"] for row in csv.DictReader(handle)]
    forms = list(dict.fromkeys(
        v for name in names for n in [name, *members(name)] for v in name_variants(n)
    ))  # fmt: skip
    with scratch_watchlist(EVAL / watchlist) as store:
        watch = WatchIndex(store.conn)
        listed = [f.variant for f in watch.forms]
        # every pair, not just the blocked ones: the development sets are small
        pairs = [(q, c) for q in range(len(forms)) for c in range(len(listed))]
    return forms, listed, pairs


@pytest.mark.parametrize(("watchlist", "queries"), SETS)
def test_vectorised_soft_dice_equals_the_reference(watchlist: str, queries: str) -> None:
    forms, listed, pairs = _pairs(watchlist, queries)
    dice = [(q, c) for q, c in pairs if rule(forms[q], listed[c]) is None]
    assert len(dice) > 1000
    got = soft_dice_scores([forms[q].tokens for q, _ in dice], [listed[c].tokens for _, c in dice])
    want = np.array([soft_dice(forms[q].tokens, listed[c].tokens) for q, c in dice])
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-9)
    assert (want > 0.5).sum() > 10  # the sets hold close pairs, not only strangers


@pytest.mark.parametrize("country", [None, "cn", "mx", "gb"])
@pytest.mark.parametrize(("watchlist", "queries"), SETS)
def test_bulk_comparisons_equal_the_per_pair_reference(
    watchlist: str, queries: str, country: str | None
) -> None:
    forms, listed, pairs = _pairs(watchlist, queries)
    got = compare_pairs(forms, listed, pairs, KEEP_FLOOR, country)
    want = [
        (n, cmp)
        for n, (q, c) in enumerate(pairs)
        if (cmp := compare(forms[q], listed[c], KEEP_FLOOR, country)).score >= KEEP_FLOOR
    ]
    assert got == want
    assert len(want) > 20


def test_chunked_passes_give_the_same_comparisons(monkeypatch: pytest.MonkeyPatch) -> None:
    forms, listed, pairs = _pairs(*SETS[1])
    whole = compare_pairs(forms, listed, pairs, KEEP_FLOOR)
    monkeypatch.setattr("redline.resolve.batch.CHUNK", 97)  # many passes, ragged last one
    assert compare_pairs(forms, listed, pairs, KEEP_FLOOR) == whole
