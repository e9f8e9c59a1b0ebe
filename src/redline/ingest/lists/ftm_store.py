"""Write FollowTheMoney entities into the watchlist tables (store/sql/003_watchlist.sql).

Reach for this when you hold FtM proxies (from a JSON Lines file or built from a list) and
want them in ``entities`` / ``entity_identifiers`` / ``listings`` / ``ownership``. The row
builders are pure; :func:`insert_rows` and :func:`clear_dataset` touch the connection. Example:
a ``Sanction`` on entity ``rl-huawei`` with ``startDate`` ``2021-03-12`` becomes one
``listings`` row with ``start_date`` 2021-03-12 and the whole Sanction kept in ``ftm``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import duckdb
import orjson
import pyarrow as pa
from followthemoney import EntityProxy

from redline.model.values import classify_identifier, to_date
from redline.store.arrow_io import insert

NAME_PROPS = ("name", "alias", "previousName", "weakAlias", "abbreviation")
COUNTRY_PROPS = ("country", "jurisdiction", "mainCountry")
#: FtM identifier property → the scheme its values must validate as (None: detect by shape)
ID_PROPS: dict[str, str | None] = {
    "leiCode": "lei",
    "uscCode": "cn-uscc",
    "innCode": "ru-inn",
    "registrationNumber": None,
    "taxNumber": None,
    "idNumber": None,
    "vatCode": None,
    "uniqueEntityId": "us-uei",
}
_TABLES = ("entity_identifiers", "listings", "ownership", "entities")
#: the tables that hold the watchlists (what a scratch store copies to screen against them)
WATCHLIST_TABLES = _TABLES


def copy_lists(source: duckdb.DuckDBPyConnection, target: duckdb.DuckDBPyConnection) -> None:
    """Every row of the watchlist tables of ``source`` into those of ``target`` (by column
    name): a scratch store screened against the lists of a store it must not write to."""
    for table in _TABLES:
        insert(target, table, source.execute(f'SELECT * FROM "{table}"').to_arrow_table())


def values(proxy: EntityProxy, *props: str) -> list[str]:
    """Every value of the given properties that exist on the proxy's schema, de-duplicated."""
    seen: dict[str, None] = {}
    for prop in props:
        if prop in proxy.schema.properties:
            for value in proxy.get(prop):
                seen.setdefault(value, None)
    return list(seen)


def first(proxy: EntityProxy, *props: str) -> str | None:
    found = values(proxy, *props)
    return found[0] if found else None


def _json(proxy: EntityProxy) -> str:
    return orjson.dumps(proxy.to_dict()).decode()


def entity_row(
    proxy: EntityProxy,
    *,
    dataset: str,
    merged_from: Sequence[str] | None = None,
    merge_reason: str | None = None,
) -> dict[str, Any]:
    """The ``entities`` row of a legal entity (Company, Organization, Person ...)."""
    names = values(proxy, *NAME_PROPS)
    return {
        "id": proxy.id,
        "schema": proxy.schema.name,
        "caption": proxy.caption,
        "names": names,
        "countries": values(proxy, *COUNTRY_PROPS),
        "dataset": dataset,
        "merged_from": list(merged_from) if merged_from else None,
        "merge_reason": merge_reason,
        "ftm": _json(proxy),
    }


def identifier_rows(proxy: EntityProxy, *, source: str | None) -> tuple[list[dict[str, Any]], int]:
    """Validated identifiers of an entity, and how many values were dropped as invalid."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    dropped = 0
    for prop, hint in ID_PROPS.items():
        for raw in values(proxy, prop):
            found = classify_identifier(raw, hint)
            if found is None:
                dropped += 1
                continue
            scheme, value = found
            rows[(scheme, value)] = {
                "entity_id": proxy.id,
                "scheme": scheme,
                "value": value,
                "source": source,
            }
    return list(rows.values()), dropped


def listing_row(
    sanction: EntityProxy,
    *,
    entity_id: str,
    dataset: str,
    list_code: str,
    list_name: str,
    legal_basis: str | None = None,
    source_file: str | None = None,
    source_row: str | None = None,
    listing_id: str | None = None,
) -> dict[str, Any]:
    """The ``listings`` row of a Sanction/Risk. The effective start (``startDate``) wins over
    ``listingDate``: NDAA s.154 was enacted in 2023 but bites from 2027-10-01."""
    start = first(sanction, "startDate", "listingDate", "date")
    end = first(sanction, "endDate")
    return {
        "listing_id": listing_id or sanction.id,
        "entity_id": entity_id,
        "list_code": list_code,
        "list_name": list_name,
        "authority": first(sanction, "authority"),
        "program": first(sanction, "program"),
        "legal_basis": legal_basis,
        "reason": first(sanction, "reason"),
        "start_date": to_date(start),
        "end_date": to_date(end),
        "start_text": start,
        "end_text": end,
        "source_url": first(sanction, "sourceUrl", "programUrl"),
        "source_file": source_file,
        "source_row": source_row,
        "dataset": dataset,
        "ftm": _json(sanction),
    }


def edge_row(
    link: EntityProxy,
    *,
    child_id: str,
    parent_id: str,
    relation: str,
    dataset: str,
    source: str | None,
    percentage: float | None = None,
    edge_id: str | None = None,
) -> dict[str, Any]:
    """The ``ownership`` row of an Ownership/Control link (child = asset, parent = owner)."""
    return {
        "edge_id": edge_id or link.id,
        "child_id": child_id,
        "parent_id": parent_id,
        "relation": relation,
        "percentage": percentage,
        "start_date": to_date(first(link, "startDate", "date")),
        "end_date": to_date(first(link, "endDate")),
        "source": source,
        "source_url": first(link, "sourceUrl"),
        "dataset": dataset,
        "ftm": _json(link),
    }


def clear_dataset(conn: duckdb.DuckDBPyConnection, dataset: str) -> None:
    """Delete every watchlist row of ``dataset`` (before a reload replaces them)."""
    conn.execute(
        "DELETE FROM entity_identifiers WHERE entity_id IN "
        "(SELECT id FROM entities WHERE dataset = ?)",
        [dataset],
    )
    for table in _TABLES[1:]:
        conn.execute(f"DELETE FROM {table} WHERE dataset = ?", [dataset])


def insert_rows(conn: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, Any]]) -> None:
    """Bulk insert through Arrow (row-by-row ``executemany`` is slow in DuckDB)."""
    if not rows:
        return
    if table not in _TABLES:
        raise ValueError(f"not a watchlist table: {table}")
    insert(conn, table, pa.Table.from_pylist(rows))


@contextmanager
def atomic(conn: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """A transaction, unless the caller already opened one (then theirs decides)."""
    try:
        conn.execute("BEGIN TRANSACTION")
    except duckdb.TransactionException:
        yield
        return
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
