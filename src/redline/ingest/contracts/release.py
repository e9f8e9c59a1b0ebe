"""One row of a contract export as one OCDS release of its procedure.

Reach for :func:`contract_release` once a row's cells are named by field (see
:mod:`redline.ingest.contracts.layout`). The procedure is the ocid; the row is one award (and
its contract) of that procedure, so several contracts of one procedure are several awards of
one compiled record. Example: the ComprasMX row of JOSE ARMANDO ALTAMIRANO ARIAS (RFC
AAAA670319394) in procedure ``AA-50-GYR-050GYR006-N-7-2026`` becomes ocid
``redline-comprasmx-AA-50-GYR-050GYR006-N-7-2026`` with IMSS as buyer (buying unit 050GYR006),
the supplier identified by ``MX-RFC``, the ruling date (``Fecha de fallo``) as the award's
date, the signature date as the contract's ``dateSigned``, the partida as a ``CUCOP`` item
classification, the law and exception article in the tender, the public link as a document.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Mapping
from typing import Any

from redline.ingest.contracts.layout import ContractLayout
from redline.ingest.contracts.values import amount, ocds_datetime

_SLUG = re.compile(r"[^a-z0-9]+")
_CODES = re.compile(r"[0-9A-Za-z.\-]+")
_DATES = ("published", "award_date", "signed", "start", "end")


def _digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:10]


def _party_id(prefix: str, name: str, rfc: str) -> str:
    if rfc:
        return f"MX-RFC-{rfc}"
    slug = _SLUG.sub("-", name.casefold()).strip("-")[:40]
    return f"{prefix}-{slug}-{_digest(name)}"


def _dates(cells: Mapping[str, str], bad: Counter[str]) -> dict[str, str]:
    found = {}
    for name in _DATES:
        raw = cells.get(name, "")
        value = ocds_datetime(raw)
        if value:
            found[name] = value
        elif raw:
            bad[f"{name} date not understood"] += 1
    return found


def _buyer(layout: ContractLayout, cells: Mapping[str, str]) -> dict[str, Any] | None:
    name, unit = cells.get("buyer", ""), cells.get("buyer_unit", "")
    code = cells.get("buyer_unit_code", "")
    if not name and not unit:
        return None
    party: dict[str, Any] = {"name": name or unit, "roles": ["buyer"]}
    if code:
        party["id"] = f"MX-UC-{code}"
        party["identifier"] = {"scheme": "MX-UC", "id": code, "legalName": unit or None}
    else:
        party["id"] = _party_id(layout.ocid_prefix, name or unit, "")
    if unit:
        party["contactPoint"] = {"name": unit}
    return party


def _suppliers(layout: ContractLayout, cells: Mapping[str, str]) -> list[dict[str, Any]]:
    raw = cells.get("supplier", "")
    names = re.split(layout.supplier_split, raw) if layout.supplier_split else [raw]
    names = [n.strip() for n in names if n.strip()]
    rfc = cells.get("supplier_rfc", "").upper() if len(names) == 1 else ""
    country = cells.get("supplier_country", "")
    parties = []
    for name in names:
        party: dict[str, Any] = {"id": _party_id(layout.ocid_prefix, name, rfc), "name": name}
        party["roles"] = ["supplier"]
        if rfc:
            party["identifier"] = {"scheme": "MX-RFC", "id": rfc, "legalName": name}
        if country:
            party["address"] = {"countryName": country}
        parties.append(party)
    return parties


def _items(layout: ContractLayout, cells: Mapping[str, str], key: str) -> list[dict[str, Any]]:
    """Every code the row carries (CUCOP, partidas) as an item classification."""
    codes = [*_CODES.findall(cells.get("cucop", "")), *_CODES.findall(cells.get("partida", ""))]
    scheme = layout.classification or "CUCOP"
    description = cells.get("description") or cells.get("title") or None
    return [
        {"id": f"{key}-{n}", "description": description,
         "classification": {"scheme": scheme, "id": code}}
        for n, code in enumerate(dict.fromkeys(codes), start=1)
    ]  # fmt: skip


def _tender(cells: Mapping[str, str], ocid: str, dates: Mapping[str, str]) -> dict[str, Any]:
    tender: dict[str, Any] = {"id": cells.get("procedure") or ocid}
    if cells.get("method"):
        tender["procurementMethodDetails"] = cells["method"]
    rationale = " ".join(
        v for v in (cells.get("exception_article"), cells.get("exception_description")) if v
    )
    if rationale:
        tender["procurementMethodRationale"] = rationale
    law = cells.get("law") or cells.get("legal_basis")
    if law:
        # the legalBasis extension: the law the procedure ran under, and its exception article
        tender["legalBasis"] = {"id": law, "description": cells.get("exception_article") or None}
    if cells.get("category"):
        tender["mainProcurementCategoryDetails"] = cells["category"]
    if "published" in dates:
        tender["tenderPeriod"] = {"startDate": dates["published"]}
    return tender


def contract_release(
    layout: ContractLayout, cells: Mapping[str, str], occurrence: int, bad: Counter[str]
) -> dict[str, Any] | None:
    """The release of one row (cells by field); ``None`` for a row with no supplier or
    procedure. ``occurrence`` numbers rows sharing a contract key (they stay apart)."""
    procedure = cells.get("procedure") or cells.get("id") or ""
    suppliers = _suppliers(layout, cells)
    if not procedure or not suppliers:
        bad["rows without procedure or supplier"] += 1
        return None
    ocid = f"{layout.ocid_prefix}-{procedure}"
    key = _digest(*(cells.get(f, "") for f in layout.contract_key), str(occurrence))
    dates = _dates(cells, bad)
    award_id = f"{ocid}-{cells.get('contract_code') or key}"
    value: dict[str, Any] | None = None
    if cells.get("amount"):
        number = amount(cells["amount"])
        if number is None:
            bad["amount not a number"] += 1
        else:
            value = {"amount": number, "currency": cells.get("currency") or layout.currency}
    refs = [{"id": p["id"], "name": p["name"]} for p in suppliers]
    award: dict[str, Any] = {"id": award_id, "status": "active", "suppliers": refs}
    contract: dict[str, Any] = {"id": award_id, "awardID": award_id}
    for target in (award, contract):
        if cells.get("title"):
            target["title"] = cells["title"]
        if cells.get("description"):
            target["description"] = cells["description"]
        if value:
            target["value"] = value
    if "award_date" in dates:
        award["date"] = dates["award_date"]
    if "signed" in dates:
        contract["dateSigned"] = dates["signed"]
    period = {k: dates[d] for k, d in (("startDate", "start"), ("endDate", "end")) if d in dates}
    if period:
        contract["period"] = period
    if cells.get("status"):
        contract["statusDetails"] = cells["status"]
    items = _items(layout, cells, award_id)
    if items:
        award["items"] = items
    if cells.get("url"):
        award["documents"] = [{"id": "notice", "url": cells["url"], "documentType": "tenderNotice"}]
    buyer = _buyer(layout, cells)
    release: dict[str, Any] = {
        "ocid": ocid,
        "id": f"{ocid}-{_digest(*sorted(f'{k}={v}' for k, v in cells.items()), str(occurrence))}",
        "tag": ["award", "contract"],
        "initiationType": "tender",
        "parties": [*([buyer] if buyer else []), *suppliers],
        "tender": _tender(cells, ocid, dates),
        "awards": [award],
        "contracts": [contract],
    }
    if buyer:
        release["buyer"] = {"id": buyer["id"], "name": buyer["name"]}
    if layout.note:
        release["redlineNote"] = layout.note
    return release
