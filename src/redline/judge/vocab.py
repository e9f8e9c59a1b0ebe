"""The ids a policy may name: sector classes (taxonomy) and list codes (lists catalogue).

Reach for :func:`sectors` when a rule or a finding needs a class's tier, exposed data or guard
rails, and for :func:`list_codes` when validating a rule's lists. Both read the reviewed YAML
that the classify and lists stages ship, so the judge never keeps its own copy of their ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from redline.store.db import Store


@dataclass(frozen=True)
class Sector:
    """What the judge needs from one taxonomy class."""

    id: str
    title: str
    tier: int  # 1 = most sensitive
    exposes: tuple[str, ...]
    guard_rails: tuple[str, ...]


def _read_data(name: str) -> Any:
    path = resources.files("redline.data").joinpath(name)
    if not path.is_file():
        return None
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _entries(raw: Any, key: str) -> list[dict[str, Any]]:
    """Entries under ``key`` whether written as a list of mappings or a mapping by id."""
    block = raw.get(key) if isinstance(raw, dict) else None
    if isinstance(block, dict):
        return [{"id": k, **(v if isinstance(v, dict) else {})} for k, v in block.items()]
    if isinstance(block, list):
        return [e for e in block if isinstance(e, dict)]
    return []


@cache
def sectors() -> dict[str, Sector]:
    """Every taxonomy class by id, read through the classify stage's validated loader."""
    from redline.classify.taxonomy import load_taxonomy

    return {
        c.id: Sector(c.id, c.name, c.tier, tuple(c.data_exposed), tuple(c.guard_rails))
        for c in load_taxonomy().classes
    }


@cache
def shipped_list_codes() -> frozenset[str]:
    """List codes of the reviewed lists catalogue shipped with the package."""
    raw = _read_data("lists.yaml")
    return frozenset(str(e.get("code") or e["id"]) for e in _entries(raw, "lists"))


def list_codes(store: Store | None = None) -> frozenset[str]:
    """Shipped list codes plus every list code present in ``store`` (e.g. a user watchlist)."""
    codes = set(shipped_list_codes())
    if store is not None:
        rows = store.conn.execute("SELECT DISTINCT list_code FROM listings").fetchall()
        codes.update(str(r[0]) for r in rows)
    return frozenset(codes)
