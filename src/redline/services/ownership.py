"""Use case: ownership and control research into the store, owners resolved to listed entities.

Reach for :func:`load_ownership` from any front end (``redline ownership load``, ``make demo``).
It reads three forms — FtM ``Ownership``/``Control``/``Directorship`` JSON Lines, BODS 0.4
JSON, and a researcher's table like PODER's (``NOMBRE, TIPO_ENTIDAD, RELACIONADO_CON,
TIPO_RELACION, PUESTO``, cited from ``data/ownership.yaml`` or ``citation``) — into the
watchlist tables, one dataset per file, replaced whole on reload. Each owner or controller is
then put to the matcher: when its name matches a listed entity directly, the edge points at
that listed entity, and the edge's source says so (name, listed id, score), so the screen walks
from a supplier through the researched edge to the listing. Example: PODER's row "China
Communications Construction Company Ltd. is parent of CONSORCIO LAMAT TRAMO 1" becomes the
edge LAMAT → the DoD 1260H entity of CCCC, citing PODER's table and its line.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import orjson
from followthemoney import EntityProxy

from redline.errors import InputError, Problem
from redline.ingest.lists.watchlist import build_rows, read_entities, write_rows
from redline.ingest.ownership.bods import read_bods
from redline.ingest.ownership.table import read_table
from redline.ingest.ownership.vocab import OwnershipVocab, ResearchTable, load_vocab
from redline.services.match import Query, match_names
from redline.store.db import Store

FORMS = ("ftm", "bods", "table")


@dataclass
class OwnershipFile:
    """What one file gave: entities, edges by kind, rows left out, owners resolved."""

    path: str
    form: str
    dataset: str
    entities: int = 0
    ownership: int = 0
    control: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    #: (owner's name as the research gives it, listed entity id, match score)
    resolved: list[tuple[str, str, float]] = field(default_factory=list)


@dataclass
class OwnershipReport:
    """One :class:`OwnershipFile` per file loaded."""

    files: list[OwnershipFile] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"files": [asdict(f) for f in self.files]}


def form_of(path: Path) -> str:
    """``table`` for .tsv/.csv, ``bods`` for a JSON array of BODS statements, else ``ftm``."""
    if path.suffix.lower() in (".tsv", ".csv"):
        return "table"
    with path.open("rb") as fh:
        head = fh.read(4096).lstrip()
    return "bods" if head.startswith(b"[") or b'"recordType"' in head else "ftm"


def _table_for(
    path: Path, vocab: OwnershipVocab, citation: str | None
) -> tuple[str, ResearchTable]:
    for name, table in vocab.tables.items():
        if table.path and path.as_posix().endswith(table.path):
            return name, table.model_copy(update={"citation": citation or table.citation})
    if not citation:
        raise InputError([Problem(str(path), "", "a research table needs its citation: "
                                  "give --citation (or list it in ownership.yaml)")])  # fmt: skip
    return path.stem, ResearchTable(
        citation=citation, ownership=["parent", "shareholder", "owner"], control=["boardmember"]
    )


def _read(
    path: Path, form: str, vocab: OwnershipVocab, citation: str | None, skipped: Counter[str]
) -> tuple[str, list[tuple[int, EntityProxy, int]]]:
    if form == "table":
        name, table = _table_for(path, vocab, citation)
        return name, read_table(path, table, prefix=f"own-{name}", skipped=skipped)
    if form == "bods":
        prefix = f"bods-{path.stem}"
        return path.name, read_bods(path, vocab.bods_interests, prefix=prefix, skipped=skipped)
    return path.name, read_entities(path)


def _resolve(store: Store, rows: dict[str, list[dict[str, Any]]], out: OwnershipFile) -> None:
    """Point edges at the listed entity their owner's name matches directly, and say so."""
    names = {r["id"]: r["caption"] for r in rows["entities"]}
    parents = sorted({r["parent_id"] for r in rows["ownership"] if r["parent_id"] in names})
    results = match_names(store, [Query(id=p, name=names[p]) for p in parents])
    listed: dict[str, tuple[str, float]] = {}
    for result in results:
        direct = [m for m in result.matches if m.entity_id == m.matched_id]
        if direct:
            listed[result.id] = (direct[0].entity_id, round(direct[0].score, 3))
    for edge in rows["ownership"]:
        record = orjson.loads(edge["ftm"]).get("properties", {}).get("recordId")
        if record and record[0] not in (edge["source"] or ""):
            edge["source"] = f"{edge['source']} ({record[0]})"  # the row the edge rests on
        hit = listed.get(edge["parent_id"])
        if hit is None:
            continue
        name = names[edge["parent_id"]]
        edge["parent_id"] = hit[0]
        edge["source"] = f"{edge['source']}; owner {name!r} resolved to listed {hit[0]} " \
                         f"by the matcher (score {hit[1]})"  # fmt: skip
        data = orjson.loads(edge["ftm"])
        data["redlineResolved"] = {"name": name, "entity_id": hit[0], "score": hit[1]}
        edge["ftm"] = orjson.dumps(data).decode()
    out.resolved = sorted({(names[p], e, s) for p, (e, s) in listed.items()})


def load_ownership(
    store: Store,
    paths: list[Path],
    *,
    form: str | None = None,
    citation: str | None = None,
    vocab_file: Path | None = None,
) -> OwnershipReport:
    """Load ``paths`` (see the module docstring); a bad file raises :class:`InputError`
    naming it, and nothing of that file is stored."""
    if form is not None and form not in FORMS:
        raise InputError([Problem("--form", "", f"unknown form {form!r}; use {FORMS}")])
    missing = [Problem(str(p), "", "no such file") for p in paths if not p.is_file()]
    if missing:
        raise InputError(missing)
    vocab = load_vocab(vocab_file)
    report = OwnershipReport()
    for path in paths:
        kind = form or form_of(path)
        skipped: Counter[str] = Counter()
        name, found = _read(path, kind, vocab, citation, skipped)
        dataset = f"ownership:{name}"
        rows, stats = build_rows(found, source=path.name, dataset=dataset)
        out = OwnershipFile(str(path), kind, dataset, stats.entities, stats.ownership,
                            stats.control, dict(skipped))  # fmt: skip
        _resolve(store, rows, out)
        write_rows(store.conn, dataset, rows)
        report.files.append(out)
    return report
