"""BIS military-intelligence end users (OpenSanctions ``mieu.csv``: Type, Name, Alias,
Country, Date, End date, Source URL).

Reach for this for ``us_bis_military_intelligence_end_users_mieu.csv``.
"""

from __future__ import annotations

from pathlib import Path

from redline.ingest.lists.records import FlatColumns, ListRow, read_flat

COLUMNS = FlatColumns(
    name="Name",
    schema="Type",
    default_schema="Organization",
    aliases="Alias",
    country="Country",
    start=("Date",),
    end="End date",
    source_url="Source URL",
)


def read(path: Path, rel: str, list_code: str) -> list[ListRow]:
    return read_flat(path, rel, list_code, COLUMNS)
