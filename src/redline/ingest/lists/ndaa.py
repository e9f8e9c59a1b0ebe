"""NDAA named-entity lists (s.889, s.1286, s.154, s.5949) in the OpenSanctions special_leg
format: ``schema,name,aliases,...,start-date,end-date,country,notes,source_url``.

Reach for this for the ``us_ndaa_section_*_entities.csv`` files. ``start-date`` is when the
prohibition applies (s.154: "October 1, 2027"); ``report-date`` when the list was published,
used only when no start date is given.
"""

from __future__ import annotations

from pathlib import Path

from redline.ingest.lists.records import ListRow, read_csv, split_list

COLUMNS = {"schema", "name", "aliases", "reason", "report-date", "start-date", "end-date",
           "country", "notes", "source_url"}  # fmt: skip


def read(path: Path, rel: str, list_code: str) -> list[ListRow]:
    return [
        ListRow(
            list_code=list_code,
            file=rel,
            row=f"row {number}",
            name=r["name"],
            schema=r["schema"] or "Company",
            aliases=split_list(r["aliases"]),
            country=r["country"] or None,
            start=r["start-date"] or r["report-date"] or None,
            end=r["end-date"] or None,
            source_url=r["source_url"] or None,
            reason=r["reason"] or r["notes"] or None,
        )
        for number, r in read_csv(path, rel, COLUMNS)
        if r["name"]
    ]
