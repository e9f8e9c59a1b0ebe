"""The comparable forms of one organisation name: what the matcher actually compares.

Reach for :func:`name_variants` to get every form a name can meet another in. A list name
``"China National Nuclear Corporation"`` gives its tokens and its initials (``cnnc``); a
Chinese-script name ``中国远洋海运集团有限公司`` gives an English rendering from the reviewed
glossary (``china ocean shipping group``) and its pinyin (``zhongguo yuanyang haiyun jituan``),
so it meets a registered English name even when no list carries the Chinese alias; a Spanish
rendering with the acronym in brackets gives the acronym as a form of its own.

Brackets: an acronym ``(CASC)`` becomes its own form and the rest of the name another; a country
or place ``(UK)``, ``(México)`` stays part of the name, as it tells an affiliate from its parent;
a member note ``(with Beta)`` is left to :mod:`consortium`; any other qualifier ``(Huawei
Enterprise Mexico)`` gives the name without it and, on the query side, the bracketed text as a
form of its own (a trade name or unit the supplier goes by).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache

from rigour.territories import lookup_territory

from redline.resolve.consortium import member_note
from redline.resolve.normalise import (
    canon,
    han_runs,
    has_han,
    is_place,
    raw_tokens,
    tokens,
    written,
)
from redline.resolve.vocab import vocab

#: at most this many English renderings of one Han name (alternatives multiply)
MAX_RENDERINGS = 6

_BRACKETED = re.compile(r"[(\[]([^()\[\]]{2,40})[)\]]")


@dataclass(frozen=True)
class Variant:
    """One comparable form of a name. ``kind`` says how it was made (shown in explanations):
    ``name`` (the name itself), ``english`` (Han via glossary), ``pinyin``, ``acronym``
    (bracketed in the name), ``bracketed`` (another bracketed qualifier of a query name),
    ``initials`` (made from a list name; only meets an acronym), ``compact`` (the words as
    written, when they run together otherwise than the tokens: meets a form equal without
    spaces, or a one-word compact form by a typo; see
    :func:`~redline.resolve.normalise.written`)."""

    kind: str
    tokens: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


def segment_han(text: str) -> list[tuple[str, bool]]:
    """Split a Han string greedily by the glossary's longest match.

    Returns (segment, known) pairs; runs of characters the glossary does not know are kept
    together as one unknown segment (usually the trade name, e.g. 旷视 in 北京旷视科技).
    """
    v = vocab()
    known = set(v.glossary) | set(v.han_legal_forms)
    longest = max((len(k) for k in known), default=1)
    out: list[tuple[str, bool]] = []
    unknown = ""
    i = 0
    while i < len(text):
        for size in range(min(longest, len(text) - i), 0, -1):
            piece = text[i : i + size]
            if piece in known:
                if unknown:
                    out.append((unknown, False))
                    unknown = ""
                out.append((piece, True))
                i += size
                break
        else:
            unknown += text[i]
            i += 1
    if unknown:
        out.append((unknown, False))
    return out


def _pinyin(segment: str) -> str:
    # imported on first Han text: pypinyin's phrase table takes ~0.5 s to load, and most
    # names (and a cold ``redline match`` of a Latin name) never need it
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(segment))


def _canon_words(words: list[str]) -> tuple[str, ...]:
    out: list[str] = []
    for word in words:
        out.extend(t for t in (canon(w) for w in raw_tokens(word)) if t)
    return tuple(out)


@lru_cache(maxsize=65536)
def han_variants(text: str) -> tuple[Variant, ...]:
    """English renderings (glossary; unknown segments in pinyin) and the pinyin of a Han name."""
    v = vocab()
    segments = [s for run in han_runs(text) for s in segment_han(run)]
    segments = [(s, k) for s, k in segments if s not in v.han_legal_forms]
    if not segments:
        return ()
    choices: list[tuple[str, ...]] = []
    for seg, known in segments:
        if known:
            choices.append(v.glossary[seg].en)
        else:
            choices.append((_pinyin(seg),))
    out: list[Variant] = []
    for combo in itertools.islice(itertools.product(*choices), MAX_RENDERINGS):
        rendered = _canon_words(list(combo))
        if rendered and all(x.tokens != rendered for x in out):
            out.append(Variant("english", rendered))
    pinyin = tuple(_pinyin(seg) for seg, _ in segments)
    out.append(Variant("pinyin", pinyin))
    out.append(Variant("han", ("".join(seg for seg, _ in segments),)))
    return tuple(out)


def initials(name: str) -> tuple[str, ...]:
    """Initials a list name is commonly abbreviated to, with and without its legal form.

    ``"China National Nuclear Corporation"`` → ``("cnnc", "cnn")``. Only for names of three or
    more words, as shorter initials collide with too many unrelated names.
    """
    v = vocab()
    words = [w for w in raw_tokens(name) if w not in v.stopwords and not has_han(w)]
    if len(words) < 3:
        return ()
    full = "".join(w[0] for w in words)
    core = "".join(w[0] for w in words if w not in v.legal_forms)
    return tuple(dict.fromkeys(x for x in (full, core) if len(x) >= 3))


@lru_cache(maxsize=262144)
def name_variants(name: str, *, listed: bool = False) -> tuple[Variant, ...]:
    """Every comparable form of one name. ``listed=True`` adds the initials (list side only)."""
    out: list[Variant] = []
    latin = tokens(name)
    if latin:
        out.append(Variant("name", latin))
        as_written = written(name)
        if as_written and "".join(as_written) != "".join(latin):
            # "Nuc Tech" reads as "nuc technology": the words as written meet "Nuctech"
            out.append(Variant("compact", as_written))
    out.extend(_bracketed(name, latin, listed))
    if has_han(name):
        out.extend(han_variants(name))
    if listed:
        out.extend(Variant("initials", (i,)) for i in initials(name))
    seen: set[tuple[str, tuple[str, ...]]] = set()
    unique = []
    for variant in out:
        key = (variant.kind, variant.tokens)
        if key not in seen:
            seen.add(key)
            unique.append(variant)
    return tuple(unique)


def _bracketed(name: str, latin: tuple[str, ...], listed: bool) -> list[Variant]:
    out: list[Variant] = []
    qualifiers = False
    for inner in _BRACKETED.findall(name):
        inner_tokens = tokens(inner)
        if not inner_tokens or _kept(inner):
            # "(UK)" tells the UK affiliate from its parent: it stays part of the name
            continue
        if len(inner_tokens) == 1 and _is_acronym(inner.strip()):
            out.append(Variant("acronym", inner_tokens))
            qualifiers = True
        elif not listed:
            # on a list a bracket is as often a place we do not know ("(Yangon)") or a
            # description as an alias: only a query's qualifier is set aside
            out.append(Variant("bracketed", inner_tokens))
            qualifiers = True
    if qualifiers:
        # the name without its qualifiers; places and member notes stay in it
        kept = _BRACKETED.sub(lambda m: m.group(0) if _kept(m.group(1)) else " ", name)
        rest = tokens(kept)
        if rest and rest != latin:
            out.append(Variant("name", rest))
    return out


def _kept(inner: str) -> bool:
    """A bracket that stays part of the name: a place ("(UK)", "(New Zealand)") or a member
    note ("(with Beta)", which :mod:`consortium` splits off)."""
    inner_tokens = tokens(inner)
    if not inner_tokens:
        return False
    if member_note(inner) or all(map(is_place, inner_tokens)):
        return True
    return lookup_territory(inner.strip()) is not None


def _is_acronym(text: str) -> bool:
    return 2 <= len(text) <= 10 and text.isalnum() and text.upper() == text and not has_han(text)
