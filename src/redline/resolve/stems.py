"""Name-stem affiliates: "CRRT Zhuzhou Locomotive" when only "CRRT" is listed.

Reach for :func:`stem_hits` to find query names that open with a word a listed entity goes by
alone ("CRRT", alias of "CRRT Corporation Limited"), followed by more words: the shape of a
subsidiary's name ("<parent brand> <place> <business>") that no list or ownership file states.
Which words count is computed from the loaded lists (:meth:`WatchIndex._stems`): a word some
entity goes by alone, rare among all list names, and distinctive in the vocabulary — so "China
…", "Beijing …", "Sino …" or "Grupo …" never qualify. The name evidence is weaker than a name
match: :data:`STEM_ALONE_SCORE` stays below the default threshold, and only the query's country
agreeing with the entity's lifts it (``matcher.STEM_SUPPORTED_SCORE``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Protocol

from redline.resolve.normalise import is_org_type, is_place, weight
from redline.resolve.variants import Variant


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


def is_distinctive(token: str) -> bool:
    """Whether a word can name a brand: not a place, an organisation type or a common word.

    The one rule for both sides of a stem match — the list words that become stems
    (:meth:`WatchIndex._stems`) and the query word looked up (:func:`leading_stem`) — so they
    cannot drift apart: ``"crrt"`` is distinctive; ``"china"``, ``"beijing"``, ``"grupo"`` are not.
    """
    return weight(token) >= 1.0 and not is_place(token) and not is_org_type(token)


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
