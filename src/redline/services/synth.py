"""Where planted vendors come from: the lists in a store, else the lists in the data directory.

Reach for :func:`synthesise` from a front end: it finds the watchlist (the store's loaded lists
when it has any, otherwise the data directory's lists loaded into a scratch in-memory store) and
writes the synthetic files. Without any list it raises, because recall could not be checked.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from redline.errors import InputError, Problem
from redline.store.db import Store
from redline.synth.generate import SynthReport, write_synthetic
from redline.synth.generate import SynthSpec as SynthSpec  # the CLI's door to it
from redline.synth.planted import planted_pool

#: listings in force on this date are planted (fixed, so a seed gives the same files every day)
PLANT_AS_OF = date(2025, 1, 1)


def _has_lists(store: Store) -> bool:
    row = store.conn.execute("SELECT count(*) FROM listings").fetchone()
    return bool(row and row[0])


def synthesise(
    out: Path,
    spec: SynthSpec,
    *,
    store: Store | None,
    data_dir: Path | None,
    on_progress: Callable[[int], None] | None = None,
) -> SynthReport:
    """Write ``spec.releases`` synthetic releases to ``out`` with vendors planted from the lists."""
    if store is not None and _has_lists(store):
        listed, subsidiaries = planted_pool(store.conn, PLANT_AS_OF)
    elif data_dir is not None and (data_dir / "lists").is_dir():
        from redline.services.lists import load_lists

        with Store(":memory:") as scratch:
            load_lists(scratch, data_dir)
            listed, subsidiaries = planted_pool(scratch.conn, PLANT_AS_OF)
    else:
        where = str(data_dir or "the data directory")
        raise InputError(
            [Problem(where, "", "no lists to plant: run `redline lists load` or pass --data")]
        )
    return write_synthetic(out, spec, listed, subsidiaries, on_progress)
