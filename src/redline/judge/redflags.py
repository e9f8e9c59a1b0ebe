"""Procurement red flags: how an award was made, as set-based steps over the store.

Reach for :func:`red_flags` to read, for every compiled record in the store, the flags OCP's
Cardinal documents (written here from its definitions, since its Python package exposes only
field coverage) and the Mexican direct award by legal exception, each with the fields and the
threshold it rests on; and for :func:`coverage` to say, per publisher, how many records carry
the fields a flag needs (many don't: the events table carries none, ComprasMX no tender
period end nor tenderers). Example: ComprasMX's record ``redline-comprasmx-AA-50-GYR-…``
(``Tipo Procedimiento`` "ADJUDICACIÓN DIRECTA POR CASO FORTUITO O FUERZA MAYOR",
``Artículo de excepción`` "ART. 54 FR. II") raises ``MX-DIRECT`` with that article as
evidence.

Definitions (thresholds as Cardinal's defaults):

- ``R003`` short submission period: ``tender.procurementMethod`` is "open" and
  ``tenderPeriod.endDate − tenderPeriod.startDate`` < 15 days
  (https://cardinal.readthedocs.io/en/latest/cli/indicators/R/003.html; the code ``r003.rs``
  takes whole days, ``num_days``).
- ``R018`` single bid: ``tender.procurementMethod`` is "open" or "selective" and
  ``tender.numberOfTenderers`` = 1
  (https://cardinal.readthedocs.io/en/latest/cli/indicators/R/018.html).
- ``MX-DIRECT`` direct award by exception (not a Cardinal indicator; LAASSP art. 41/42 and
  LOPSRM art. 42/43 allow it as an exception to open tender): ``procurementMethod`` "direct",
  or ``procurementMethodDetails`` starting "Adjudicación directa"; the rationale and legal basis
  (the exception article) are its evidence. Contracts between public bodies are not flagged.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from redline.model import RiskComponent

CARDINAL = "https://cardinal.readthedocs.io/en/latest/cli/indicators/R/"
R003_THRESHOLD_DAYS = 15
POINTS_PER_FLAG = 5
MAX_POINTS = 10

#: one row per compiled record: the fields the flags read, each NULL when absent
_FIELDS = """
SELECT d.ocid, c.publisher,
       d.data->>'$.tender.procurementMethod' AS method,
       d.data->>'$.tender.procurementMethodDetails' AS details,
       d.data->>'$.tender.procurementMethodRationale' AS rationale,
       d.data->>'$.tender.legalBasis.description' AS article,
       TRY_CAST(d.data->>'$.tender.tenderPeriod.startDate' AS TIMESTAMPTZ) AS period_start,
       TRY_CAST(d.data->>'$.tender.tenderPeriod.endDate' AS TIMESTAMPTZ) AS period_end,
       TRY_CAST(d.data->>'$.tender.numberOfTenderers' AS BIGINT) AS tenderers
FROM ocds_compiled_data d JOIN ocds_compiled c USING (ocid)
"""

_FLAGS = f"""
WITH f AS ({_FIELDS}),
direct AS (
  SELECT *, (method = 'direct'
             OR strip_accents(lower(details)) LIKE 'adjudicacion directa%') AS is_direct
  FROM f)
SELECT ocid, 'R003' AS flag, publisher,
       'tender period of ' || date_diff('day', period_start, period_end) || ' days (< {
    R003_THRESHOLD_DAYS
}) in an open procedure' AS detail,
       {{'method': method, 'tenderPeriod.startDate': CAST(period_start AS VARCHAR),
        'tenderPeriod.endDate': CAST(period_end AS VARCHAR)}} AS fields
FROM f
WHERE method = 'open' AND period_start IS NOT NULL AND period_end IS NOT NULL
  AND date_diff('day', period_start, period_end) < {R003_THRESHOLD_DAYS}
UNION ALL
SELECT ocid, 'R018', publisher, 'one tenderer in a competitive (' || method || ') procedure',
       {{'method': method, 'numberOfTenderers': CAST(tenderers AS VARCHAR)}}
FROM f WHERE method IN ('open', 'selective') AND tenderers = 1
UNION ALL
SELECT ocid, 'MX-DIRECT', publisher,
       'direct award' || coalesce(' under ' || article, '') ||
       coalesce(': ' || coalesce(rationale, details), ''),
       {{'method': method, 'procurementMethodDetails': details,
        'procurementMethodRationale': rationale, 'legalBasis.description': article}}
FROM direct WHERE is_direct
ORDER BY 1, 2
"""


@dataclass(frozen=True)
class RedFlag:
    """One flag on one record: which, why in words, and the fields it read (as stored)."""

    ocid: str
    flag: str
    publisher: str | None
    detail: str
    fields: dict[str, str | None]

    @property
    def definition(self) -> str:
        """Where the flag is defined (Cardinal's page, or this module for MX-DIRECT)."""
        if self.flag.startswith("R"):
            return f"{CARDINAL}{self.flag[1:]}.html"
        return "redline.judge.redflags (LAASSP art. 41/42 exceptions)"


@dataclass(frozen=True)
class Coverage:
    """Per publisher: records, and how many carry the fields each flag needs."""

    publisher: str | None
    records: int
    with_method: int
    with_period: int  # both tender period dates (R003)
    with_tenderers: int  # numberOfTenderers (R018)
    with_details: int  # procurementMethodDetails (MX-DIRECT on Mexican exports)
    flagged: int


def red_flags(conn: duckdb.DuckDBPyConnection) -> list[RedFlag]:
    """Every flag on every compiled record of the store, ordered by ocid and flag."""
    rows = conn.execute(_FLAGS).fetchall()
    return [
        RedFlag(str(o), str(f), p, str(d), {k: v for k, v in fs.items() if v is not None})
        for o, f, p, d, fs in rows
    ]


def coverage(conn: duckdb.DuckDBPyConnection) -> list[Coverage]:
    """How far each publisher's records let the flags be computed (see the module docstring)."""
    # one pass over the records: the flags' conditions again, as in _FLAGS
    rows = conn.execute(
        f"""
        SELECT publisher, count(*), count(method),
               count(*) FILTER (period_start IS NOT NULL AND period_end IS NOT NULL),
               count(tenderers), count(details),
               count(*) FILTER (
                 (method = 'open' AND date_diff('day', period_start, period_end)
                                      < {R003_THRESHOLD_DAYS})
                 OR (method IN ('open', 'selective') AND tenderers = 1)
                 OR method = 'direct'
                 OR strip_accents(lower(details)) LIKE 'adjudicacion directa%')
        FROM ({_FIELDS}) GROUP BY publisher ORDER BY publisher
        """
    ).fetchall()
    return [Coverage(p, *map(int, rest)) for p, *rest in rows]


#: per record, which flags its fields let be computed (a flag whose method rules it out is
#: computed, as "not raised"; one whose other fields are missing is not)
_COMPUTABLE = f"""
SELECT ocid,
       method IS NOT NULL AND (method <> 'open' OR (period_start IS NOT NULL
                                                    AND period_end IS NOT NULL)) AS r003,
       method IS NOT NULL AND (method NOT IN ('open', 'selective') OR tenderers IS NOT NULL),
       method IS NOT NULL OR details IS NOT NULL
FROM ({_FIELDS}) WHERE list_contains(?, ocid)
"""
FLAG_IDS = ("R003", "R018", "MX-DIRECT")
#: the fields each flag reads, named in a "not computed" component
NEEDS = {
    "R003": "tender.procurementMethod, tenderPeriod.startDate and endDate",
    "R018": "tender.procurementMethod, numberOfTenderers",
    "MX-DIRECT": "tender.procurementMethod or procurementMethodDetails",
}


@dataclass(frozen=True)
class RecordFlags:
    """One record's procurement context: the flags raised and the flags its fields let be
    computed (a flag not computable is unknown, not clean)."""

    ocid: str
    flags: tuple[RedFlag, ...] = ()
    computed: tuple[str, ...] = ()


def record_flags(conn: duckdb.DuckDBPyConnection, ocids: list[str]) -> dict[str, RecordFlags]:
    """The procurement context of each of ``ocids`` held in the store, read in two queries
    (once per screen); an ocid missing from the answer is not a compiled record."""
    wanted = sorted(set(ocids))
    rows = conn.execute(_COMPUTABLE, [wanted]).fetchall()
    computed = {str(o): tuple(f for f, ok in zip(FLAG_IDS, oks, strict=True) if ok)
                for o, *oks in rows}  # fmt: skip
    raised: dict[str, list[RedFlag]] = {}
    sql = f"SELECT * FROM ({_FLAGS}) WHERE list_contains(?, ocid)"
    for row in conn.execute(sql, [wanted]).fetchall():
        o, f, p, d, fs = row
        raised.setdefault(str(o), []).append(
            RedFlag(str(o), str(f), p, str(d), {k: v for k, v in fs.items() if v is not None})
        )
    return {o: RecordFlags(o, tuple(raised.get(o, ())), c) for o, c in computed.items()}


FORMULA = (
    f"min({MAX_POINTS}, {POINTS_PER_FLAG} × distinct red flags of the record: R003 short "
    "submission period (open, tender period < 15 days), R018 single bid (open/selective, one "
    "tenderer), MX-DIRECT direct award by exception; not computed when the record carries none "
    "of the fields the flags read"
)


def procurement_component(
    flags: tuple[RedFlag, ...], computed: tuple[str, ...] = FLAG_IDS
) -> RiskComponent:
    """The risk component of a finding's record: 5 points per distinct flag, at most 10.

    ``computed`` names the flags the record's fields allow; with none, the component is
    "not computed" (``computed=False``, 0 points): unknown, not clean."""
    kinds = sorted({f.flag for f in flags})
    inputs: dict[str, str | float | int | None] = {}
    for k in kinds:  # what each flag says, then the fields it read ("R003 method": "open")
        first = next(f for f in flags if f.flag == k)
        inputs[k] = first.detail
        inputs |= {f"{k} {name}": value for name, value in first.fields.items()}
    for k in FLAG_IDS:
        if k not in computed:
            inputs[k] = f"not computed: the record lacks {NEEDS[k]}"
        elif k not in inputs:
            inputs[k] = "not raised"
    return RiskComponent(
        name="procurement_red_flags",
        points=float(min(MAX_POINTS, POINTS_PER_FLAG * len(kinds))),
        max_points=MAX_POINTS,
        formula=FORMULA,
        inputs=inputs,
        evidence=tuple(f"redflag:{f.ocid}/{f.flag}" for f in flags),
        computed=bool(computed),
    )
