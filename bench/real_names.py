"""Every distinct supplier name in the mirror's Mexican procurement and the SFP register.

Reach for :func:`supplier_names` to build the *real negatives* set of issue 12: names of real
Mexican suppliers, read in place from the read-only mirror (nothing is copied into the repo),
screened against the designation lists. None of them is expected to match a listed entity; the
reviewed exceptions, if any, are in ``bench/sets/real_negatives_reviewed.csv``.

Sources (see the mirror's SOURCES.md): the OCDS samples (awards' suppliers, parties with the
supplier or tenderer role), ``procurement/comprasmx/`` (``Proveedor o contratista``, ``rfc``),
``procurement/compranet-classic/`` (``PROVEEDOR_CONTRATISTA``), ``procurement/tren-maya-poder/``
(``SUPPLIER_NAMES`` of contracts, ``NOMBRE`` of owners) and ``lists/mexico/`` (the SFP
sanctioned-suppliers register: screened as names, never used as a list).

A 13-character RFC is an individual's (a 12-character one a company's): such a name is a
*person*, screened but counted apart from firms.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

#: an RFC: 3 (company) or 4 (person) letters, a date, a 3-character check
_RFC = re.compile(r"^[A-ZÑ&]{3,4}\d{6}[A-Z0-9]{3}$")


@dataclass(frozen=True)
class RealName:
    """One distinct supplier name: where it was first seen, its RFC when the source gives one."""

    source: str
    name: str
    rfc: str = ""

    @property
    def person(self) -> bool:
        """True for an individual: a 13-character RFC (a company's has 12)."""
        return len(self.rfc) == 13


def _clean(text: Any) -> str:
    return " ".join(str(text or "").split())


def _rfc(text: Any) -> str:
    value = _clean(text).upper().replace("-", "").replace(" ", "")
    return value if _RFC.match(value) else ""


def _csv(path: Path, name_col: str, rfc_col: str | None = None) -> Iterator[tuple[str, str]]:
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t" if path.suffix == ".tsv" else ","):
            yield _clean(row.get(name_col)), _rfc(row.get(rfc_col)) if rfc_col else ""


def _ocds_parties(node: Any) -> Iterator[tuple[str, str]]:
    """Suppliers and tenderers anywhere in an OCDS package (records or releases)."""
    if isinstance(node, dict):
        roles = node.get("roles")
        if (
            isinstance(roles, list)
            and {"supplier", "tenderer"} & {r for r in roles if isinstance(r, str)}
            and node.get("name")
        ):
            yield _clean(node["name"]), _rfc((node.get("identifier") or {}).get("id"))
        for key, value in node.items():
            if key in ("suppliers", "tenderers") and isinstance(value, list):
                for party in value:
                    if isinstance(party, dict) and party.get("name"):
                        yield _clean(party["name"]), ""
            else:
                yield from _ocds_parties(value)
    elif isinstance(node, list):
        for item in node:
            yield from _ocds_parties(item)


def _sfp(path: Path) -> Iterator[tuple[str, str]]:
    # the bench extra; openpyxl ships no type stubs
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    for sheet in book.worksheets:
        rows = sheet.iter_rows(values_only=True)
        head = [str(h or "") for h in next(rows, ())]
        col = next((i for i, h in enumerate(head) if h.startswith("Proveedor")), 0)
        for row in rows:
            yield _clean(row[col]), ""
    book.close()


def _sources(data: Path) -> Iterator[tuple[str, Iterator[tuple[str, str]]]]:
    proc = data / "procurement"
    for path in sorted((proc / "ocds-mexico").rglob("*.json")):
        yield "ocds-mexico", _ocds_parties(orjson.loads(path.read_bytes()))
    for path in sorted((proc / "comprasmx").glob("*.csv")):
        yield "comprasmx", _csv(path, "Proveedor o contratista", "rfc")
    for path in sorted((proc / "compranet-classic").glob("*.csv")):
        yield "compranet-classic", _csv(path, "PROVEEDOR_CONTRATISTA")
    yield "tren-maya-poder", _csv(proc / "tren-maya-poder" / "contracts.csv", "SUPPLIER_NAMES")
    yield "tren-maya-poder", _csv(proc / "tren-maya-poder" / "owners.tsv", "NOMBRE")
    for path in register_files(data):
        yield "sfp-register", _sfp(path)


def register_files(data: Path) -> list[Path]:
    """The domestic register's files, read here as names: lists loaded from them are not
    designation lists for this set (a supplier on its own country's register is no false
    match), see ``bench/matcheval_bench.py``."""
    return sorted((data / "lists" / "mexico").glob("*.xlsx"))


def supplier_names(data: Path) -> list[RealName]:
    """Distinct names (case and spacing folded) over every source, first source kept."""
    seen: dict[str, RealName] = {}
    for source, rows in _sources(data):
        for name, rfc in rows:
            key = name.casefold()
            if sum(map(str.isalpha, name)) < 2:
                continue
            old = seen.get(key)
            if old is None:
                seen[key] = RealName(source, name, rfc)
            elif rfc and not old.rfc:
                seen[key] = RealName(old.source, old.name, rfc)
    return list(seen.values())
