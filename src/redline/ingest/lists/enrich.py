"""Sourced extra names for listed entities (``data/name_enrichment.yaml``).

Reach for :func:`enrich` while building the lists' entities: it adds each reviewed alias to the
entity whose name matches the entry's ``listed`` name and returns a note naming the alias and
its source, so the store says where every name came from. Like OpenSanctions' enrichment from
Wikidata, but as a small reviewed file: the lists print Latin-script names only, and a brand
transliteration (海康威视 → Hikvision) cannot be derived from them.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml
from followthemoney import EntityProxy
from pydantic import BaseModel, ConfigDict

from redline.ingest.lists.normalise import name_key


class Enrichment(BaseModel):
    """One reviewed alias with its public source."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    listed: str
    alias: str
    source: str
    note: str


@cache
def enrichments() -> tuple[Enrichment, ...]:
    text = resources.files("redline.data").joinpath("name_enrichment.yaml").read_text("utf-8")
    return tuple(Enrichment.model_validate(e) for e in yaml.safe_load(text)["entries"])


def enrich(proxy: EntityProxy, used: set[str]) -> list[str]:
    """Add the aliases whose ``listed`` name is one of ``proxy``'s names; notes for the record.

    ``used`` collects the ``listed`` names that found their entity (to report the rest).
    """
    keys = {name_key(n) for n in proxy.get("name") + proxy.get("alias")}
    notes = []
    for entry in enrichments():
        if name_key(entry.listed) in keys:
            proxy.add("alias", entry.alias)
            used.add(entry.listed)
            notes.append(f"alias {entry.alias!r} from {entry.source} ({entry.note})")
    return notes
