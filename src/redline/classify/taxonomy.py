"""Load and validate the sector taxonomy (``redline/data/taxonomy.yaml``).

Reach for :func:`load_taxonomy` to get the reviewed classes with their tiers, exposed data,
guard rails and signals. A taxonomy with an unknown field, a pattern that does not compile, a
pattern that could never match normalised text, or a class naming an unknown buyer group raises
:class:`~redline.errors.InputError` listing every problem with its position.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from redline.errors import InputError, Problem
from redline.model.patterns import pattern_problem
from redline.packaged import parse_yaml, read_text

Scheme = Literal["CPV", "UNSPSC", "CUCOP"]
SignalKind = Literal["code", "keyword", "model", "buyer"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CodePrefix(_Strict):
    """A classification-code prefix, e.g. CPV ``3858`` (non-medical radiation equipment)."""

    scheme: Scheme
    prefix: str = Field(pattern=r"^\d{2,8}$")
    meaning: str


class CodeList(_Strict):
    name: str
    url: str


class BuyerGroup(_Strict):
    """Buyers that strengthen a class (customs, defence, metro ...); never classify alone."""

    name: str
    patterns: list[str] = Field(min_length=1)


class SectorClassEs(_Strict):
    """The Spanish of a class's reader-facing text (name and guard rails, in the same order)."""

    name: str = Field(min_length=3)
    guard_rails: list[str] = Field(min_length=1)


class SectorClass(_Strict):
    """One sensitive sector: what it exposes, what protects it, and how to recognise it."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    tier: int = Field(ge=1, le=3)
    description: str
    data_exposed: list[str] = Field(min_length=1)
    guard_rails: list[str] = Field(min_length=1)
    codes: list[CodePrefix] = Field(default_factory=list)
    keywords: list[str] = Field(min_length=1)
    negatives: list[str] = Field(default_factory=list)
    buyers: list[str] = Field(default_factory=list)
    #: Spanish text; optional for a user's taxonomy (English is shown), required of the shipped one
    es: SectorClassEs | None = None


class Weights(_Strict):
    code: float = Field(gt=0)
    keyword: float = Field(gt=0)
    buyer: float = Field(gt=0)
    model: float = Field(default=1.0, gt=0)


class Taxonomy(_Strict):
    """The whole taxonomy file; ``classes`` keep file order."""

    version: int
    weights: Weights
    tiers: dict[int, str]
    code_lists: dict[Scheme, CodeList]
    buyers: dict[str, BuyerGroup]
    #: vendors a description can hand a scope to ("the core to Nokia"): such a clause is theirs
    scope_vendors: list[str] = Field(default_factory=list)
    classes: list[SectorClass] = Field(min_length=1)

    def get(self, class_id: str) -> SectorClass:
        for cls in self.classes:
            if cls.id == class_id:
                return cls
        raise KeyError(class_id)

    @property
    def class_ids(self) -> list[str]:
        return [c.id for c in self.classes]


_NORMALISED = re.compile(r"^[\x00-\x7f]*$")


def _pattern_problems(pattern: str, source: str, position: str) -> list[Problem]:
    refused = pattern_problem(pattern)
    if refused:
        return [Problem(source, position, f"pattern {pattern!r} {refused}")]
    # patterns run on accent-free lower-case text; anything else could never match
    literal = re.sub(r"\\[A-Za-z]", "", pattern)
    if not _NORMALISED.match(pattern) or literal != literal.lower():
        return [Problem(source, position, f"pattern {pattern!r} must be ASCII lower case")]
    return []


def _semantic_problems(tax: Taxonomy, source: str) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, cls in enumerate(tax.classes):
        where = f"classes[{i}]"
        if cls.id in seen:
            problems.append(Problem(source, f"{where}.id", f"duplicate class id {cls.id!r}"))
        seen.add(cls.id)
        if cls.tier not in tax.tiers:
            problems.append(Problem(source, f"{where}.tier", f"tier {cls.tier} not in tiers"))
        for j, buyer in enumerate(cls.buyers):
            if buyer not in tax.buyers:
                problems.append(
                    Problem(source, f"{where}.buyers[{j}]", f"unknown buyer group {buyer!r}")
                )
        for field in ("keywords", "negatives"):
            for j, pattern in enumerate(getattr(cls, field)):
                problems += _pattern_problems(pattern, source, f"{where}.{field}[{j}]")
        for j, code in enumerate(cls.codes):
            if code.scheme not in tax.code_lists:
                problems.append(
                    Problem(source, f"{where}.codes[{j}]", f"scheme {code.scheme} not cited")
                )
    for j, pattern in enumerate(tax.scope_vendors):
        problems += _pattern_problems(pattern, source, f"scope_vendors[{j}]")
    for key, group in tax.buyers.items():
        for j, pattern in enumerate(group.patterns):
            problems += _pattern_problems(pattern, source, f"buyers.{key}.patterns[{j}]")
    return problems


def parse_taxonomy(text: str, source: str) -> Taxonomy:
    """Validate taxonomy YAML text; ``source`` names the file in every problem."""
    raw = parse_yaml(text, source)
    try:
        tax = Taxonomy.model_validate(raw)
    except ValidationError as exc:
        problems = [
            Problem(source, ".".join(str(p) for p in err["loc"]), err["msg"])
            for err in exc.errors()
        ]
        raise InputError(problems) from exc
    problems = _semantic_problems(tax, source)
    if problems:
        raise InputError(problems)
    return tax


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    """The taxonomy at ``path``, or the one shipped in the package (cached) when None."""
    if path is None:
        return _packaged()
    return parse_taxonomy(path.read_text(encoding="utf-8"), str(path))


@cache
def _packaged() -> Taxonomy:
    return parse_taxonomy(*read_text("taxonomy.yaml"))
