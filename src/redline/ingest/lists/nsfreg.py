"""The nsfreg JSON lists (``nsfreg_us_restricted_lists/*.json``): ``{"list_id", "entities":
[{"name", "aliases", "country", "address", "effective_date", "federal_register", "notes"}]}``.

Reach for this for the BIS Entity List and MEU, OFAC NS-CMIC and E.O. 14032 annex, DHS UFLPA
and the DoD 1260H/1286 snapshots. The start of a listing is ``effective_date``, else the
earliest date cited in ``federal_register`` ("89 FR 68548, 8/27/24"). A USCC quoted in the
notes ("USCC: 91110000MA005UCQ5P") becomes an identifier.

The Entity List prints an alias with its own address run on ("a.k.a. Huawei Software
Technologies Co. Ltd. 300 South Oak Way, Green Park, Reading ...; and 6 Mitre Passage ..."),
and the snapshot keeps that as one alias string: :func:`split_alias_address` cuts it where an
address begins, so the alias is a name again and the address joins the entity's addresses.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import orjson

from redline.errors import InputError, Problem
from redline.ingest.lists.records import ListRow
from redline.model.values import parse_date

_USCC = re.compile(r"\bUSCC:\s*([0-9A-Z]{18})\b")
_FR_DATE = re.compile(r"\d{1,2}/\d{1,2}/\d{2,4}|\([A-Z][a-z]+ \d{1,2}, \d{4}\)")


# An address starts after ", " or ". " (not the "No." of "Liyang No. 28 ...") with a street
# number, "No. 2A", a room/building/floor/suite/unit or a P.O. box, and runs on to a comma: a
# name part such as "14th Research Institute" (ordinal) or a bare "Plant 202" does not qualify.
_ADDRESS_START = re.compile(
    r"(?<!\bNo)[.,]\s+(?:\(?Address:\s*)?(?=(?:\d+[A-Za-z]?|No\.?\s*\d+\w*|Room|Rm\.?|Bldg\.?|"
    r"Building|Floor|Suite|Unit|P\.?\s?O\.?\s+Box)\b(?![A-Za-z]*(?:st|nd|rd|th)\b)[^,;]*[,;])"
)
_ADDRESS_SEPARATOR = re.compile(r";\s*and\s+")


def split_alias_address(text: str) -> tuple[str, str | None]:
    """An alias cell → (the name, the address run on after it, or ``None``).

    ``"BellHuawei Technologies LLC. 5 Dzerzhinsky Ave., Minsk, 220036, Belarus"`` →
    ``("BellHuawei Technologies LLC", "5 Dzerzhinsky Ave., Minsk, 220036, Belarus")``.
    """
    m = _ADDRESS_START.search(text)
    if m is None:
        return text.strip(), None
    return text[: m.start()].strip(" ,."), text[m.end() :].strip(" ,.") or None


def _addresses(text: str) -> list[str]:
    return [a.strip(" .") for a in _ADDRESS_SEPARATOR.split(text) if a.strip(" .")]


def _earliest_fr_date(text: str | None) -> str | None:
    dates = [parse_date(m.strip("()")) for m in _FR_DATE.findall(text or "")]
    known = [d for d in dates if d]
    return min(known) if known else None  # ISO text sorts as dates do


def _load(path: Path, rel: str) -> list[Any]:
    try:
        data = orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise InputError([Problem(rel, "", f"not JSON: {exc}")]) from exc
    if not isinstance(data, dict) or not isinstance(data.get("entities"), list):
        raise InputError([Problem(rel, "", "expected an object with an 'entities' array")])
    entities: list[Any] = data["entities"]
    bad = [
        Problem(rel, f"/entities/{i}", "entry without a name")
        for i, e in enumerate(entities)
        if not isinstance(e, dict) or not isinstance(e.get("name"), str)
    ]
    if bad:
        raise InputError(bad)
    return entities


def read(path: Path, rel: str, list_code: str, schema: str = "Company") -> list[ListRow]:
    rows = []
    for i, e in enumerate(_load(path, rel)):
        notes = e.get("notes") or None
        aliases, addresses = [], _addresses(e.get("address") or "")
        for raw in e.get("aliases") or []:
            alias, run_on = split_alias_address(raw or "")
            if alias:
                aliases.append(alias)
            if run_on:
                addresses.extend(_addresses(run_on))
        rows.append(
            ListRow(
                list_code=list_code,
                file=rel,
                row=f"/entities/{i}",
                name=e["name"].strip(),
                schema=schema,
                aliases=aliases,
                country=e.get("country") or None,
                addresses=addresses,
                identifiers=_USCC.findall(notes or ""),
                start=e.get("effective_date") or _earliest_fr_date(e.get("federal_register")),
                reason=notes,
            )
        )
    return rows
