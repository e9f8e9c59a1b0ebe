"""Who is screened: every award supplier, and every party with role supplier or tenderer.

Reach for :func:`read_candidates` to get them from the store, each with the award's date (its
own, else its contract's signature, else the tender's), the contract's signature date, value
and buyer and the OCDS record it was read from. A tenderer or supplier party that is not
on an award is screened against the process as a whole (``award_id`` None, dated by its
tender period).
"""

from __future__ import annotations

from functools import cache

import pyarrow as pa
from rigour.territories import lookup_territory

from redline.judge.findings import Candidate
from redline.model import ReleaseEvidence
from redline.store.arrow_io import registered
from redline.store.db import Store

_SQL = """
WITH award_facts AS (
    SELECT a.ocid, a.award_id,
           any_value(a.date) AS date, any_value(a.amount) AS amount,
           any_value(a.currency) AS currency
    FROM awards a GROUP BY a.ocid, a.award_id
), contract_facts AS (
    SELECT ocid, award_id, min(date_signed) AS date_signed,
           any_value(amount) AS amount, any_value(currency) AS currency
    FROM contracts WHERE award_id IS NOT NULL GROUP BY ocid, award_id
), party_country AS (
    SELECT ocid, party_id, min(country) AS country FROM parties
    WHERE country IS NOT NULL AND trim(country) <> '' GROUP BY ocid, party_id
), on_awards AS (
    SELECT s.ocid, s.award_id, s.party_id, s.name, s.identifier_id,
           -- never the release date: it says when a record was published (or, for a tracker
           -- row, first seen), not when the award was made; unknown stays unknown
           coalesce(af.date, cf.date_signed, p.tender_end, p.tender_start) AS day,
           coalesce(af.amount, cf.amount) AS amount,
           CASE WHEN af.amount IS NOT NULL THEN af.currency ELSE cf.currency END AS currency,
           p.buyer_name, s.release_id, s.publisher, s.source_file, s.pointer, pc.country,
           cf.date_signed AS signed, af.date IS NULL AS undated
    FROM award_suppliers s
    LEFT JOIN award_facts af ON af.ocid = s.ocid AND af.award_id = s.award_id
    LEFT JOIN contract_facts cf ON cf.ocid = s.ocid AND cf.award_id = s.award_id
    LEFT JOIN processes p ON p.ocid = s.ocid
    LEFT JOIN party_country pc ON pc.ocid = s.ocid AND pc.party_id = s.party_id
    WHERE s.name IS NOT NULL AND trim(s.name) <> '' {on_awards}
), party_only AS (
    SELECT pa.ocid, NULL::VARCHAR AS award_id, pa.party_id, pa.name, pa.identifier_id,
           coalesce(p.tender_end, p.tender_start) AS day, NULL::DOUBLE AS amount,
           NULL::VARCHAR AS currency, p.buyer_name,
           pa.release_id, pa.publisher, pa.source_file, pa.pointer, pa.country,
           NULL::TIMESTAMPTZ AS signed, TRUE AS undated
    FROM parties pa LEFT JOIN processes p ON p.ocid = pa.ocid
    WHERE (list_contains(pa.roles, 'supplier') OR list_contains(pa.roles, 'tenderer'))
      AND pa.name IS NOT NULL AND trim(pa.name) <> '' {party_only}
      AND NOT EXISTS (
          SELECT 1 FROM award_suppliers s WHERE s.ocid = pa.ocid
            AND (s.party_id = pa.party_id OR lower(trim(s.name)) = lower(trim(pa.name))))
)
SELECT DISTINCT ocid, award_id, party_id, trim(name), identifier_id, CAST(day AS DATE), amount,
       currency, buyer_name, release_id, publisher, source_file, pointer, country,
       CAST(signed AS DATE), undated
FROM (SELECT * FROM on_awards UNION ALL SELECT * FROM party_only)
ORDER BY ocid, award_id NULLS LAST, party_id, 4
"""


@cache
def _country(value: str | None) -> str | None:
    """'México', 'MX' or 'Mexico' → 'mx'; an unknown value cleans to None."""
    territory = lookup_territory(value) if value else None
    return territory.code if territory else None


def read_candidates(store: Store, ocids: pa.Table | None = None) -> list[Candidate]:
    """Every supplier and tenderer in the store, in a stable order; only those of the records
    in ``ocids`` (a table with column ``ocid``, e.g. from the engine's prefilter) when given."""
    if ocids is None:
        rows = store.conn.execute(_SQL.format(on_awards="", party_only="")).fetchall()
    else:
        with registered(store.conn, "rl_candidate_ocids", ocids) as scope:
            sql = _SQL.format(
                on_awards=f"AND s.ocid IN (SELECT ocid FROM {scope})",
                party_only=f"AND pa.ocid IN (SELECT ocid FROM {scope})",
            )
            rows = store.conn.execute(sql).fetchall()
    found: dict[tuple[str, str | None, str], Candidate] = {}
    for (
        ocid,
        award_id,
        party_id,
        name,
        ident,
        day,
        amount,
        currency,
        buyer,
        rid,
        pub,
        f,
        ptr,
        country,
        signed,
        undated,
    ) in rows:
        candidate = Candidate(
            ocid=ocid,
            award_id=award_id,
            party_id=party_id,
            name=name,
            identifier=ident,
            award_date=day,
            amount=amount,
            currency=currency,
            buyer_name=buyer,
            release=ReleaseEvidence(ocid, rid, pub, f, ptr),
            country=_country(country),
            signed_date=signed,
            award_dated=not undated,
        )
        # one row per supplier per award even if the party appears in several releases
        found.setdefault((ocid, award_id, candidate.key), candidate)
    return list(found.values())
