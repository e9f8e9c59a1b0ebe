"""The reviewed vocabulary the matcher uses, loaded once from ``redline/data/*.yaml``.

Reach for :func:`vocab` to read abbreviations, spelling variants, legal forms, stop words, token
weights and the Chinese glossary. The YAML files are the place to change matching behaviour for
a whole class of names; code holds no word lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from redline.errors import InputError, Problem

#: weight of a token by its class: distinctive words decide a match, common ones barely count.
WEIGHT_DISTINCT = 1.0
WEIGHT_MEDIUM = 0.5
WEIGHT_LOW = 0.2
#: organisation-type words ("group", "holding") tell what, not which: they count as common
#: words (0.1 was tried: "Grupo Lerma" then met the listed "Lerma Trading" at 0.87), and two
#: names equal once they are set aside meet by a rule of their own (``score.ORG_TYPE_SCORE``)
WEIGHT_ORG_TYPE = WEIGHT_LOW


@dataclass(frozen=True)
class GlossaryEntry:
    """One Chinese word and its English renderings (most usual first)."""

    han: str
    en: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class Vocabulary:
    abbreviations: dict[str, str]
    spellings: dict[str, str]
    legal_forms: frozenset[str]
    stopwords: frozenset[str]
    weights: dict[str, float]
    glossary: dict[str, GlossaryEntry]
    han_legal_forms: dict[str, str]  # Han legal form -> its pinyin
    pinyin_legal_forms: tuple[tuple[str, ...], ...]
    places: frozenset[str]
    org_types: frozenset[str]
    #: full legal forms of several words, folded ("sociedad anonima"), removed as phrases
    legal_form_phrases: tuple[str, ...] = ()

    def weight(self, token: str) -> float:
        return self.weights.get(token, WEIGHT_DISTINCT)


def _load(name: str) -> dict[str, Any]:
    text = resources.files("redline.data").joinpath(name).read_text(encoding="utf-8")
    # libyaml's safe loader when built in (10x faster; the same safe subset and result)
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if not isinstance(data, dict):
        raise InputError([Problem(name, "", "expected a mapping at top level")])
    return data


def _glossary(data: dict[str, Any]) -> dict[str, GlossaryEntry]:
    problems: list[Problem] = []
    out: dict[str, GlossaryEntry] = {}
    for i, row in enumerate(data.get("words") or []):
        en = row.get("en") if isinstance(row, dict) else None
        if not isinstance(row, dict) or not row.get("han") or not en or not row.get("source"):
            problems.append(Problem("org_glossary_zh.yaml", f"words[{i}]", "needs han, en, source"))
            continue
        renderings = tuple(en) if isinstance(en, list) else (str(en),)
        out[str(row["han"])] = GlossaryEntry(str(row["han"]), renderings, str(row["source"]))
    if problems:
        raise InputError(problems)
    return out


@lru_cache(maxsize=1)
def vocab() -> Vocabulary:
    """The vocabulary, parsed and checked once per process."""
    abbr = _load("org_abbreviations.yaml")
    zh = _load("org_glossary_zh.yaml")
    weights: dict[str, float] = {}
    for token in abbr["generic"]["medium"]:
        weights[str(token)] = WEIGHT_MEDIUM
    for token in abbr["generic"]["low"]:
        weights[str(token)] = WEIGHT_LOW
    for token in abbr.get("org_types") or []:
        weights[str(token)] = WEIGHT_ORG_TYPE
    han_forms = {str(r["han"]): str(r["pinyin"]) for r in zh.get("legal_forms") or []}
    return Vocabulary(
        abbreviations={str(k): str(v or "") for k, v in abbr["abbreviations"].items()},
        spellings={str(k): str(v) for k, v in abbr["spellings"].items()},
        legal_forms=frozenset(str(x) for x in abbr["legal_forms"]),
        stopwords=frozenset(str(x) for x in abbr["stopwords"]),
        weights=weights,
        glossary=_glossary(zh),
        han_legal_forms=han_forms,
        pinyin_legal_forms=tuple(
            sorted((tuple(p.split()) for p in han_forms.values()), key=len, reverse=True)
        ),
        places=frozenset(str(x) for x in abbr.get("places") or []),
        org_types=frozenset(str(x) for x in abbr.get("org_types") or []),
        legal_form_phrases=tuple(
            sorted((str(x) for x in abbr.get("legal_form_phrases") or []), key=len, reverse=True)
        ),
    )
