"""Score a matcher on the issue-12 sets: *variants* (``bench/sets/``) and *real negatives*.

Reach for :func:`variants` and :func:`real_negatives` from ``bench/matcheval_bench.py``. A
:data:`Screen` is Redline (``match_names``) or the anchor (``bench.anchor.screen_all``).

Scoring, as the labelled sets' README says: a query is predicted positive when it has a match;
its best match must be the expected entity. Kind ``local-affiliate`` is scored apart: found
when the expected entity comes back as a match or a *possible affiliate* (shown for review).
Possible affiliates are never matches; on the real negatives they are counted and reported.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.real_names import supplier_names
from redline.ingest.lists.watchlist import scratch_watchlist
from redline.services.match import Query, QueryResult
from redline.store.db import Store

SETS = Path(__file__).resolve().parent / "sets"
Screen = Callable[[Store, list[Query]], list[QueryResult]]
#: thresholds the precision-recall curve is drawn over
CURVE = [round(0.70 + 0.01 * n, 2) for n in range(26)]


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(2 * p * r / max(p + r, 1e-9), 4),
    }


def _best(result: QueryResult, threshold: float) -> tuple[str | None, float]:
    for match in result.matches:
        if match.score >= threshold:
            return match.entity_id, match.score
    return None, 0.0


def _score_rows(
    rows: list[dict[str, str]], results: list[QueryResult], threshold: float
) -> dict[str, Any]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    misses: list[dict[str, Any]] = []
    true_scores: list[float] = []
    false_scores: list[float] = []
    for row, result in zip(rows, results, strict=True):
        got, score = _best(result, threshold)
        expected = row["expected"] or None
        for key in (row["kind"], f"split:{row['split']}", "all"):
            c = counts[key]
            c[0] += int(got is not None and got == expected)
            c[1] += int(got is not None and got != expected)
            c[2] += int(expected is not None and got != expected)
        if got is not None:
            (true_scores if got == expected else false_scores).append(score)
        if got != expected:
            misses.append({"id": row["id"], "name": row["name"], "expected": expected, "got": got})
    margin = round(min(true_scores, default=1.0) - max(false_scores, default=threshold), 4)
    return {"per_slice": {k: prf(*v) for k, v in sorted(counts.items())}, "misses": misses,
            "margin": margin}  # fmt: skip


def _for_review(result: QueryResult, threshold: float) -> list[Any]:
    # screened at a low threshold (for the curve), a possible affiliate comes back as a match
    # under the threshold, with the feature that marks it
    weak = [
        m
        for m in result.matches
        if m.score < threshold
        and (m.explanation.get("name") or {}).get("feature") in ("name-stem", "local-affiliate")
    ]
    return [*weak, *result.possible_affiliates]


def variants(screen: Screen, *, threshold: float, curve: bool = False) -> dict[str, Any]:
    """F1/P/R on the variants set per kind and split, affiliates apart, and the margin."""
    with (SETS / "variants_SYNTHETIC_queries.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with scratch_watchlist(SETS / "variants_watchlist.ftm.jsonl") as store:
        results = screen(store, [Query(r["id"], r["name"], r["country"] or None) for r in rows])
    scored = [(r, x) for r, x in zip(rows, results, strict=True) if r["kind"] != "local-affiliate"]
    out = _score_rows([r for r, _ in scored], [x for _, x in scored], threshold)
    affiliates = {"as_match": 0, "as_possible_affiliate": 0, "missed": 0}
    for row, result in zip(rows, results, strict=True):
        if row["kind"] == "local-affiliate":
            if _best(result, threshold)[0] == row["expected"]:
                affiliates["as_match"] += 1
            elif any(m.entity_id == row["expected"] for m in _for_review(result, threshold)):
                affiliates["as_possible_affiliate"] += 1
            else:
                affiliates["missed"] += 1
    out["local_affiliates"] = affiliates
    if curve:
        rs, xs = [r for r, _ in scored], [x for _, x in scored]
        out["curve"] = [
            {"threshold": t, **_score_rows(rs, xs, t)["per_slice"]["all"]} for t in CURVE
        ]
    return out


def real_negatives(store: Store, data: Path, screen: Screen) -> dict[str, Any]:
    """Screen every real Mexican supplier name; every match is listed for review."""
    names = supplier_names(data)
    # with its RFC: a person's (13 characters) meets persons only, and an RFC on both sides decides
    queries = [Query(str(n), x.name, "mx", x.rfc or None) for n, x in enumerate(names)]
    results = screen(store, queries)
    matches, affiliates = [], []
    persons = sum(1 for x in names if x.person)
    with (SETS / "real_negatives_reviewed.csv").open(encoding="utf-8") as handle:
        reviewed = {(r["name"], r["entity"]): r["label"] for r in csv.DictReader(handle)}
    for name, result in zip(names, results, strict=True):
        for match in result.matches[:1]:
            label = reviewed.get((name.name, match.entity_id), "unreviewed")
            found = {"name": name.name, "source": name.source, "entity": match.entity_id}
            matches.append({**found, "score": match.score, "person": name.person, "label": label})
        for match in result.possible_affiliates[:1]:
            affiliates.append({"name": name.name, "entity": match.entity_id})
    return {
        "names": len(names),
        "persons": persons,
        "matches": matches,
        "false_matches": sum(1 for m in matches if m["label"] != "true"),
        "possible_affiliates": len(affiliates),
        "possible_affiliate_examples": affiliates[:10],
    }
