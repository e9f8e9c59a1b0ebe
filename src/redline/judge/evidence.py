"""Read the evidence ledger's parts out of the store: listings, signals, documents.

Reach for :func:`listings_of` / :func:`signals_of` to cite the listing rows and classifier
signals a finding rests on, and for :func:`documents_of` to cite the documents a record attaches
to an award. The ownership paths from matched entities to listed ones (each edge with its
source) are :func:`redline.resolve.ownership.paths_from`'s.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import pyarrow as pa

from redline.model import ListingEvidence, SignalEvidence, Strength
from redline.model.strength import is_strength
from redline.resolve.ownership import in_force as in_force_on
from redline.store.arrow_io import registered
from redline.store.db import Store


def in_force(listing: ListingEvidence, day: date) -> bool:
    """Listed on ``day``: started (or start unknown) and not yet ended — the end date is the
    first day out of force (:func:`redline.resolve.ownership.in_force`, the one rule)."""
    return in_force_on(listing.start_date, listing.end_date, day)


def listings_of(store: Store, entity_ids: list[str]) -> dict[str, list[ListingEvidence]]:
    """Every listing row (any date) of each entity, by entity id."""
    if not entity_ids:
        return {}
    rows = store.conn.execute(
        "SELECT listing_id, entity_id, list_code, list_name, authority, start_date, end_date, "
        "source_url, source_file, source_row FROM listings WHERE list_contains(?, entity_id) "
        "ORDER BY entity_id, list_code, listing_id",
        [sorted(set(entity_ids))],
    ).fetchall()
    found: dict[str, list[ListingEvidence]] = {}
    for row in rows:
        found.setdefault(row[1], []).append(ListingEvidence(*row))
    return found


# the records' JSON first, by a list of ocids: a filter by subquery (``ocid IN (SELECT …)``)
# or a lateral json_each over the view rebuilds every single-release record's JSON (0.4 s per
# call on 100k records, most of store mode's time before); the JSON of a few is quick to walk
_DATA_SQL = "SELECT ocid, data FROM ocds_compiled_data WHERE list_contains(?, ocid)"
_DOCUMENTS_SQL = """
SELECT k.ocid, k.award_id, json_extract_string(d.value, '$.url') AS url
FROM rl_doc_keys k JOIN rl_doc_data c ON c.ocid = k.ocid, json_each(c.data, '$.awards') a,
     json_each(a.value, '$.documents') d
WHERE json_extract_string(a.value, '$.id') IS NOT DISTINCT FROM k.award_id
UNION
SELECT k.ocid, k.award_id, json_extract_string(d.value, '$.url')
FROM rl_doc_keys k JOIN rl_doc_data c ON c.ocid = k.ocid, json_each(c.data, '$.tender.documents') d
"""
Key = tuple[str, str | None]


def _key_table(keys: Iterable[Key]) -> pa.Table:
    """Distinct (ocid, award_id) keys as a table to join on."""
    wanted = sorted(set(keys), key=lambda k: (k[0], k[1] or ""))
    return pa.table({
        "ocid": pa.array([k[0] for k in wanted], pa.string()),
        "award_id": pa.array([k[1] for k in wanted], pa.string()),
    })  # fmt: skip


def documents_of(store: Store, keys: Iterable[Key]) -> dict[Key, tuple[str, ...]]:
    """URLs of the documents each compiled record attaches to an award (ocid, award_id), or to
    its tender, sorted; a key with none is left out. One read for all the keys.

    Example: an events-table row carries its news or list source as the award's document, so
    the finding cites that page beside the file and line it was read from.
    """
    frame = _key_table(keys)
    if frame.num_rows == 0:
        return {}
    ocids = sorted(set(frame.column("ocid").to_pylist()))
    data = store.conn.execute(_DATA_SQL, [ocids]).to_arrow_table()
    with registered(store.conn, "rl_doc_keys", frame), registered(store.conn, "rl_doc_data", data):
        rows = store.conn.execute(_DOCUMENTS_SQL).fetchall()
    found: dict[Key, set[str]] = {}
    for ocid, award_id, url in rows:
        if url:
            found.setdefault((ocid, award_id), set()).add(str(url))
    return {key: tuple(sorted(urls)) for key, urls in found.items()}


_STRENGTH_SQL = """
SELECT ocid, json_extract_string(data, '$.redlineEvidence.strength'),
       json_extract_string(data, '$.redlineEvidence.basis')
FROM ocds_compiled_data WHERE list_contains(?, ocid)
"""


def strengths_of(store: Store, ocids: Iterable[str]) -> dict[str, tuple[Strength, str]]:
    """The evidence strength each record's source declared, with why (``redlineEvidence``, set
    by a tracker mapping); a record that declares none is left out, and the judge reads it as
    an official record (an OCDS file or a contract register). One read for all the ocids.

    A declaration that names no known strength is left out too: it cannot come from Redline's
    own ingest, which validates the mapping.
    """
    wanted = sorted(set(ocids))
    if not wanted:
        return {}
    rows = store.conn.execute(_STRENGTH_SQL, [wanted]).fetchall()
    found: dict[str, tuple[Strength, str]] = {}
    for ocid, strength, basis in rows:
        if is_strength(strength):
            found[str(ocid)] = (strength, str(basis or ""))
    return found


_SIGNALS_SQL = """
SELECT k.ocid, k.award_id, c.class_id, c.signal_kind, c.signal_value, c.signal_field, c.parent,
       c.parent_id, c.item_id, c.signal_detail, c.pointer
FROM rl_signal_keys k JOIN classifications c ON c.ocid = k.ocid
WHERE c.parent NOT IN ('award', 'contract')
   OR (c.parent = 'award' AND c.parent_id IS NOT DISTINCT FROM k.award_id)
   OR (c.parent = 'contract' AND EXISTS (
       SELECT 1 FROM contracts t WHERE t.ocid = k.ocid AND t.award_id = k.award_id
         AND t.contract_id = c.parent_id))
-- strongest first: a code or keyword classifies, a buyer only strengthens
ORDER BY k.ocid, k.award_id NULLS FIRST, c.class_id,
         CASE c.signal_kind WHEN 'code' THEN 0 WHEN 'keyword' THEN 1 ELSE 2 END,
         CASE c.parent WHEN 'tender' THEN 0 WHEN 'award' THEN 1 WHEN 'contract' THEN 2 ELSE 3 END,
         c.parent, c.parent_id NULLS FIRST, c.item_id NULLS FIRST, c.signal_value, c.signal_field
"""
Signals = dict[str, list[SignalEvidence]]


def signals_of(store: Store, keys: Iterable[Key]) -> dict[Key, Signals]:
    """Classifier signals of each process and award (ocid, award_id) that concern that award,
    by class id; a key with none is left out. One read for all the keys.

    Signals on the tender or the process count for every award; signals on another award or
    on a contract of another award do not. A signal is cited once per class: when the tender
    and the award carry the same text, the same (kind, value, field kind) fires on both, and
    the ledger keeps the first occurrence in document order (tender, award, contract) with its
    pointer.
    """
    frame = _key_table(keys)
    if frame.num_rows == 0:
        return {}
    with registered(store.conn, "rl_signal_keys", frame):
        rows = store.conn.execute(_SIGNALS_SQL).fetchall()
    found: dict[Key, Signals] = {}
    seen: set[tuple[Key, str, str, str, str]] = set()
    for ocid, award_id, *row in rows:
        signal = SignalEvidence(*row)
        key = (ocid, award_id)
        once = (key, signal.class_id, signal.signal_kind, signal.signal_value, signal.field_kind)
        if once not in seen:
            seen.add(once)
            found.setdefault(key, {}).setdefault(signal.class_id, []).append(signal)
    return found
