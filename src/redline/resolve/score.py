"""Score a query form against a list form: 0..1, with the features that decided it.

Reach for :func:`compare` once blocking has produced candidate pairs. The score is a weighted
soft-Dice over tokens: each token on either side counts with its weight (distinctive 1.0, medium
0.5, common 0.2; see ``org_abbreviations.yaml``) times how well it meets a token on the other
side (exact 1.0; a typo of a word of five or more letters by its Levenshtein similarity when at
least :data:`TOKEN_FUZZY_MIN`). Token similarities come from rapidfuzz's C++ Levenshtein with a
score cut-off; the few-by-few token matrix is filled in plain Python, which measured faster than
``process.cdist`` at this size (numpy call overhead dominates a 3x4 matrix).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from operator import mul

from rapidfuzz.distance import Levenshtein

from redline.resolve.normalise import weight
from redline.resolve.variants import Variant
from redline.resolve.vocab import WEIGHT_DISTINCT, vocab

#: a typo'd token counts only when this similar (1 - edits/length)
TOKEN_FUZZY_MIN = 0.8
#: tokens shorter than this must agree exactly (short words and acronyms collide by chance)
FUZZY_MIN_LENGTH = 5
#: the score of forms that are equal once spacing is ignored ("Quec Tel" / "Quectel")
SPACING_SCORE = 0.95
#: the score of a query acronym equal to initials WE made from a list name, before any other
#: evidence: below the default threshold on purpose. Initials are not stated by the source, and
#: a short name meets some list name's initials by chance ("NEC Corporation" = the initials of
#: "Nezhad Enterprise Company"); the matcher lifts it only when something else agrees.
INITIALS_ALONE_SCORE = 0.8
#: factor when both names name a place and the places differ (Mexico vs China)
PLACE_CONFLICT = 0.9
#: factor when a list name made only of common words is not met in full ("China Electronics"
#: against "China Electronics Technology Group": a different company, not a variant)
GENERIC_INCOMPLETE = 0.85
#: the score of equal token sets in another order
REORDERED_SCORE = 0.97


@dataclass
class Comparison:
    """The outcome of comparing two forms: the score and every feature that fired."""

    score: float
    feature: str
    matched: list[tuple[str, str, float]] = field(default_factory=list)  # (query, list, sim)
    unmatched_query: list[str] = field(default_factory=list)
    unmatched_list: list[str] = field(default_factory=list)
    penalties: list[str] = field(default_factory=list)


def _single_short(v: Variant) -> bool:
    return len(v.tokens) == 1 and len(v.tokens[0]) < 6


def compare(query: Variant, listed: Variant, floor: float = 0.0) -> Comparison:
    """Compare one query form with one list form.

    ``floor``: a token comparison whose score (before penalties, which only lower it) falls
    below it returns that score without the token details (feature ``below-floor``) — the bulk
    matcher drops such pairs anyway and most candidate pairs are of that kind.
    """
    q, c = query.tokens, listed.tokens
    if not q or not c:
        return Comparison(0.0, "empty")
    if listed.kind == "initials" or query.kind == "acronym":
        # an acronym only ever meets an equal acronym, never part of a longer name
        if len(q) == 1 and len(c) == 1 and q == c:
            if listed.kind == "initials":
                return Comparison(INITIALS_ALONE_SCORE, "initials", [(q[0], c[0], 1.0)])
            return Comparison(1.0, "acronym", [(q[0], c[0], 1.0)])
        return Comparison(0.0, "acronym-mismatch")
    if q == c:
        return Comparison(1.0, "exact", [(t, t, 1.0) for t in q])
    if sorted(q) == sorted(c):
        return Comparison(REORDERED_SCORE, "reordered", [(t, t, 1.0) for t in q])
    if "".join(q) == "".join(c):
        return Comparison(SPACING_SCORE, "spacing", [(" ".join(q), " ".join(c), 1.0)])
    if _single_short(listed) or _single_short(query):
        # "CRC Ingeniería" must not meet "CRC": a bare short name needs the whole other side
        return Comparison(0.0, "short-name-partial")
    return _soft_dice(q, c, floor)


@lru_cache(maxsize=1 << 20)
def _token_sim(a: str, b: str) -> float:
    # cached: supplier names reuse a small vocabulary, so the same token pairs recur across
    # millions of candidate pairs (measured: 1.4M calls, most of them repeats, per 30k names)
    if a == b:
        return 1.0
    if max(len(a), len(b)) < FUZZY_MIN_LENGTH:
        return 0.0
    # no score_cutoff: rapidfuzz's cut-off drops the exact boundary ("nort"/"north" = 0.8)
    sim = float(Levenshtein.normalized_similarity(a, b))
    return sim if sim >= TOKEN_FUZZY_MIN else 0.0


def _soft_dice(q: tuple[str, ...], c: tuple[str, ...], floor: float = 0.0) -> Comparison:
    # plain loops: the matrices are a few tokens square, where numpy's call overhead dominates
    sim = [[_token_sim(a, b) for b in c] for a in q]
    q_best = [max(row) for row in sim]
    c_best = [max(col) for col in zip(*sim, strict=True)]
    qw = [weight(t) for t in q]
    cw = [weight(t) for t in c]
    score = (sum(map(mul, qw, q_best)) + sum(map(mul, cw, c_best))) / (sum(qw) + sum(cw))
    if score < floor:
        return Comparison(round(score, 4), "below-floor")
    matched = [
        (q[i], c[max(range(len(c)), key=sim[i].__getitem__)], round(q_best[i], 3))
        for i in range(len(q))
        if q_best[i] > 0
    ]
    result = Comparison(
        0.0,
        "tokens",
        matched,
        [q[i] for i in range(len(q)) if q_best[i] == 0],
        [c[j] for j in range(len(c)) if c_best[j] == 0],
    )
    places = vocab().places
    q_places, c_places = places.intersection(q), places.intersection(c)
    if q_places and c_places and not q_places & c_places:
        score *= PLACE_CONFLICT
        result.penalties.append(f"place conflict {sorted(q_places)} / {sorted(c_places)}")
    if result.unmatched_list and max(cw) < WEIGHT_DISTINCT:
        score *= GENERIC_INCOMPLETE
        result.penalties.append("list name of common words only, not met in full")
    result.score = round(score, 4)
    return result
