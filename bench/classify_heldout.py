"""The classifier on the CUCOP held-out partidas: per-class precision/recall, text-only and
code-plus-text apart, the full classifier beside the keyword-only one (used by classify_bench).

A label comes from a reviewed CUCOP code (``src/redline/data/cucop_labels.yaml``); in
"code+text" the item's CUCOP key is given as a code too, in "text" only its description, so a
code that gave the label does not also grade it. Sensitive classes are the taxonomy's tier 1-2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from redline.classify.classifier import Classifier, Subject
from redline.classify.cucop import CucopItem, held_out, labelled_items
from redline.classify.evaluate import read_labels


def _score(
    clf: Classifier, items: list[CucopItem], codes: bool, sensitive: set[str]
) -> dict[str, Any]:
    per: dict[str, dict[str, int]] = {c: {"tp": 0, "fp": 0, "fn": 0} for c in sorted(sensitive)}
    flagged = negatives = 0
    for item in items:
        subject = Subject(
            texts=(("item.description", item.description),),
            codes=(("item.classification", "CUCOP", item.code),) if codes else (),
        )
        got = {a.class_id for a in clf.classify(subject)} & sensitive
        want = set(item.classes) & sensitive
        if not want:
            negatives += 1
            flagged += bool(got)
        for c in got & want:
            per[c]["tp"] += 1
        for c in got - want:
            per[c]["fp"] += 1
        for c in want - got:
            per[c]["fn"] += 1
    for s in per.values():
        s["precision"] = round(s["tp"] / (s["tp"] + s["fp"]), 3) if s["tp"] + s["fp"] else None  # type: ignore[assignment]
        s["recall"] = round(s["tp"] / (s["tp"] + s["fn"]), 3) if s["tp"] + s["fn"] else None  # type: ignore[assignment]
    return {
        "non_sensitive": negatives,
        "non_sensitive_flagged": flagged,
        "non_sensitive_flagged_rate": round(flagged / negatives, 4) if negatives else 0.0,
        "per_class": per,
    }


def label_counts(data: Path, label_files: list[Path], clf: Classifier) -> dict[str, Any]:
    """Positives per class in the whole labelled set (CUCOP + the mirror's descriptions)."""
    ids = set(clf.taxonomy.class_ids)
    items = labelled_items(data, ids)
    mirror = read_labels(label_files, ids)
    counts = {c: {"cucop": 0, "cucop_held_out": 0, "mirror": 0} for c in clf.taxonomy.class_ids}
    for item in items:
        for c in item.classes:
            counts[c]["cucop"] += 1
            counts[c]["cucop_held_out"] += held_out(item.partida)
    for label in mirror:
        for c in label.classes:
            counts[c]["mirror"] += 1
    for n in counts.values():
        n["total"] = n["cucop"] + n["mirror"]
    return {
        "descriptions": len(items) + len(mirror),
        "cucop_items": len(items),
        "cucop_held_out_items": sum(held_out(i.partida) for i in items),
        "mirror_descriptions": len(mirror),
        "positives_per_class": counts,
        "under_measured": sorted(c for c, n in counts.items() if n["total"] < 10),
        "under_measured_held_out": sorted(c for c, n in counts.items() if n["cucop_held_out"] < 10),
    }


def held_out_scores(data: Path) -> dict[str, Any]:
    full, keywords = Classifier(), Classifier(use_model=False)
    sensitive = {c.id for c in full.taxonomy.classes if c.tier <= 2}
    items = [i for i in labelled_items(data, set(full.taxonomy.class_ids)) if held_out(i.partida)]
    return {
        name: {
            mode: _score(clf, items, codes, sensitive)
            for mode, codes in (("text", False), ("code+text", True))
        }
        for name, clf in (("keywords+model", full), ("keywords_only", keywords))
    }
