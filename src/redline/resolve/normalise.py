"""Organisation names → comparable tokens, the same way on both sides of a match.

Reach for :func:`tokens` to turn any organisation name (Spanish, English or Latin-script Chinese)
into its comparable tokens: ``"CHINA STATE SHIPBLDG CORP LTD"`` and ``"China State
Shipbuilding Corporation Limited"`` both become ``("china", "state", "shipbuilding")``. Legal
forms go (rigour's org-type data first, then our own list for forms left mid-name), accents and
case go, abbreviations and spelling variants map to one form, plurals fold. Han characters are
left out here: :mod:`redline.resolve.variants` renders them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rigour.names import remove_org_types

from redline.resolve.vocab import vocab

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# a token is a run of letters/digits; Han is split off so it never glues to Latin text
_TOKEN = re.compile(r"[^\W_\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def has_han(text: str) -> bool:
    """True when the text holds at least one Han character (only then is pypinyin needed)."""
    return _HAN.search(text) is not None


def han_runs(text: str) -> list[str]:
    """The runs of Han characters in a text, in order."""
    return _HAN_RUN.findall(unicodedata.normalize("NFKC", text))


def fold(text: str) -> str:
    """Unicode-compatible, case-folded, accents removed; punctuation kept (callers split)."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("&", " and ")
    # "S.A.B. de C.V." → "sab de cv": dotted initials must close up before forms are matched
    text = text.replace(".", "")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _stem(token: str) -> str:
    # English plural folding only: enough to meet "Industries"/"Industry", "Technologies"
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 4 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


@lru_cache(maxsize=65536)
def canon(token: str) -> str:
    """One token in its canonical form: abbreviation expanded, spelling unified, plural folded.

    Returns "" for a token that carries no identity (legal form, stop word).
    """
    v = vocab()
    token = v.spellings.get(token, token)
    token = v.abbreviations.get(token, token)
    token = v.spellings.get(token, token)
    if not token or token in v.legal_forms or token in v.stopwords:
        return ""
    return _stem(token)


def raw_tokens(text: str) -> list[str]:
    """Folded Latin tokens before any mapping (legal forms still in)."""
    return _TOKEN.findall(fold(text))


def _multi_word(parts: list[str]) -> list[str]:
    # an expansion may be several words ("import and export"); canonise each again
    out: list[str] = []
    for part in parts:
        out.extend(w for w in (canon(x) for x in part.split()) if w)
    return out


@lru_cache(maxsize=262144)
def tokens(name: str) -> tuple[str, ...]:
    """The comparable tokens of a name's Latin-script part (cached: suppliers repeat)."""
    stripped = remove_org_types(fold(name))
    words = [canon(t) for t in raw_tokens(stripped)]
    return tuple(_multi_word([w for w in words if w]))


def weight(token: str) -> float:
    """How much a token counts: distinctive 1.0, medium 0.5, common 0.2 (see the YAML)."""
    return _weights().get(token, 1.0)


@lru_cache(maxsize=1)
def _weights() -> dict[str, float]:
    # the YAML lists surface words; weigh their canonical forms so both sides agree
    out: dict[str, float] = {}
    for word, w in vocab().weights.items():
        for t in _multi_word([word]) or [word]:
            out.setdefault(t, w)
    return out
