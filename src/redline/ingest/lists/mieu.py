"""BIS military-intelligence end users (OpenSanctions ``mieu.csv``: Type, Name, Alias,
Country, Date, End date, Source URL).

Reach for this for ``us_bis_military_intelligence_end_users_mieu.csv``.
"""

from __future__ import annotations

from pathlib import Path

from redline.ingest.lists.records import ListRow, read_csv, split_list

COLUMNS = {"Type", "Name", "Alias", "Country", "Date", "End date", "Source URL"}


def read(path: Path, rel: str, list_code: str) -> list[ListRow]:
    return [
        ListRow(
            list_code=list_code,
            file=rel,
            row=f"row {number}",
            name=r["Name"],
            schema=r["Type"] or "Organization",
            aliases=split_list(r["Alias"]),
            country=r["Country"] or None,
            start=r["Date"] or None,
            end=r["End date"] or None,
            source_url=r["Source URL"] or None,
        )
        for number, r in read_csv(path, rel, COLUMNS)
        if r["Name"]
    ]
