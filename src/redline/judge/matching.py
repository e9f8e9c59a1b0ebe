"""The judge's view of the matcher: which known entity a supplier or vendor name is.

A :data:`Matcher` is any function of this shape: the screen use case passes
``redline.services.match.redline_matcher`` (the project's matcher); tests may pass their own.
The judge uses only ``matched_id``, ``score`` and the explanation: it walks ownership and reads
listings itself, because the evidence ledger must cite each edge and listing row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from redline.model import Explanation
from redline.store.db import Store


@dataclass(frozen=True)
class NameQuery:
    id: str
    name: str
    country: str | None = None
    identifier: str | None = None


@dataclass(frozen=True)
class NameHit:
    """One query met a known entity (``matched_id``) that is, or is owned by, a listed one."""

    query_id: str
    matched_id: str
    entity_id: str
    score: float
    explanation: Explanation  # why, as the matcher explains it; the finding's evidence cites it
    member: str | None = None  # the consortium member the match names, when a joint bid
    #: a name-stem affiliate below the threshold: never judged by a rule, only offered for
    #: review (:mod:`redline.judge.open_cases`)
    possible: bool = False


Matcher = Callable[[Store, Sequence[NameQuery], date], list[NameHit]]
