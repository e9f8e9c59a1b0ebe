"""Subjects read straight from source files: OCDS JSON objects, event rows, tracker rows.

Reach for these when the rows are not in the store: the labelled set, the bench, the events
table (``events/mexico_prc_vendor_events.csv``) and the AEI China Global Investment Tracker.
The OCDS reader builds exactly the fields the store pass reads from the extracted tables, so
the two paths classify the same thing.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from redline.classify.classifier import Subject
from redline.errors import InputError, Problem

_KIND = re.compile(r"/(tender|awards/\d+|contracts/\d+|items/\d+)$")


def resolve_pointer(doc: Any, pointer: str) -> Any:
    """The value at a JSON pointer (RFC 6901); KeyError/IndexError when it is not there."""
    node = doc
    for raw in pointer.split("/")[1:]:
        part = raw.replace("~1", "/").replace("~0", "~")
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def _release_of(doc: Any, pointer: str) -> dict[str, Any]:
    """The innermost object on the path that carries an ``ocid`` (the release)."""
    node, release = doc, doc if isinstance(doc, dict) else {}
    for raw in pointer.split("/")[1:]:
        node = node[int(raw)] if isinstance(node, list) else node[raw]
        if isinstance(node, dict) and "ocid" in node:
            release = node
    return release


def ocds_subject(doc: Any, pointer: str) -> Subject:
    """Subject for the tender, award, contract or item at ``pointer`` in an OCDS document."""
    m = _KIND.search(pointer)
    if m is None:
        raise KeyError(f"{pointer} is not a tender, award, contract or item")
    obj = resolve_pointer(doc, pointer)
    kind = m.group(1).split("/")[0]
    prefix = {"tender": "tender", "awards": "award", "contracts": "contract", "items": "item"}[kind]
    texts: list[tuple[str, str]] = []
    codes: list[tuple[str, str, str]] = []
    if prefix == "item":
        texts.append(("item.description", obj.get("description") or ""))
        cls = obj.get("classification") or {}
        texts.append(("item.classification_description", cls.get("description") or ""))
        codes.append(("item.classification", cls.get("scheme") or "", str(cls.get("id") or "")))
        for extra in obj.get("additionalClassifications") or []:
            field = "item.additional_classifications"
            codes.append((field, extra.get("scheme") or "", str(extra.get("id") or "")))
    else:
        for key in ("title", "description"):
            texts.append((f"{prefix}.{key}", obj.get(key) or ""))
    buyer = (_release_of(doc, pointer).get("buyer") or {}).get("name")
    return Subject(
        texts=tuple((f, t) for f, t in texts if t.strip()),
        codes=tuple(c for c in codes if c[1] and c[2]),
        buyer=buyer,
    )


def _rows(path: Path, required: set[str]) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = required - set(reader.fieldnames or [])
        if missing:
            raise InputError(
                [Problem(str(path), "line 1", f"missing column {c!r}") for c in sorted(missing)]
            )
        yield from reader


def event_subjects(path: Path) -> Iterator[tuple[str, Subject]]:
    """(event_id, Subject) per row of the events table.

    Only ``description`` is text: the ``sector`` column is an analyst's label, and classifying
    on it would measure nothing. ``mexican_counterparty`` is the buyer.
    """
    for row in _rows(path, {"event_id", "description", "mexican_counterparty"}):
        yield (
            row["event_id"],
            Subject(
                texts=(("event.description", row["description"]),),
                buyer=row["mexican_counterparty"] or None,
            ),
        )


def investment_subjects(path: Path, country: str = "Mexico") -> Iterator[tuple[str, Subject]]:
    """("row:N", Subject) per tracker row of ``country`` (N = 0-based data row).

    Text is "Sector / Subsector" plus the transaction party; the investor is left out because
    a company name says who, not what.
    """
    required = {"Country", "Sector", "Subsector", "Transaction Party"}
    for n, row in enumerate(_rows(path, required)):
        if row["Country"].strip() != country:
            continue
        sector = " / ".join(x.strip() for x in (row["Sector"], row["Subsector"]) if x.strip())
        texts = [("investment.sector", sector), ("investment.party", row["Transaction Party"])]
        yield f"row:{n}", Subject(texts=tuple((f, t) for f, t in texts if t.strip()))
