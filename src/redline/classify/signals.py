"""Compiled signal matchers: which class a text, a code or a buyer name points to, and why.

Reach for :class:`SignalMatcher` when you need raw hits (the classifier combines them). Each
class's keywords compile into ONE alternation regex with a named group per pattern, so a text
is scanned once per class and ``match.lastgroup`` says which pattern fired. Callers classify
*unique* texts and reuse the hits, which is what keeps a million releases cheap.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from redline.classify.taxonomy import SectorClass, SignalKind, Taxonomy

_SPACE = re.compile(r"\s+")
_NOT_DIGIT = re.compile(r"\D")


def normalise(text: str) -> str:
    """Accent-free, lower case, single-spaced: "Escáner  de CONTENEDORES" → "escaner de
    contenedores".

    Plain NFKD folding rather than rigour's ``ascii_text``: on this machine ICU transliteration
    costs ~0.5 ms per text, NFKD ~4 µs, and descriptions here are Spanish/English Latin script.
    """
    folded = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in folded if not unicodedata.combining(c))
    return _SPACE.sub(" ", stripped).strip().lower()


@dataclass(frozen=True)
class Hit:
    """One signal that fired: ``value`` is the matched text (or code), ``detail`` the pattern."""

    class_id: str
    kind: SignalKind
    value: str
    detail: str


def _alternation(patterns: list[str]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    parts = [f"(?P<p{i}>{p})" for i, p in enumerate(patterns)]
    return re.compile(r"\b(?:" + "|".join(parts) + r")\b")


class _ClassMatcher:
    def __init__(self, cls: SectorClass) -> None:
        self.cls = cls
        self.keywords = _alternation(cls.keywords)
        self.negatives = _alternation(cls.negatives)

    def text_hits(self, norm: str) -> list[Hit]:
        if self.keywords is None:
            return []
        hits: dict[str, Hit] = {}
        for m in self.keywords.finditer(norm):
            pattern = self.cls.keywords[int((m.lastgroup or "p0")[1:])]
            hits.setdefault(m.group(0), Hit(self.cls.id, "keyword", m.group(0), pattern))
        if hits and self.negatives is not None:
            veto = self.negatives.search(norm)
            if veto is not None:
                # a negative in the same field vetoes the class: "rayos x" next to "dental"
                return []
        return list(hits.values())


#: a clause ends at these; "assigned the core to Nokia and the south to Huawei" is two clauses
_CLAUSE_END = re.compile(r"[;.:]| and | y | while | mientras ")


class SignalMatcher:
    """All classes of a taxonomy compiled once; reuse it for every text."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        vendors = "|".join(f"(?:{v})" for v in taxonomy.scope_vendors) or r"(?!x)x"
        # "... to Nokia", "... a Ericsson": the scope just named is handed to that vendor ("de",
        # "by", "por" are left out: "cámaras de Hikvision" is the supplier's own product)
        self._scope = re.compile(rf"\b(?:to|a) ({vendors})\b")
        self._classes = [_ClassMatcher(c) for c in taxonomy.classes]
        self._codes: dict[str, list[tuple[str, str, str]]] = {}
        for cls in taxonomy.classes:
            for code in cls.codes:
                self._codes.setdefault(code.scheme, []).append((code.prefix, cls.id, code.meaning))
        self._buyers = {key: _alternation(group.patterns) for key, group in taxonomy.buyers.items()}

    def text_hits(self, text: str) -> list[Hit]:
        """Keyword hits of every class in one free text (already vetoed by negatives), leaving
        out a keyword the same clause hands to another named vendor (:meth:`scope_of`)."""
        norm = normalise(text)
        if not norm:
            return []
        return [
            hit
            for cm in self._classes
            for hit in cm.text_hits(norm)
            if self.scope_of(norm, hit.value) is None
        ]

    def unscoped(self, text: str) -> str:
        """The normalised text without the clauses handed to a named vendor (and the clause
        joined to one by "and"/"y"): what the learned model reads."""
        norm = normalise(text)
        parts = _CLAUSE_END.split(norm)
        seps = [m.group(0) for m in _CLAUSE_END.finditer(norm)]
        drop = set()
        for i, part in enumerate(parts):
            if self._scope.search(part):
                drop.add(i)
                if i and seps[i - 1] in {" and ", " y "}:
                    drop.add(i - 1)
        return " ".join(p for i, p in enumerate(parts) if i not in drop).strip()

    def scope_of(self, norm: str, value: str) -> str | None:
        """The vendor a clause assigns ``value`` to, if any: in "assigned the network core and
        the border sites to Nokia and the south to Huawei", "network core" is Nokia's."""
        start = norm.find(value)
        while start >= 0:
            rest = norm[start + len(value) :]
            end = _CLAUSE_END.search(rest)
            found = self._scope.search(rest[: end.start()] if end else rest)
            if found is None and end is not None and end.group(0) in {" and ", " y "}:
                # "the core and the border sites to Nokia": the clause runs on to the vendor
                nxt = _CLAUSE_END.search(rest, end.end())
                found = self._scope.search(rest[: nxt.start()] if nxt else rest)
            if found is None:
                return None
            start = norm.find(value, start + 1)
            if start < 0:
                return found.group(1)
        return None

    def code_hits(self, scheme: str | None, code: str | None) -> list[Hit]:
        """Classes whose prefix starts the code's digits: CPV 38581000 → border_inspection."""
        if not scheme or not code:
            return []
        key = _scheme_key(scheme)
        digits = _NOT_DIGIT.sub("", code)
        if key is None or not digits:
            return []
        return [
            Hit(class_id, "code", f"{key} {code}", f"prefix {prefix}: {meaning}")
            for prefix, class_id, meaning in self._codes.get(key, ())
            if digits.startswith(prefix)
        ]

    def buyer_groups(self, name: str | None) -> list[tuple[str, str]]:
        """(group id, matched text) of every buyer group the name belongs to."""
        norm = normalise(name or "")
        found = []
        for key, rx in self._buyers.items():
            m = rx.search(norm) if rx is not None and norm else None
            if m is not None:
                found.append((key, m.group(0)))
        return found

    def buyer_hits(self, name: str | None) -> list[Hit]:
        """Buyer hits per class; they only strengthen a class assigned by code or keyword."""
        groups = dict(self.buyer_groups(name))
        return [
            Hit(cls.id, "buyer", groups[g], f"buyer group {g}")
            for cls in self.taxonomy.classes
            for g in cls.buyers
            if g in groups
        ]


def _scheme_key(scheme: str) -> str | None:
    s = normalise(scheme).replace("-", "").replace(" ", "")
    if s.startswith("cucop"):
        return "CUCOP"
    if s.startswith("unspsc"):
        return "UNSPSC"
    if s.startswith("cpv"):
        return "CPV"
    return None
