"""Seeded structural mutations of real inputs (after ``../shared/eval/redteam/fuzz.py``).

Reach for :class:`Mutator` in a fuzz test: ``Mutator(seed).mutate(doc)`` changes a deep copy of
a JSON-like document in one to five places (a value replaced by a nasty one, a key deleted, an
object turned into a list and back, an item duplicated, a string reversed or JSON-encoded, an
object nested 5-400 levels deep) and :meth:`Mutator.flip` changes bytes of its encoding.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Iterator
from typing import Any

NASTY: list[Any] = [
    None, "", " ", 0, -1, 1.5, -0.0, 2**63 - 1, 2**63, 2**64 - 1, -(2**63), 1e308, -1e308,
    5e-324, True, False, [], {}, [None], [[]], {"": None}, "x" * 5000, "2019-02-30",
    "2019-13-01T00:00:00Z", "0000-00-00", "9999-12-31T23:59:59+23:59", "\u0000", "\u202eRTL",
    "😀" * 50, "NaN", "Infinity", "1,000", "' OR 1=1 --", "../../etc/passwd", "%s%n", "{}",
    "\\", "\n\r\t", 12345678901234567890, {"amount": "x"}, {"amount": {}}, [1, "a", None, {}],
    "ocds-x", "supplier", ["supplier"], ["tenderer", 5], "(a|a)+b", "&a", "*a", "!!python/name:os",
]  # fmt: skip
KEYS = ["id", "name", "roles", "value", "amount", "date", "suppliers", "items", "period",
        "classification", "identifier", "currency", "ocid", "tag", "title", "schema"]  # fmt: skip


class Mutator:
    """Mutations drawn from one seeded random stream (the same seed, the same cases)."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def deep(self, levels: int) -> Any:
        value: Any = "x"
        for _ in range(levels):
            value = {"a": value} if self.rng.random() < 0.5 else [value]
        return value

    def nasty(self) -> Any:
        r = self.rng.random()
        if r < 0.05:
            return self.deep(self.rng.choice([5, 50, 200, 254, 256, 400]))
        if r < 0.10:
            return self.rng.choice([2 ** self.rng.randint(0, 70), self.rng.uniform(-1e300, 1e300)])
        return copy.deepcopy(self.rng.choice(NASTY))

    def mutate(self, doc: Any, times: int | None = None) -> Any:
        doc = copy.deepcopy(doc)
        for _ in range(times or self.rng.choice([1, 1, 1, 2, 3, 5])):
            doc = self._once(doc)
        return doc

    def _once(self, doc: Any) -> Any:
        path, node = self.rng.choice(list(_nodes(doc)))
        if not path:
            if isinstance(doc, dict):
                doc[self.rng.choice(KEYS)] = self.nasty()
            return doc
        parent, key = _get(doc, path[:-1]), path[-1]
        op = self.rng.random()
        if op < 0.45:
            parent[key] = self.nasty()
        elif op < 0.6 and isinstance(parent, dict):
            del parent[key]
        elif op < 0.7:
            if isinstance(node, dict):
                parent[key] = list(node.values())
            elif isinstance(node, list):
                parent[key] = {str(i): v for i, v in enumerate(node)}
            else:
                parent[key] = [node]
        elif op < 0.8 and isinstance(node, dict):
            node[self.rng.choice(KEYS)] = self.nasty()
        elif op < 0.88 and isinstance(node, list) and node:
            node.append(copy.deepcopy(self.rng.choice(node)))
        elif isinstance(node, str):
            parent[key] = node[::-1] + self.rng.choice(["", "\u0000", "😀", '"'])
        else:
            parent[key] = None
        return doc

    def flip(self, raw: bytes) -> bytes:
        data = bytearray(raw)
        for _ in range(self.rng.randint(1, 4)):
            if data:
                data[self.rng.randrange(len(data))] = self.rng.randrange(256)
        return bytes(data)


def _nodes(obj: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    yield path, obj
    if len(path) > 40:
        return
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _nodes(v, (*path, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _nodes(v, (*path, i))


def _get(obj: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        obj = obj[part]
    return obj
