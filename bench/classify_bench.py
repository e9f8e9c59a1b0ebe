"""Bench: classifier precision/recall per class on the labelled set, and store-pass throughput.

Convention shared by bench/run.py: ``run(work_dir) -> dict`` of figures. Run alone with
``python bench/classify_bench.py`` (uses REDLINE_DATA or ../shared/data as the mirror).
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

from bench.classify_heldout import held_out_scores, label_counts
from redline.classify.classifier import Classifier
from redline.classify.evaluate import evaluate
from redline.services.classify import classify_store
from redline.store.db import Store

ROOT = Path(__file__).resolve().parents[1]
LABELS = sorted((ROOT / "tests" / "classify" / "labels").glob("*.csv"))


def _mirror() -> Path:
    return Path(os.environ.get("REDLINE_DATA") or ROOT.parent / "shared" / "data")


def _quality(data: Path, keywords_only: bool = False) -> dict[str, Any]:
    ev = evaluate(LABELS, data, Classifier(use_model=not keywords_only))
    micro = ev.micro
    return {
        "labels": ev.labels,
        "labels_with_a_class": ev.positives,
        "micro": {"precision": micro.precision, "recall": micro.recall},
        "false_alarm_rate": round(ev.false_alarm_rate, 4),
        "per_class": {
            c: {"tp": s.tp, "fp": s.fp, "fn": s.fn, "precision": s.precision, "recall": s.recall}
            for c, s in ev.per_class.items()
        },
        "errors": ev.errors,
    }


def _throughput(work_dir: Path, n_items: int, distinct: int) -> dict[str, Any]:
    """SYNTHETIC load: n_items item rows drawn from `distinct` invented descriptions."""
    rng = random.Random(7)
    words = [
        "equipo",
        "servicio",
        "camaras",
        "videovigilancia",
        "papel",
        "red",
        "troncal",
        "arco",
        "detector",
        "mantenimiento",
        "tren",
        "ligero",
        "limpieza",
        "oficina",
    ]
    texts = [" ".join(rng.choices(words, k=6)) + f" lote {i}" for i in range(distinct)]
    path = work_dir / "classify_bench_synthetic.duckdb"
    path.unlink(missing_ok=True)
    with Store(path) as store:
        store.conn.execute(
            "INSERT INTO items (ocid, parent, item_id, description, classification_scheme, "
            "classification_id, source_file, pointer, release_id, run_id, ingested_at) "
            "SELECT 'synthetic-' || (i // 10), 'tender', i::VARCHAR, "
            "$texts[1 + (hash(i) % $n)::INTEGER], 'CPV', '3858' || (i % 10)::VARCHAR || '000', "
            "'synthetic', '/' || i, 'r', 'bench', now() FROM range($rows) t(i)",
            {"texts": texts, "n": distinct, "rows": n_items},
        )
        started = time.perf_counter()
        report = classify_store(store, Classifier())
        seconds = time.perf_counter() - started
    path.unlink(missing_ok=True)
    return {
        "synthetic_items": n_items,
        "distinct_texts": report.unique_texts,
        "evidence_rows": report.rows,
        "seconds": round(seconds, 2),
        "items_per_second": round(n_items / seconds),
    }


def run(work_dir: Path) -> dict[str, Any]:
    work_dir.mkdir(parents=True, exist_ok=True)
    data = _mirror()
    return {
        "labelled_set": label_counts(data, LABELS, Classifier()),
        "held_out_cucop": held_out_scores(data),
        "quality": _quality(data),
        "quality_keywords_only": _quality(data, keywords_only=True),
        "throughput": _throughput(work_dir, n_items=200_000, distinct=20_000),
    }


if __name__ == "__main__":
    out = run(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "bench" / "results")
    json.dump(out, sys.stdout, indent=2, default=str)
    sys.stdout.write("\n")
