"""Candidate generation inside the engine: which list names are worth scoring for a query.

Reach for :meth:`WatchIndex.of` (the index of a store's ``entities``, built once per list
content in a process and shared by every stage and request that reads the same lists) and
:meth:`WatchIndex.candidates` to turn many query forms into a short list of (query form, list
form) pairs. Both sides become *blocking keys* — ``t:<token>`` for every token, ``p:<prefix>``
(the first four letters, sorted, of words of four or more letters, so a typo later in the word
or two letters swapped in it still meets) and ``c:<all tokens without spaces>`` (so "Quec Tel"
meets "Quectel"; a ``compact`` form has only this key, and its prefix when it is one word).
A query form and a list form are candidates when they share a key that is RARE among the
list's keys (common words like "china" or "technology" never block alone). The join, sum and
ranking are one plain SQL statement over two key tables, so the same logic runs on DuckDB or
Spark.

Why cache: building the index (every list name's forms, keys and stems) costs about 5 s for
the shipped lists (most of it in transliteration), so it is also kept on disk beside a store
file (:mod:`~redline.resolve.index_cache`, read back in about 0.1 s) for the next process;
one ``redline screen`` needs it in three stages (the engine's first pass, the alternatives
guard and the matcher); an API server needs it in every request. The cache is
keyed by a digest of the rows the index is read from (:func:`fingerprint`), not by the last
``lists ingest`` run: ``--watchlist FILE`` and ``load_watchlist`` change ``entities`` without
recording a run, and a digest cannot be stale.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from importlib.metadata import version
from typing import Any, ClassVar

import duckdb
import numpy as np
import pyarrow as pa

from redline.memo import Kept
from redline.resolve import index_cache
from redline.resolve.normalise import territory_codes, use_territory_codes, weight
from redline.resolve.stems import STEM_RULE, goes_by_alone, is_distinctive
from redline.resolve.variants import Variant, name_variants
from redline.store.arrow_io import registered
from redline.store.db import apply_limits

#: a key shared by more list forms than this (or than RARE_SHARE of them) does not block alone
RARE_MIN = 200
RARE_SHARE = 0.05
#: at most this many list forms are scored per query form
TOP_K = 10
#: shared key weight a pair needs: one medium word, a typo'd distinctive one, or the whole name;
#: pairs sharing only common words cannot reach any useful threshold
MIN_OVERLAP = 0.5
PREFIX_LEN = 4
#: a name stem: a word some listed entity goes by alone ("CRRC", "Hikvision") that at most this
#: many entities go by and at most this share of entities have anywhere in their names
STEM_MAX_OWNERS = 2
STEM_MAX_SHARE = 0.03
#: ... but a small watchlist may always have this many entities sharing a stem (a family)
STEM_MIN_CAP = 3
STEM_MIN_LENGTH = 4
#: at most this many query forms are blocked in this process, by dictionary lookups in the rare
#: keys, by an index readied for it (a server's: a request's few names in ~0.1 ms against ~7 ms
#: for a statement); more go to SQL
LOCAL_MAX = 64
#: overlaps are compared at this many decimals on every path (SQL, Spark, here): the sums of
#: float32 weights differ in their last bits with the order they are added in
OVERLAP_DECIMALS = 6
#: sums below this are short of MIN_OVERLAP however rounded (most are: they are not rounded)
_NEAR = MIN_OVERLAP - 10**-OVERLAP_DECIMALS
#: indexes a process keeps, one per list content (least recently used out first): the store's
#: lists, and those lists plus a ``--watchlist`` file
CACHED = 2

#: the sums, ranking and cut shared by both statements below, over ``{rare}``: the list keys
#: that may block (rows of rl_watch_keys whose key few list forms share)
_RANKED_SQL = """
shared AS (
    SELECT q.qvid, w.vid, round(sum(least(q.weight, w.weight)), {decimals}) AS overlap
    FROM rl_query_keys q
    JOIN {rare} w ON q.key = w.key
    GROUP BY q.qvid, w.vid
    HAVING round(sum(least(q.weight, w.weight)), {decimals}) >= ?
),
ranked AS (
    SELECT qvid, vid, overlap,
           row_number() OVER (PARTITION BY qvid ORDER BY overlap DESC, vid) AS rank
    FROM shared
)
SELECT qvid, vid FROM ranked WHERE rank <= ? ORDER BY qvid, vid
"""

#: the blocking statement over two key tables (rl_query_keys, rl_watch_keys), parameters
#: (rare cap, MIN_OVERLAP, top k); engine.steps runs the same text on other engines
CANDIDATES_SQL = """
WITH df AS (
    SELECT key, count(*) AS n FROM rl_watch_keys GROUP BY key
),
rare AS (
    SELECT w.* FROM rl_watch_keys w JOIN df ON df.key = w.key WHERE df.n <= ?
),""" + _RANKED_SQL.format(rare="rare", decimals=OVERLAP_DECIMALS)

#: CANDIDATES_SQL as an index runs it: the rare list keys are kept once, in rl_watch_rare,
#: so a batch joins its keys with those instead of counting every list key again;
#: parameters (MIN_OVERLAP, top k)
RARE_CANDIDATES_SQL = "WITH" + _RANKED_SQL.format(rare="rl_watch_rare", decimals=OVERLAP_DECIMALS)


def _rigour_version() -> str:
    return version("rigour")


def keys(variant: Variant) -> list[tuple[str, float]]:
    """The blocking keys of one form, each with the weight it adds when shared."""
    if variant.kind == "compact":
        # meets a form equal without spaces, or one word as written by a typo (score.rule)
        joined = "".join(variant.tokens)
        if len(variant.tokens) == 1 and len(joined) >= PREFIX_LEN:
            return [("c:" + joined, 1.0), ("p:" + _prefix(joined), weight(joined) / 2)]
        return [("c:" + joined, 1.0)]
    out: list[tuple[str, float]] = []
    for token in variant.tokens:
        w = weight(token)
        out.append(("t:" + token, w))
        if len(token) >= PREFIX_LEN:  # "nort" must still meet "north"
            out.append(("p:" + _prefix(token), w / 2))
    if variant.tokens:
        # one word too: "Nuctech" is what "Nuc Tech" gives run together (a compact form)
        out.append(("c:" + "".join(variant.tokens), 1.0))
    return out


def _prefix(token: str) -> str:
    # its first letters in alphabetical order: a letter swapped inside them ("Huwaei",
    # "Thlaes", "Inpsur") keeps the key, as a typo later in the word does
    return "".join(sorted(token[:PREFIX_LEN]))


def key_table(id_column: str, variants: Sequence[Variant]) -> pa.Table:
    """One row per blocking key of each variant: (``id_column`` = its index, key, weight).

    The list side and the query side are keyed the same way, so one join meets them.
    """
    ids: list[int] = []
    key_col: list[str] = []
    weights: list[float] = []
    for index, variant in enumerate(variants):
        for key, w in keys(variant):
            ids.append(index)
            key_col.append(key)
            weights.append(w)
    return pa.table(
        {
            id_column: pa.array(ids, pa.int32()),
            "key": pa.array(key_col, pa.string()),
            "weight": pa.array(weights, pa.float32()),
        }
    )


@dataclass(frozen=True)
class WatchForm:
    """One comparable form of one list entity's name."""

    entity_id: str
    name: str
    variant: Variant


#: what an index is read from; :func:`fingerprint` digests the same rows
_ENTITIES = "SELECT id, names, countries FROM entities ORDER BY id"


def fingerprint(conn: duckdb.DuckDBPyConnection) -> str:
    """A digest of the rows a :class:`WatchIndex` of ``conn`` is built from (every entity's id,
    names and countries): equal digests, equal indexes. About 10 ms for 3,915 entities."""
    row = conn.execute(
        "SELECT count(*) || ':' || md5(coalesce(string_agg(to_json({'id': id, 'names': names, "
        "'countries': countries})::VARCHAR, chr(10) ORDER BY id), '')) FROM entities"
    ).fetchone()
    assert row is not None  # an aggregate always returns a row
    return str(row[0])


class WatchIndex:
    """Every form of every list name, with the forms' blocking keys in a private in-memory
    DuckDB (so an index outlives the store it was read from, and threads can share it).

    ``WatchIndex(conn)`` always builds; :meth:`of` reuses an index of the same lists.
    """

    _cache: ClassVar[Kept[str, WatchIndex]] = Kept(CACHED)

    def __init__(self, conn: duckdb.DuckDBPyConnection) -> None:
        self.forms: list[WatchForm] = []
        self.countries: dict[str, set[str]] = {}
        rows = conn.execute(_ENTITIES).fetchall()
        for entity_id, names, countries in rows:
            self.countries[entity_id] = {c.lower() for c in countries or []}
            for name in dict.fromkeys(names or []):
                for variant in name_variants(name, listed=True):
                    self.forms.append(WatchForm(entity_id, name, variant))
        #: the list forms' blocking keys (vid = index in ``forms``), also table rl_watch_keys
        #: of the index's own database
        self.keys = key_table("vid", [form.variant for form in self.forms])
        self.rare_cap = max(RARE_MIN, int(RARE_SHARE * len(self.forms)))
        self._open()
        self.stems = self._stems(len(rows))

    def _open(self) -> None:
        # blocking reads only the two key tables, never the store: a database of its own
        self._db = duckdb.connect(":memory:")
        self._postings: dict[str, list[tuple[int, float]]] | None = None
        self._postings_lock = threading.Lock()
        apply_limits(self._db)
        with registered(self._db, "rl_watch_keys_arrow", self.keys) as view:
            self._db.execute(f"CREATE TABLE rl_watch_keys AS SELECT * FROM {view}")
        self._db.execute(
            "CREATE TABLE rl_watch_rare AS SELECT w.* FROM rl_watch_keys w JOIN (SELECT key "
            "FROM rl_watch_keys GROUP BY key HAVING count(*) <= ?) USING (key)",
            [self.rare_cap],
        )

    def _plain(self) -> dict[str, Any]:
        """What :mod:`~redline.resolve.index_cache` stores besides the keys table."""
        return {
            "forms": [[f.entity_id, f.name, f.variant.kind, f.variant.tokens] for f in self.forms],
            "countries": {k: sorted(v) for k, v in self.countries.items()},
            "stems": self.stems,
            "rare_cap": self.rare_cap,
            "stem_rule": STEM_RULE,  # stems kept by another rule are not read back
            # the query side needs rigour's territory table, slow to build: kept alongside
            "territories": {"rigour": _rigour_version(), "codes": territory_codes()},
        }

    @classmethod
    def _restored(cls, data: dict[str, Any], keys: pa.Table) -> WatchIndex:
        """The index :meth:`_plain` and its keys table describe (as built, not rebuilt)."""
        index = cls.__new__(cls)
        index.forms = [WatchForm(e, n, Variant(k, tuple(t))) for e, n, k, t in data["forms"]]
        index.countries = {k: set(v) for k, v in data["countries"].items()}
        index.keys = keys
        index.rare_cap = int(data["rare_cap"])
        index.stems = {k: tuple(v) for k, v in data["stems"].items()}
        territories = data.get("territories") or {}
        if territories.get("rigour") == _rigour_version():
            use_territory_codes(territories["codes"])
        index._open()
        return index

    @classmethod
    def _built(cls, conn: duckdb.DuckDBPyConnection, key: str) -> WatchIndex:
        """The index of ``conn``'s lists (digest ``key``): read from beside the store when
        kept there, else built and kept there for the next process."""
        where = index_cache.folder(conn)
        if where is not None:
            found = index_cache.load(where, key)
            if found is not None and found[0].get("stem_rule") == STEM_RULE:
                return cls._restored(*found)
        index = cls(conn)
        if where is not None:
            index_cache.save(where, key, index._plain(), index.keys)
        return index

    @classmethod
    def of(cls, conn: duckdb.DuckDBPyConnection) -> WatchIndex:
        """The index of the lists in ``conn``: the one already built in this process for the
        same rows (see :func:`fingerprint`), else a new one, kept for the next caller.

        Reach for this rather than the constructor: ``screen_store`` builds the index once per
        screen with it, and POST /screen reuses one across requests until the lists change.
        """
        key = fingerprint(conn)
        found = cls._cache.found([key]).get(key)
        if found is not None:
            return found
        index = cls._built(conn, key)  # nothing held while building: others need not wait
        cls._cache.keep({key: index})
        return index

    @cached_property
    def variants(self) -> list[Variant]:
        """The list forms' variants, by list form index (what scoring compares with)."""
        return [form.variant for form in self.forms]

    def _stems(self, entities: int) -> dict[str, tuple[int, ...]]:
        """Distinctive words an entity goes by alone → those single-word list forms.

        Computed from the loaded lists: the word must be a whole list name or alias of at most
        :data:`STEM_MAX_OWNERS` entities ("CRRC", alias of CRRC Corporation Limited), appear in
        the names of at most :data:`STEM_MAX_SHARE` of all entities ("huawei": 111 of 3,915,
        all Huawei affiliates; "technology": 790), and be distinctive (not a place, an
        organisation type or a common word: "China", "Beijing", "Grupo", "Best"). Only a form
        that is the whole name less its legal forms counts (:func:`stems.goes_by_alone`).
        """
        seen: dict[str, set[str]] = {}
        alone: dict[str, list[int]] = {}
        for vid, form in enumerate(self.forms):
            if form.variant.kind == "initials":
                continue
            for token in form.variant.tokens:
                seen.setdefault(token, set()).add(form.entity_id)
            if form.variant.kind in ("name", "acronym") and len(form.variant.tokens) == 1:
                alone.setdefault(form.variant.tokens[0], []).append(vid)
        out: dict[str, tuple[int, ...]] = {}
        for token, vids in alone.items():
            owners = {self.forms[v].entity_id for v in vids}
            # a one-word form left by dropping words of the name ("IS'Vision" → "vision") is
            # not a word the entity goes by; it still counts among the word's owners
            kept = tuple(v for v in vids if self._alone(v, token))
            if (
                kept
                and len(owners) <= STEM_MAX_OWNERS
                and len(seen[token]) <= max(STEM_MIN_CAP, STEM_MAX_SHARE * entities)
                and len(token) >= STEM_MIN_LENGTH
                and is_distinctive(token)
            ):
                out[token] = kept
        return out

    def _alone(self, vid: int, token: str) -> bool:
        form = self.forms[vid]
        return form.variant.kind == "acronym" or goes_by_alone(form.name, token)

    def candidates(
        self, queries: Sequence[Variant], *, top_k: int = TOP_K
    ) -> list[tuple[int, int]]:
        """(query index, list form index) pairs worth scoring: by one SQL join, or for at most
        :data:`LOCAL_MAX` forms by the same sums here (:meth:`_local_candidates`) once
        :meth:`serve_small_batches` has readied an index for it."""
        if len(queries) <= LOCAL_MAX and self._postings is not None:
            return self._local_candidates(queries, top_k)
        table = key_table("qvid", queries)
        # a cursor per call: its registered table is its own, so threads may share the index
        with self._db.cursor() as cur, registered(cur, "rl_query_keys", table):
            # fetched inside: the result is read lazily from the registered table
            result = cur.execute(RARE_CANDIDATES_SQL, [MIN_OVERLAP, top_k]).fetchnumpy()
        return list(zip(result["qvid"].tolist(), result["vid"].tolist(), strict=True))

    def _local_candidates(self, queries: Sequence[Variant], top_k: int) -> list[tuple[int, int]]:
        """:data:`RARE_CANDIDATES_SQL` by dictionary lookups: every (query key, rare list key)
        pair adds the lesser of their float32 weights; pairs at :data:`MIN_OVERLAP` or more, the
        ``top_k`` largest per query (ties by list form), in (query, list form) order."""
        rare = self._rare_postings()
        out: list[tuple[int, int]] = []
        for qvid, variant in enumerate(queries):
            overlap: dict[int, float] = {}
            for key, weight_ in keys(variant):
                mine = float(np.float32(weight_))  # the key tables hold float32
                for vid, theirs in rare.get(key, ()):
                    overlap[vid] = overlap.get(vid, 0.0) + (mine if mine < theirs else theirs)
            kept = [
                (-o, vid)
                for vid, total in overlap.items()
                if total >= _NEAR and (o := round(total, OVERLAP_DECIMALS)) >= MIN_OVERLAP
            ]
            out.extend((qvid, vid) for vid in sorted(vid for _, vid in sorted(kept)[:top_k]))
        return out

    def serve_small_batches(self) -> None:
        """Ready this index to block small batches here rather than by SQL (~0.13 s, once).

        Reach for it in a holder that blocks request after request (the server's lists, see
        :mod:`redline.services.lists_snapshot`); a one-off ``redline match`` of a name is
        cheaper by SQL than by building the dictionary first."""
        self._rare_postings()

    def _rare_postings(self) -> dict[str, list[tuple[int, float]]]:
        """Rare key → its (list form, weight) rows, read once from ``rl_watch_rare``."""
        with self._postings_lock:
            if self._postings is None:
                table = self._db.execute(
                    "SELECT key, vid, weight FROM rl_watch_rare"
                ).to_arrow_table()
                postings: dict[str, list[tuple[int, float]]] = {}
                for key, vid, weight_ in zip(
                    *(table[c].to_pylist() for c in ("key", "vid", "weight")), strict=True
                ):
                    postings.setdefault(key, []).append((vid, weight_))
                self._postings = postings
            return self._postings
