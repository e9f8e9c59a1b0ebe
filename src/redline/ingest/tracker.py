"""Project and event trackers (CSV) as OCDS-shaped releases.

Reach for :func:`tracker_items` when a table of deals, projects or documented events should be
screened like procurement: each row becomes one release (buyer, supplier parties, one award with
its date, value and a document linking the row's source), read through the same checks, store
and provenance as OCDS files (pointer ``row:N``). Which column means what is declared in a
:class:`TrackerMapping` (``data/trackers.yaml`` ships the mappings Redline knows).

Example: the events row ``MX-009, 2022-11, Nuctech, …, ANAM, equipment_purchase`` becomes ocid
``redline-events-MX-009`` with ANAM as buyer and Nuctech as the award's supplier.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from redline.errors import InputError, Problem
from redline.ingest.ocds.read import Item
from redline.model.patterns import pattern_problem
from redline.model.strength import Strength
from redline.packaged import load_yaml

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
_SLUG = re.compile(r"[^a-z0-9]+")


class StrengthOverride(BaseModel):
    """Rows whose ``column`` holds one of ``values`` are evidence of ``strength``, because
    ``reason`` (e.g. the events table's ``deployment_footprint`` rows quote the company)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    column: str
    values: list[str]
    strength: Strength
    reason: str


class EvidenceSpec(BaseModel):
    """How firmly a tracker's rows establish that a vendor got a contract: a default for
    every row, the reason for it, and overrides by column value (the first that fits wins)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    default: Strength
    reason: str
    overrides: list[StrengthOverride] = Field(default_factory=list)

    def of(self, row: dict[str, str]) -> dict[str, str]:
        """The row's strength and why, as stored on its release (``redlineEvidence``)."""
        for rule in self.overrides:
            if _cell(row, rule.column) in rule.values:
                return {"strength": rule.strength, "basis": rule.reason}
        return {"strength": self.default, "basis": self.reason}


UNDECLARED = EvidenceSpec(
    default="press_report",
    reason="the tracker mapping declares no evidence strength: read as no firmer than the press",
)


class TrackerMapping(BaseModel):
    """Which tracker column feeds which OCDS field; unknown fields are an error."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    publisher: str
    ocid_prefix: str
    id: str
    suppliers: str
    path: str | None = None
    date: str | None = None
    supplier_split: str = ";"
    buyer: str | None = None
    title: str | None = None
    description: str | None = None
    amount: str | None = None
    currency: str | None = None
    source_url: str | None = None
    include: dict[str, list[str]] = Field(default_factory=dict)
    exclude: dict[str, list[str]] = Field(default_factory=dict)
    #: rows whose vendors only bid (e.g. a lost tender): tenderers on the tender, no award
    bid_only: dict[str, list[str]] = Field(default_factory=dict)
    source: str | None = None
    #: stored on every release, e.g. "reconstructed from cited press": says what the record is
    note: str | None = None
    #: how strong a source each row is (stored on its release); a mapping that does not say
    #: is read as no firmer than the press (:data:`UNDECLARED`): it caps findings at "watch"
    evidence: EvidenceSpec = Field(default_factory=lambda: UNDECLARED)

    def columns(self) -> set[str]:
        named = (self.id, self.suppliers, self.date, self.buyer, self.title, self.description)
        more = (self.amount, self.currency, self.source_url)
        cols = {c for c in (*named, *more) if c}
        cols |= {rule.column for rule in self.evidence.overrides}
        return cols | set(self.include) | set(self.exclude) | set(self.bid_only)


def _problems(exc: ValidationError, source: str) -> list[Problem]:
    return [
        Problem(source, ".".join(str(p) for p in err["loc"]), err["msg"]) for err in exc.errors()
    ]


def load_mappings(path: Path | None = None) -> dict[str, TrackerMapping]:
    """Mappings by name: the shipped ``trackers.yaml``, or a user file of the same shape."""
    doc, source = load_yaml("trackers.yaml", path)
    entries = doc.get("trackers") if isinstance(doc, dict) else None
    if not isinstance(entries, dict):
        raise InputError([Problem(source, "", "expected a mapping under 'trackers:'")])
    found: dict[str, TrackerMapping] = {}
    problems: list[Problem] = []
    for name, raw in entries.items():
        try:
            found[str(name)] = mapping = TrackerMapping.model_validate(raw)
        except ValidationError as exc:
            problems.extend(_problems(exc, f"{source}:trackers.{name}"))
            continue
        refused = pattern_problem(mapping.supplier_split)
        if refused:
            where = f"{source}:trackers.{name}"
            problems.append(Problem(where, "supplier_split", f"regex {refused}"))
    if problems:
        raise InputError(problems)
    return found


def ocds_date(raw: str) -> tuple[str | None, str | None]:
    """A tracker date as an OCDS date-time and its precision ('day', 'month', 'year').

    "2022-11" becomes "2022-11-01T00:00:00Z" with precision 'month': the precision travels
    with the release so nobody reads the first of the month as the day it happened.
    """
    m = _PARTIAL_DATE.match(raw.strip())
    if not m:
        return None, None
    year, month, day = m.group(1), m.group(2) or "01", m.group(3) or "01"
    precision = "day" if m.group(3) else "month" if m.group(2) else "year"
    return f"{year}-{month}-{day}T00:00:00Z", precision


def _party_id(prefix: str, name: str) -> str:
    slug = _SLUG.sub("-", name.casefold()).strip("-")[:40]
    return f"{prefix}-{slug}-{hashlib.sha1(name.encode()).hexdigest()[:6]}"


def _amount(raw: str) -> float | str | None:
    text = raw.strip().replace(",", "").lstrip("$").strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return raw  # left as text: the release check reports it with its position


def row_release(
    mapping: TrackerMapping,
    row: dict[str, str],
    source: str,
    *,
    observed: str = "",
    known: Mapping[str, dict[str, Any]] | None = None,
) -> dict[str, Any] | None:
    """One tracker row as an OCDS release; ``None`` when the mapping leaves the row out.

    A row is a snapshot, not a delta, so the release date is when Redline first saw this
    version of the row (``observed``); the event's own date goes to the award. A row seen
    before (same content, same release id in ``known``) comes back exactly as stored, so
    re-reading an edited tracker changes only the rows that changed.
    """
    if not _selected(mapping, row):
        return None
    row_id = _cell(row, mapping.id)
    suppliers = [s.strip() for s in re.split(mapping.supplier_split, _cell(row, mapping.suppliers))]
    suppliers = [s for s in suppliers if s]
    if not row_id or not suppliers:
        return None
    ocid = f"{mapping.ocid_prefix}-{row_id}"
    date, precision = ocds_date(_cell(row, mapping.date))
    parties: list[dict[str, Any]] = []
    release: dict[str, Any] = {"ocid": ocid, "tag": ["award"], "initiationType": "tender"}
    buyer = _cell(row, mapping.buyer)
    if buyer:
        buyer_ref = {"id": _party_id(ocid, buyer), "name": buyer}
        release["buyer"] = buyer_ref
        parties.append({**buyer_ref, "roles": ["buyer"]})
    refs = [{"id": _party_id(ocid, name), "name": name} for name in suppliers]
    bid_only = any(_cell(row, column) in values for column, values in mapping.bid_only.items())
    role = "tenderer" if bid_only else "supplier"
    parties.extend({**ref, "roles": [role]} for ref in refs)
    award = _award(mapping, row, ocid, refs, date)
    release["parties"] = parties
    release["tender"] = _tender(mapping, row, ocid, award if bid_only else None)
    if not bid_only:
        release["awards"] = [award]
    if precision:
        release["redlineDatePrecision"] = precision  # an extension field: kept in stored JSON
    if mapping.note:
        release["redlineNote"] = mapping.note
    release["redlineEvidence"] = mapping.evidence.of(row)  # an extension field, as the note
    # the id changes when the row changes, so an edited row is a new release of the same ocid
    digest = hashlib.sha256(repr(sorted(row.items())).encode()).hexdigest()[:12]
    release["id"] = f"{ocid}-{digest}"
    if known is not None and release["id"] in known:
        return known[release["id"]]
    if observed:
        release["date"] = observed
    return release


def _cell(row: dict[str, str], column: str | None) -> str:
    return (row.get(column) or "").strip() if column else ""


def _selected(mapping: TrackerMapping, row: dict[str, str]) -> bool:
    """Whether ``row`` passes the mapping's ``include`` and ``exclude`` filters."""
    for column, values in mapping.include.items():
        if _cell(row, column) not in values:
            return False
    return not any(_cell(row, column) in values for column, values in mapping.exclude.items())


def _award(
    mapping: TrackerMapping,
    row: dict[str, str],
    ocid: str,
    refs: list[dict[str, Any]],
    date: str | None,
) -> dict[str, Any]:
    """The row's award to ``refs``: title, description, date, value and source document."""
    award: dict[str, Any] = {"id": f"{ocid}-award", "suppliers": refs, "status": "active"}
    title, description = _cell(row, mapping.title), _cell(row, mapping.description)
    if title:
        award["title"] = title
    if description:
        award["description"] = description
    if date:
        award["date"] = date
    amount = _amount(_cell(row, mapping.amount))
    if amount is not None:
        award["value"] = {"amount": amount, "currency": _cell(row, mapping.currency) or None}
    url = _cell(row, mapping.source_url)
    if url:
        award["documents"] = [{"id": "source", "url": url, "documentType": "other"}]
    return award


def _tender(
    mapping: TrackerMapping, row: dict[str, str], ocid: str, bid: dict[str, Any] | None
) -> dict[str, Any]:
    """The row's tender; ``bid``: the award a bid-only row did not get, whose vendors become
    the tender's tenderers."""
    title, description = _cell(row, mapping.title), _cell(row, mapping.description)
    tender: dict[str, Any] = {
        "id": ocid,
        "title": title or None,
        "description": description or None,
    }
    if bid is not None:
        # nothing was awarded to these vendors: they are tenderers, dated by the tender, and
        # their bid's amount is not the tender's value, so it stays in the description only
        tender["tenderers"] = bid["suppliers"]
        if "date" in bid:
            tender["tenderPeriod"] = {"startDate": bid["date"]}
        if "documents" in bid:
            tender["documents"] = bid["documents"]
    return tender


def tracker_items(
    path: Path,
    mapping: TrackerMapping,
    *,
    observed: str = "",
    known: Mapping[str, dict[str, Any]] | None = None,
) -> Iterator[Item | Problem]:
    """Every row of the CSV at ``path`` as an :class:`Item` (or a Problem for a bad file).

    ``observed`` and ``known`` are passed to :func:`row_release`.
    """
    source = str(path)
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = sorted(mapping.columns() - set(reader.fieldnames or ()))
            if missing:
                yield Problem(source, "line:1", f"tracker has no column(s) {', '.join(missing)}")
                return
            for row in reader:
                release = row_release(mapping, row, source, observed=observed, known=known)
                if release is not None:
                    # line_num is where the row ends: a quoted cell may span several lines
                    yield Item("release", release, f"line:{reader.line_num}", mapping.publisher)
    except UnicodeDecodeError as exc:
        yield Problem(source, f"byte:{exc.start}", "tracker is not UTF-8 text")
    except csv.Error as exc:
        yield Problem(source, "", f"not a readable CSV: {exc}")
