"""Score a query form against a list form: 0..1, with the features that decided it.

Reach for :func:`compare` for one pair with every detail (it is the reference; the bulk path
:func:`redline.resolve.batch.compare_pairs` gives the same scores for many pairs at once). The
score is a weighted soft-Dice over tokens: each token on either side counts with its weight
(distinctive 1.0, medium 0.5, common and organisation type 0.2; see ``org_abbreviations.yaml``)
times how well it meets a token on the other side (exact 1.0; a typo of a word of five or more
letters by its edit similarity when at least :data:`TOKEN_FUZZY_MIN`, an adjacent transposition
counting as half an edit: "inspru" meets "inspur" at 0.92; plain Levenshtein gave 0.67).
Rules before it: exact, reordered, spacing, acronyms, equal once organisation-type words are
set aside ("ACME Group" / "ACME"), a bare short name never meets part of a longer one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from operator import mul

from rapidfuzz.distance import OSA, Levenshtein

from redline.resolve.normalise import is_org_type, is_place, place_country, weight
from redline.resolve.variants import Variant
from redline.resolve.vocab import WEIGHT_DISTINCT

#: a typo'd token counts only when this similar (1 - edits/length)
TOKEN_FUZZY_MIN = 0.8
#: what an adjacent transposition saves of its one edit (see :func:`edit_similarity`)
TRANSPOSITION_DISCOUNT = 0.5
#: tokens shorter than this must agree exactly (short words and acronyms collide by chance)
FUZZY_MIN_LENGTH = 5
#: a one-word name as written this long or longer may meet another by a typo ("Thlaes" /
#: "Thales"); shorter ones, such as five-letter names, must agree exactly (as bare short names)
ONE_WORD_TYPO_MIN = 6
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
#: against "China Electronics Technology Group": a different company, not a variant), or when
#: the query adds a word to it that is neither a place nor an organisation type
GENERIC_INCOMPLETE = 0.85
#: the score of equal token sets in another order
REORDERED_SCORE = 0.97
#: the score of names equal once organisation-type words are set aside ("CRRT Group" / "CRRT
#: Corporation Limited" / alias "CRRT"): a strong match, below a reordering
ORG_TYPE_SCORE = 0.95
#: factor when a country is named on one side only: "Huawei Technologies (UK) Co., Ltd." is the
#: UK affiliate, not "Huawei Technologies Co., Ltd." — unless the query's own country is that
#: country (then the query's country supplies it, see :func:`compare`)
PLACE_ONE_SIDED = 0.9


@dataclass
class Comparison:
    """The outcome of comparing two forms: the score and every feature that fired."""

    score: float
    feature: str
    matched: list[tuple[str, str, float]] = field(default_factory=list)  # (query, list, sim)
    unmatched_query: list[str] = field(default_factory=list)
    unmatched_list: list[str] = field(default_factory=list)
    penalties: list[str] = field(default_factory=list)
    #: countries (ISO) a place word on the list side names that the query's name does not
    list_only_countries: tuple[str, ...] = ()


def compare(
    query: Variant, listed: Variant, floor: float = 0.0, country: str | None = None
) -> Comparison:
    """Compare one query form with one list form.

    ``floor``: a token comparison whose score (before penalties, which only lower it) falls
    below it returns that score without the token details (feature ``below-floor``) — the bulk
    matcher drops such pairs anyway and most candidate pairs are of that kind. ``country``: the
    query's country (ISO, lower case) when known; a place word on one side only that names it
    costs nothing, and on the list side it counts as met ("Huawei Technologies" from the UK
    meets "Huawei Technologies (UK)" in full).
    """
    found = rule(query, listed)
    if found is not None:
        return found
    return _soft_dice(query.tokens, listed.tokens, floor, country)


@dataclass(frozen=True)
class Shape:
    """What the rules look at in one form, computed once per form (forms recur in many pairs)."""

    ordered: tuple[str, ...]
    joined: str
    core: tuple[str, ...]  # sorted, organisation types set aside
    distinctive_core: bool
    single_short: bool


@lru_cache(maxsize=1 << 18)
def shape(v: Variant) -> Shape:
    core = tuple(sorted(t for t in v.tokens if not is_org_type(t)))
    return Shape(
        tuple(sorted(v.tokens)),
        "".join(v.tokens),
        core,
        bool(core) and max(map(weight, core)) >= WEIGHT_DISTINCT,
        len(v.tokens) == 1 and len(v.tokens[0]) < 6,
    )


def rule(query: Variant, listed: Variant) -> Comparison | None:
    """The rules tried before the soft-Dice, or ``None`` when the soft-Dice decides."""
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
    qs, cs = shape(query), shape(listed)
    if query.kind == "compact" or listed.kind == "compact":
        # the words as written, run together: equal without spaces or nothing
        if qs.joined == cs.joined:
            return Comparison(SPACING_SCORE, "spacing", [(" ".join(q), " ".join(c), 1.0)])
        if one_word_compacts(query, listed):
            # one word as written on both sides, "Thlaes" / "Thales": its typo, as a token's
            # (the tokens "thlae" / "thale" are too short to be compared so)
            sim = _token_sim(q[0], c[0]) if q[0].isalpha() and c[0].isalpha() else 0.0
            return Comparison(sim, "typo", [(q[0], c[0], round(sim, 3))] if sim else [])
        return Comparison(0.0, "compact-mismatch")
    if q == c:
        return Comparison(1.0, "exact", [(t, t, 1.0) for t in q])
    if qs.ordered == cs.ordered:
        return Comparison(REORDERED_SCORE, "reordered", [(t, t, 1.0) for t in q])
    if qs.joined == cs.joined:
        return Comparison(SPACING_SCORE, "spacing", [(" ".join(q), " ".join(c), 1.0)])
    if qs.distinctive_core and qs.core == cs.core:
        # "CRRT Group" is "CRRT Corporation Limited" (alias "CRRT"); "China Group" has no
        # distinctive word left and goes on to the soft-Dice like any other name
        return Comparison(
            ORG_TYPE_SCORE,
            "org-type",
            [(t, t, 1.0) for t in q if not is_org_type(t)],
            [t for t in q if is_org_type(t)],
            [t for t in c if is_org_type(t)],
        )
    if qs.single_short or cs.single_short:
        # "CRC Ingeniería" must not meet "CRC": a bare short name needs the whole other side
        return Comparison(0.0, "short-name-partial")
    return None


def one_word_compacts(query: Variant, listed: Variant) -> bool:
    """Both forms one word as written, long enough to compare with a typo."""
    q, c = query.tokens, listed.tokens
    return (
        query.kind == listed.kind == "compact"
        and len(q) == len(c) == 1
        and min(len(q[0]), len(c[0])) >= ONE_WORD_TYPO_MIN
    )


@lru_cache(maxsize=1 << 20)
def _token_sim(a: str, b: str) -> float:
    # cached: supplier names reuse a small vocabulary, so the same token pairs recur across
    # millions of candidate pairs (measured: 1.4M calls, most of them repeats, per 30k names)
    if a == b:
        return 1.0
    if max(len(a), len(b)) < FUZZY_MIN_LENGTH:
        return 0.0
    osa, longer = OSA.distance(a, b), max(len(a), len(b))
    if edit_similarity(osa, osa * 2, longer) < TOKEN_FUZZY_MIN:
        return 0.0  # not even if every edit were a swap: no need for the second distance
    sim = edit_similarity(osa, Levenshtein.distance(a, b), longer)
    return sim if sim >= TOKEN_FUZZY_MIN else 0.0


def edit_similarity(osa: float, levenshtein: float, longer: float) -> float:
    """1 - edits/length, where two adjacent letters swapped count as half an edit.

    ``osa`` and ``levenshtein`` are the two distances of the same pair: each adjacent swap costs
    one in the first and two in the second, so their difference counts the swaps. A swap is the
    commonest slip of the keys ("Thlaes", "Huwaei"); at a whole edit a one-word name with one
    swap (6 letters: 0.83) could never reach a threshold a name with a word missing cannot.
    ``batch._edit_similarity`` is the same on arrays.
    """
    return 1 - (osa - TRANSPOSITION_DISCOUNT * (levenshtein - osa)) / longer


def _soft_dice(
    q: tuple[str, ...], c: tuple[str, ...], floor: float = 0.0, country: str | None = None
) -> Comparison:
    sim, q_best, c_best = _best(q, c)
    missing = [t for t, b in zip(c, c_best, strict=True) if b == 0]
    if country and missing and all(_country(t) == country for t in missing):
        # all the list name has beyond the query is the query's own country: "Huawei
        # Technologies" from the UK meets "Huawei Technologies (UK)" in full
        c_best = [1.0 if b == 0 else b for b in c_best]
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
    matched += [
        (f"(country {country})", c[j], 1.0)
        for j in range(len(c))
        if c_best[j] > 0 and max(row[j] for row in sim) == 0
    ]
    result = Comparison(
        0.0,
        "tokens",
        matched,
        [q[i] for i in range(len(q)) if q_best[i] == 0],
        [c[j] for j in range(len(c)) if c_best[j] == 0],
    )
    score *= _penalties(q, c, c_best, cw, country, result)
    result.score = round(score, 4)
    return result


def _best(
    q: tuple[str, ...], c: tuple[str, ...]
) -> tuple[list[list[float]], list[float], list[float]]:
    # plain loops: the matrices are a few tokens square; many pairs go through batch.py instead
    sim = [[_token_sim(a, b) for b in c] for a in q]
    return sim, [max(row) for row in sim], [max(col) for col in zip(*sim, strict=True)]


def soft_dice(q: tuple[str, ...], c: tuple[str, ...]) -> float:
    """The weighted soft-Dice of two token tuples before penalties and any country: the
    reference :func:`redline.resolve.batch.soft_dice_scores` is tested against."""
    _, q_best, c_best = _best(q, c)
    qw = [weight(t) for t in q]
    cw = [weight(t) for t in c]
    return float(sum(map(mul, qw, q_best)) + sum(map(mul, cw, c_best))) / (sum(qw) + sum(cw))


def _country(token: str) -> str | None:
    # a country, not a region within one ("beijing" is cn-bj: part of a name, not a qualifier)
    code = place_country(token)
    return code if code and "-" not in code else None


def _penalties(
    q: tuple[str, ...],
    c: tuple[str, ...],
    c_best: list[float],
    cw: list[float],
    country: str | None,
    result: Comparison,
) -> float:
    """The factor for places and generic names; each penalty is recorded in ``result``."""
    factor = 1.0
    q_places, c_places = {t for t in q if is_place(t)}, {t for t in c if is_place(t)}
    if q_places and c_places and not q_places & c_places:
        factor *= PLACE_CONFLICT
        result.penalties.append(f"place conflict {sorted(q_places)} / {sorted(c_places)}")
    else:
        q_only = {_country(t) for t in q_places - c_places} - {None, country}
        c_only = {_country(t) for t in c_places - q_places} - {None, country}
        result.list_only_countries = tuple(sorted(x for x in c_only if x))
        if q_only or c_only:
            factor *= PLACE_ONE_SIDED
            side = sorted(x for x in q_only | c_only if x)
            result.penalties.append(f"country named on one side only {side}")
    if max(cw) < WEIGHT_DISTINCT:
        if result.unmatched_list:
            factor *= GENERIC_INCOMPLETE
            result.penalties.append("list name of common words only, not met in full")
        elif any(not is_place(t) and not is_org_type(t) for t in result.unmatched_query):
            # "United Aircraft Services" is not "United Aircraft Corporation": a name of sector
            # words is told apart by which of them it has, so one more is another firm
            factor *= GENERIC_INCOMPLETE
            result.penalties.append("list name of common words only, the query adds a word")
    return factor
