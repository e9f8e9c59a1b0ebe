"""Use case: screen everything in the store — classify, match, judge — and keep the findings.

Reach for :func:`screen_store` from the CLI, API or a notebook. It (1) classifies the store's
processes into sector classes, (2) matches every award supplier and supplier/tenderer party
against the loaded lists, (3) walks ownership from each match to listed entities, (4) applies
every policy rule at the as-of date, and (5) saves the findings (stable ids: re-running changes
nothing) with their evidence, risk components and guarded alternatives.

Before (2), the engine's set-based first pass (:func:`redline.resolve.first_pass.store_ocids`, the
one ``screen --tables`` runs) keeps the records with a supplier or tenderer the matcher could
meet; (2)-(4) read only those. The pass is a superset of the matcher, so the findings are those
of judging every record (``prefilter=False``), at a fraction of the cost on a big store.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from pathlib import Path

import pyarrow as pa

from redline.engine.spec import DUCKDB, EngineSpec
from redline.judge.alerts import record_changes, snapshot
from redline.judge.alternatives import Guarded, guard, load_catalogue
from redline.judge.candidates import read_candidates
from redline.judge.consolidate import Fit, Met, consolidate_all
from redline.judge.evidence import documents_of, listings_of, signals_of, strengths_of
from redline.judge.export import format_of as format_of  # front ends' door to the exports
from redline.judge.export import write_findings as write_findings
from redline.judge.findings import Candidate, Case, Context, evaluate, finding_id
from redline.judge.matching import Matcher, NameHit, NameQuery
from redline.judge.open_cases import possible_affiliate, undecided
from redline.judge.persist import SaveCounts, save_findings
from redline.judge.policy import PolicySet, Rule, load_policies
from redline.judge.redflags import record_flags
from redline.judge.reviews import Review, latest, reopen_changed
from redline.judge.vocab import list_codes, sectors
from redline.model import SEVERITY_ORDER, STRENGTH_ORDER, Finding
from redline.resolve.block import WatchIndex
from redline.resolve.first_pass import store_ocids
from redline.resolve.ownership import paths_from
from redline.services.match import default_threshold, redline_matcher
from redline.store.db import Store

Progress = Callable[[str, int, int], None]
#: one candidate and what the matcher found for it
Matched = tuple[Candidate, list[NameHit]]


@dataclass
class ScreenReport:
    """What one screen did and found."""

    as_of: date
    rules: int
    candidates: int
    matched: int
    findings: list[Finding] = field(default_factory=list)
    saved: SaveCounts | None = None
    excluded_alternatives: dict[str, str] = field(default_factory=dict)
    #: every candidate the matcher met with its hits, in candidate order (``screen --tables``
    #: writes them as its matches)
    matched_hits: list[Matched] = field(default_factory=list)
    #: distinct supplier/tenderer names the engine's first pass screened and the records it
    #: kept for the judge (``candidates`` counts only theirs); None when every record is judged
    names_screened: int | None = None
    records_judged: int | None = None
    #: the newest review of each saved finding (confirmed, dismissed, reopened), and the
    #: dismissals this screen reopened because their evidence changed
    reviews: dict[str, Review] = field(default_factory=dict)
    reopened: list[dict[str, str]] = field(default_factory=list)
    #: what this screen changed (change → count) and how each alert sink took it
    changes: dict[str, int] = field(default_factory=dict)
    delivered: dict[str, str] = field(default_factory=dict)
    #: rule id → the policy file it came from (saved with each finding)
    sources: dict[str, str] = field(default_factory=dict)

    def summary(self) -> dict[str, object]:
        return {
            "as_of": self.as_of.isoformat(),
            "rules": self.rules,
            "candidates": self.candidates,
            "candidates_matched": self.matched,
            "findings": len(self.findings),
            "by_severity": dict(Counter(f.severity for f in self.findings)),
            "saved": self.saved.__dict__ if self.saved else None,
            "excluded_alternatives": self.excluded_alternatives,
            "reviews": dict(Counter(r.action for r in self.reviews.values())),
            "reopened": self.reopened,
            "changes": self.changes,
            "alerts_delivered": self.delivered,
        } | ({} if self.records_judged is None else {
            "names_screened": self.names_screened, "records_judged": self.records_judged,
        })  # fmt: skip


def _query_key(c: Candidate) -> str:
    return f"{c.name}\x1f{c.identifier or ''}"


def _entities(store: Store, ids: set[str]) -> dict[str, tuple[str, frozenset[str]]]:
    """Caption and countries of each entity id."""
    rows = store.conn.execute(
        "SELECT id, caption, countries FROM entities WHERE list_contains(?, id)", [sorted(ids)]
    ).fetchall()
    return {str(i): (str(c), frozenset(countries or ())) for i, c, countries in rows}


def load_screen_policies(store: Store, policy_files: Sequence[Path] = ()) -> PolicySet:
    """Shipped rules plus ``policy_files``, validated against the taxonomy and known lists."""
    return load_policies(policy_files, known_sectors=set(sectors()), known_lists=list_codes(store))


def match_candidates(
    store: Store, *, as_of: date, matcher: Matcher, ocids: pa.Table | None = None
) -> list[Matched]:
    """Every supplier and tenderer in the store (of the records in ``ocids`` when given) with
    the matcher's hits (``[]`` when none)."""
    candidates = read_candidates(store, ocids)
    # no country in the queries: it weighs in after matching (Fit). screen --tables' first pass
    # (engine.prefilter) scores without one too; give queries a country and it must follow
    queries = {
        _query_key(c): NameQuery(_query_key(c), c.name, identifier=c.identifier) for c in candidates
    }
    hits: dict[str, list[NameHit]] = {}
    for hit in matcher(store, list(queries.values()), as_of):
        hits.setdefault(hit.query_id, []).append(hit)
    return [(c, hits.get(_query_key(c), [])) for c in candidates]


def _cases(
    store: Store, matched_hits: list[Matched], depth: int, as_of: date
) -> list[tuple[Case, Fit]]:
    """Every (candidate, hit, ownership path) with what the store holds about it, read at once
    for every award with a hit (a read per award costs a scan of the store each)."""
    awards = [(c.ocid, c.award_id) for c, hits in matched_hits if hits]
    all_signals, documents = signals_of(store, awards), documents_of(store, awards)
    strengths = strengths_of(store, [ocid for ocid, _ in awards])
    # how each award was made (red flags), read once for the screen: part of the risk
    procurement = record_flags(store.conn, [ocid for ocid, _ in awards])
    # every entity met by a candidate, walked at once (many suppliers meet the same entity; a
    # walk, its listings and captions each cost queries): paths, listings, names
    walks = paths_from(
        store.conn, [h.matched_id for _, hs in matched_hits for h in hs], max_depth=depth,
        as_of=as_of,
    )  # fmt: skip
    listed = listings_of(store, [p.listed_id for paths in walks.values() for p in paths])
    entities = _entities(store, set(walks) | set(listed))
    cases: list[tuple[Case, Fit]] = []
    for cand, cand_hits in matched_hits:
        key = (cand.ocid, cand.award_id)
        release = replace(cand.release, documents=documents.get(key, cand.release.documents))
        if cand.ocid in strengths:
            strength, basis = strengths[cand.ocid]
            release = replace(release, strength=strength, strength_basis=basis)
        cand = replace(cand, release=release)
        for hit in cand_hits:
            caption, countries = entities.get(hit.matched_id, (hit.matched_id, frozenset()))
            for path in walks[hit.matched_id]:
                fit = Fit(
                    hit.score,
                    cand.country is not None and cand.country in countries,
                    len(listed.get(path.listed_id, [])),
                )
                listed_caption = entities.get(path.listed_id, (path.listed_id,))[0]
                signals = all_signals.get(key, {})
                case = Case(cand, hit, caption, listed_caption, path,
                            listed.get(path.listed_id, []), signals,
                            procurement.get(cand.ocid))  # fmt: skip
                cases.append((case, fit))
    return cases


def _reviews(rules: Sequence[Rule], cases: list[tuple[Case, Fit]], context: Context,
             judged: set[str]) -> list[Met]:  # fmt: skip
    """Review findings of the candidates no rule judged (:mod:`redline.judge.open_cases`)."""
    met: list[Met] = []
    for case, fit in cases:
        if finding_id(case.candidate, case.hit.member) in judged:
            continue
        make = possible_affiliate if case.hit.possible else undecided
        finding = make(rules, case, context)
        if finding is not None:
            met.append((finding, fit))
    return met


def order_key(f: Finding) -> tuple[int, int, float, str]:
    """Findings' order everywhere: strongest evidence first, then severity, then risk."""
    return (STRENGTH_ORDER[f.evidence_strength], SEVERITY_ORDER[f.severity], -f.risk.total,
            f.finding_id)  # fmt: skip


def judge_store(
    store: Store,
    policies: PolicySet,
    *,
    as_of: date,
    matcher: Matcher,
    guarded: Guarded | None,
    on_progress: Progress | None = None,
    matched_hits: list[Matched] | None = None,
) -> tuple[list[Finding], int, int]:
    """Findings for every candidate in the store (no classification, nothing saved);
    ``matched_hits`` when :func:`match_candidates` already ran. A hit marked ``possible`` (a
    name-stem affiliate) is never judged by a rule; it and a listed supplier whose award has no
    sector signal come back as "review" findings when no rule judged the supplier."""
    if matched_hits is None:
        matched_hits = match_candidates(store, as_of=as_of, matcher=matcher)
    depth = max(rule.listing.max_depth for rule in policies.rules)
    context = Context(as_of, sectors(), guarded)
    cases = _cases(store, matched_hits, depth, as_of)
    met: list[Met] = []  # consolidate keeps the best of a rule met by several paths
    # a rule of any sector (a debarment) judges awards no class signalled too
    any_sector = any(rule.any_sector for rule in policies.rules)
    for n, (case, fit) in enumerate(cases, 1):
        if on_progress:
            on_progress("judge", n, len(cases))
        if case.hit.possible or not (any_sector or any(case.signals.values())):
            continue
        for rule in policies.rules:
            finding = evaluate(rule, case, context)
            if finding is not None:
                met.append((finding, fit))
    met += _reviews(policies.rules, cases, context, {f.finding_id for f, _ in met})
    findings = sorted(consolidate_all(met), key=order_key)
    matched = sum(1 for _, hits in matched_hits if any(not h.possible for h in hits))
    return findings, len(matched_hits), matched


def possible_ocids(
    store: Store,
    *,
    as_of: date,
    engine: EngineSpec = DUCKDB,
    watch: WatchIndex | None = None,
) -> tuple[pa.Table, int]:
    """The store's records with a supplier or tenderer the matcher could meet (column
    ``ocid``), found on ``engine``; and how many distinct names were screened. ``watch`` is
    the index of the store's lists when the caller holds it."""
    with engine.open() as eng:
        return store_ocids(
            eng, store.conn, as_of=as_of, threshold=default_threshold(), watch=watch, stems=True
        )


def screen_store(
    store: Store,
    *,
    policy_files: Sequence[Path] = (),
    as_of: date | None = None,
    matcher: Matcher | None = None,
    classify: bool = True,
    catalogue_path: Path | None = None,
    save: bool = True,
    on_progress: Progress | None = None,
    engine: EngineSpec = DUCKDB,
    prefilter: bool = True,
) -> ScreenReport:
    """Classify → match → judge over the whole store; save findings unless ``save`` is False.

    The engine's first pass (:func:`possible_ocids`, on ``engine``) picks the records the
    judge reads; ``prefilter=False`` judges every record instead (same findings, slower: for
    checking the pass). A Spark ``engine`` runs that pass and the matcher's blocking and
    scoring on Spark at its master (see ``match_names``); the judge always runs here.
    A ``matcher`` other than the project's is used as given: no first pass (it models the
    project's matcher only) and ``engine`` is ignored.
    """
    as_of = as_of or date.today()
    ocids: pa.Table | None = None
    names: int | None = None
    if matcher is None:
        # one index of the lists for the first pass, the guard and the matcher (lists do not
        # change during a screen); an index of the same lists built earlier is reused
        watch = WatchIndex.of(store.conn)
        if prefilter:
            ocids, names = possible_ocids(store, as_of=as_of, engine=engine, watch=watch)
        matcher = partial(redline_matcher, engine=engine, watch=watch)
        # the same, with name-stem affiliates marked possible: offered for review, never judged
        candidates_matcher: Matcher = partial(matcher, affiliates=True)
    else:
        candidates_matcher = matcher
    if classify:  # the whole store: its classifications are a product of their own
        from redline.services.classify import classify_store

        classify_store(store)
    policies = load_screen_policies(store, policy_files)
    catalogue = load_catalogue(catalogue_path, known_sectors=set(sectors()))
    guarded = guard(catalogue, store, as_of=as_of, matcher=matcher)
    matched_hits = match_candidates(store, as_of=as_of, matcher=candidates_matcher, ocids=ocids)
    findings, candidates, matched = judge_store(
        store, policies, as_of=as_of, matcher=matcher, guarded=guarded, on_progress=on_progress,
        matched_hits=matched_hits,
    )  # fmt: skip
    report = ScreenReport(as_of, len(policies.rules), candidates, matched, findings)
    report.sources = dict(policies.sources)
    # a possible affiliate stays beside the review finding that rests on it, when the
    # candidate has no firm hit (only then is it offered for review)
    report.matched_hits = [(c, [h for h in hits if not h.possible] or hits)
                           for c, hits in matched_hits if hits]  # fmt: skip
    report.excluded_alternatives = dict(guarded.excluded)
    if ocids is not None:
        report.names_screened, report.records_judged = names, ocids.num_rows
    if save:  # the records not judged cannot match: no finding of theirs is lost
        save_report(store, report)
    return report


def save_report(store: Store, report: ScreenReport) -> None:
    """Save the findings, reopen the dismissals whose evidence moved, record and deliver what
    changed (:mod:`redline.services.alerts`).

    Reach for this after ``screen_store(..., save=False)`` on a store opened read-only: the
    CLI judges on a read-only connection (other processes, `redline serve`, keep reading
    meanwhile) and opens the store for writing only to save (docs/architecture.md)."""
    from redline.services.alerts import deliver

    before = snapshot(store.conn)
    report.saved = save_findings(store, report.findings, report.sources)
    with store.transaction() as conn:
        report.reopened = [r.as_dict() | {"finding_id": r.finding_id}
                           for r in reopen_changed(conn)]  # fmt: skip
        events = record_changes(conn, before, report.reopened)
    report.reviews = latest(store.conn, [f.finding_id for f in report.findings])
    report.changes = dict(Counter(e.change for e in events))
    report.delivered = deliver(events, store.path.name)
