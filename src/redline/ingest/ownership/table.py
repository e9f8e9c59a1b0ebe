"""A researcher's ownership table (PODER's shape) as FtM entities and links.

Reach for :func:`read_table` for a table with the columns ``NOMBRE, TIPO_ENTIDAD,
RELACIONADO_CON, TIPO_RELACION, PUESTO`` (tab- or comma-separated), where each row says
"NOMBRE is TIPO_RELACION of RELACIONADO_CON". Example: PODER's row ``China Communications
Construction Company Ltd. | empresa | CONSORCIO LAMAT TRAMO 1, S.A.P.I DE C.V. | parent``
becomes an FtM ``Ownership`` with CCCC as ``owner`` and LAMAT as ``asset``, citing the table
and its line; a ``boardmember`` row becomes a ``Control`` (a board seat is control, not
ownership). Nothing is inferred: a row whose relation is empty or unknown is left out and
counted.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections import Counter
from pathlib import Path

from followthemoney import EntityProxy, model

from redline.errors import InputError, Problem
from redline.ingest.ownership.vocab import ResearchTable

COLUMNS = ("NOMBRE", "TIPO_ENTIDAD", "RELACIONADO_CON", "TIPO_RELACION", "PUESTO")
_SLUG = re.compile(r"[^a-z0-9]+")
#: TIPO_ENTIDAD words → FtM schema
_KINDS = {"empresa": "Company", "persona": "Person"}

Found = list[tuple[int, EntityProxy, int]]


def entity_id(prefix: str, name: str) -> str:
    """A stable id for a name of the table: the same name is the same entity."""
    slug = _SLUG.sub("-", name.casefold()).strip("-")[:40]
    prefix = _SLUG.sub("-", prefix.casefold()).strip("-")
    return f"{prefix}-{slug}-{hashlib.sha1(name.casefold().encode()).hexdigest()[:6]}"


def _rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        sample = fh.readline()
        fh.seek(0)
        reader = csv.DictReader(fh, delimiter="\t" if "\t" in sample else ",")
        missing = [c for c in COLUMNS[:4] if c not in (reader.fieldnames or ())]
        if missing:
            raise InputError([Problem(str(path), "line:1", f"no column(s) {', '.join(missing)}")])
        return [
            (reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}) for row in reader
        ]


def read_table(path: Path, table: ResearchTable, *, prefix: str, skipped: Counter[str]) -> Found:
    """(line, proxy, 0) for every entity and link the table states; see the module docstring."""
    kinds: dict[str, str] = {}
    links: Found = []
    rows = _rows(path)
    for _, row in rows:
        kind = _KINDS.get(row.get("TIPO_ENTIDAD", "").casefold())
        if row.get("NOMBRE") and kind:
            kinds.setdefault(row["NOMBRE"], kind)
    entities: dict[str, tuple[int, EntityProxy]] = {}

    def entity(name: str, line: int) -> str:
        if name not in entities:
            proxy = model.make_entity(kinds.get(name, "Organization"))
            proxy.id = entity_id(prefix, name)
            proxy.add("name", name)
            proxy.add("publisher", table.citation)
            entities[name] = (line, proxy)
        return str(entities[name][1].id)

    for line, row in rows:
        name, other = row.get("NOMBRE", ""), row.get("RELACIONADO_CON", "")
        if name:
            entity(name, line)
        relation = row.get("TIPO_RELACION", "").casefold()
        if not (name and other):
            continue
        if relation in table.ownership:
            link = model.make_entity("Ownership")
            link.add("owner", entity(name, line))
            link.add("asset", entity(other, line))
        elif relation in table.control:
            link = model.make_entity("Control")
            link.add("controller", entity(name, line))
            link.add("controlled", entity(other, line))
        else:
            skipped[f"relation {relation or '(empty)'!r}"] += 1
            continue
        link.id = f"{_SLUG.sub('-', prefix.casefold()).strip('-')}-line-{line}"
        link.add("role", " ".join(v for v in (relation, row.get("PUESTO", "")) if v))
        link.add("publisher", table.citation)
        link.add("recordId", f"{path.name}:line {line}")
        if table.url:
            link.add("sourceUrl", table.url)
        links.append((line, link, 0))
    return [*((line, proxy, 0) for line, proxy in entities.values()), *links]
