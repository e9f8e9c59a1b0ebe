"""Red-line policies as data: rules naming sectors, lists, dates, severity and legal basis.

Reach for :func:`load_policies` to get the rules a screen applies: the shipped set
(``redline/data/policies/*.yaml``) plus any ``--policy FILE``. A user rule whose id equals a
shipped one replaces it. Every structural problem — unknown field, unknown sector or list id,
bad date, bad sentence placeholder — is collected and raised at once as one
:class:`~redline.errors.InputError` naming ``file:line:col``.
"""

from __future__ import annotations

import string
from collections.abc import Collection, Sequence
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from redline.errors import InputError, Problem
from redline.judge.yamlpos import Loc, Positions, load_with_positions

#: a rule's ``sectors: [any]``: every award counts, classified or not (a debarment binds
#: whatever the contract buys)
ANY_SECTOR = "any"

#: placeholders a rule's sentence may use; filled by the finding builder
SENTENCE_FIELDS = frozenset(
    {"vendor", "listed", "lists", "path", "sector", "buyer", "ocid", "award", "rule", "supplies"}
    | {"starts", "when"}
)

#: the days a listing may be judged on: the screen's as-of date, the award's date (for a
#: ComprasMX row its ruling, ``Fecha de fallo``) and the contract's signature (``dateSigned``)
JUDGED_DAYS = ("as_of", "award", "signature")
#: the single words ``in_force`` also takes: "either" is ``[as_of, award]``; "upcoming" is
#: listed from a later date and on neither day
_IN_FORCE_WORDS: dict[str, tuple[str, ...]] = {
    "as_of": ("as_of",), "award": ("award",), "signature": ("signature",),
    "either": ("as_of", "award"), "upcoming": ("upcoming",),
}  # fmt: skip


def _in_force_days(value: object) -> tuple[str, ...]:
    """``in_force`` as the tuple of days judged: a word, or a list of days (any one counts)."""
    if isinstance(value, str) and value in _IN_FORCE_WORDS:
        return _IN_FORCE_WORDS[value]
    days = tuple(value) if isinstance(value, list | tuple) else ()
    known = all(isinstance(d, str) and d in JUDGED_DAYS for d in days)
    if days and known and len(set(days)) == len(days):
        return days
    raise ValueError(
        f"must be one of {', '.join(_IN_FORCE_WORDS)}, or a list of days from "
        f"{', '.join(JUDGED_DAYS)} without repeats; got {value!r}"
    )


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Basis(_Strict):
    """A legal or policy instrument the rule rests on, with a public source."""

    instrument: str = Field(min_length=3)
    citation: str = Field(min_length=3)
    url: str = Field(pattern=r"^https?://\S+$")


class ListingCondition(_Strict):
    """Which listings make a supplier count, and through how much ownership.

    ``min_share`` is the aggregate ownership share in percent along the path (product of the
    edges); ``count_unstated_share`` lets an edge without a percentage count.
    """

    lists: list[str] = Field(min_length=1)
    direct: bool = True
    via_ownership: bool = True
    min_share: float = Field(default=50.0, ge=0, le=100)
    count_unstated_share: bool = False
    max_depth: int = Field(default=3, ge=1, le=6)
    #: the days the listing must be in force on (any one of them): a word ("either" is
    #: as_of or award) or a list such as ``[award, signature]``; read as a tuple of days.
    #: "upcoming": the listing takes effect after the as-of date (a law with a start date)
    in_force: tuple[str, ...] = ("as_of", "award")

    @field_validator("in_force", mode="before")
    @classmethod
    def _days(cls, value: object) -> tuple[str, ...]:
        return _in_force_days(value)


class Effective(_Strict):
    """Window in which the rule applies, judged on the screen's as-of date or the award date."""

    start: date | None = Field(default=None, alias="from")
    until: date | None = None
    judged_on: Literal["as_of", "award"] = "as_of"

    def applies(self, as_of: date, award_date: date | None) -> bool:
        day = as_of if self.judged_on == "as_of" else award_date
        if day is None:
            return False
        if self.start and day < self.start:
            return False
        return not (self.until and day > self.until)


class RuleEs(_Strict):
    """A rule's title and sentence in Spanish; the sentence uses the same placeholders."""

    title: str = Field(min_length=3)
    sentence: str

    @field_validator("sentence")
    @classmethod
    def _placeholders(cls, value: str) -> str:
        return _check_placeholders(value)


def _check_placeholders(value: str) -> str:
    used = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
    unknown = sorted(used - SENTENCE_FIELDS)
    if unknown:
        allowed = ", ".join(sorted(SENTENCE_FIELDS))
        raise ValueError(f"unknown placeholder(s) {unknown}; allowed: {allowed}")
    return value


class Rule(_Strict):
    """One red line. Example: a listed vendor in border inspection → breach."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    severity: Literal["breach", "high", "watch"]
    sectors: list[str] = Field(min_length=1)
    listing: ListingCondition
    effective: Effective = Effective()
    basis: list[Basis] = Field(min_length=1)
    sentence: str
    notes: str | None = None
    #: Spanish title and sentence; optional for a user's policy (the briefing shows English)
    es: RuleEs | None = None

    @property
    def any_sector(self) -> bool:
        """``sectors: [any]``: the rule judges every award, whatever its sector classes."""
        return ANY_SECTOR in self.sectors

    @field_validator("sentence")
    @classmethod
    def _placeholders(cls, value: str) -> str:
        return _check_placeholders(value)


class PolicyFile(_Strict):
    version: Literal[1]
    rules: list[Rule] = Field(min_length=1)


class PolicySet(BaseModel):
    """The rules in force for one screen, and the files they came from."""

    model_config = ConfigDict(frozen=True)
    rules: tuple[Rule, ...]
    sources: dict[str, str]  # rule id → file

    def get(self, rule_id: str) -> Rule:
        return next(rule for rule in self.rules if rule.id == rule_id)


def default_policy_files() -> list[Path]:
    """The shipped policy files, in name order."""
    folder = resources.files("redline.data").joinpath("policies")
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".yaml"))


def _fmt_loc(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _check_vocab(
    data: PolicyFile, known_sectors: Collection[str], known_lists: Collection[str]
) -> list[tuple[Loc, str]]:
    found: list[tuple[Loc, str]] = []
    for r, rule in enumerate(data.rules):
        for s, sector in enumerate(rule.sectors):
            if sector not in known_sectors and sector != ANY_SECTOR:
                found.append((("rules", r, "sectors", s), f"unknown sector id {sector!r}"))
        for li, code in enumerate(rule.listing.lists):
            if code not in known_lists:
                found.append((("rules", r, "listing", "lists", li), f"unknown list id {code!r}"))
        eff = rule.effective
        if eff.start and eff.until and eff.until < eff.start:
            found.append((("rules", r, "effective", "until"), "'until' is before 'from'"))
    return found


def parse_policy_file(
    path: Path, *, known_sectors: Collection[str], known_lists: Collection[str]
) -> tuple[PolicyFile | None, list[Problem]]:
    """Validate one file; returns the parsed file (None when invalid) and every problem."""
    raw, positions = load_with_positions(path)
    problems: list[Problem] = []

    def add(loc: Loc, message: str, pos: Positions = positions) -> None:
        where = _fmt_loc(loc)
        problems.append(
            Problem(str(path), pos.of(loc), f"{where}: {message}" if where else message)
        )

    try:
        parsed = PolicyFile.model_validate(raw)
    except ValidationError as exc:
        for error in exc.errors():
            loc: Loc = tuple(error["loc"])
            message = error["msg"]
            if error["type"] == "extra_forbidden":
                message = "unknown field"
            add(loc, message)
        return None, problems
    for loc, message in _check_vocab(parsed, known_sectors, known_lists):
        add(loc, message)
    return (None if problems else parsed), problems


def load_policies(
    extra: Sequence[Path] = (),
    *,
    known_sectors: Collection[str],
    known_lists: Collection[str],
    include_default: bool = True,
) -> PolicySet:
    """Shipped rules plus ``extra`` files; raise one InputError listing every problem."""
    files = [*(default_policy_files() if include_default else []), *extra]
    problems: list[Problem] = []
    rules: dict[str, Rule] = {}
    sources: dict[str, str] = {}
    shipped = set(default_policy_files()) if include_default else set()
    for path in files:
        parsed, found = parse_policy_file(
            path, known_sectors=known_sectors, known_lists=known_lists
        )
        problems.extend(found)
        if parsed is None:
            continue
        _, positions = load_with_positions(path)
        for index, rule in enumerate(parsed.rules):
            earlier = sources.get(rule.id)
            if earlier is not None and (Path(earlier) not in shipped or path in shipped):
                problems.append(
                    Problem(
                        str(path),
                        positions.of(("rules", index, "id")),
                        f"rules[{index}].id: duplicate rule id {rule.id!r} (also in {earlier})",
                    )
                )
                continue
            rules[rule.id] = rule
            sources[rule.id] = str(path)
    if problems:
        raise InputError(problems)
    if not rules:
        raise InputError([Problem("policies", "", "no rules loaded")])
    return PolicySet(rules=tuple(rules.values()), sources=sources)
