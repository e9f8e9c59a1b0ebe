"""Cheap structural checks on one release, run on every release before it is stored.

Reach for :func:`check_release` instead of full JSON-Schema validation: it checks only what
Redline relies on (an ``ocid``, an ``id``, parseable dates, numeric amounts, arrays where we
iterate), in a few microseconds, so it can run on every release of a 200 MB file. Anything it
does not check is carried through untouched in the stored JSON.

Example: a release whose ``awards/0/value/amount`` is ``"1,000"`` gets the problem
``awards/0/value/amount: amount '1,000' is a string, expected a number``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from redline.errors import Problem
from redline.ingest.ocds.read import child

_ARRAYS = ("parties", "awards", "contracts")


def parse_date(value: Any) -> datetime | None:
    """An OCDS date-time (or plain date) as a datetime; ``None`` when it is not one."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _date(
    out: list[Problem], source: str, ptr: str, parts: tuple[str | int, ...], obj: Any, key: str
) -> None:
    if isinstance(obj, dict):
        value = obj.get(key)
        if value is not None and parse_date(value) is None:
            out.append(
                Problem(source, child(ptr, *parts, key), f"{key} {value!r:.60} is not a date")
            )


def _value(
    out: list[Problem], source: str, ptr: str, parts: tuple[str | int, ...], obj: Any
) -> None:
    if not isinstance(obj, dict):
        return
    value = obj.get("value")
    if value is None:
        return
    if not isinstance(value, dict):
        where = child(ptr, *parts, "value")
        out.append(Problem(source, where, f"value must be an object, found {value!r:.60}"))
        return
    amount = value.get("amount")
    if amount is None or type(amount) is float or type(amount) is int:
        return
    if isinstance(amount, bool) or not isinstance(amount, int | float):
        kind = "a string" if isinstance(amount, str) else type(amount).__name__
        where = child(ptr, *parts, "value", "amount")
        out.append(Problem(source, where, f"amount {amount!r:.60} is {kind}, expected a number"))


def _items(
    out: list[Problem], source: str, ptr: str, parts: tuple[str | int, ...], parent: Any
) -> None:
    items = parent.get("items")
    if items is None:
        return
    if not isinstance(items, list):
        out.append(Problem(source, child(ptr, *parts, "items"), "items must be an array"))
        return
    for i, item in enumerate(items):
        if isinstance(item, dict):
            unit = item.get("unit")
            if isinstance(unit, dict) and unit.get("value") is not None:
                _value(out, source, ptr, (*parts, "items", i, "unit"), unit)


def check_release(rel: dict[str, Any], source: str, ptr: str) -> list[Problem]:
    """Every structural problem of one release (empty when it can be stored)."""
    # pointers are built only for a problem found: most releases have none, and building
    # them eagerly was half the cost of checking
    out: list[Problem] = []
    ocid = rel.get("ocid")
    if not isinstance(ocid, str) or not ocid.strip():
        out.append(Problem(source, ptr, "release has no ocid"))
    rid = rel.get("id")
    if not isinstance(rid, str | int) or isinstance(rid, bool) or rid == "":
        out.append(Problem(source, ptr, "release has no id"))
    _date(out, source, ptr, (), rel, "date")
    for key in _ARRAYS:
        if rel.get(key) is not None and not isinstance(rel[key], list):
            out.append(Problem(source, child(ptr, key), f"{key} must be an array"))
    tender = rel.get("tender")
    if isinstance(tender, dict):
        _value(out, source, ptr, ("tender",), tender)
        period = tender.get("tenderPeriod")
        _date(out, source, ptr, ("tender", "tenderPeriod"), period, "startDate")
        _date(out, source, ptr, ("tender", "tenderPeriod"), period, "endDate")
        _items(out, source, ptr, ("tender",), tender)
    for key in ("awards", "contracts"):
        entries = rel.get(key)
        if not isinstance(entries, list):
            continue
        signed = "date" if key == "awards" else "dateSigned"
        for i, entry in enumerate(entries):
            if not isinstance(entry, dict):
                out.append(Problem(source, child(ptr, key, i), f"{key} entry must be an object"))
                continue
            parts = (key, i)
            _value(out, source, ptr, parts, entry)
            _items(out, source, ptr, parts, entry)
            _date(out, source, ptr, parts, entry, signed)
            period = entry.get("period")
            if period is not None:
                _date(out, source, ptr, (*parts, "period"), period, "startDate")
                _date(out, source, ptr, (*parts, "period"), period, "endDate")
    return out
