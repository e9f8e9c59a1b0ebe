"""NDAA named-entity lists (s.889, s.1286, s.154, s.5949) in the OpenSanctions special_leg
format: ``schema,name,aliases,...,start-date,end-date,country,notes,source_url``.

Reach for this for the ``us_ndaa_section_*_entities.csv`` files. ``start-date`` is when the
prohibition applies (s.154: "October 1, 2027"); ``report-date`` when the list was published,
used only when no start date is given.
"""

from __future__ import annotations

from pathlib import Path

from redline.ingest.lists.records import FlatColumns, ListRow, read_flat

COLUMNS = FlatColumns(
    name="name",
    schema="schema",
    default_schema="Company",
    aliases="aliases",
    country="country",
    start=("start-date", "report-date"),
    end="end-date",
    source_url="source_url",
    reason=("reason", "notes"),
)


def read(path: Path, rel: str, list_code: str) -> list[ListRow]:
    return read_flat(path, rel, list_code, COLUMNS)
