"""Beneficial Ownership Data Standard (BODS 0.4) statements as FtM entities and links.

Reach for :func:`read_bods` for a BODS 0.4 file (a JSON array of statements, or JSON Lines):
entity and person statements become FtM ``Company`` / ``Organization`` / ``Person``,
relationship statements become ``Ownership`` (shareholding and the like) or ``Control``
(voting rights, board seats …) per interest, with the interest's share, dates and the
statement's source. Example: a relationship with ``subject`` "e-sub", ``interestedParty``
"e-parent" and an interest ``{"type": "shareholding", "share": {"exact": 60}}`` becomes an
Ownership of e-sub by e-parent at 60 %. Interest types that are neither (unknown,
unpublished) are left out and counted; a statement that is not BODS is an error.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import orjson
from followthemoney import EntityProxy, model

from redline.errors import InputError, Problem
from redline.ingest.ownership.vocab import Interests

Found = list[tuple[int, EntityProxy, int]]
_ENTITY_TYPES = {"registeredEntity": "Company", "legalEntity": "Company"}
_NOT_ID = re.compile(r"[^0-9A-Za-z.-]+")  # FtM ids allow letters, digits, '.' and '-' only


def _id(prefix: str, key: Any) -> str:
    return _NOT_ID.sub("-", f"{prefix}-{key}").strip("-.")


def _statements(path: Path) -> list[Any]:
    raw = path.read_bytes()
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        try:
            data = [orjson.loads(line) for line in raw.splitlines() if line.strip()]
        except orjson.JSONDecodeError as exc:
            raise InputError([Problem(str(path), "", f"not JSON: {exc}")]) from exc
    if not isinstance(data, list):
        raise InputError([Problem(str(path), "", "not BODS: expected an array of statements")])
    return data


def _party(stmt: dict[str, Any], prefix: str) -> EntityProxy:
    details = stmt.get("recordDetails") or {}
    if stmt["recordType"] == "person":
        proxy = model.make_entity("Person")
        for name in details.get("names") or []:
            proxy.add("name", name.get("fullName"))
        for nat in details.get("nationalities") or []:
            proxy.add("nationality", nat.get("code"))
    else:
        kind = str((details.get("entityType") or {}).get("type"))
        proxy = model.make_entity(_ENTITY_TYPES.get(kind, "Organization"))
        proxy.add("name", details.get("name"))
        proxy.add("jurisdiction", (details.get("jurisdiction") or {}).get("code"))
        for ident in details.get("identifiers") or []:
            proxy.add("registrationNumber", ident.get("id"))
    proxy.id = _id(prefix, stmt["recordId"])
    return proxy


def _links(
    stmt: dict[str, Any], prefix: str, interests: Interests, skipped: Counter[str]
) -> list[EntityProxy]:
    details = stmt.get("recordDetails") or {}
    subject, party = details.get("subject"), details.get("interestedParty")
    source = stmt.get("source") or {}
    links = []
    for n, interest in enumerate(details.get("interests") or []):
        kind = interest.get("type")
        if kind in interests.ownership:
            link = model.make_entity("Ownership")
            link.add("asset", _id(prefix, subject))
            link.add("owner", _id(prefix, party))
            share = (interest.get("share") or {}).get("exact")
            if share is not None:
                link.add("percentage", str(share))
        elif kind in interests.control:
            link = model.make_entity("Control")
            link.add("controlled", _id(prefix, subject))
            link.add("controller", _id(prefix, party))
        else:
            skipped[f"interest {kind!r}"] += 1
            continue
        link.id = _id(prefix, f"{stmt['statementId']}-{n}")
        link.add("role", kind)
        link.add("startDate", interest.get("startDate"))
        link.add("endDate", interest.get("endDate"))
        link.add("publisher", source.get("description") or (stmt.get("publicationDetails") or {})
                 .get("publisher", {}).get("name"))  # fmt: skip
        link.add("sourceUrl", source.get("url"))
        link.add("recordId", stmt["statementId"])
        links.append(link)
    return links


def read_bods(path: Path, interests: Interests, *, prefix: str, skipped: Counter[str]) -> Found:
    """(statement number, proxy, 0) for every party and interest; see the module docstring."""
    found: Found = []
    problems: list[Problem] = []
    for number, stmt in enumerate(_statements(path), start=1):
        kind = stmt.get("recordType") if isinstance(stmt, dict) else None
        if kind not in ("entity", "person", "relationship") or not stmt.get("recordId"):
            problems.append(Problem(str(path), f"statement {number}",
                                    "not a BODS 0.4 statement (recordType, recordId)"))  # fmt: skip
            continue
        if kind == "relationship":
            found.extend((number, link, 0) for link in _links(stmt, prefix, interests, skipped))
        else:
            found.append((number, _party(stmt, prefix), 0))
    if problems:
        raise InputError(problems)
    return found
