"""Use case: the dashboard's search box — entities through the SQL ranking and the matcher,
contracts and buyers through the procurement tables.

Reach for :func:`search` from a front end (``GET /search``). The matcher is what finds
Chinese script: ``华为`` contains no Latin letter a substring could meet, but the matcher's
variants (transliteration, stems) score it against "Huawei Technologies Co., Ltd."; its hits
rank after exact and alias matches and before mere substrings
(:func:`redline.services.read.search.ranked_entities`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from redline.services.match import Query, match_names
from redline.services.read.search import ranked_entities, search_buyers, search_contracts
from redline.store.db import Store

#: how sure the matcher must be for a hit to enter the search results (lower than screening's:
#: a search shows candidates to a reader, it decides nothing)
SEARCH_THRESHOLD = 0.8


def matcher_ids(store: Store, q: str) -> list[str]:
    """The ids of the entities the matcher finds for ``q``, best score first."""
    (result,) = match_names(
        store, [Query("search", q, None, None)], threshold=SEARCH_THRESHOLD, as_of=date.today()
    )
    found = sorted([*result.matches, *result.not_in_force], key=lambda m: -m.score)
    ids: list[str] = []
    for hit in found:
        for entity_id in (hit.matched_id, hit.entity_id):
            if entity_id not in ids:
                ids.append(entity_id)
    return ids


def search(store: Store, q: str, *, limit: int = 20, offset: int = 0) -> dict[str, Any]:
    """Entities (ranked, with ``reason``), contracts and buyers for ``q``."""
    entities = ranked_entities(store.conn, q, matcher_ids(store, q), limit=limit, offset=offset)
    contracts = search_contracts(store.conn, q, limit=limit)
    buyers = search_buyers(store.conn, q, limit=limit)
    return {
        "total": entities.total,
        "results": entities.items,
        "contracts": {"total": contracts.total, "items": contracts.items},
        "buyers": {"total": buyers.total, "items": buyers.items},
    }
