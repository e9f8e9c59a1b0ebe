"""Name-stem affiliates: "CRRT Zhuzhou Locomotive" when only "CRRT" is listed.

Reach for :func:`stem_hits` to find query names that open with a word a listed entity goes by
alone ("CRRT", alias of "CRRT Corporation Limited"), followed by more words: the shape of a
subsidiary's name ("<parent brand> <place> <business>") that no list or ownership file states.
Which words count is computed from the loaded lists (:meth:`WatchIndex._stems`): a word some
entity goes by alone (:func:`goes_by_alone`: its whole name less legal forms, not what is left
after dropping other words), rare among all list names, and distinctive (:func:`is_distinctive`)
— so "China …", "Beijing …", "Sino …", "Grupo …" or a common word ("Star …") never qualify.
The name evidence is weaker than a name match: :data:`STEM_ALONE_SCORE` stays below the
default threshold, and only the query's country agreeing with the entity's lifts it
(``matcher.STEM_SUPPORTED_SCORE``).
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from importlib.metadata import version
from importlib.util import find_spec
from pathlib import Path
from typing import Protocol

import msgpack

from redline.resolve.normalise import canon, fold, is_org_type, is_place, kept_words, weight
from redline.resolve.variants import Variant
from redline.resolve.vocab import vocab


class _Form(Protocol):
    @property
    def entity_id(self) -> str: ...


class StemIndex(Protocol):
    """What :func:`stem_hits` reads of a list index (``block.WatchIndex`` is one): the list
    forms by index and, per stem, the indexes of the forms that go by it."""

    @property
    def forms(self) -> Sequence[_Form]: ...

    @property
    def stems(self) -> Mapping[str, tuple[int, ...]]: ...


#: the score of a name-stem affiliate on its own: below the default threshold on purpose
STEM_ALONE_SCORE = 0.75
#: forms of these kinds are names a supplier goes by (not initials, pinyin or Han renderings)
_STEM_KINDS = ("name", "bracketed", "english")


#: a word at least this frequent (Zipf scale: 4.0 is 10 per million words) in English or
#: Spanish text is a common word, never a stem: "best", "star", "vision", "terminal"
COMMON_ZIPF = 4.0
#: wordfreq's "small" tables list every word down to Zipf 3, enough for :data:`COMMON_ZIPF`
_COMMON_LANGS = ("en", "es")
#: what the stems of an index are computed by: an index kept on disk by another rule (or other
#: wordfreq data) is built again (``block.WatchIndex._built``)
STEM_RULE = f"alone-by-bare-words;zipf<{COMMON_ZIPF};wordfreq={version('wordfreq')}"
#: a word dropped before a name's legal form and kept with it: "AIPR Y COMPAÑIA", "Mirza and Co.",
#: "S.A.P.I. de C.V."; a leading article: "The Sadidians"
_JOINERS = frozenset({"and", "y", "e", "et", "und", "de", "del"})
_ARTICLES = frozenset({"the", "el", "la", "los", "las"})


def _cbpack_words(lang: str) -> list[str]:
    # wordfreq's own table format (cBpack: a header, then one list of words per centibel of
    # frequency, most frequent first), read directly: importing wordfreq costs ~0.5 s and a cold
    # ``redline match`` needs nothing else of it. Bucket i holds words of Zipf 9 - i/100.
    spec = find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("wordfreq is not installed")  # a runtime dependency in pyproject
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / f"small_{lang}.msgpack.gz"
    with gzip.open(path, "rb") as handle:
        data = msgpack.unpack(handle, raw=False)
    if not isinstance(data[0], dict) or data[0].get("format") != "cB":
        raise RuntimeError(f"unexpected wordfreq table {path.name}")
    last = round((9 - COMMON_ZIPF) * 100)
    return [word for bucket in data[1 : last + 2] for word in bucket]


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Words of Zipf frequency :data:`COMMON_ZIPF` or more in English or Spanish (wordfreq
    3.1.1's data, CC-BY-SA), folded as our tokens are ("región" → ``"region"``); ~13,000
    words, read once in about 0.1 s."""
    words = (word for lang in _COMMON_LANGS for word in _cbpack_words(lang))
    return frozenset(word if word.isascii() else fold(word) for word in words)


def is_distinctive(token: str) -> bool:
    """Whether a word can name a brand: not a place, an organisation type or a common word.

    The one rule for both sides of a stem match — the list words that become stems
    (:meth:`WatchIndex._stems`) and the query word looked up (:func:`leading_stem`) — so they
    cannot drift apart: ``"crrt"``, ``"huawei"`` are distinctive; ``"china"``, ``"beijing"``,
    ``"grupo"`` (vocabulary) and ``"best"``, ``"vision"`` (:func:`common_words`) are not.
    """
    return (
        weight(token) >= 1.0
        and not is_place(token)
        and not is_org_type(token)
        and token not in common_words()
    )


def _type_word(word: str) -> bool:
    # a legal form rigour left in ("co"), a spelling of one ("compania", "corporacion") or an
    # organisation type ("group"); not an abbreviation of one ("cos" in "COS CAMPESTRE")
    v = vocab()
    return word in v.legal_forms or v.spellings.get(word) in v.legal_forms or is_org_type(word)


def goes_by_alone(name: str, stem: str) -> bool:
    """Whether the one-word form ``stem`` of list name ``name`` is the whole name: nothing but
    legal forms, organisation types, a leading article or a joiner before a legal form was
    dropped from it. "CRRC Corporation Limited", "Corporación Inovare, S.A. de C.V." go by
    their word alone; "IS'Vision" (split at the apostrophe, ``is`` dropped), "CONSTRUCTORA OF,
    S.A. DE C.V.", "COS CAMPESTRE, S.A. DE C.V." or "E&E CONSTRUCCIONES, S.A. DE C.V." do not."""
    words = kept_words(name)
    for i, word in enumerate(words):
        if word == stem or canon(word) == stem or _type_word(word):
            continue
        if i == 0 and word in _ARTICLES:
            continue
        if word in _JOINERS and all(_type_word(w) or w in _JOINERS for w in words[i + 1 :]):
            continue
        return False
    return True


def leading_stem(tokens: tuple[str, ...]) -> str | None:
    """The first distinctive word of a name, after places, organisation types and common
    words: ``("group", "crrt", "zhuzhou", "locomotive")`` → ``"crrt"``."""
    return next((token for token in tokens if is_distinctive(token)), None)


def form_stem(tokens: tuple[str, ...]) -> str | None:
    """The stem a name form is looked up by: its :func:`leading_stem` when it has more words
    after it (a lone word is a name, not a "<brand> <more>" affiliate); else None."""
    return leading_stem(tokens) if len(tokens) > 1 else None


def stem_hits(forms: Sequence[Variant], watch: StemIndex) -> Iterator[tuple[int, str, int, str]]:
    """(query form index, entity id, list form index, stem) for each name-stem affiliate."""
    for fid, form in enumerate(forms):
        if form.kind not in _STEM_KINDS:
            continue
        stem = form_stem(form.tokens)
        seen: set[str] = set()
        for vid in watch.stems.get(stem or "", ()):
            entity_id = watch.forms[vid].entity_id
            if entity_id not in seen:
                seen.add(entity_id)
                yield fid, entity_id, vid, str(stem)
