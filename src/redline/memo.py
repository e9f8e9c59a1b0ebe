"""A bounded, thread-safe memory of values by key (least recently used out first).

Reach for :class:`Kept` where a long-lived holder answers the same questions again and again
about data that does not change under it (a server's in-memory lists: ownership walks, entity
summaries; a process's list indexes): it keeps at most ``size`` answers, so the holder does
not grow with the requests it serves.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Iterable, Mapping
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Kept(Generic[K, V]):
    """At most ``size`` values by key; a value may be ``None`` (an answer like any other)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._held: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._held)

    def found(self, keys: Iterable[K]) -> dict[K, V]:
        """The values held for ``keys`` (absent keys left out), each now the most recent."""
        out: dict[K, V] = {}
        with self._lock:
            for key in keys:
                if key in self._held:
                    self._held.move_to_end(key)
                    out[key] = self._held[key]
        return out

    def keep(self, values: Mapping[K, V]) -> None:
        """Hold ``values``; the least recently used go beyond ``size``."""
        with self._lock:
            self._held.update(values)
            for key in values:
                self._held.move_to_end(key)
            while len(self._held) > self.size:
                self._held.popitem(last=False)
