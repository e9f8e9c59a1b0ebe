"""Orchestration: queries in, ranked and explained matches to LISTED entities out.

Reach for :func:`match_queries` (or the service :func:`redline.services.match.match_names`)
with an open store. Steps: every query (and every consortium member) → its forms; forms →
candidates by SQL blocking in the store (:mod:`block`); candidates → scores (:mod:`score`);
identifiers → exact hits; the matched entities → ownership paths to listed entities, walked at
once (:class:`~redline.resolve.ownership.Reach`); the best path per listed entity, explained
(:mod:`explain`). Blocking and
scoring together are a :data:`Scorer`: the store's (default) or an engine's
(:func:`redline.resolve.engine_steps.engine_scorer`), both scoring with the same
:func:`~redline.resolve.batch.compare_pairs`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

import duckdb

from redline.resolve.batch import compare_by_country
from redline.resolve.block import WatchForm, WatchIndex
from redline.resolve.consortium import members
from redline.resolve.explain import explain, name_evidence
from redline.resolve.identifiers import canonical, identifier_hits, identifier_vetoes
from redline.resolve.normalise import place_country
from redline.resolve.ownership import OwnershipPath, Reach, ReachCache
from redline.resolve.score import INITIALS_ALONE_SCORE, Comparison
from redline.resolve.stems import STEM_ALONE_SCORE, stem_hits
from redline.resolve.variants import Variant, name_variants

#: default score a match needs (see docs/matching.md for how it was chosen)
DEFAULT_THRESHOLD = 0.85
#: factor when the query's country and the entity's countries are both known and differ
COUNTRY_MISMATCH = 0.95
#: comparisons below this are not kept at all (saves work; far below any threshold)
KEEP_FLOOR = 0.5
#: the score of a query acronym meeting initials we derived from a list name once other
#: evidence agrees (see :func:`_corroborate`); weaker than an acronym the source states (1.0)
INITIALS_SUPPORTED_SCORE = 0.9
#: another form of the same query meeting the same entity's name this well (before the country
#: factor) supports its initials: "Quorvan Servicios Marítimos (QEC)" → "quorvan service
#: maritimo" meets "Quorvan Enterprise Company" at 0.59, "Servicios Integrales (QEC)" at 0
INITIALS_SUPPORT_MIN = 0.5
#: a name-stem affiliate ("CRRT Zhuzhou Locomotive" → CRRT) whose entity shares the query's
#: country: just over the default threshold, the weakest kind of match reported
STEM_SUPPORTED_SCORE = 0.86
#: a listed name plus a country it does not name ("<Group> México, S.A. de C.V."): a possible
#: affiliate shown for review, under the default threshold (see :func:`_local_affiliates`)
LOCAL_AFFILIATE_SCORE = 0.8

#: one kept comparison: (form index, list form index, the country the form was scored with
#: — lower case, "" when none — and the comparison)
Scored = tuple[int, int, str, Comparison]
#: blocking and scoring: (list index, unique query forms, form index → the countries it is used
#: with) → every pair scoring at least :data:`KEEP_FLOOR`, ordered by country, form, list form
Scorer = Callable[[WatchIndex, Sequence[Variant], Mapping[int, set[str]]], list[Scored]]


def score_candidates(
    watch: WatchIndex,
    forms: Sequence[Variant],
    countries: Mapping[int, set[str]],
    pairs: Sequence[tuple[int, int]],
) -> list[Scored]:
    """Score blocked (form, list form) ``pairs`` here, once per country each form is used with.

    The query's country enters the name score (a country word it supplies), so a pair is scored
    once per country; in bulk, almost always one.
    """
    listed = watch.variants
    uses = sorted((fid, vid, country) for fid, vid in pairs for country in countries[fid])
    return [(*uses[n], cmp) for n, cmp in compare_by_country(forms, listed, uses, KEEP_FLOOR)]


def store_scorer(
    watch: WatchIndex, forms: Sequence[Variant], countries: Mapping[int, set[str]]
) -> list[Scored]:
    """The default :data:`Scorer`: blocking by SQL in the index's database, scoring here."""
    return score_candidates(watch, forms, countries, watch.candidates(forms))


@dataclass(frozen=True)
class Query:
    """One name to screen, e.g. a supplier of a contract: ``Query("s1", "ACME SA DE CV", "mx")``."""

    id: str
    name: str
    country: str | None = None
    identifier: str | None = None


@dataclass
class Match:
    """A listed entity a query leads to, directly or through ownership."""

    entity_id: str
    matched_id: str
    score: float
    path: list[str]
    listings: list[dict[str, Any]]
    explanation: dict[str, Any]
    #: the entities' names, filled where results are shown
    #: (:func:`redline.services.match.with_captions`)
    #: so that no reader meets a bare id
    entity_caption: str = ""
    matched_caption: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity_id": self.entity_id,
            "entity_caption": self.entity_caption,
            "matched_id": self.matched_id,
            "matched_caption": self.matched_caption,
            "score": self.score,
            "path": self.path,
            "listings": self.listings,
            "explanation": self.explanation,
        }


@dataclass
class QueryResult:
    """Matches above the threshold, best first; ``not_in_force`` holds listings that lapsed
    (or had not begun) on the as-of date — shown, never counted as hits."""

    id: str
    name: str
    matches: list[Match] = field(default_factory=list)
    not_in_force: list[Match] = field(default_factory=list)
    #: name-stem affiliates below the threshold ("CRRT Zhuzhou Locomotive" → CRRT): shown for
    #: review, never counted as hits (see docs/matching.md, "Name-stem affiliates")
    possible_affiliates: list[Match] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "matches": [m.to_dict() for m in self.matches],
            "not_in_force": [m.to_dict() for m in self.not_in_force],
            "possible_affiliates": [m.to_dict() for m in self.possible_affiliates],
        }


class _Hit:
    """A query's best evidence against one entity. The name evidence (a dict of a dozen
    entries) is made only when read: in bulk most hits are replaced by a better one or never
    shown, and making every one cost a sixth of a million-name screen. Its ``feature`` is kept
    apart, since the matcher's own steps decide on it alone."""

    __slots__ = ("_make", "_name", "feature", "forms", "identifiers", "score", "support")

    def __init__(
        self,
        score: float,
        name: Callable[[], dict[str, Any]] | dict[str, Any] | None,
        identifiers: list[dict[str, str]],
        support: float = 0.0,
        *,
        feature: str | None = None,
        forms: tuple[Variant, Variant] | None = None,
    ) -> None:
        self.score = score
        #: the (query, list) forms that met, when a name comparison made the hit
        self.forms = forms
        self.identifiers = identifiers
        #: the best score of this query against this entity by anything but derived initials
        self.support = support
        self._name = name if isinstance(name, dict) else None
        self._make = None if isinstance(name, dict) else name
        self.feature = name["feature"] if isinstance(name, dict) else feature

    @property
    def name(self) -> dict[str, Any] | None:
        """The name half of the explanation (:func:`~redline.resolve.explain.name_evidence`)."""
        if self._make is not None:
            self._name, self._make = self._make(), None
            self._name["feature"] = self.feature
        return self._name


def _forms(
    queries: Sequence[Query],
) -> tuple[list[Variant], dict[int, list[tuple[int, str, bool]]]]:
    """Unique forms over all queries, and for each form who uses it (query, name, member?)."""
    index: dict[Variant, int] = {}
    users: dict[int, list[tuple[int, str, bool]]] = {}
    # supplier names repeat in bulk: split and vary each distinct name once
    seen: dict[str, list[tuple[int, str, bool]]] = {}
    for qidx, query in enumerate(queries):
        uses = seen.get(query.name)
        if uses is None:
            uses = seen[query.name] = []
            names = [(query.name, False)] + [(m, True) for m in members(query.name)]
            for name, is_member in names:
                for variant in name_variants(name):
                    uses.append((index.setdefault(variant, len(index)), name, is_member))
        for fid, name, is_member in uses:
            users.setdefault(fid, []).append((qidx, name, is_member))
    return list(index), users


def match_queries(
    conn: duckdb.DuckDBPyConnection,
    queries: Sequence[Query],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    as_of: date,
    max_depth: int = 3,
    on_progress: Callable[[int], None] | None = None,
    scorer: Scorer = store_scorer,
    watch: WatchIndex | None = None,
    reach: ReachCache | None = None,
) -> list[QueryResult]:
    """Screen ``queries`` against every entity in the store's watchlist tables.

    ``scorer`` chooses where blocking and scoring run: this process (default) or an engine,
    e.g. ``engine.steps.engine_scorer(spark)``. Both score with ``compare_pairs`` and return
    pairs in the same order, so results agree. ``watch`` is the index of the lists in ``conn``
    when the caller holds it already (default: :meth:`WatchIndex.of` ``conn``); ``reach`` the
    ownership walks it keeps for lists that do not change (default: walked for this call).
    """
    watch = watch or WatchIndex.of(conn)
    forms, users = _forms(queries)
    hits: list[dict[str, _Hit]] = [{} for _ in queries]
    used_in = {
        fid: {(queries[q].country or "").lower() for q, _, _ in uses} for fid, uses in users.items()
    }
    # ties keep the first comparison seen: the scorer's (country, form, list form) order
    for fid, vid, country, cmp in scorer(watch, forms, used_in):
        for qidx, name, is_member in users[fid]:
            if (queries[qidx].country or "").lower() == country:
                _record(hits[qidx], queries[qidx], name, is_member, forms[fid], vid, cmp, watch)
    for fid, _entity_id, vid, stem in stem_hits(forms, watch):
        for qidx, name, is_member in users[fid]:
            _record_stem(hits[qidx], queries[qidx], name, is_member, forms[fid], vid, stem, watch)
    for qidx, query in enumerate(queries):
        _corroborate(query, hits[qidx], watch.countries)
        _local_affiliates(hits[qidx], watch.countries)
    wanted = []
    for qidx, query in enumerate(queries):
        found = canonical(query.identifier)
        if found:
            wanted.append((qidx, found[0], found[1]))
    for qidx, entity_id, scheme, value in identifier_hits(conn, wanted):
        hit = hits[qidx].setdefault(entity_id, _Hit(1.0, None, []))
        hit.score = 1.0
        hit.identifiers.append({"scheme": scheme, "value": value})
    for qidx, entity_id in identifier_vetoes(conn, wanted, hits):
        del hits[qidx][entity_id]
    routed = [id_ for found in hits for part in _routed(found, threshold) for id_ in part]
    reach_of = Reach.of if reach is None else reach.of
    found_reach = reach_of(conn, routed, as_of=as_of, max_depth=max_depth)
    results = []
    for qidx, query in enumerate(queries):
        results.append(_resolve(query, hits[qidx], found_reach, threshold))
        if on_progress is not None:
            on_progress(1)
    return results


def _record(
    hits: dict[str, _Hit],
    query: Query,
    name: str,
    is_member: bool,
    form: Variant,
    vid: int,
    cmp: Comparison,
    watch: WatchIndex,
) -> None:
    """Keep ``cmp`` as the query's evidence for the list form's entity when it is the best."""
    listed = watch.forms[vid]
    score = cmp.score
    country = (query.country or "").lower()
    entity_countries = watch.countries.get(listed.entity_id) or set()
    if country and entity_countries and country not in entity_countries:
        score *= COUNTRY_MISMATCH
    score = round(score, 4)
    best = hits.get(listed.entity_id)
    support = best.support if best else 0.0
    if cmp.feature != "initials":
        support = max(support, cmp.score)
    if best is None or score > best.score:
        evidence = partial(_evidence, name, is_member, form, listed, cmp, score != cmp.score)
        best = hits[listed.entity_id] = _Hit(
            score, evidence, [], feature=cmp.feature, forms=(form, listed.variant)
        )
    best.support = support


def _evidence(
    name: str, is_member: bool, form: Variant, listed: WatchForm, cmp: Comparison, differs: bool
) -> dict[str, Any]:
    evidence = name_evidence(name, is_member, form, listed.name, listed.variant, cmp)
    if differs:
        evidence["penalties"].append("country differs")
    return evidence


def _record_stem(
    hits: dict[str, _Hit],
    query: Query,
    name: str,
    is_member: bool,
    form: Variant,
    vid: int,
    stem: str,
    watch: WatchIndex,
) -> None:
    """Keep a name-stem affiliate as the evidence for its entity when nothing scores higher.

    Alone it scores :data:`STEM_ALONE_SCORE`, below the default threshold; the query's country
    being one of the entity's lifts it to :data:`STEM_SUPPORTED_SCORE`.
    """
    listed = watch.forms[vid]
    country = (query.country or "").lower()
    agrees = bool(country) and country in (watch.countries.get(listed.entity_id) or set())
    score = STEM_SUPPORTED_SCORE if agrees else STEM_ALONE_SCORE
    best = hits.get(listed.entity_id)
    if best is not None and best.score >= score:
        return
    cmp = Comparison(
        score,
        "name-stem",
        [(stem, stem, 1.0)],
        penalties=[
            f"affiliate by name stem '{stem}' only: no list or ownership file states the link"
        ],
    )
    evidence = name_evidence(name, is_member, form, listed.name, listed.variant, cmp)
    if agrees:
        evidence["support"] = [f"country agrees ({country})"]
    hits[listed.entity_id] = _Hit(
        score, evidence, [], best.support if best else 0.0, forms=(form, listed.variant)
    )


def _corroborate(query: Query, hits: dict[str, _Hit], countries: dict[str, set[str]]) -> None:
    """Lift a match that rests on initials we derived only when other evidence agrees.

    Initials made from "Nezhad Enterprise Company" are ``nec``; the unrelated "NEC Corporation"
    meets them exactly. So derived initials alone stay below the default threshold, and reach
    :data:`INITIALS_SUPPORTED_SCORE` when the query's country is one of the entity's, or another
    form of the query (the rest of "Servicios Quorvan (QEC)") meets the same entity well. An
    identifier that agrees already scores 1.0 on its own.
    """
    country = (query.country or "").lower()
    for entity_id, hit in hits.items():
        if hit.feature != "initials" or hit.name is None:
            continue
        reasons = []
        if country and country in (countries.get(entity_id) or set()):
            reasons.append(f"country agrees ({country})")
        if hit.support >= INITIALS_SUPPORT_MIN:
            reasons.append(f"another form of the name meets it ({hit.support})")
        if reasons:
            # keep the country factor already in the score ("country differs" still counts)
            hit.score = round(hit.score / INITIALS_ALONE_SCORE * INITIALS_SUPPORTED_SCORE, 4)
            hit.name["support"] = reasons
        else:
            hit.name["penalties"].append(
                "initials derived from the list name, not stated by the source, "
                "and nothing else agrees"
            )


def _local_affiliates(hits: dict[str, _Hit], countries: dict[str, set[str]]) -> None:
    """A name that is a listed name plus a country it does not name is a possible affiliate.

    "Rheinmetall México, S.A. de C.V." meets "Rheinmetall AG" in full, but the name itself says
    it is the Mexican company of the group, a firm of its own that no list or ownership file we
    load ties to the listed one. It is shown for review (:data:`LOCAL_AFFILIATE_SCORE`, under
    the threshold, feature ``local-affiliate``), never a match. A country the entity is of
    ("Grupo Xaltec México" against a Mexican entity "Grupo Xaltec") is no such sign, and an
    identifier that agrees decides alone.
    """
    for entity_id, hit in hits.items():
        if hit.forms is None or hit.identifiers or hit.score <= LOCAL_AFFILIATE_SCORE:
            continue
        query_form, list_form = hit.forms
        listed = set(list_form.text.split())
        named = {
            code
            for token in query_form.text.split()
            if token not in listed and (code := place_country(token)) and "-" not in code
        } - (countries.get(entity_id) or set())
        if named:
            hit.score = LOCAL_AFFILIATE_SCORE
            evidence = hit.name
            assert evidence is not None  # a hit with forms has name evidence
            if hit.feature != "name-stem":
                hit.feature = evidence["feature"] = "local-affiliate"
            evidence["penalties"].append(
                f"a local affiliate by name: the listed name with a country it does not name "
                f"({', '.join(sorted(named))}); no list or ownership file states the link"
            )


def resolve_scores(
    query: Query, scores: dict[str, float], reach: Reach, *, threshold: float
) -> QueryResult:
    """Redline's ownership step for scores from ANOTHER matcher (entity id → score); ``reach``
    walked from (at least) the ids scoring ``threshold`` or more.

    Reach for it to compare a different scorer fairly: ``bench/anchor.py`` feeds nomenklatura's
    logic-v1/v2 scores through it, so a match to an unlisted subsidiary resolves to its listed
    owner exactly as Redline's own matches do. Explanations carry no name evidence.
    """
    hits = {entity_id: _Hit(score, None, []) for entity_id, score in scores.items()}
    return _resolve(query, hits, reach, threshold)


def _routed(hits: dict[str, _Hit], threshold: float) -> tuple[dict[str, _Hit], dict[str, _Hit]]:
    """The hits :func:`_resolve` walks from: (those at the threshold, name-stem affiliates
    under it — shown, never counted)."""
    strong = {k: h for k, h in hits.items() if h.score >= threshold}
    weak = {
        k: h
        for k, h in hits.items()
        if h.score < threshold and h.feature in ("name-stem", "local-affiliate")
    }
    return strong, weak


def _resolve(query: Query, hits: dict[str, _Hit], reach: Reach, threshold: float) -> QueryResult:
    """Matched entities → listed entities via ownership; keep the best route to each."""
    result = QueryResult(query.id, query.name)
    strong, weak = _routed(hits, threshold)
    result.matches, result.not_in_force = _routes(strong, reach)
    live, lapsed = _routes(weak, reach)
    result.possible_affiliates = live + lapsed
    return result


def _by_edge_ids(path: OwnershipPath) -> tuple[int, list[str]]:
    # of equal routes the matcher shows the one with the lowest edge ids (as it always has)
    return path.depth, [edge.edge_id for edge in path.edges]


def _routes(hits: dict[str, _Hit], reach: Reach) -> tuple[list[Match], list[Match]]:
    """(matches in force, matches not in force), best route per listed entity, best first."""
    best: dict[tuple[str, bool], Match] = {}
    for matched_id, hit in hits.items():
        for path in sorted(reach.paths[matched_id], key=_by_edge_ids):
            listed_id = path.listed_id
            listings = reach.listings[listed_id]
            active = [x.to_dict() for x in listings if x.in_force]
            lapsed = [x.to_dict() for x in listings if not x.in_force]
            for in_force, rows in ((True, active), (False, lapsed)):
                if not rows:
                    continue
                candidate = Match(
                    listed_id,
                    matched_id,
                    hit.score,
                    path.entity_ids,
                    rows,
                    explain(hit.name, hit.identifiers, path, hit.score),
                )
                key = (listed_id, in_force)
                old = best.get(key)
                if old is None or (candidate.score, -len(candidate.path)) > (
                    old.score,
                    -len(old.path),
                ):
                    best[key] = candidate
    ranked = sorted(best.items(), key=lambda kv: (-kv[1].score, len(kv[1].path), kv[0][0]))
    return [m for (_, live), m in ranked if live], [m for (_, live), m in ranked if not live]
