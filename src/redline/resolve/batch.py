"""Many candidate pairs scored at once: the bulk path of :func:`redline.resolve.score.compare`.

Reach for :func:`compare_pairs` when blocking has produced thousands of (query form, list
form) pairs, most of which score far below any threshold. Every form is encoded once (token ids,
and keys for the rules that come before the soft-Dice: equal, reordered, spaced, equal without
organisation types, acronym, bare short name); the rules become array comparisons over the
pairs, and the soft-Dice of the remaining pairs a few numpy operations: each pair's token matrix
laid out flat, token similarities from one ``rapidfuzz.process.cpdist`` call over the distinct
token pairs that need an edit distance, per-token maxima and weighted sums as segment
reductions. Only pairs that can reach the floor go through :func:`compare` for their details
and penalties, so every kept comparison is the reference's (``tests/resolve/test_batch.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from rapidfuzz import process
from rapidfuzz.distance import OSA, Levenshtein

from redline.resolve.normalise import weight
from redline.resolve.score import (
    FUZZY_MIN_LENGTH,
    TOKEN_FUZZY_MIN,
    TRANSPOSITION_DISCOUNT,
    Comparison,
    compare,
    rule,
    shape,
)
from redline.resolve.variants import Variant

#: a pair this far under the floor may still reach it once the query's country meets a country
#: word of the list name (see ``compare(country=...)``); such pairs go to the reference too
COUNTRY_SLACK = 0.1
#: pairs per numpy pass: bounds the flat arrays' memory (about 1 KB per pair) at any size
CHUNK = 200_000

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]


class _Ids:
    """One id per distinct value, shared by both sides so equal values get equal ids."""

    def __init__(self) -> None:
        self.ids: dict[object, int] = {}

    def __call__(self, value: object) -> int:
        return self.ids.setdefault(value, len(self.ids))


@dataclass
class _Forms:
    """Forms encoded for array work: token ids laid out flat, and one key per rule."""

    start: Ints
    length: Ints
    tokens: Ints
    exact: Ints
    ordered: Ints
    joined: Ints
    core: Ints
    distinctive_core: Bools
    compact: Bools  # one word as written: two such forms go to the rules (a typo)
    blocked: Bools  # empty, acronym/initials, compact, or a bare short name: no soft-Dice

    @classmethod
    def encode(cls, forms: Sequence[Variant], words: _Ids, keys: _Ids, acronym: str) -> _Forms:
        shapes = [shape(v) for v in forms]
        length = np.fromiter((len(v.tokens) for v in forms), np.int64, len(forms))
        start: Ints = np.zeros(len(forms), np.int64)
        np.cumsum(length[:-1], out=start[1:])
        flat = [words(t) for v in forms for t in v.tokens]
        return cls(
            start,
            length,
            np.asarray(flat, np.int64),
            np.fromiter((keys(v.tokens) for v in forms), np.int64, len(forms)),
            np.fromiter((keys(s.ordered) for s in shapes), np.int64, len(forms)),
            np.fromiter((keys(s.joined) for s in shapes), np.int64, len(forms)),
            np.fromiter((keys(s.core) for s in shapes), np.int64, len(forms)),
            np.fromiter((s.distinctive_core for s in shapes), np.bool_, len(forms)),
            np.fromiter(
                (v.kind == "compact" and len(v.tokens) == 1 for v in forms), np.bool_, len(forms)
            ),
            np.fromiter(
                (
                    not v.tokens or v.kind in (acronym, "compact") or s.single_short
                    for v, s in zip(forms, shapes, strict=True)
                ),
                np.bool_,
                len(forms),
            ),
        )


def compare_pairs(
    queries: Sequence[Variant],
    listed: Sequence[Variant],
    pairs: Sequence[tuple[int, int]],
    floor: float,
    country: str | None = None,
) -> list[tuple[int, Comparison]]:
    """(pair index, comparison) for every pair scoring at least ``floor`` (> 0), in pair
    order. ``pairs`` index ``queries`` and ``listed``; each comparison equals
    ``compare(q, c, floor, country)`` for its pair."""
    if not pairs:
        return []
    words, keys = _Ids(), _Ids()
    p = np.asarray(pairs, np.int64)
    # encode only the forms the pairs use (a small run meets a few of the list's forms)
    q_used, qi = np.unique(p[:, 0], return_inverse=True)
    c_used, ci = np.unique(p[:, 1], return_inverse=True)
    qf = _Forms.encode([queries[x] for x in q_used.tolist()], words, keys, "acronym")
    cf = _Forms.encode([listed[x] for x in c_used.tolist()], words, keys, "initials")
    # a rule decides every pair with an equality; a blocked pair without one scores 0
    ruled = (
        (qf.exact[qi] == cf.exact[ci])
        | (qf.ordered[qi] == cf.ordered[ci])
        | (qf.joined[qi] == cf.joined[ci])
        | (qf.distinctive_core[qi] & (qf.core[qi] == cf.core[ci]))
        | (qf.compact[qi] & cf.compact[ci])
    )
    dice = ~ruled & ~qf.blocked[qi] & ~cf.blocked[ci]
    kept: list[tuple[int, Comparison]] = []
    for n in np.flatnonzero(ruled).tolist():
        found = rule(queries[pairs[n][0]], listed[pairs[n][1]])
        if found is not None and found.score >= floor:
            kept.append((n, found))
    todo = np.flatnonzero(dice)
    vocab = list(words.ids)
    # the reference sums in another order: a pair at the floor within rounding is its call
    reach = floor - (COUNTRY_SLACK if country else 0.0) - 1e-9
    for at in range(0, todo.size, CHUNK):
        part = todo[at : at + CHUNK]
        scores = _soft_dice(qf, cf, qi[part], ci[part], vocab)
        for n in part[scores >= reach].tolist():
            result = compare(queries[pairs[n][0]], listed[pairs[n][1]], floor, country)
            if result.score >= floor:
                kept.append((n, result))
    kept.sort(key=lambda item: item[0])
    return kept


def compare_by_country(
    queries: Sequence[Variant],
    listed: Sequence[Variant],
    pairs: Sequence[tuple[int, int, str]],
    floor: float,
) -> list[tuple[int, Comparison]]:
    """:func:`compare_pairs` for pairs that each carry the query's country (lower case, ""
    for none): one call per country. (pair index, comparison) for every pair scoring at least
    ``floor``, ordered by country, then by pair index."""
    by_country: dict[str, list[int]] = {}
    for n, (_, _, country) in enumerate(pairs):
        by_country.setdefault(country, []).append(n)
    kept: list[tuple[int, Comparison]] = []
    for country in sorted(by_country):
        some = by_country[country]
        plain = [(pairs[n][0], pairs[n][1]) for n in some]
        for m, cmp in compare_pairs(queries, listed, plain, floor, country or None):
            kept.append((some[m], cmp))
    return kept


def soft_dice_scores(
    q_tokens: Sequence[tuple[str, ...]], c_tokens: Sequence[tuple[str, ...]]
) -> Floats:
    """The weighted soft-Dice of each (query tokens, list tokens) pair, before penalties."""
    words, keys = _Ids(), _Ids()
    qf = _Forms.encode([Variant("name", t) for t in q_tokens], words, keys, "acronym")
    cf = _Forms.encode([Variant("name", t) for t in c_tokens], words, keys, "initials")
    both = np.arange(len(q_tokens), dtype=np.int64)
    return _soft_dice(qf, cf, both, both, list(words.ids))


def _soft_dice(qf: _Forms, cf: _Forms, qi: Ints, ci: Ints, vocab: list[object]) -> Floats:
    """Soft-Dice of the pairs (qf[qi], cf[ci]); each form has at least one token."""
    texts = [str(w) for w in vocab]
    weights = np.fromiter(map(weight, texts), np.float64, len(texts))
    lengths = np.fromiter(map(len, texts), np.int64, len(texts))
    q_len, c_len = qf.length[qi], cf.length[ci]
    # one cell per (pair, query token, list token), ordered pair-major, then query token
    cells = q_len * c_len
    cell_start = _starts(cells)
    pair = np.repeat(np.arange(len(cells)), cells)
    k = np.arange(int(cells.sum())) - cell_start[pair]
    i, j = k // c_len[pair], k % c_len[pair]
    a = qf.tokens[qf.start[qi][pair] + i]
    b = cf.tokens[cf.start[ci][pair] + j]
    sim = _similarities(a, b, texts, lengths)
    # best per query token: rows are contiguous runs of c_len cells
    row_start = np.repeat(cell_start, q_len) + _offsets(q_len) * np.repeat(c_len, q_len)
    q_best = np.maximum.reduceat(sim, row_start)
    # best per list token: the same cells, list-token-major within each pair
    by_column = np.empty_like(sim)
    by_column[cell_start[pair] + j * q_len[pair] + i] = sim
    col_start = np.repeat(cell_start, c_len) + _offsets(c_len) * np.repeat(q_len, c_len)
    c_best = np.maximum.reduceat(by_column, col_start)
    qw = weights[qf.tokens[np.repeat(qf.start[qi], q_len) + _offsets(q_len)]]
    cw = weights[cf.tokens[np.repeat(cf.start[ci], c_len) + _offsets(c_len)]]
    q_at, c_at = _starts(q_len), _starts(c_len)
    top = np.add.reduceat(qw * q_best, q_at) + np.add.reduceat(cw * c_best, c_at)
    bottom = np.add.reduceat(qw, q_at) + np.add.reduceat(cw, c_at)
    result: Floats = top / bottom
    return result


def _starts(lengths: Ints) -> Ints:
    out: Ints = np.zeros(len(lengths), np.int64)
    np.cumsum(lengths[:-1], out=out[1:])
    return out


def _offsets(lengths: Ints) -> Ints:
    # 0..n-1 for each run of n: [2, 3] -> [0, 1, 0, 1, 2]
    out: Ints = np.arange(int(lengths.sum())) - np.repeat(_starts(lengths), lengths)
    return out


def _edit_similarity(osa: Floats, levenshtein: Floats, longer: Ints) -> Floats:
    """``score.edit_similarity`` on arrays: 1 - edits/length, a swap half an edit."""
    out: Floats = 1 - (osa - TRANSPOSITION_DISCOUNT * (levenshtein - osa)) / longer
    return out


def _similarities(a: Ints, b: Ints, words: list[str], lengths: Ints) -> Floats:
    """Token similarity per cell, as ``score._token_sim`` gives it."""
    sim: Floats = (a == b).astype(np.float64)
    longer, shorter = np.maximum(lengths[a], lengths[b]), np.minimum(lengths[a], lengths[b])
    # OSA similarity is at most shorter/longer: most pairs cannot reach the cut-off and
    # are never measured (a hair of tolerance: 4 >= 0.8 * 5 must hold in floating point too)
    fuzzy = (a != b) & (longer >= FUZZY_MIN_LENGTH) & (shorter >= TOKEN_FUZZY_MIN * longer - 1e-9)
    if not fuzzy.any():
        return sim
    codes = a[fuzzy] * len(words) + b[fuzzy]
    distinct, back = np.unique(codes, return_inverse=True)
    left = [words[x] for x in (distinct // len(words)).tolist()]
    right = [words[x] for x in (distinct % len(words)).tolist()]
    osa = process.cpdist(left, right, scorer=OSA.distance, dtype=np.float64)
    longer_of = np.maximum(lengths[distinct // len(words)], lengths[distinct % len(words)])
    # the second distance only where swaps could lift the pair to the cut-off (as _token_sim)
    lev = osa.copy()
    swaps = np.flatnonzero(_edit_similarity(osa, osa * 2, longer_of) >= TOKEN_FUZZY_MIN)
    if swaps.size:
        lev[swaps] = process.cpdist([left[x] for x in swaps.tolist()],
                                    [right[x] for x in swaps.tolist()],
                                    scorer=Levenshtein.distance, dtype=np.float64)  # fmt: skip
    measured = _edit_similarity(osa, lev, longer_of)
    sim[fuzzy] = np.where(measured >= TOKEN_FUZZY_MIN, measured, 0.0)[back]
    return sim
