"""Which listed names the generator plants, and how records garble them.

Reach for :func:`planted_pool` to draw planted vendors from the lists loaded in a store: listed
companies by their captions, and *subsidiaries*: entities on the child side of an ownership
edge stated in the lists (e.g. DoD 1260H naming a parent), so the walk to the parent can be
checked. Nothing here invents a designation or an ownership tie: every planted name is an
entity the loaded lists already hold, only its spelling is garbled (:func:`garble`).
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

import duckdb

from redline.resolve.ownership import in_force_sql

#: how a planted name is written in the synthetic record (recorded in the truth file)
TRANSFORMS = ("exact", "upper", "no-punctuation", "no-accents", "typo", "legal-form")


@dataclass(frozen=True)
class Planted:
    """A listed (or owned) entity the generator may name as a supplier."""

    entity_id: str
    name: str
    listed_id: str  # the listed entity a screen must reach (itself, or its owner)
    kind: str  # 'listed' | 'subsidiary'


def _pool_sql(as_of: date) -> str:
    # listings and edges in force as every stage reads them (resolve.ownership's one rule)
    listing, edge = in_force_sql(as_of, "l"), in_force_sql(as_of, "o")
    return f"""
SELECT DISTINCT e.id, e.caption, e.id AS listed_id, 'listed' AS kind
FROM entities e JOIN listings l ON l.entity_id = e.id
WHERE e.schema IN ('Company', 'Organization', 'LegalEntity') AND {listing}
UNION ALL
SELECT DISTINCT c.id, c.caption, o.parent_id, 'subsidiary'
FROM ownership o JOIN entities c ON c.id = o.child_id
JOIN listings l ON l.entity_id = o.parent_id
WHERE {edge} AND {listing}
ORDER BY 4, 1, 3
"""


def planted_pool(conn: duckdb.DuckDBPyConnection, as_of: date) -> tuple[list[Planted], ...]:
    """(listed, subsidiaries) drawn from the watchlist tables, listings in force at ``as_of``."""
    rows = conn.execute(_pool_sql(as_of)).fetchall()
    listed = [Planted(*r) for r in rows if r[3] == "listed" and _usable(r[1])]
    subsidiaries = [Planted(*r) for r in rows if r[3] == "subsidiary" and _usable(r[1])]
    return listed, subsidiaries


def _usable(caption: str) -> bool:
    # a record never names a supplier by a bare 2-3 letter code; such captions only add noise
    return sum(ch.isalpha() for ch in caption) >= 6


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def garble(name: str, rng: random.Random) -> tuple[str, str]:
    """(written name, transform): the planted name as a procurement record might spell it."""
    transform = rng.choice(TRANSFORMS)
    if transform == "upper":
        return name.upper(), transform
    if transform == "no-punctuation":
        return re.sub(r"[.,()]", "", name), transform
    if transform == "no-accents":
        return _strip_accents(name), transform
    if transform == "typo":
        words = name.split()
        long = [i for i, w in enumerate(words) if len(w) >= 7 and w.isalpha()]
        if long:
            i = rng.choice(long)
            w = words[i]
            j = rng.randrange(2, len(w) - 2)
            words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]  # two letters swapped
            return " ".join(words), transform
        return name, "exact"
    if transform == "legal-form":
        return f"{name} S.A. de C.V.", transform
    return name, "exact"
