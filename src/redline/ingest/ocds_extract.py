"""Flatten compiled releases into the columnar rows of the tables in ``002_ocds.sql``.

Reach for :class:`Rows`: call :meth:`Rows.add` once per compiled release, then
:meth:`Rows.arrow` per table to get a pyarrow table ready for one bulk INSERT. Every row carries
its provenance (:class:`Provenance`): which file, where in it, which release, which publisher,
which ingest run, when. Bad values (an unparseable quantity, an RFC-labelled id that is no RFC)
become NULL and are counted in :attr:`Rows.bad_values`; they never stop the ingest.

Example: the INAI release PC-0001 yields one ``processes`` row, its parties (supplier
``Hectarea Producciones S.A. de C.V.`` with ``MX-RFC`` ``HPR060210B71``), one ``awards`` row
per award and one ``award_suppliers`` row per supplier of each award.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from redline.ingest.ocds_ids import identifier, roles, text

_STR = pa.string()
_NUM = pa.float64()
_TS = pa.string()  # cast to TIMESTAMPTZ by DuckDB on insert (see TIMESTAMP_COLUMNS)
_PROV = [
    ("publisher", _STR),
    ("source_file", _STR),
    ("pointer", _STR),
    ("release_id", _STR),
    ("run_id", _STR),
    ("ingested_at", _TS),
]
_ORG = [("identifier_scheme", _STR), ("identifier_id", _STR)]
_PROV_NAMES = {name for name, _ in _PROV}

SCHEMAS: dict[str, list[tuple[str, pa.DataType]]] = {
    "processes": [
        ("ocid", _STR), ("title", _STR), ("description", _STR), ("tender_id", _STR),
        ("tender_status", _STR), ("procurement_method", _STR),
        ("procurement_method_details", _STR), ("main_category", _STR),
        ("tender_amount", _NUM), ("tender_currency", _STR), ("tender_start", _TS),
        ("tender_end", _TS), ("buyer_party_id", _STR), ("buyer_name", _STR), ("date", _TS),
        *_PROV,
    ],
    "parties": [
        ("ocid", _STR), ("party_id", _STR), ("name", _STR), ("roles", pa.list_(_STR)), *_ORG,
        ("additional_identifiers",
         pa.list_(pa.struct([("scheme", _STR), ("id", _STR)]))),
        ("country", _STR), ("locality", _STR), *_PROV,
    ],
    "buyers": [("ocid", _STR), ("party_id", _STR), ("name", _STR), *_ORG, *_PROV],
    "awards": [
        ("ocid", _STR), ("award_id", _STR), ("title", _STR), ("description", _STR),
        ("status", _STR), ("date", _TS), ("amount", _NUM), ("currency", _STR), *_PROV,
    ],
    "award_suppliers": [
        ("ocid", _STR), ("award_id", _STR), ("party_id", _STR), ("name", _STR), *_ORG, *_PROV,
    ],
    "contracts": [
        ("ocid", _STR), ("contract_id", _STR), ("award_id", _STR), ("title", _STR),
        ("description", _STR), ("status", _STR), ("date_signed", _TS), ("start_date", _TS),
        ("end_date", _TS), ("amount", _NUM), ("currency", _STR), *_PROV,
    ],
    "items": [
        ("ocid", _STR), ("parent", _STR), ("parent_id", _STR), ("item_id", _STR),
        ("description", _STR), ("classification_scheme", _STR), ("classification_id", _STR),
        ("classification_description", _STR),
        ("additional_classifications",
         pa.list_(pa.struct([("scheme", _STR), ("id", _STR), ("description", _STR)]))),
        ("quantity", _NUM), ("unit_name", _STR), ("unit_amount", _NUM),
        ("unit_currency", _STR), *_PROV,
    ],
}  # fmt: skip
TABLES = tuple(SCHEMAS)
TIMESTAMP_COLUMNS = {
    "tender_start", "tender_end", "date", "date_signed", "start_date", "end_date", "ingested_at",
}  # fmt: skip


@dataclass(frozen=True)
class Provenance:
    """Where the rows of one compiled release come from (see docs/data-model.md)."""

    source_file: str
    pointer: str  # of the newest release in its file; rows add their own sub-pointer
    release_id: str  # id of the newest release that went into the compiled release
    publisher: str | None
    run_id: str
    ingested_at: str


def _root(prov: Provenance) -> str:
    """The release's pointer as a prefix for sub-paths (a whole-file release is ``/``)."""
    return "" if prov.pointer == "/" else prov.pointer


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


class Rows:
    """Column buffers for every extracted table; cheap to fill, converted once per batch."""

    def __init__(self) -> None:
        self.cols: dict[str, dict[str, list[Any]]] = {
            t: {name: [] for name, _ in schema} for t, schema in SCHEMAS.items()
        }
        # the provenance of each row, expanded into columns only in arrow(): one append per
        # row instead of six (extraction is the hot loop of ingest)
        self._provs: dict[str, list[Provenance]] = {t: [] for t in SCHEMAS}
        self._data_cols = {
            t: [cols[name] for name, _ in SCHEMAS[t] if name not in _PROV_NAMES]
            for t, cols in self.cols.items()
        }
        self._data_names = {
            t: [name for name, _ in SCHEMAS[t] if name not in _PROV_NAMES] for t in SCHEMAS
        }
        self.bad_values: Counter[str] = Counter()

    def __len__(self) -> int:
        return len(self.cols["processes"]["ocid"])

    def _put(self, table: str, prov: Provenance, ptr: str, **values: Any) -> None:
        get = values.get
        for name, col in zip(self._data_names[table], self._data_cols[table], strict=True):
            col.append(get(name))
        self.cols[table]["pointer"].append(ptr)
        self._provs[table].append(prov)

    def _number(self, value: Any, what: str) -> float | None:
        if value is None:
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        self.bad_values[what] += 1
        return None

    def arrow(self, table: str) -> pa.Table:
        cols = self.cols[table]
        provs = self._provs[table]
        cols["publisher"] = [p.publisher for p in provs]
        cols["source_file"] = [p.source_file for p in provs]
        cols["release_id"] = [p.release_id for p in provs]
        cols["run_id"] = [p.run_id for p in provs]
        cols["ingested_at"] = [p.ingested_at for p in provs]
        return pa.Table.from_pydict(cols, schema=pa.schema(SCHEMAS[table]))

    # -- extraction ---------------------------------------------------------------------------
    def add(self, rel: dict[str, Any], prov: Provenance) -> None:
        """Append the rows of one compiled release ``rel``."""
        ocid = rel["ocid"]
        base = _root(prov)
        parties = self._parties(rel, ocid, prov)
        buyer = _obj(rel.get("buyer"))
        buyer_id = text(buyer.get("id"))
        if not buyer and parties:  # CompraNet names its buyer only through a party role
            buyer_id = next((pid for pid, p in parties.items() if "buyer" in p[1]), None)
            buyer = {"id": buyer_id, "name": parties[buyer_id][0]} if buyer_id else {}
        if buyer:
            scheme, bid, _ = self._org_ident(buyer, parties)
            self._put(
                "buyers", prov, f"{base}/buyer", ocid=ocid, party_id=buyer_id,
                name=text(buyer.get("name")), identifier_scheme=scheme, identifier_id=bid,
            )  # fmt: skip
        tender = _obj(rel.get("tender"))
        tvalue = _obj(tender.get("value"))
        period = _obj(tender.get("tenderPeriod"))
        self._put(
            "processes", prov, prov.pointer, ocid=ocid,
            title=text(tender.get("title")), description=text(tender.get("description")),
            tender_id=text(tender.get("id")), tender_status=text(tender.get("status")),
            procurement_method=text(tender.get("procurementMethod")),
            procurement_method_details=text(tender.get("procurementMethodDetails")),
            main_category=text(tender.get("mainProcurementCategory")),
            tender_amount=self._number(tvalue.get("amount"), "amount"),
            tender_currency=text(tvalue.get("currency")),
            tender_start=text(period.get("startDate")), tender_end=text(period.get("endDate")),
            buyer_party_id=buyer_id, buyer_name=text(buyer.get("name")),
            date=text(rel.get("date")),
        )  # fmt: skip
        self._items(tender.get("items"), ocid, "tender", None, f"{base}/tender", prov)
        self._awards(rel, ocid, parties, prov)
        for i, con in enumerate(_list(rel.get("contracts"))):
            con = _obj(con)
            ptr, value, cp = (
                f"{base}/contracts/{i}",
                _obj(con.get("value")),
                _obj(con.get("period")),
            )
            cid = text(con.get("id")) or str(i)
            self._put(
                "contracts", prov, ptr, ocid=ocid, contract_id=cid,
                award_id=text(con.get("awardID")), title=text(con.get("title")),
                description=text(con.get("description")), status=text(con.get("status")),
                date_signed=text(con.get("dateSigned")), start_date=text(cp.get("startDate")),
                end_date=text(cp.get("endDate")),
                amount=self._number(value.get("amount"), "amount"),
                currency=text(value.get("currency")),
            )  # fmt: skip
            self._items(con.get("items"), ocid, "contract", cid, ptr, prov)

    def _parties(
        self, rel: dict[str, Any], ocid: str, prov: Provenance
    ) -> dict[str, tuple[str | None, list[str], str | None, str | None]]:
        """Store parties; return id → (name, roles, scheme, identifier) for references."""
        found: dict[str, tuple[str | None, list[str], str | None, str | None]] = {}
        for i, party in enumerate(_list(rel.get("parties"))):
            party = _obj(party)
            name = text(party.get("name")) or text(_obj(party.get("identifier")).get("legalName"))
            pid = text(party.get("id")) or f"name:{name}"
            scheme, ident, rejected = identifier(party.get("identifier"), party.get("id"))
            if rejected:
                self.bad_values["identifier not an RFC"] += 1
            extra = [
                {"scheme": text(a.get("scheme")), "id": text(a.get("id"))}
                for a in _list(party.get("additionalIdentifiers"))
                if isinstance(a, dict)
            ]
            if party.get("additionalIdentifiers") is not None and not isinstance(
                party.get("additionalIdentifiers"), list
            ):
                self.bad_values["additionalIdentifiers not an array"] += 1
            address = _obj(party.get("address"))
            party_roles = roles(party.get("roles"))
            self._put("parties", prov, f"{_root(prov)}/parties/{i}", ocid=ocid,
                      party_id=pid, name=name, roles=party_roles, identifier_scheme=scheme,
                      identifier_id=ident, additional_identifiers=extra,
                      country=text(address.get("countryName")),
                      locality=text(address.get("locality")))  # fmt: skip
            prev = found.get(pid)
            if prev is None or (prev[2] is None and scheme is not None):
                found[pid] = (name, party_roles, scheme, ident)
        return found

    def _org_ident(
        self,
        org: dict[str, Any],
        parties: dict[str, tuple[str | None, list[str], str | None, str | None]],
    ) -> tuple[str | None, str | None, bool]:
        """Identifier of an organisation reference: its own, else its party's."""
        if isinstance(org.get("identifier"), dict):
            return identifier(org["identifier"], org.get("id"))
        ref = parties.get(text(org.get("id")) or "")
        if ref is not None and ref[2] is not None:
            return ref[2], ref[3], False
        return identifier(None, org.get("id"))

    def _awards(
        self, rel: dict[str, Any], ocid: str,
        parties: dict[str, tuple[str | None, list[str], str | None, str | None]], prov: Provenance,
    ) -> None:  # fmt: skip
        for i, award in enumerate(_list(rel.get("awards"))):
            award = _obj(award)
            ptr, value = f"{_root(prov)}/awards/{i}", _obj(award.get("value"))
            aid = text(award.get("id")) or str(i)
            self._put(
                "awards", prov, ptr, ocid=ocid, award_id=aid, title=text(award.get("title")),
                description=text(award.get("description")), status=text(award.get("status")),
                date=text(award.get("date")), amount=self._number(value.get("amount"), "amount"),
                currency=text(value.get("currency")),
            )  # fmt: skip
            self._suppliers(award.get("suppliers"), ocid, aid, f"{ptr}/suppliers", parties, prov)
            self._items(award.get("items"), ocid, "award", aid, ptr, prov)
        if rel.get("awards"):
            return
        # CompraNet (ocds-07smqs) puts suppliers on contracts and publishes no awards: the
        # contract's awardID stands for the award so suppliers are not lost.
        for i, con in enumerate(_list(rel.get("contracts"))):
            con = _obj(con)
            aid = text(con.get("awardID")) or text(con.get("id")) or str(i)
            ptr = f"{_root(prov)}/contracts/{i}/suppliers"
            self._suppliers(con.get("suppliers"), ocid, aid, ptr, parties, prov)

    def _suppliers(
        self, suppliers: Any, ocid: str, aid: str, ptr: str,
        parties: dict[str, tuple[str | None, list[str], str | None, str | None]], prov: Provenance,
    ) -> None:  # fmt: skip
        for j, sup in enumerate(_list(suppliers)):
            sup = _obj(sup)
            scheme, ident, _ = self._org_ident(sup, parties)
            sid = text(sup.get("id"))
            name = text(sup.get("name")) or (parties[sid][0] if sid in parties else None)
            self._put(
                "award_suppliers", prov, f"{ptr}/{j}", ocid=ocid, award_id=aid,
                party_id=sid, name=name, identifier_scheme=scheme, identifier_id=ident,
            )  # fmt: skip

    def _items(
        self, items: Any, ocid: str, parent: str, parent_id: str | None, ptr: str, prov: Provenance
    ) -> None:
        for k, item in enumerate(_list(items)):
            item = _obj(item)
            cls, unit = _obj(item.get("classification")), _obj(item.get("unit"))
            uvalue = _obj(unit.get("value"))
            extra = [
                {"scheme": _scheme(a.get("scheme")), "id": text(a.get("id")),
                 "description": text(a.get("description"))}
                for a in _list(item.get("additionalClassifications")) if isinstance(a, dict)
            ]  # fmt: skip
            self._put(
                "items", prov, f"{ptr}/items/{k}", ocid=ocid, parent=parent,
                parent_id=parent_id, item_id=text(item.get("id")),
                description=text(item.get("description")),
                classification_scheme=_scheme(cls.get("scheme")),
                classification_id=text(cls.get("id")),
                classification_description=text(cls.get("description")),
                additional_classifications=extra,
                quantity=self._number(item.get("quantity"), "quantity"),
                unit_name=text(unit.get("name")),
                unit_amount=self._number(uvalue.get("amount"), "amount"),
                unit_currency=text(uvalue.get("currency")),
            )  # fmt: skip


def _scheme(value: Any) -> str | None:
    """Classification schemes compare case-insensitively (INAI writes ``CUCoP``)."""
    scheme = text(value)
    return scheme.upper() if scheme else None
