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
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from redline.ingest.ocds.ids import identifier, roles, text

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


#: per table, the columns a row tuple holds in order: the data columns, then ``pointer``; the
#: other provenance columns come from the row's Provenance (its index ends the tuple)
_ROW_NAMES = {
    t: [name for name, _ in schema if name not in _PROV_NAMES] + ["pointer"]
    for t, schema in SCHEMAS.items()
}
_TYPES = {t: dict(schema) for t, schema in SCHEMAS.items()}
#: the provenance columns one Provenance fills for all its rows (each row has its own pointer)
_PROV_COLS = tuple(name for name, _ in _PROV if name != "pointer")
#: columns whose rows hold the raw JSON value, turned into text by :func:`_texts` per column
#: (most values are clean strings: one Arrow conversion instead of a Python call per value)
_RAW_TEXT = {
    "processes": {
        "title", "description", "tender_id", "tender_status", "procurement_method",
        "procurement_method_details", "main_category", "tender_currency", "tender_start",
        "tender_end", "date",
    },
    "awards": {"title", "description", "status", "date", "currency"},
    "contracts": {
        "title", "description", "status", "date_signed", "start_date", "end_date", "currency",
        "award_id",
    },
    "items": {
        "item_id", "description", "classification_id", "classification_description",
        "unit_name", "unit_currency",
    },
    "parties": {"country", "locality"},
}  # fmt: skip


def _texts(columns: dict[str, Sequence[Any]]) -> dict[str, pa.Array]:
    """``[text(v) for v in values]`` of each column as an Arrow string array, without a call
    per value where every value is already a clean string (or None)."""
    out: dict[str, pa.Array] = {}
    for name, values in columns.items():
        try:
            out[name] = pa.array(values, _STR)
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # numbers, objects ...: text() decides
            out[name] = pa.array([text(v) for v in values], _STR)
    # padded or empty values: text() decides. Arrow trims exactly the characters str.strip()
    # does (a test checks). One check for all columns (each compute call costs ~50 us), then
    # per column only if needed. (JSON has no bytes, which Arrow would take as text.)
    if out and _unclean(pa.chunked_array(list(out.values()), _STR)):
        for name, arr in out.items():
            if _unclean(arr):
                out[name] = pa.array([text(v) for v in columns[name]], _STR)
    return out


def _unclean(arr: pa.Array | pa.ChunkedArray) -> bool:
    """Whether some value is empty or has whitespace at either end."""
    length = pc.binary_length(arr)
    trimmed = pc.binary_length(pc.utf8_trim_whitespace(arr))
    return bool(pc.any(pc.or_(pc.equal(length, 0), pc.not_equal(length, trimmed))).as_py())


class Rows:
    """Row buffers for every extracted table; cheap to fill, converted once per batch."""

    def __init__(self) -> None:
        # one tuple per row (see _ROW_NAMES): a single append per row, columns made in arrow();
        # structs are tuples too (Arrow converts them 8x faster than dicts)
        self._rows: dict[str, list[tuple[Any, ...]]] = {t: [] for t in SCHEMAS}
        self._provs: list[Provenance] = []  # one per add(); rows end with its index
        self._prov_arrays: tuple[int, dict[str, pa.Array]] = (0, {})
        self.bad_values: Counter[str] = Counter()

    def __len__(self) -> int:
        return len(self._rows["processes"])

    def _number(self, value: Any, what: str) -> float | None:
        if value is None:
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        self.bad_values[what] += 1
        return None

    def arrow(self, table: str) -> pa.Table:
        rows = self._rows[table]
        names = _ROW_NAMES[table]
        types = _TYPES[table]
        raw = _RAW_TEXT.get(table, ())
        columns: list[Sequence[Any]] = list(zip(*rows, strict=True)) if rows else []
        if not columns:
            columns = [()] * (len(names) + 1)
        named = dict(zip(names, columns, strict=False))
        arrays: dict[str, pa.Array] = {
            name: pa.array(col, types[name]) for name, col in named.items() if name not in raw
        }
        arrays.update(_texts({name: col for name, col in named.items() if name in raw}))
        # provenance: one value per add(), spread to the rows by index (not a list per column)
        index = pa.array(columns[-1], pa.int32())
        for name, values in self._prov_columns().items():
            arrays[name] = values.take(index)
        schema = pa.schema(SCHEMAS[table])
        return pa.Table.from_arrays([arrays[name] for name in schema.names], schema=schema)

    def _prov_columns(self) -> dict[str, pa.Array]:
        """The provenance columns, one value per add() (made once for all tables)."""
        made, arrays = self._prov_arrays
        if made != len(self._provs) or not arrays:
            provs = self._provs
            arrays = {n: pa.array([getattr(p, n) for p in provs], _STR) for n in _PROV_COLS}
            self._prov_arrays = (len(provs), arrays)
        return arrays

    # -- extraction ---------------------------------------------------------------------------
    def add(self, rel: dict[str, Any], prov: Provenance) -> None:
        """Append the rows of one compiled release ``rel``."""
        ocid = rel["ocid"]
        base = _root(prov)
        pi = len(self._provs)
        self._provs.append(prov)
        rows = self._rows
        parties = self._parties(rel, ocid, base, pi)
        buyer = _obj(rel.get("buyer"))
        buyer_id = text(buyer.get("id"))
        if not buyer and parties:  # CompraNet names its buyer only through a party role
            buyer_id = next((pid for pid, p in parties.items() if "buyer" in p[1]), None)
            buyer = {"id": buyer_id, "name": parties[buyer_id][0]} if buyer_id else {}
        buyer_name = text(buyer.get("name"))
        if buyer:
            scheme, bid, _ = self._org_ident(buyer, parties)
            rows["buyers"].append((ocid, buyer_id, buyer_name, scheme, bid, f"{base}/buyer", pi))
        tender = _obj(rel.get("tender"))
        get = tender.get
        tvalue = _obj(get("value"))
        period = _obj(get("tenderPeriod"))
        amount = self._number(tvalue.get("amount"), "amount")
        rows["processes"].append(
            (
                ocid, get("title"), get("description"), get("id"), get("status"),
                get("procurementMethod"), get("procurementMethodDetails"),
                get("mainProcurementCategory"), amount, tvalue.get("currency"),
                period.get("startDate"), period.get("endDate"), buyer_id, buyer_name,
                rel.get("date"), prov.pointer, pi,
            )
        )  # fmt: skip
        self._items(get("items"), ocid, "tender", None, f"{base}/tender", pi)
        self._awards(rel, ocid, parties, base, pi)
        for i, con in enumerate(_list(rel.get("contracts"))):
            con = _obj(con)
            get = con.get
            ptr, value, cp = f"{base}/contracts/{i}", _obj(get("value")), _obj(get("period"))
            cid = text(get("id")) or str(i)
            amount = self._number(value.get("amount"), "amount")
            rows["contracts"].append(
                (
                    ocid, cid, get("awardID"), get("title"), get("description"), get("status"),
                    get("dateSigned"), cp.get("startDate"), cp.get("endDate"), amount,
                    value.get("currency"), ptr, pi,
                )
            )  # fmt: skip
            self._items(get("items"), ocid, "contract", cid, ptr, pi)

    def _parties(
        self, rel: dict[str, Any], ocid: str, base: str, pi: int
    ) -> dict[str, tuple[str | None, list[str], str | None, str | None]]:
        """Store parties; return id → (name, roles, scheme, identifier) for references."""
        found: dict[str, tuple[str | None, list[str], str | None, str | None]] = {}
        out = self._rows["parties"]
        for i, party in enumerate(_list(rel.get("parties"))):
            party = _obj(party)
            name = text(party.get("name")) or text(_obj(party.get("identifier")).get("legalName"))
            pid = text(party.get("id")) or f"name:{name}"
            scheme, ident, rejected = identifier(party.get("identifier"), party.get("id"))
            if rejected:
                self.bad_values["identifier not an RFC"] += 1
            more = party.get("additionalIdentifiers")
            extra = [
                (text(a.get("scheme")), text(a.get("id")))
                for a in _list(more)
                if isinstance(a, dict)
            ]
            if more is not None and not isinstance(more, list):
                self.bad_values["additionalIdentifiers not an array"] += 1
            address = _obj(party.get("address"))
            party_roles = roles(party.get("roles"))
            out.append(
                (
                    ocid, pid, name, party_roles, scheme, ident, extra,
                    address.get("countryName"), address.get("locality"),
                    f"{base}/parties/{i}", pi,
                )
            )  # fmt: skip
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
        parties: dict[str, tuple[str | None, list[str], str | None, str | None]], base: str,
        pi: int,
    ) -> None:  # fmt: skip
        out = self._rows["awards"]
        for i, award in enumerate(_list(rel.get("awards"))):
            award = _obj(award)
            get = award.get
            ptr, value = f"{base}/awards/{i}", _obj(get("value"))
            aid = text(get("id")) or str(i)
            amount = self._number(value.get("amount"), "amount")
            out.append(
                (
                    ocid, aid, get("title"), get("description"), get("status"), get("date"),
                    amount, value.get("currency"), ptr, pi,
                )
            )  # fmt: skip
            self._suppliers(get("suppliers"), ocid, aid, f"{ptr}/suppliers", parties, pi)
            self._items(get("items"), ocid, "award", aid, ptr, pi)
        if rel.get("awards"):
            return
        # CompraNet (ocds-07smqs) puts suppliers on contracts and publishes no awards: the
        # contract's awardID stands for the award so suppliers are not lost.
        for i, con in enumerate(_list(rel.get("contracts"))):
            con = _obj(con)
            aid = text(con.get("awardID")) or text(con.get("id")) or str(i)
            ptr = f"{base}/contracts/{i}/suppliers"
            self._suppliers(con.get("suppliers"), ocid, aid, ptr, parties, pi)

    def _suppliers(
        self, suppliers: Any, ocid: str, aid: str, ptr: str,
        parties: dict[str, tuple[str | None, list[str], str | None, str | None]], pi: int,
    ) -> None:  # fmt: skip
        out = self._rows["award_suppliers"]
        for j, sup in enumerate(_list(suppliers)):
            sup = _obj(sup)
            scheme, ident, _ = self._org_ident(sup, parties)
            sid = text(sup.get("id"))
            name = text(sup.get("name")) or (parties[sid][0] if sid in parties else None)
            out.append((ocid, aid, sid, name, scheme, ident, f"{ptr}/{j}", pi))

    def _items(
        self, items: Any, ocid: str, parent: str, parent_id: str | None, ptr: str, pi: int
    ) -> None:
        out = self._rows["items"]
        number = self._number
        for k, item in enumerate(_list(items)):
            item = _obj(item)
            get = item.get
            cls, unit = _obj(get("classification")), _obj(get("unit"))
            uvalue = _obj(unit.get("value"))
            more = get("additionalClassifications")
            extra = [
                (_scheme(a.get("scheme")), text(a.get("id")), text(a.get("description")))
                for a in _list(more) if isinstance(a, dict)
            ] if more else []  # fmt: skip
            quantity = get("quantity")
            if type(quantity) is not float:
                quantity = number(quantity, "quantity")
            amount = uvalue.get("amount")
            if type(amount) is not float:
                amount = number(amount, "amount")
            out.append(
                (
                    ocid, parent, parent_id, get("id"), get("description"),
                    _scheme(cls.get("scheme")), cls.get("id"), cls.get("description"), extra,
                    quantity, unit.get("name"), amount, uvalue.get("currency"),
                    f"{ptr}/items/{k}", pi,
                )
            )  # fmt: skip


def _scheme(value: Any) -> str | None:
    """Classification schemes compare case-insensitively (INAI writes ``CUCoP``)."""
    scheme = text(value)
    return scheme.upper() if scheme else None
