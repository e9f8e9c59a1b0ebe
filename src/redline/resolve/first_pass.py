"""Which records of an ingest's Parquet tables the judge must read: the set-based first pass.

Reach for :func:`judged_ocids` before the policy judge runs on tables too big for one store
(``redline screen --tables``). On the engine it finds every ocid with a supplier or tenderer
that the judge's matcher (:func:`redline.resolve.matcher.match_queries`) could meet, so only
those records are read into the judge, which then matches them again exactly. The pass is a
superset of the matcher by construction — each of its rules with a floor no higher than its own:

* names and consortium members: every form blocked and scored on the engine (the blocking SQL
  and ``score_pairs`` of :mod:`redline.resolve.engine_steps`, as ``--engine spark`` matching
  uses), kept from the lowest score a rule lifts to the threshold: derived initials that other
  evidence corroborates (threshold × INITIALS_ALONE_SCORE / INITIALS_SUPPORTED_SCORE);
* name stems ("CRRT Zhuzhou Locomotive" → CRRT), when their score can reach the threshold;
* identifiers (RFC, USCC, LEI): canonicalised on the engine, met exactly in the lists;
* ownership: a match counts only when it leads to a listed entity within the matcher's depth.

The judge's queries carry no country (the country enters after matching, in ranking a finding's
fit), so forms are scored without one here too. Example: a tenderer "Nuctech Company Limited"
on one process puts that process's ocid in ``rl_judged``; the other 99,999 stay on the engine.

Store mode (``redline screen`` without ``--tables``) runs the same pass over the store's own
tables through :func:`store_ocids`, so its judge reads only those records too.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import duckdb
import pyarrow as pa

from redline.engine.base import Engine
from redline.resolve.block import WatchIndex
from redline.resolve.engine_steps import load_watch, score_names
from redline.resolve.identifiers import canonical
from redline.resolve.matcher import INITIALS_SUPPORTED_SCORE
from redline.resolve.ownership import walk_to_listed
from redline.resolve.score import INITIALS_ALONE_SCORE
from redline.resolve.stems import STEM_ALONE_SCORE, form_stem

#: the columns :func:`judged_ocids` reads, registered as rl_in_<table> by ``register_tables``
SCREEN_COLUMNS = {
    "award_suppliers": ("ocid", "name", "identifier_id"),
    "parties": ("ocid", "name", "roles", "identifier_id"),
}
#: ownership edges the judge's matcher follows (``match_names``' default depth)
MATCH_DEPTH = 3
#: scores are rounded to 4 places before the threshold test: a form this far under still counts
_ROUNDING = 1e-4

STEMS = pa.schema([("qvid", pa.int64()), ("stem", pa.string())])
IDENTS = pa.schema([("identifier", pa.string()), ("scheme", pa.string()),
                    ("value", pa.string())])  # fmt: skip

# who is screened, as judge.candidates reads them: award suppliers, supplier/tenderer parties
_CANDIDATES = (
    "SELECT ocid, trim(name) AS name, identifier_id AS identifier FROM rl_in_award_suppliers "
    "WHERE name IS NOT NULL AND trim(name) <> '' UNION ALL "
    "SELECT ocid, trim(name), identifier_id FROM rl_in_parties "
    "WHERE (list_contains(roles, 'supplier') OR list_contains(roles, 'tenderer')) "
    "AND name IS NOT NULL AND trim(name) <> ''"
)


def form_stems(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """(qvid, kind, tokens) → (qvid, leading stem) of every form of two or more words."""
    for batch in batches:
        out: dict[str, list[object]] = {"qvid": [], "stem": []}
        qvids, texts = batch.column("qvid").to_pylist(), batch.column("tokens").to_pylist()
        for qvid, text in zip(qvids, texts, strict=True):
            tokens = tuple(text.split(" ")) if text else ()
            # every kind: a distinct form's min(kind) need not be the kind the matcher sees
            stem = form_stem(tokens)
            if stem:
                out["qvid"].append(qvid)
                out["stem"].append(stem)
        yield pa.RecordBatch.from_pydict(out, schema=STEMS)


def canonical_ids(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """(identifier) → (identifier, scheme, value) of each valid one, as the matcher reads it."""
    for batch in batches:
        out: dict[str, list[object]] = {name: [] for name in IDENTS.names}
        for raw in batch.column("identifier").to_pylist():
            found = canonical(raw)
            if found:
                for name, value in zip(IDENTS.names, (raw, *found), strict=True):
                    out[name].append(value)
        yield pa.RecordBatch.from_pydict(out, schema=IDENTS)


def judged_ocids(
    engine: Engine,
    conn: duckdb.DuckDBPyConnection,
    *,
    as_of: date,
    threshold: float,
    watch: WatchIndex | None = None,
    with_stems: bool = False,
) -> dict[str, int]:
    """Fill engine table rl_judged (ocid) from rl_in_award_suppliers and rl_in_parties (see
    :data:`SCREEN_COLUMNS`) against the lists in ``conn`` (``watch``: their index, when the
    caller holds it); counts of names and ocids. ``with_stems``: keep the records whose names have
    a name-stem affiliate even when the threshold is above a stem's score (the screen offers
    such affiliates for review)."""
    watch = load_watch(engine, conn, as_of, watch)
    engine.create("rl_cands", _CANDIDATES)
    engine.create("rl_names", "SELECT DISTINCT name FROM rl_cands")
    score_names(engine, watch.rare_cap)
    floor = threshold * min(1.0, INITIALS_ALONE_SCORE / INITIALS_SUPPORTED_SCORE) - _ROUNDING
    met = [
        "SELECT f.name, w.entity_id AS matched_id FROM rl_qforms f "
        "JOIN rl_scores s ON s.qvid = f.qvid JOIN rl_wforms w ON w.vid = s.vid "
        f"WHERE s.score >= {floor!r}"
    ]
    if with_stems or threshold - _ROUNDING <= STEM_ALONE_SCORE:  # alone a stem scores no more
        stems = [(stem, watch.forms[vid].entity_id) for stem, vids in watch.stems.items()
                 for vid in vids]  # fmt: skip
        engine.register("rl_stems", pa.table({
            "stem": pa.array([s for s, _ in stems], pa.string()),
            "entity_id": pa.array([e for _, e in stems], pa.string()),
        }))  # fmt: skip
        engine.map_batches("rl_qstems", "rl_qdistinct", form_stems, STEMS)
        met.append(
            "SELECT f.name, t.entity_id AS matched_id FROM rl_qforms f "
            "JOIN rl_qstems q ON q.qvid = f.qvid JOIN rl_stems t ON t.stem = q.stem"
        )
    engine.create(
        "rl_name_hits", f"SELECT DISTINCT name, matched_id FROM ({' UNION ALL '.join(met)}) m"
    )
    engine.create(
        "rl_idents", "SELECT DISTINCT identifier FROM rl_cands WHERE identifier IS NOT NULL"
    )
    engine.map_batches("rl_ident_keys", "rl_idents", canonical_ids, IDENTS)
    engine.register("rl_entity_ids", conn.execute(
        "SELECT DISTINCT entity_id, scheme, value FROM entity_identifiers"
    ).to_arrow_table())  # fmt: skip
    engine.create(
        "rl_id_hits",
        "SELECT DISTINCT k.identifier, e.entity_id AS matched_id FROM rl_ident_keys k "
        "JOIN rl_entity_ids e ON e.scheme = k.scheme AND e.value = k.value",
    )
    engine.create(
        "rl_met", "SELECT matched_id FROM rl_name_hits UNION SELECT matched_id FROM rl_id_hits"
    )
    walk_to_listed(engine, "rl_met", MATCH_DEPTH)
    engine.create("rl_reach", "SELECT DISTINCT matched_id FROM rl_paths")
    engine.create(
        "rl_judged_query",
        "SELECT c.ocid FROM rl_cands c JOIN rl_name_hits h ON h.name = c.name "
        "JOIN rl_reach r ON r.matched_id = h.matched_id UNION "
        "SELECT c.ocid FROM rl_cands c JOIN rl_id_hits h ON h.identifier = c.identifier "
        "JOIN rl_reach r ON r.matched_id = h.matched_id",
    )
    # materialised: each record table is filtered by it, and a Spark view would re-run the
    # joins above once per table; a list of matched ocids is small
    judged = engine.to_arrow("SELECT ocid FROM rl_judged_query")
    engine.register("rl_judged", judged)
    names = engine.to_arrow("SELECT count(*) AS n FROM rl_names").column("n")[0].as_py()
    return {"names": int(names), "ocids": judged.num_rows}


def store_ocids(
    engine: Engine,
    conn: duckdb.DuckDBPyConnection,
    *,
    as_of: date,
    threshold: float,
    watch: WatchIndex | None = None,
    stems: bool = False,
) -> tuple[pa.Table, int]:
    """The ocids (one column ``ocid``) of the store at ``conn`` that :func:`judged_ocids` keeps,
    and how many distinct names it screened.

    Only the columns of :data:`SCREEN_COLUMNS` leave the store (as Arrow), so on DuckDB the
    pass costs a copy of the names, and on Spark they are what the executors receive.
    """
    for table, columns in SCREEN_COLUMNS.items():
        quoted = ", ".join(f'"{c}"' for c in columns)
        engine.register(
            f"rl_in_{table}", conn.execute(f"SELECT {quoted} FROM {table}").to_arrow_table()
        )
    counts = judged_ocids(
        engine, conn, as_of=as_of, threshold=threshold, watch=watch, with_stems=stems
    )
    return engine.to_arrow("SELECT ocid FROM rl_judged"), counts["names"]
