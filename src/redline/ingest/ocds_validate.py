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
from redline.ingest.ocds_forms import child

_ARRAYS = ("parties", "awards", "contracts")


def parse_date(value: Any) -> datetime | None:
    """An OCDS date-time (or plain date) as a datetime; ``None`` when it is not one."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _date(out: list[Problem], source: str, ptr: str, obj: Any, key: str) -> None:
    if isinstance(obj, dict):
        value = obj.get(key)
        if value is not None and parse_date(value) is None:
            out.append(Problem(source, child(ptr, key), f"{key} {value!r:.60} is not a date"))


def _value(out: list[Problem], source: str, ptr: str, obj: Any, key: str = "value") -> None:
    if not isinstance(obj, dict):
        return
    value = obj.get(key)
    if value is None:
        return
    where = child(ptr, key)
    if not isinstance(value, dict):
        out.append(Problem(source, where, f"{key} must be an object, found {value!r:.60}"))
        return
    amount = value.get("amount")
    if amount is not None and (isinstance(amount, bool) or not isinstance(amount, int | float)):
        kind = "a string" if isinstance(amount, str) else type(amount).__name__
        out.append(
            Problem(
                source,
                child(where, "amount"),
                f"amount {amount!r:.60} is {kind}, expected a number",
            )
        )


def _items(out: list[Problem], source: str, ptr: str, parent: dict[str, Any]) -> None:
    items = parent.get("items")
    if items is None:
        return
    if not isinstance(items, list):
        out.append(Problem(source, child(ptr, "items"), "items must be an array"))
        return
    for i, item in enumerate(items):
        if isinstance(item, dict) and isinstance(item.get("unit"), dict):
            _value(out, source, child(ptr, "items", i, "unit"), item["unit"])


def check_release(rel: dict[str, Any], source: str, ptr: str) -> list[Problem]:
    """Every structural problem of one release (empty when it can be stored)."""
    out: list[Problem] = []
    ocid = rel.get("ocid")
    if not isinstance(ocid, str) or not ocid.strip():
        out.append(Problem(source, ptr, "release has no ocid"))
    rid = rel.get("id")
    if not isinstance(rid, str | int) or isinstance(rid, bool) or rid == "":
        out.append(Problem(source, ptr, "release has no id"))
    _date(out, source, ptr, rel, "date")
    for key in _ARRAYS:
        if rel.get(key) is not None and not isinstance(rel[key], list):
            out.append(Problem(source, child(ptr, key), f"{key} must be an array"))
    tender = rel.get("tender")
    if isinstance(tender, dict):
        tp = child(ptr, "tender")
        _value(out, source, tp, tender)
        _date(out, source, child(tp, "tenderPeriod"), tender.get("tenderPeriod"), "startDate")
        _date(out, source, child(tp, "tenderPeriod"), tender.get("tenderPeriod"), "endDate")
        _items(out, source, tp, tender)
    for key in ("awards", "contracts"):
        entries = rel.get(key)
        if not isinstance(entries, list):
            continue
        for i, entry in enumerate(entries):
            if not isinstance(entry, dict):
                out.append(Problem(source, child(ptr, key, i), f"{key} entry must be an object"))
                continue
            ep = child(ptr, key, i)
            _value(out, source, ep, entry)
            _items(out, source, ep, entry)
            _date(out, source, ep, entry, "date" if key == "awards" else "dateSigned")
            _date(out, source, child(ep, "period"), entry.get("period"), "startDate")
            _date(out, source, child(ep, "period"), entry.get("period"), "endDate")
    return out
