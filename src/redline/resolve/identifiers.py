"""Identifiers meet exactly, after validation: RFC (Mexico), USCC (China, check digit), LEI.

Reach for :func:`identifier_hits` when a query carries a registration number. It is classified
and canonicalised by the same function the list loader used (so both sides agree on the form);
an invalid value (bad check digit) cleans to nothing and never matches. :func:`identifier_vetoes`
is the other half: an identifier on both sides that differs decides against a name match, and a
Mexican RFC says whether the party is a person (13 characters) or a company (12).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import duckdb
import pyarrow as pa

from redline.model.values import classify_identifier
from redline.store.arrow_io import registered


def canonical(raw: str | None) -> tuple[str, str] | None:
    """(scheme, value) of a query identifier, or ``None`` when empty or invalid."""
    if not raw or not raw.strip():
        return None
    return classify_identifier(raw.strip())


def identifier_hits(
    conn: duckdb.DuckDBPyConnection, wanted: Sequence[tuple[int, str, str]]
) -> list[tuple[int, str, str, str]]:
    """(query index, entity id, scheme, value) for every (index, scheme, value) found."""
    if not wanted:
        return []
    table = pa.table(
        {
            "qidx": pa.array([w[0] for w in wanted], pa.int32()),
            "scheme": pa.array([w[1] for w in wanted], pa.string()),
            "value": pa.array([w[2] for w in wanted], pa.string()),
        }
    )
    with registered(conn, "rl_query_ids", table):
        rows = conn.execute(
            "SELECT q.qidx, i.entity_id, i.scheme, i.value FROM rl_query_ids q "
            "JOIN entity_identifiers i ON i.scheme = q.scheme AND i.value = q.value "
            "ORDER BY q.qidx, i.entity_id"
        ).fetchall()
    return [(int(r[0]), str(r[1]), str(r[2]), str(r[3])) for r in rows]


#: the RFC of an individual has 13 characters (4 letters of the name, the birth date, a 3-character
#: check); a company's 12 (3 letters, the date of incorporation, the check) — SAT's rule
PERSON_RFC_LENGTH = 13
#: FtM schemata that are organisations, never a person
ORGANISATIONS = ("Company", "Organization", "PublicBody")


def identifier_vetoes(
    conn: duckdb.DuckDBPyConnection,
    wanted: Sequence[tuple[int, str, str]],
    hits: Sequence[Mapping[str, object]],
) -> list[tuple[int, str]]:
    """(query index, entity id) of name hits an identifier rules out.

    ``wanted`` is (query index, scheme, value) of the queries carrying an identifier, ``hits``
    each query's entities found so far. A hit is ruled out when the entity has identifiers of
    the query's scheme and none is the query's ("an RFC on both sides decides"), or when the
    query's RFC says a person and the entity is not one, or a company and the entity is a
    person (the name of "JUAN CARLOS LEON" is no company's, whatever it meets).
    """
    rows = [(q, e, scheme, value) for q, scheme, value in wanted for e in hits[q]]
    if not rows:
        return []
    table = pa.table(
        {
            "qidx": pa.array([r[0] for r in rows], pa.int32()),
            "entity_id": pa.array([r[1] for r in rows], pa.string()),
            "scheme": pa.array([r[2] for r in rows], pa.string()),
            "value": pa.array([r[3] for r in rows], pa.string()),
        }
    )
    with registered(conn, "rl_query_hits", table):
        found = conn.execute(
            "SELECT h.qidx, h.entity_id, h.scheme, h.value, any_value(e.schema), "
            "count(i.value), count(i.value) FILTER (WHERE i.value = h.value) "
            "FROM rl_query_hits h JOIN entities e ON e.id = h.entity_id "
            "LEFT JOIN entity_identifiers i ON i.entity_id = h.entity_id AND i.scheme = h.scheme "
            "GROUP BY ALL ORDER BY h.qidx, h.entity_id"
        ).fetchall()
    out = []
    for qidx, entity_id, scheme, value, schema, theirs, same in found:
        differs = theirs > 0 and same == 0
        person = len(value) == PERSON_RFC_LENGTH
        # a LegalEntity may be either: only a schema that says which is ruled out
        kind_differs = scheme == "mx-rfc" and schema in (ORGANISATIONS if person else ("Person",))
        if differs or kind_differs:
            out.append((int(qidx), str(entity_id)))
    return out
