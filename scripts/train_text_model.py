"""Build ``src/redline/data/text_model.json``, the classifier's learned text model.

Trains on the CUCOP catalogue's TRAINING partidas only (held-out partidas are never seen, so the
classify bench measures the model that ships) with the reviewed labels of
``src/redline/data/cucop_labels.yaml``. Run after changing those labels:

    PYTHONPATH=src python scripts/train_text_model.py [DATA_DIR]

DATA_DIR defaults to REDLINE_DATA or ../shared/data. Deterministic: liblinear on a fixed order.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

import sklearn

from redline.classify.cucop import CUCOP_FILE, held_out, labelled_items
from redline.classify.taxonomy import load_taxonomy
from redline.classify.textmodel import ANALYSERS, train

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "redline" / "data" / "text_model.json"
LABELS = ROOT / "src" / "redline" / "data" / "cucop_labels.yaml"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main(data_dir: Path) -> None:
    tax = load_taxonomy()
    items = [i for i in labelled_items(data_dir, set(tax.class_ids)) if not held_out(i.partida)]
    meta = {
        "built_by": "scripts/train_text_model.py",
        "trained_on": f"{CUCOP_FILE} training partidas ({len(items)} items)",
        "cucop_sha256": sha256(data_dir / CUCOP_FILE),
        "labels_sha256": sha256(LABELS),
        "analysers": {
            k: {**v, "ngram_range": list(v["ngram_range"])} for k, v in ANALYSERS.items()
        },
        "scikit_learn": sklearn.__version__,
    }
    data = train(
        [i.description for i in items], [i.classes for i in items], tax.class_ids, meta=meta
    )
    OUT.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    sizes = {c: len(v["weights"]) for c, v in data["classes"].items()}
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes): weights per class {sizes}")


if __name__ == "__main__":
    default = os.environ.get("REDLINE_DATA") or str(ROOT.parent / "shared" / "data")
    main(Path(sys.argv[1] if len(sys.argv) > 1 else default))
