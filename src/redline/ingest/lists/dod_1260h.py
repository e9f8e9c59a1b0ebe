"""DoD Section 1260H list, as transcribed by OpenSanctions (one row per company per edition).

Reach for this for ``us_dod_1260h_chinese_military_companies.csv``. Each row is one edition's
entry: ``Start date`` is the edition, ``End date`` the removal; ``Parent Name`` names the
parent the list itself gives (we record an ownership edge with no percentage).
"""

from __future__ import annotations

from pathlib import Path

from redline.ingest.lists.records import ListRow, read_csv, split_list

COLUMNS = {"Name", "Clean Name", "Alias", "Previous Name", "Parent Name", "Start date",
           "End date", "Source Url", "Note"}  # fmt: skip


def read(path: Path, rel: str, list_code: str) -> list[ListRow]:
    rows = []
    for number, r in read_csv(path, rel, COLUMNS):
        rows.append(
            ListRow(
                list_code=list_code,
                file=rel,
                row=f"row {number}",
                name=r["Clean Name"] or r["Name"].rstrip("*"),
                aliases=split_list(r["Alias"]),
                previous_names=split_list(r["Previous Name"]),
                country="cn",  # the list names Chinese military companies only
                start=r["Start date"] or None,
                end=r["End date"] or None,
                source_url=r["Source Url"] or None,
                reason=r["Note"] or None,
                parent_name=r["Parent Name"] or None,
            )
        )
    return rows
