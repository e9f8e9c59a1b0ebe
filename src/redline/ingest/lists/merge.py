"""Group list rows into entities, with the evidence for every merge.

Reach for :func:`group_rows` after reading every list: rows are merged only when (a) they
share a validated identifier, or (b) their normalised names (:func:`name_key`, on the primary
name or an alias of two words or more) are equal and their countries do not conflict.
Example reason: "same normalised name 'huawei technologies' on us-dod-1260h:...:row 57 and
us-ndaa-889:...:row 4".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from followthemoney.types import registry

from redline.ingest.lists.normalise import name_key
from redline.ingest.lists.records import ListRow
from redline.model.values import classify_identifier


@dataclass
class Node:
    """A row (or a parent/subsidiary it names) about to become part of an entity."""

    key: str
    row: ListRow
    name: str
    listed: bool  # False for a parent named only as a parent
    country: str | None = None
    identifiers: list[tuple[str, str]] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)


@dataclass
class Group:
    nodes: list[Node]
    countries: set[str]
    reasons: list[str]
    ids: set[tuple[str, str]]

    def conflicts(self, other: Group) -> str | None:
        if len(self.countries | other.countries) > 1:
            return "countries"
        schemes = {s for s, _ in self.ids} & {s for s, _ in other.ids}
        if any(not {i for i in self.ids if i[0] == s} & other.ids for s in schemes):
            return "identifiers"  # two different validated ids of the same scheme
        return None


def make_nodes(row: ListRow, dropped: dict[str, int]) -> list[Node]:
    """The node of the row itself, and nodes for the parent/subsidiaries it names."""
    country = registry.country.clean(row.country) if row.country else None
    if row.country and not country:
        dropped[row.list_code] = dropped.get(row.list_code, 0) + 1
    ids = []
    for raw in row.identifiers:
        found = classify_identifier(raw)
        if found is None:
            dropped[row.list_code] = dropped.get(row.list_code, 0) + 1
        else:
            ids.append(found)
    nodes = [Node(row.key, row, row.name, True, country, ids, row.aliases + row.previous_names)]
    if row.parent_name:
        nodes.append(Node(f"{row.key}:parent", row, row.parent_name, False))
    for i, sub in enumerate(row.subsidiaries):
        nodes.append(Node(f"{row.key}:subsidiary{i}", row, sub, True, country))
    return nodes


def _evidence(node: Node, tier: int) -> list[tuple[str, str, bool]]:
    """(label, key, across lists only) of the facts that can merge this node, by tier:
    0 identifiers, 1 primary name, 2 aliases of two words or more. Tiers run in order over
    all rows, so a group has its identifiers before an alias can pull it into another."""
    if tier == 0:
        return [(f"identifier {s} {v}", f"id:{s}:{v}", False) for s, v in node.identifiers]
    names = [node.name] if tier == 1 else [a for a in node.aliases if len(name_key(a).split()) >= 2]
    found: list[tuple[str, str, bool]] = []
    for strict in (True, False):
        keys = sorted({name_key(n, strip_trailing=not strict) for n in names} - {""})
        found.extend((f"normalised name '{k}'", f"name:{strict}:{k}", not strict) for k in keys)
    return found


def group_rows(nodes: list[Node]) -> list[Group]:
    """Union-find over the nodes; groups come out in the order of their first node."""
    parent = list(range(len(nodes)))
    groups = {
        i: Group([n], {n.country} if n.country else set(), [], set(n.identifiers))
        for i, n in enumerate(nodes)
    }

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(first: int, i: int, label: str) -> None:
        a, b = root(first), root(i)
        if a == b:
            return
        ga, gb = groups[a], groups[b]
        if not label.startswith("identifier") and ga.conflicts(gb):
            return  # same name, but different countries or identifiers: not the same entity
        parent[b] = a
        ga.nodes.extend(gb.nodes)
        ga.countries |= gb.countries
        ga.ids |= gb.ids
        ga.reasons.extend(gb.reasons)
        where = f"country {'/'.join(sorted(ga.countries)) or 'not stated'}"
        ga.reasons.append(f"same {label} ({where}) on {nodes[first].key} and {nodes[i].key}")
        del groups[b]

    seen: dict[str, dict[str, int]] = {}  # key -> list code -> first node with it
    for tier, (i, node) in ((t, item) for t in range(3) for item in enumerate(nodes)):
        code = node.row.list_code
        for label, key, across_only in _evidence(node, tier):
            firsts = seen.setdefault(key, {})
            for other_code, first in list(firsts.items()):
                if not across_only or other_code != code:
                    union(first, i, label)
            firsts.setdefault(code, i)
    return [groups[i] for i in sorted(groups)]
