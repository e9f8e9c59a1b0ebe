"""A learned text model beside the reviewed keywords: word and character n-grams, one sparse
logistic regression per class, stored as a small reviewable JSON artefact.

Reach for :class:`TextModel` to score a description against every class it was trained on,
with the n-grams that pushed it there as evidence. The artefact
(``redline/data/text_model.json``) is built by ``scripts/train_text_model.py`` from the CUCOP
catalogue's training partidas (:mod:`redline.classify.cucop`); it holds, per class, an intercept
and the weight of each n-gram the L1 penalty kept. Features are binary (present or not) and not
normalised, so the stored weights reproduce the trained decision exactly without refitting:
``make test`` loads a few kilobytes instead of training, and the score does not depend on the
scikit-learn version beyond its n-gram analyser.

Example: "RADIO TRANSRECEPTOR PORTATIL" scores ``telecom_radio_access`` with evidence such as
``["radio", " radi", "transrec"]``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from redline.classify.signals import normalise
from redline.packaged import read_text

#: the analysers: word uni/bigrams and character 3-5-grams inside word boundaries
ANALYSERS: dict[str, dict[str, Any]] = {
    "w": {"analyzer": "word", "ngram_range": (1, 2)},
    "c": {"analyzer": "char_wb", "ngram_range": (3, 5)},
}


def analysers() -> dict[str, Callable[[str], list[str]]]:
    """The n-gram analysers of scikit-learn, built (not fitted) with the parameters above."""
    from sklearn.feature_extraction.text import CountVectorizer

    return {k: CountVectorizer(**p).build_analyzer() for k, p in ANALYSERS.items()}


def features(text: str, analyse: dict[str, Callable[[str], list[str]]]) -> set[str]:
    """The binary features of one text: ``w:`` word n-grams and ``c:`` character n-grams."""
    norm = normalise(text)
    return {f"{k}:{g}" for k, fn in analyse.items() for g in fn(norm)}


@dataclass(frozen=True)
class ModelHit:
    """One class the model gives a text: its probability and the n-grams that pushed most."""

    class_id: str
    probability: float
    top: tuple[str, ...]


class TextModel:
    """Per-class intercept and n-gram weights; ``threshold`` is the probability that assigns."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.meta: dict[str, Any] = data["meta"]
        self.threshold: float = float(data["threshold"])
        self.classes: dict[str, tuple[float, dict[str, float]]] = {
            c: (float(v["intercept"]), {k: float(w) for k, w in v["weights"].items()})
            for c, v in data["classes"].items()
        }
        self._analyse = analysers()

    def scores(self, text: str) -> list[ModelHit]:
        """Every class over the threshold, most probable first."""
        feats = features(text, self._analyse)
        hits = []
        for class_id, (intercept, weights) in self.classes.items():
            parts = [(weights[f], f) for f in feats if f in weights]
            z = intercept + sum(w for w, _ in parts)
            p = 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))
            if p >= self.threshold:
                top = tuple(f[2:] for w, f in sorted(parts, reverse=True)[:3] if w > 0)
                hits.append(ModelHit(class_id, round(p, 3), top))
        hits.sort(key=lambda h: (-h.probability, h.class_id))
        return hits


def train(
    texts: Sequence[str],
    labels: Sequence[frozenset[str]],
    class_ids: Sequence[str],
    *,
    c: float = 4.0,
    threshold: float = 0.5,
    meta: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Fit one L1 logistic regression per class with positives; returns the artefact's data."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    analyse = analysers()
    rows = [sorted(features(t, analyse)) for t in texts]
    vocab = {f: i for i, f in enumerate(sorted({f for r in rows for f in r}))}
    indptr, indices = [0], []
    for r in rows:
        indices += [vocab[f] for f in r]
        indptr.append(len(indices))
    x = csr_matrix(([1.0] * len(indices), indices, indptr), shape=(len(rows), len(vocab)))
    names = sorted(vocab, key=vocab.__getitem__)
    out: dict[str, Any] = {}
    for class_id in class_ids:
        y = [int(class_id in lab) for lab in labels]
        if sum(y) < 2:
            continue  # nothing to learn from
        fit = LogisticRegression(
            l1_ratio=1.0, C=c, solver="liblinear", class_weight="balanced", max_iter=5000
        ).fit(x, y)
        coef = fit.coef_[0]
        out[class_id] = {
            "intercept": round(float(fit.intercept_[0]), 4),
            "weights": {names[i]: round(float(coef[i]), 4) for i in coef.nonzero()[0]},
        }
    return {"meta": meta or {}, "threshold": threshold, "classes": out}


@cache
def packaged_model() -> TextModel | None:
    """The committed artefact, or None when the package ships without one."""
    try:
        text, _ = read_text("text_model.json")
    except (FileNotFoundError, OSError):
        return None
    return TextModel(json.loads(text))
