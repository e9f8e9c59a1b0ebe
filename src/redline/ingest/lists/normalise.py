"""Name keys used to decide that two list rows are the same entity.

Reach for :func:`name_key` when merging rows across lists: it folds case, accents and
punctuation, drops legal forms with rigour's org-type tables, and then drops trailing generic
company words that rigour keeps ("Company", "Corporation") because lists write the same firm
as "Huawei Technologies Company" (NDAA s.889) and "Huawei Technologies Co., Ltd." (1260H).
Example: both give ``"huawei technologies"``.
"""

from __future__ import annotations

import re

from rigour.names import remove_org_types
from rigour.text import ascii_text

_PUNCT = re.compile(r"[^\w\s]+")
_SPACE = re.compile(r"\s+")
# legal-form words that rigour leaves in place when they stand alone at the end of a name
_TRAILING = {"company", "co", "corporation", "corp", "limited", "ltd", "inc", "incorporated",
             "llc", "plc"}  # fmt: skip


def name_key(name: str, *, strip_trailing: bool = True) -> str:
    """Normalised name; empty when nothing distinctive is left.

    ``strip_trailing=False`` keeps "Company"/"Corporation": rows of one list are only merged
    on that stricter key, because one list can name a person and his firm ("Khalil Zadran",
    "Khalil Zadran Company" on the BIS Entity List) as two entries.
    """
    text = remove_org_types(name)
    text = ascii_text(text).casefold()
    text = _SPACE.sub(" ", _PUNCT.sub(" ", text)).strip()
    words = text.split()
    while strip_trailing and len(words) > 1 and words[-1] in _TRAILING:
        words.pop()
    return " ".join(words)
