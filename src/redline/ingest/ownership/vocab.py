"""The ownership research files Redline ships and how their relation words read.

Reach for :func:`load_vocab` for ``data/ownership.yaml``: the researchers' tables (path,
citation, URL, which relation words are ownership and which control), the BODS interest
types read as ownership or control, and the reviewed ownership files Redline ships
(:func:`packaged_files`, e.g. ``data/ownership/prc_groups.ftm.jsonl``).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from redline.errors import InputError, Problem
from redline.packaged import load_yaml


class ResearchTable(BaseModel):
    """One researcher's table: where it is, how to cite it, what its relation words mean."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str | None = None
    citation: str
    url: str | None = None
    ownership: list[str]
    control: list[str]


class Interests(BaseModel):
    """BODS interest types that are ownership, and those that are control."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ownership: list[str]
    control: list[str]


class OwnershipVocab(BaseModel):
    """``data/ownership.yaml`` as a value."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    tables: dict[str, ResearchTable]
    bods_interests: Interests
    #: reviewed ownership files shipped in ``redline/data`` (FtM JSON Lines or BODS), each
    #: edge citing its own source; ``make demo`` loads them beside the tables
    packaged: list[str] = []


def packaged_files(vocab: OwnershipVocab) -> list[Path]:
    """The shipped ownership files of ``vocab.packaged`` as paths (``redline/data/<name>``)."""
    root = resources.files("redline.data")
    return [Path(str(root.joinpath(name))) for name in vocab.packaged]


def load_vocab(path: Path | None = None) -> OwnershipVocab:
    """The shipped ``ownership.yaml`` (or a user's file of that shape), validated."""
    doc, source = load_yaml("ownership.yaml", path)
    try:
        return OwnershipVocab.model_validate(doc)
    except ValidationError as exc:
        raise InputError(
            [Problem(source, ".".join(map(str, e["loc"])), e["msg"]) for e in exc.errors()]
        ) from exc
