"""FCC Covered List: each row names its company inside a sentence.

Reach for this for ``us_fcc_covered_list.csv``. "Telecommunications equipment produced by
Huawei Technologies Company, including ..." names Huawei Technologies Company; "services
provided by Pacific Networks Corp and its wholly-owned subsidiary ComNet (USA) LLC subject to
..." names both and says ComNet is wholly owned. Rows that name no company ("Routers produced
in a foreign country") give no row and are counted by the caller. The sentence is kept as the
Sanction's reason.
"""

from __future__ import annotations

import re
from pathlib import Path

from redline.ingest.lists.records import ListRow, read_csv

COLUMNS = {"covered_equipment_or_services", "date_of_inclusion_on_covered_list"}
_NAMED = re.compile(
    r"\b(?:produced|provided|supplied)(?:,? directly or indirectly,)?(?: or provided)? by "
    r"(?P<name>.+?)"
    r"(?: and its wholly-owned subsidiary (?P<sub>.+?))?"
    r"(?:,? (?:including|to the extent|subject to)\b| or any of its\b|\.?$)"
)


def company_names(sentence: str) -> tuple[str, list[str]] | None:
    """(company, wholly-owned subsidiaries) named in a Covered List sentence, or None."""
    m = _NAMED.search(sentence)
    if m is None:
        return None
    name = m.group("name").strip().rstrip(",")
    if name.lower().startswith("such entity"):
        return None
    subs = [m.group("sub").strip().rstrip(",")] if m.group("sub") else []
    return name, subs


def read(path: Path, rel: str, list_code: str) -> list[ListRow]:
    rows = []
    for number, r in read_csv(path, rel, COLUMNS):
        sentence = r["covered_equipment_or_services"]
        found = company_names(sentence)
        if found is None:
            continue
        # "December 22, 2025Updated:January 7, 2026": the first date is the inclusion
        start = r["date_of_inclusion_on_covered_list"].split("Updated")[0].strip()
        name, subs = found
        rows.append(
            ListRow(list_code=list_code, file=rel, row=f"row {number}", name=name,
                    start=start or None, reason=sentence, subsidiaries=subs)
        )  # fmt: skip
    return rows
