"""Trusted alternatives per capability, and the guard that never recommends a listed vendor.

Reach for :func:`load_catalogue` to read ``redline/data/alternatives.yaml`` (or a file you
pass), then :func:`guard` once per screen: it runs every vendor name through the matcher
against the lists in the store and moves any hit — listed directly or through ownership — out
of the recommendations, with a note saying which list. :meth:`Guarded.for_sector` is what a
finding shows.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from redline.errors import InputError, Problem
from redline.judge.evidence import in_force, listings_of
from redline.judge.matching import Matcher, NameHit, NameQuery
from redline.judge.yamlpos import load_with_positions
from redline.model import Recommendation
from redline.resolve.ownership import paths_from
from redline.store.db import Store

_URL = r"^https?://\S+$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Financing(_Strict):
    id: str
    name: str
    country: str
    url: str = Field(pattern=_URL)


class Vendor(_Strict):
    name: str
    parent: str | None = None
    country: str
    url: str = Field(pattern=_URL)


class CapabilityEs(_Strict):
    title: str = Field(min_length=3)


class Capability(_Strict):
    id: str
    title: str
    es: CapabilityEs | None = None  # Spanish title; required of the shipped catalogue (a test)
    sectors: list[str] = Field(min_length=1)
    vendors: list[Vendor] = Field(min_length=1)
    financing: list[str] = []


class Catalogue(_Strict):
    version: int
    financing: list[Financing]
    capabilities: list[Capability]


def default_catalogue_path() -> Path:
    return Path(str(resources.files("redline.data").joinpath("alternatives.yaml")))


def load_catalogue(
    path: Path | None = None, *, known_sectors: Collection[str] | None = None
) -> Catalogue:
    """Validate the catalogue; every problem (unknown field, unknown id) in one InputError."""
    path = path or default_catalogue_path()
    raw, positions = load_with_positions(path)
    try:
        catalogue = Catalogue.model_validate(raw)
    except ValidationError as exc:
        raise InputError(
            [
                Problem(
                    str(path),
                    positions.of(tuple(e["loc"])),
                    "unknown field" if e["type"] == "extra_forbidden" else e["msg"],
                )
                for e in exc.errors()
            ]
        ) from exc
    problems = []
    financing = {f.id for f in catalogue.financing}
    for c, cap in enumerate(catalogue.capabilities):
        for f, ref in enumerate(cap.financing):
            if ref not in financing:
                loc = ("capabilities", c, "financing", f)
                problems.append(Problem(str(path), positions.of(loc), f"unknown financing {ref!r}"))
        for s, sector in enumerate(cap.sectors):
            if known_sectors is not None and sector not in known_sectors:
                loc = ("capabilities", c, "sectors", s)
                problems.append(Problem(str(path), positions.of(loc), f"unknown sector {sector!r}"))
    if problems:
        raise InputError(problems)
    return catalogue


@dataclass(frozen=True)
class Guarded:
    """The catalogue after the list check: what may be recommended and what was dropped."""

    catalogue: Catalogue
    excluded: dict[str, str]  # vendor name → why it is not recommended

    def for_sector(self, class_id: str) -> tuple[tuple[Recommendation, ...], tuple[str, ...]]:
        """Vendors and financing for every capability serving ``class_id``, and exclusions."""
        financing = {f.id: f for f in self.catalogue.financing}
        recs: list[Recommendation] = []
        notes: list[str] = []
        for cap in self.catalogue.capabilities:
            if class_id not in cap.sectors:
                continue
            for vendor in cap.vendors:
                if vendor.name in self.excluded:
                    notes.append(f"{vendor.name}: {self.excluded[vendor.name]}")
                    continue
                recs.append(Recommendation(cap.id, vendor.name, vendor.country, vendor.url))
            for ref in cap.financing:
                f = financing[ref]
                recs.append(Recommendation(cap.id, f.name, f.country, f.url, "financing"))
        return tuple(dict.fromkeys(recs)), tuple(dict.fromkeys(notes))

    def recommended_vendors(self) -> set[str]:
        names = {v.name for c in self.catalogue.capabilities for v in c.vendors}
        return names - set(self.excluded)


def guard(
    catalogue: Catalogue, store: Store, *, as_of: date, matcher: Matcher, max_depth: int = 3
) -> Guarded:
    """Check every vendor (and its stated parent) against the lists in ``store``."""
    vendors = {v.name: v for c in catalogue.capabilities for v in c.vendors}
    queries: list[NameQuery] = []
    for name, vendor in sorted(vendors.items()):
        queries.append(NameQuery(id=name, name=name, country=vendor.country))
        if vendor.parent:
            queries.append(NameQuery(id=f"{name}\x00parent", name=vendor.parent))
    excluded: dict[str, str] = {}
    hits = _sorted_hits(matcher(store, queries, as_of))
    # evidence, not the matcher's word: a vendor is out only if a listing is reachable; every
    # hit's entity walked at once, their listings read in one query
    walks = paths_from(store.conn, [h.matched_id for h in hits], max_depth=max_depth, as_of=as_of)
    listings = listings_of(store, [p.listed_id for paths in walks.values() for p in paths])
    for hit in hits:
        name = hit.query_id.split("\x00")[0]
        if name in excluded:
            continue
        for path in walks[hit.matched_id]:
            codes = sorted({x.list_code for x in listings[path.listed_id] if in_force(x, as_of)})
            if not codes:
                continue
            who = "its parent matches" if hit.query_id.endswith("\x00parent") else "matches"
            via = f", owned by listed {path.listed_id}" if path.edges else ""
            excluded[name] = (
                f"not recommended: {who} {hit.matched_id} (score {hit.score:.2f}){via}; "
                f"listed on {', '.join(codes)} at {as_of.isoformat()}"
            )
            break
    return Guarded(catalogue, excluded)


def _sorted_hits(hits: Sequence[NameHit]) -> list[NameHit]:
    return sorted(hits, key=lambda h: (h.query_id, -h.score, h.entity_id))
