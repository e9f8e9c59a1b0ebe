"""Turn grouped list rows into FtM entities, Sanctions and Ownership edges (store rows).

Reach for :func:`build` with every row read from the catalogue's files. One entity per group
(:mod:`merge`); per entity and list, rows are folded into listing periods in date order — a
row with an end date closes the period, the next row opens a new one — so the 1260H editions
of YMTC (2024 in, removed 2026-02-17, back 2026-06-08) give two listings, each citing its rows.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from followthemoney import EntityProxy, model
from followthemoney.exc import InvalidData

from redline.ingest.lists import ftm_store as fs
from redline.ingest.lists.catalog import Catalog, ListSpec
from redline.ingest.lists.enrich import enrich, enrichments
from redline.ingest.lists.merge import Group, Node, group_rows, make_nodes
from redline.ingest.lists.normalise import name_key
from redline.ingest.lists.records import ListRow
from redline.model.values import parse_date

DATASET = "redline-lists"
_ID_PROPS = {"cn-uscc": "uscCode", "mx-rfc": "taxNumber", "lei": "leiCode"}


@dataclass
class Built:
    rows: dict[str, list[dict[str, Any]]]
    per_list: dict[str, Counter[str]] = field(default_factory=dict)
    #: name_enrichment.yaml entries whose listed name is on no loaded list
    enrichment_unmatched: list[str] = field(default_factory=list)
    #: "file: row N: end … precedes start …", one per row whose dates cannot be a window
    date_errors: list[str] = field(default_factory=list)


def _hash(*parts: str) -> str:
    return hashlib.sha1("|".join(parts).encode()).hexdigest()[:12]


def _entity_id(group: Group, used: set[str]) -> str:
    """``rl-`` + a slug of the group's key: its first identifier, else its smallest name key
    and countries; the first row's key breaks the rare tie (same name and country, no
    evidence to merge), so ids stay the same from one load to the next."""
    ids = sorted(f"{s}-{v}" for n in group.nodes for s, v in n.identifiers)
    if ids:
        candidate = f"rl-{ids[0].lower()}"
    else:
        key = min(name_key(n.name, strip_trailing=False) or n.name for n in group.nodes)
        slug = re.sub(r"[^a-z0-9]+", "-", key)[:40].strip("-")
        candidate = f"rl-{slug}-{_hash(key, *sorted(group.countries))[:8]}"
    if candidate in used:
        candidate = f"{candidate}-{_hash(group.nodes[0].key)[:6]}"
    used.add(candidate)
    return candidate


def _entity(group: Group, entity_id: str) -> EntityProxy:
    schemata = [n.row.schema if n.listed else "Company" for n in group.nodes]
    schema = model.get(schemata[0]) or model.get("Company")
    for other in schemata[1:]:
        try:
            schema = model.common_schema(schema, other)
        except InvalidData:  # e.g. Person vs Company: keep the first schema
            continue
    proxy = model.make_entity(schema)  # type: ignore[arg-type]
    proxy.id = entity_id
    proxy.add("name", group.nodes[0].name)
    for node in group.nodes:
        names = [node.name] if node.name != group.nodes[0].name else []
        proxy.add("alias", names + [a for a in node.aliases if a not in node.row.previous_names])
        if node.listed and node.key == node.row.key:
            proxy.add("previousName", node.row.previous_names)
            proxy.add("address", node.row.addresses, quiet=True)
        proxy.add("country", node.country)
        for scheme, value in node.identifiers:
            proxy.add(_ID_PROPS.get(scheme, "registrationNumber"), value, quiet=True)
    return proxy


def _periods(rows: list[tuple[ListRow, str | None, str | None]]) -> list[list[Any]]:
    """Fold (row, start, end) sorted by start into [start, end, rows] periods."""
    rows = sorted(rows, key=lambda r: (r[1] or "", r[0].key))
    periods: list[list[Any]] = []
    for row, start, end in rows:
        if periods and periods[-1][1] is None:
            current = periods[-1]
            current[2].append(row)
            current[1] = end
        else:
            periods.append([start, end, [row]])
    return periods


def _sanction(spec: ListSpec, entity_id: str, start: str | None, end: str | None,
              rows: list[ListRow], used: set[str]) -> EntityProxy:  # fmt: skip
    sanction = model.make_entity("Sanction")
    sanction.id = f"rl-san-{_hash(spec.code, entity_id, start or '')}"
    if sanction.id in used:  # two sanctions from one day (a register's separate cases)
        sanction.id = f"rl-san-{_hash(spec.code, entity_id, start or '', rows[0].key)}"
    used.add(sanction.id)
    sanction.add("entity", entity_id)
    sanction.add("authority", spec.authority)
    sanction.add("program", spec.program)
    sanction.add("programId", spec.code)
    sanction.add("programUrl", spec.source_url)
    sanction.add("startDate", start)
    sanction.add("endDate", end)
    sanction.add("sourceUrl", next((r.source_url for r in rows if r.source_url), spec.source_url))
    sanction.add("reason", next((r.reason for r in rows if r.reason), None))
    sanction.add("recordId", [r.key for r in rows])
    return sanction


def build(rows: list[ListRow], catalog: Catalog) -> Built:
    """Entities, identifiers, listings and ownership rows for the ``redline-lists`` dataset."""
    per_list: dict[str, Counter[str]] = defaultdict(Counter)
    dropped: dict[str, int] = {}
    nodes: list[Node] = []
    for row in rows:
        per_list[row.list_code]["rows read"] += 1
        nodes.extend(make_nodes(row, dropped))
    groups = group_rows(nodes)
    out: dict[str, list[dict[str, Any]]] = {t: [] for t in fs._TABLES}
    entity_of: dict[str, str] = {}
    used: set[str] = set()
    dated: dict[tuple[str, str], list[tuple[ListRow, str | None, str | None]]] = defaultdict(list)
    enriched: set[str] = set()
    date_errors: list[str] = []
    for group in groups:
        eid = _entity_id(group, used)
        proxy = _entity(group, eid)
        reasons = [*group.reasons, *enrich(proxy, enriched)]
        merged = [n.key for n in group.nodes] if len(group.nodes) > 1 else None
        out["entities"].append(fs.entity_row(proxy, dataset=DATASET, merged_from=merged,
                               merge_reason="; ".join(reasons) or None))  # fmt: skip
        ids, _ = fs.identifier_rows(proxy, source=group.nodes[0].key)
        out["entity_identifiers"].extend(ids)
        for node in group.nodes:
            entity_of[node.key] = eid
            if node is not group.nodes[0] and node.listed and node.key == node.row.key:
                per_list[node.row.list_code]["rows merged"] += 1
            if node.listed:
                spec = catalog.get(node.row.list_code)
                dates = _dates(node.row, spec, dropped, per_list, date_errors)
                if dates is not None:
                    dated[(spec.code, eid)].append((node.row, *dates))
    sanction_ids: set[str] = set()
    for (code, eid), entries in dated.items():
        spec = catalog.get(code)
        for start, end, period_rows in _periods(entries):
            sanction = _sanction(spec, eid, start, end, period_rows, sanction_ids)
            out["listings"].append(fs.listing_row(
                sanction, entity_id=eid, dataset=DATASET, list_code=code, list_name=spec.name,
                legal_basis=spec.legal_basis,
                source_file="; ".join(dict.fromkeys(r.file for r in period_rows)),
                source_row="; ".join(r.row for r in period_rows),
            ))  # fmt: skip
            per_list[code]["listings"] += 1
        per_list[code]["entities"] += 1
    out["ownership"] = _edges(rows, entity_of, catalog, per_list)
    for code, n in dropped.items():
        per_list[code]["values dropped"] += n
    unmatched = [e.listed for e in enrichments() if e.listed not in enriched]
    return Built(out, dict(per_list), unmatched, date_errors)


Dates = tuple[str | None, str | None]


def _dates(row: ListRow, spec: ListSpec, dropped: dict[str, int],
           per_list: dict[str, Counter[str]], errors: list[str]) -> Dates | None:  # fmt: skip
    """The row's (start, end) as ISO text, a date that does not parse dropped and counted;
    ``None`` when the end precedes the start: a data error, named in ``errors``, that gives
    no listing (no window can be read from it)."""
    start, end = parse_date(row.start), parse_date(row.end)
    bad = int(bool(row.start and not start)) + int(bool(row.end and not end))
    dropped[spec.code] = dropped.get(spec.code, 0) + bad
    if start and end and end < start:
        per_list[spec.code]["date errors"] += 1
        errors.append(f"{row.file}: {row.row}: end {end} precedes start {start}")
        return None
    return start or spec.effective_from, end


def _edges(rows: list[ListRow], entity_of: dict[str, str], catalog: Catalog,
           per_list: dict[str, Counter[str]]) -> list[dict[str, Any]]:  # fmt: skip
    """1260H "Parent Name" and FCC "wholly-owned subsidiary" as ownership edges."""
    edges: dict[str, dict[str, Any]] = {}
    for row in rows:
        spec = catalog.get(row.list_code)
        pairs: list[tuple[str, str, float | None]] = []
        if row.parent_name:
            pairs.append((entity_of[row.key], entity_of[f"{row.key}:parent"], None))
        for i in range(len(row.subsidiaries)):
            pairs.append((entity_of[f"{row.key}:subsidiary{i}"], entity_of[row.key], 100.0))
        for child, parent, pct in pairs:
            edge_id = f"rl-own-{_hash(spec.code, child, parent)}"
            if child == parent or edge_id in edges:
                continue  # restated in a later edition: the first row is cited
            link = model.make_entity("Ownership")
            link.id = edge_id
            link.add("asset", child)
            link.add("owner", parent)
            link.add("percentage", None if pct is None else f"{pct:g}")
            link.add("startDate", parse_date(row.start))
            link.add("sourceUrl", row.source_url or spec.source_url)
            link.add("publisher", spec.name)
            link.add("recordId", row.key)
            edges[edge_id] = fs.edge_row(
                link, child_id=child, parent_id=parent, relation="ownership",
                dataset=DATASET, source=spec.code, percentage=pct,
            )  # fmt: skip
            per_list[spec.code]["ownership edges"] += 1
    return list(edges.values())
