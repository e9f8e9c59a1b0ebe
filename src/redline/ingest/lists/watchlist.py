"""Load a FollowTheMoney JSON Lines watchlist (the OpenSanctions export format).

Reach for :func:`load_watchlist` to put any FtM entity file into the store, and for
:func:`scratch_watchlist` when a command takes ``--watchlist FILE``: it returns an in-memory
store holding that file only. Example: a line ``{"id": "d-san-1", "schema": "Sanction",
"properties": {"entity": ["d-casc"], ...}}`` makes ``d-casc`` *listed*; an ``Ownership`` line
with ``owner`` d-casc and ``asset`` ds-casc-sub makes an edge ds-casc-sub → d-casc.

Every line is checked before anything is written: a line that is not JSON, or not an FtM
entity (no id, unknown schema, unknown property, a link to an id not in the file) raises one
:class:`~redline.errors.InputError` naming every bad line; the load is one transaction.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import orjson
import pyarrow as pa
from followthemoney import EntityProxy, model

from redline.errors import InputError, Problem
from redline.ingest.lists import ftm_store as fs
from redline.store.arrow_io import registered
from redline.store.db import Store

#: link schemata whose rows say control in their own words (role, type, description)
_CONTROL_WORDS = re.compile(r"\bcontrol", re.IGNORECASE)
_PERCENT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%?\s*$")


@dataclass
class WatchlistStats:
    """What one load did: counts of lines, rows written and values dropped."""

    source: str
    dataset: str
    lines: int = 0
    entities: int = 0
    listings: int = 0
    ownership: int = 0
    control: int = 0
    identifiers: int = 0
    identifiers_dropped: int = 0
    values_dropped: int = 0
    ignored: dict[str, int] = field(default_factory=dict)  # schema → entities not stored
    #: the file held no designation (no Sanction or Risk): each of its entities is listed
    #: under the file's own name, so a user's list of names screens as a list of names
    listed_by_file: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> str:
        """One line saying what the file held, e.g. ``watchlist mine.ftm.jsonl: 3 entities,
        0 designations (each entity listed under the file's name 'mine.ftm.jsonl'), 1
        ownership edge``."""
        listed = (
            f"{self.listings} designations"
            if not self.listed_by_file
            else f"0 designations (each entity listed under the file's name {self.dataset!r})"
        )
        edges = self.ownership + self.control
        return (
            f"watchlist {Path(self.source).name}: {self.entities} entities, {listed}, "
            f"{edges} ownership/control edge{'s' if edges != 1 else ''}"
        )


def read_entities(path: Path) -> list[tuple[int, EntityProxy, int]]:
    """(line number, proxy, values dropped by FtM cleaning) per line; InputError on bad lines."""
    problems: list[Problem] = []
    found: list[tuple[int, EntityProxy, int]] = []
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InputError([Problem(str(path), "", f"cannot read: {exc.strerror}")]) from exc
    with handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            where = f"line {number}"
            try:
                data = orjson.loads(raw)
            except orjson.JSONDecodeError as exc:
                problems.append(Problem(str(path), where, f"not JSON: {exc}"))
                continue
            message = _structure_problem(data)
            if message:
                problems.append(Problem(str(path), where, message))
                continue
            proxy = model.get_proxy(data, cleaned=False)
            if proxy.id is None:  # FtM cleans an id of control characters to nothing
                problems.append(Problem(str(path), where, f"not an FtM entity: id {data['id']!r}"))
                continue
            given = sum(1 for vs in data.get("properties", {}).values() for v in _as_list(vs) if v)
            found.append((number, proxy, given - sum(1 for _ in proxy.itervalues())))
    problems.extend(_reference_problems(path, found))
    if problems:
        raise InputError(problems)
    return found


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _structure_problem(data: Any) -> str | None:
    if not isinstance(data, dict):
        return "not an FtM entity: expected a JSON object"
    if not isinstance(data.get("id"), str) or not data["id"].strip():
        return "not an FtM entity: no id"
    name = data.get("schema")
    schema = model.get(name) if isinstance(name, str) and name else None
    if schema is None:
        return f"entity {data['id']}: unknown schema {name!r:.60}"
    props = data.get("properties", {})
    if not isinstance(props, dict):
        return f"entity {data['id']}: properties is not an object"
    for prop, values in props.items():
        if not all(isinstance(v, str) for v in _as_list(values)):
            return f"entity {data['id']}: {prop} must be a string or a list of strings"
    unknown = sorted(p for p in props if p not in schema.properties)
    if unknown:
        return f"entity {data['id']}: unknown {schema.name} properties {', '.join(unknown)}"
    stubs = sorted(p for p in props if schema.properties[p].stub)
    if stubs:
        return f"entity {data['id']}: {schema.name} reverse properties cannot be set: {stubs}"
    return None


def _reference_problems(path: Path, found: list[tuple[int, EntityProxy, int]]) -> list[Problem]:
    problems = []
    first_line: dict[str, int] = {}
    for number, proxy, _ in found:
        assert proxy.id is not None  # checked in _structure_problem
        if proxy.id in first_line:
            problems.append(
                Problem(
                    str(path),
                    f"line {number}",
                    f"duplicate id {proxy.id} (first on line {first_line[proxy.id]})",
                )
            )
        first_line.setdefault(proxy.id, number)
    for number, proxy, _ in found:
        for prop, value in proxy.itervalues():
            if prop.type.name == "entity" and value not in first_line:
                problems.append(
                    Problem(
                        str(path),
                        f"line {number}",
                        f"{proxy.schema.name} {proxy.id}: "
                        f"{prop.name} points at {value}, which is not in the file",
                    )
                )
    return problems


def _percentage(link: EntityProxy, stats: WatchlistStats) -> float | None:
    raw = fs.first(link, "percentage")
    if raw is None:
        return None
    m = _PERCENT.match(raw)
    if m and 0 <= float(m.group(1)) <= 100:
        return float(m.group(1))
    stats.values_dropped += 1
    return None


def _says_control(link: EntityProxy) -> bool:
    text = " ".join(fs.values(link, "role", "controlType", "description", "summary"))
    return bool(_CONTROL_WORDS.search(text))


def load_watchlist(
    conn: duckdb.DuckDBPyConnection, path: Path, *, dataset: str | None = None
) -> WatchlistStats:
    """Replace the rows of ``dataset`` (default: the file name) with the entities in ``path``."""
    dataset = dataset or path.name
    found = read_entities(path)
    rows, stats = build_rows(found, source=path.name, dataset=dataset)
    stats.source = str(path)
    # a user's list of companies with no designations: each entity is listed under the file's
    # name (ownership research read by build_rows elsewhere is not a list, and never is)
    if not rows["listings"] and rows["entities"]:
        rows["listings"] = _listed_by_file(rows["entities"], dataset, path.name)
        stats.listed_by_file = True
        stats.listings = len(rows["listings"])
    lines = {str(proxy.id): number for number, proxy, _ in found}
    write_rows(conn, dataset, rows, taken=(path, lines))
    return stats


def build_rows(
    found: list[tuple[int, EntityProxy, int]], *, source: str, dataset: str
) -> tuple[dict[str, list[dict[str, Any]]], WatchlistStats]:
    """The watchlist-table rows of checked FtM entities (``found`` as :func:`read_entities`
    gives them; other readers of ownership research give the same shape)."""
    stats = WatchlistStats(source=source, dataset=dataset)
    rows: dict[str, list[dict[str, Any]]] = {t: [] for t in fs._TABLES}
    ignored: Counter[str] = Counter()
    for number, proxy, dropped in found:
        stats.lines += 1
        stats.values_dropped += dropped
        assert proxy.id is not None
        schema = proxy.schema
        if schema.is_a("LegalEntity"):
            rows["entities"].append(fs.entity_row(proxy, dataset=dataset))
            ids, bad = fs.identifier_rows(proxy, source=f"{source}:line {number}")
            rows["entity_identifiers"].extend(ids)
            stats.identifiers_dropped += bad
            for parent in fs.values(proxy, "parent"):
                rows["ownership"].append(fs.edge_row(
                    proxy, child_id=proxy.id, parent_id=parent, relation="ownership",
                    dataset=dataset, source=f"{source}:line {number} (parent)",
                    edge_id=f"{proxy.id}>parent>{parent}",
                ))  # fmt: skip
        elif schema.name in ("Sanction", "Risk"):
            targets = fs.values(proxy, "entity")
            for target in targets:
                lid = proxy.id if len(targets) == 1 else f"{proxy.id}:{target}"
                rows["listings"].append(fs.listing_row(
                    proxy, entity_id=target, dataset=dataset, listing_id=lid,
                    list_code=fs.first(proxy, "programId") or dataset,
                    list_name=fs.first(proxy, "program") or dataset,
                    source_file=source, source_row=f"line {number}",
                ))  # fmt: skip
        elif schema.name in ("Ownership", "Control", "Directorship", "UnknownLink"):
            edge = _edge(proxy, dataset, f"{source}:line {number}", stats)
            if edge is None:
                ignored[schema.name] += 1
            else:
                rows["ownership"].append(edge)
        else:
            ignored[schema.name] += 1
    stats.entities = len(rows["entities"])
    stats.listings = len(rows["listings"])
    stats.ownership = sum(1 for r in rows["ownership"] if r["relation"] == "ownership")
    stats.control = len(rows["ownership"]) - stats.ownership
    stats.identifiers = len(rows["entity_identifiers"])
    stats.ignored = dict(ignored)
    return rows, stats


def write_rows(
    conn: duckdb.DuckDBPyConnection,
    dataset: str,
    rows: dict[str, list[dict[str, Any]]],
    *,
    taken: tuple[Path, dict[str, int]] | None = None,
) -> None:
    """Replace ``dataset``'s rows of the watchlist tables with ``rows``, in one transaction.

    With ``taken`` (the file and each entity id's line), an id another dataset already holds
    is refused first, naming its line (a user's list must not merge into a shipped one)."""
    with fs.atomic(conn):
        if taken is not None:
            _refuse_taken_ids(conn, taken[0], dataset, rows, taken[1])
        fs.clear_dataset(conn, dataset)
        for table in ("entities", "entity_identifiers", "listings", "ownership"):
            fs.insert_rows(conn, table, rows[table])


def _listed_by_file(
    entities: list[dict[str, Any]], dataset: str, file_name: str
) -> list[dict[str, Any]]:
    """A listing per entity of a file without designations, under the file's own name: a
    user who hands Redline a list of companies means "these", not "none of these"."""
    found = []
    for row in entities:
        sanction = model.make_entity("Sanction")
        sanction.id = f"{row['id']}:listed-by-file"
        sanction.add("entity", row["id"])
        sanction.add("authority", f"your list {file_name}")
        sanction.add("program", f"{file_name} (entities of the file, no designation given)")
        found.append(fs.listing_row(
            sanction, entity_id=row["id"], dataset=dataset, list_code=dataset,
            list_name=dataset, source_file=file_name, source_row="whole file",
        ))  # fmt: skip
    return found


_KEYS = {"entities": "id", "listings": "listing_id", "ownership": "edge_id"}


def _refuse_taken_ids(
    conn: duckdb.DuckDBPyConnection,
    path: Path,
    dataset: str,
    rows: dict[str, list[dict[str, Any]]],
    lines: dict[str, int],
) -> None:
    """An id another dataset holds (a shipped list, an earlier watchlist) would merge two
    entities into one (or break the table's key): refused, naming the line and that dataset."""
    problems: list[Problem] = []
    for table, key in _KEYS.items():
        ids = sorted({r[key] for r in rows[table]})
        if not ids:
            continue
        with registered(conn, "rl_wanted_ids", pa.table({"id": ids})) as wanted:
            taken = conn.execute(
                f'SELECT t."{key}", t.dataset FROM {table} t JOIN {wanted} w '
                f'ON t."{key}" = w.id WHERE t.dataset <> ? ORDER BY 1',
                [dataset],
            ).fetchall()
        for taken_id, holder in taken:
            own = re.split(r"[:>]", taken_id, maxsplit=1)[0]
            where = f"line {lines[own]}" if own in lines else ""
            problems.append(Problem(str(path), where, f"id {taken_id} is taken by {holder}"))
    if problems:
        raise InputError(problems)


# the FtM link schemata and which of their properties are (child, parent)
_ENDS = {
    "Ownership": ("asset", "owner"),
    "Control": ("controlled", "controller"),
    "Directorship": ("organization", "director"),
    "UnknownLink": ("object", "subject"),
}


def _edge(
    link: EntityProxy, dataset: str, source: str, stats: WatchlistStats
) -> dict[str, Any] | None:
    child_prop, parent_prop = _ENDS[link.schema.name]
    child, parent = fs.first(link, child_prop), fs.first(link, parent_prop)
    if child is None or parent is None:
        return None
    if link.schema.name == "Ownership":
        relation = "ownership"
    elif link.schema.name == "Control" or _says_control(link):
        relation = "control"
    else:
        return None  # a director or an unnamed link is not control unless the data says so
    percentage = _percentage(link, stats) if relation == "ownership" else None
    return fs.edge_row(
        link, child_id=child, parent_id=parent, relation=relation, dataset=dataset,
        source=fs.first(link, "publisher") or source, percentage=percentage,
    )  # fmt: skip


def scratch_watchlist(path: Path) -> Store:
    """An in-memory store holding only the entities of ``path`` (for ``--watchlist FILE``)."""
    store = Store(":memory:")
    try:
        load_watchlist(store.conn, path)
    except BaseException:
        store.close()
        raise
    return store
