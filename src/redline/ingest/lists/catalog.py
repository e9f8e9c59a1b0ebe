"""The reviewed list catalogue ``data/lists.yaml``, loaded and validated.

Reach for :func:`load_catalog` to know which lists exist, their authority, legal basis and
official URL, and which files under ``<data>/lists/`` hold them. An unknown field or reader is
a structure error (InputError naming the entry).
"""

from __future__ import annotations

from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from redline.errors import InputError, Problem
from redline.ingest.lists.register import RegisterColumns
from redline.packaged import read_text

Reader = Literal["dod_1260h", "ndaa", "mieu", "fcc", "nsfreg", "register"]


class ListFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    path: str
    reader: Reader
    schema_: str = "Company"
    #: the columns of a ``register`` reader's table (see :mod:`redline.ingest.lists.register`)
    columns: RegisterColumns | None = None


class ListSpec(BaseModel):
    """One designation list: what it is, on what authority, and where its rows are."""

    model_config = ConfigDict(extra="forbid")
    code: str
    name: str
    authority: str
    program: str
    legal_basis: str
    source_url: str
    files: list[ListFile]
    authoritative: str | None = None
    effective_from: str | None = None


class Catalog(BaseModel):
    model_config = ConfigDict(extra="forbid")
    lists: list[ListSpec]
    skipped: dict[str, str] = {}

    def get(self, code: str) -> ListSpec:
        for spec in self.lists:
            if spec.code == code:
                return spec
        raise KeyError(code)


def load_catalog(text: str | None = None) -> Catalog:
    """The packaged catalogue, or ``text`` (YAML) when given (tests)."""
    source = "redline/data/lists.yaml"
    if text is None:
        text, source = read_text("lists.yaml")
    raw = yaml.safe_load(text)
    for spec in (raw or {}).get("lists", []) if isinstance(raw, dict) else []:
        for f in spec.get("files", []) if isinstance(spec, dict) else []:
            if isinstance(f, dict) and "schema" in f:
                f["schema_"] = f.pop("schema")
    try:
        return Catalog.model_validate(raw)
    except ValidationError as exc:
        raise InputError(
            [Problem(source, ".".join(str(p) for p in e["loc"]), e["msg"]) for e in exc.errors()]
        ) from exc
