"""Bench: the issue-12 evaluation — the variants set and the real Mexican negatives.

``python -m bench.run matcheval`` writes ``bench/results/matcheval.json`` and its block in
docs/benchmarks.md: F1, precision and recall per kind and split (``split:heldout`` is the 30%
set aside before the rules were written), the local affiliates found for review, the margin
between the weakest true match and the strongest false one, a precision-recall curve over the
threshold, and the false matches per 10,000 real names. nomenklatura logic-v2 (the anchor, at
its default threshold) runs on the same sets in the same run when installed.
"""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path
from typing import Any

from bench import eval_sets
from bench.real_names import register_files
from redline.ingest.lists.catalog import Catalog, load_catalog
from redline.resolve.matcher import DEFAULT_THRESHOLD
from redline.services.lists import load_lists
from redline.services.match import Query, QueryResult, match_names
from redline.store.db import Store

ROOT = Path(__file__).resolve().parents[1]


def _redline(store: Store, queries: list[Query], threshold: float) -> list[QueryResult]:
    return match_names(store, queries, threshold=threshold)


def _anchor() -> Any:
    try:
        from bench import anchor  # needs the 'bench' extra (nomenklatura)
    except ImportError:
        return None
    return anchor


def _designation_lists(data: Path) -> Catalog:
    """The shipped lists less those read from the files the negatives come from (the SFP
    register: its suppliers are Mexican suppliers, and matching them is right)."""
    catalog = load_catalog()
    names = {p.relative_to(data / "lists").as_posix() for p in register_files(data)}
    kept = [s for s in catalog.lists if not any(f.path in names for f in s.files)]
    return catalog.model_copy(update={"lists": kept})


def run(work_dir: Path) -> dict[str, Any]:
    data = Path(os.environ.get("REDLINE_DATA") or ROOT.parent / "shared" / "data")
    low = partial(_redline, threshold=0.5)
    figures: dict[str, Any] = {
        "threshold": DEFAULT_THRESHOLD,
        "variants": eval_sets.variants(low, threshold=DEFAULT_THRESHOLD, curve=True),
    }
    store = Store(":memory:")
    load_lists(store, data, _designation_lists(data))
    real = eval_sets.real_negatives(store, data, partial(_redline, threshold=DEFAULT_THRESHOLD))
    nk = _anchor()
    if nk is not None:
        figures["logic-v2"] = {
            "variants": eval_sets.variants(partial(nk.screen_all, name="logic-v2"), threshold=0.0)
        }
    store.close()
    real["false_per_10k"] = round(1e4 * real["false_matches"] / max(real["names"], 1), 2)
    figures["real_negatives"] = real
    return {"figures": figures, "table": table(figures), "summary": summary(figures)}


def table(figures: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per matcher and slice of the variants set."""
    rows = []
    matchers = [("redline", figures["variants"])]
    if "logic-v2" in figures:
        matchers.append(("nomenklatura logic-v2", figures["logic-v2"]["variants"]))
    for name, found in matchers:
        for key in ("all", "split:dev", "split:heldout"):
            got = found["per_slice"][key]
            rows.append({"matcher": name, "variants slice": key, **got})
    return rows


def summary(figures: dict[str, Any]) -> str:
    variants, real = figures["variants"], figures["real_negatives"]
    kinds = ", ".join(
        f"{k} {v['f1']}"
        for k, v in variants["per_slice"].items()
        if not k.startswith(("split:", "neg", "all"))
    )
    curve = " ".join(f"{p['threshold']}:{p['precision']}/{p['recall']}" for p in variants["curve"])
    return (
        f"Redline F1 per kind (threshold {figures['threshold']}): {kinds}. Local affiliates "
        f"({{'<Group> México, S.A. de C.V.'}}): {variants['local_affiliates']}. Margin, weakest "
        f"true match minus strongest false one: {variants['margin']}. Precision/recall by "
        f"threshold: {curve}.\n\nReal negatives: {real['names']} distinct Mexican supplier "
        f"names ({real['persons']} persons by RFC), {len(real['matches'])} matches, "
        f"{real['false_matches']} of them false by review = {real['false_per_10k']} per 10,000 "
        f"names (each listed in the JSON with its label), "
        f"{real['possible_affiliates']} possible affiliates shown for review (not matches)."
    )
