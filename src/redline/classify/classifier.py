"""Assign sector classes WITH the evidence that put them there.

Reach for :class:`Classifier` (or :func:`classify_text`) when you hold one description, an
event row or a tracker row. The rule, the same one the store pass applies in SQL:

* a class is assigned when a **code** prefix or a **keyword** of the class fires (keywords
  already vetoed by a negative pattern in the same field do not count);
* a **buyer** pattern never assigns a class; it adds evidence and weight to one already assigned.

Example: ``classify_text("Adquisición de arcos detectores", buyer="ANAM")`` gives one
assignment, ``border_inspection``, with a keyword signal ("arcos detectores", field ``text``)
and a buyer signal ("anam", field ``buyer``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from redline.classify.signals import Hit, SignalMatcher
from redline.classify.taxonomy import SignalKind, Taxonomy, load_taxonomy
from redline.classify.textmodel import TextModel, packaged_model

#: cap on cached unique texts so a long run does not grow without bound
_CACHE_LIMIT = 200_000


@dataclass(frozen=True)
class Signal:
    """Why a class was assigned: kind, matched value, the field it came from, the pattern."""

    kind: SignalKind
    value: str
    field: str
    detail: str
    weight: float


@dataclass(frozen=True)
class Assignment:
    """One class assigned to one subject, with every signal that fired for it."""

    class_id: str
    name: str
    tier: int
    score: float
    signals: tuple[Signal, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "class_id": self.class_id,
            "name": self.name,
            "tier": self.tier,
            "score": self.score,
            "signals": [s.__dict__ for s in self.signals],
        }


@dataclass(frozen=True)
class Subject:
    """What is classified: named text fields, classification codes and the buyer's name.

    ``texts`` are (field, text), e.g. ("item.description", "ARCO DETECTOR DE METALES");
    ``codes`` are (field, scheme, code), e.g. ("item.classification", "CPV", "38581000").
    """

    texts: tuple[tuple[str, str], ...] = ()
    codes: tuple[tuple[str, str, str], ...] = ()
    buyer: str | None = None


@dataclass
class _Evidence:
    signals: dict[tuple[str, str, str], Signal] = field(default_factory=dict)

    def add(self, signal: Signal) -> None:
        self.signals.setdefault((signal.kind, signal.value, signal.field), signal)


class Classifier:
    """A taxonomy compiled once, with a cache of hits per unique text.

    ``model`` is the learned text model (:mod:`redline.classify.textmodel`); by default the
    packaged one, ``use_model=False`` gives the keyword-only classifier the bench sets beside it.
    """

    def __init__(
        self,
        taxonomy: Taxonomy | None = None,
        model: TextModel | None = None,
        *,
        use_model: bool = True,
    ) -> None:
        self.taxonomy = taxonomy or load_taxonomy()
        self.matcher = SignalMatcher(self.taxonomy)
        self.model = (model or packaged_model()) if use_model else None
        self._texts: dict[str, list[Hit]] = {}

    def text_hits(self, text: str) -> list[Hit]:
        """Keyword hits, then model hits for classes no keyword gave (kind ``model``; value:
        the n-grams that weighed most; detail: the probability and what it was trained on)."""
        hits = self._texts.get(text)
        if hits is None:
            if len(self._texts) >= _CACHE_LIMIT:
                self._texts.clear()
            hits = self.matcher.text_hits(text)
            if self.model is not None:
                known = {h.class_id for h in hits} | {""}
                for m in self.model.scores(self.matcher.unscoped(text)):
                    if m.class_id not in known and m.class_id in self.taxonomy.class_ids:
                        detail = (
                            f"text model p={m.probability} ({self.model.meta.get('trained_on')})"
                        )
                        value = ", ".join(m.top) or "(model)"
                        hits.append(Hit(m.class_id, "model", value, detail))
            self._texts[text] = hits
        return hits

    def classify(self, subject: Subject) -> list[Assignment]:
        """Classes of one subject, most sensitive tier first, then by score."""
        w = self.taxonomy.weights
        found: dict[str, _Evidence] = {}
        for fld, text in subject.texts:
            for hit in self.text_hits(text):
                ev = found.setdefault(hit.class_id, _Evidence())
                weight = w.model if hit.kind == "model" else w.keyword
                ev.add(Signal(hit.kind, hit.value, fld, hit.detail, weight))
        for fld, scheme, code in subject.codes:
            for hit in self.matcher.code_hits(scheme, code):
                ev = found.setdefault(hit.class_id, _Evidence())
                ev.add(Signal("code", hit.value, fld, hit.detail, w.code))
        for hit in self.matcher.buyer_hits(subject.buyer):
            if hit.class_id in found:  # buyer alone never classifies
                found[hit.class_id].add(Signal("buyer", hit.value, "buyer", hit.detail, w.buyer))
        out = []
        for class_id, ev in found.items():
            cls = self.taxonomy.get(class_id)
            signals = tuple(ev.signals.values())
            score = round(sum(s.weight for s in signals), 6)
            out.append(Assignment(class_id, cls.name, cls.tier, score, signals))
        out.sort(key=lambda a: (a.tier, -a.score, a.class_id))
        return out


_default: Classifier | None = None


def default_classifier() -> Classifier:
    """A shared classifier over the packaged taxonomy (built on first use)."""
    global _default
    if _default is None:
        _default = Classifier()
    return _default


def classify_text(
    text: str,
    *,
    buyer: str | None = None,
    codes: Iterable[tuple[str, str]] | Sequence[tuple[str, str]] = (),
    classifier: Classifier | None = None,
) -> list[Assignment]:
    """Classes of one free text; ``codes`` are (scheme, code) pairs such as ("CPV", "38581000").

    Use it for event rows, tracker rows and anything not in the store.
    """
    subject = Subject(
        texts=(("text", text),),
        codes=tuple(("code", scheme, code) for scheme, code in codes),
        buyer=buyer,
    )
    return (classifier or default_classifier()).classify(subject)
