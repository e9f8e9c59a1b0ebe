"""The engine's scoring batch function against the matcher's scorer, pair by pair.

The names here are hand-made (a few real vendor names of the kind the lists carry, spelled as
suppliers write them); no designation is stated. ``score_pairs`` keys each form by its text and
builds it once per batch; every kept pair must carry the comparison that ``compare_pairs`` gives
that pair on its own, with its query's country, and the pairs below the floor must be dropped.
"""

from __future__ import annotations

import pyarrow as pa

from redline.resolve.batch import compare_pairs
from redline.resolve.engine_udfs import decode, score_pairs
from redline.resolve.matcher import KEEP_FLOOR
from redline.resolve.variants import Variant, name_variants

QUERIES = ["Huawei Technologies de Mexico SA de CV", "Nuctech Company Limited", "Hik Vision"]
LISTED = ["Huawei Technologies Co., Ltd.", "Nuctech Co Ltd", "Hangzhou Hikvision Digital"]


def _forms(names: list[str]) -> list[Variant]:
    return [v for name in names for v in name_variants(name)]


def test_score_pairs_gives_each_pair_the_matchers_comparison() -> None:
    queries, listed = _forms(QUERIES), _forms(LISTED)
    # every query form against every list form, each pair three times with another country:
    # forms repeat across rows as they do when a query form meets many list forms
    rows = [
        (q, w, country)
        for country in ("", "mx", None)
        for q in range(len(queries))
        for w in range(len(listed))
    ]
    batch = pa.RecordBatch.from_pydict(
        {
            "qvid": list(range(len(rows))),
            "vid": [w for _, w, _ in rows],
            "country": [country for _, _, country in rows],
            "qkind": [queries[q].kind for q, _, _ in rows],
            "qtokens": [queries[q].text for q, _, _ in rows],
            "wkind": [listed[w].kind for _, w, _ in rows],
            "wtokens": [listed[w].text for _, w, _ in rows],
        }
    )
    got = {
        (row["qvid"], row["vid"]): (row["country"], row["score"], decode(row["comparison"]))
        for out in score_pairs(iter([batch]))
        for row in out.to_pylist()
    }

    expected = {}
    for n, (q, w, country) in enumerate(rows):
        kept = compare_pairs(queries, listed, [(q, w)], KEEP_FLOOR, country or None)
        for _, cmp in kept:
            expected[(n, w)] = (country or "", cmp.score, cmp)
    assert expected, "the hand-made names must give some pairs above the floor"
    assert len(expected) < len(rows), "and some below it"
    assert got == expected
