"""Numbers in organisation names, one form on both sides: "No. 54", "54th", "Fifty-Fourth" → "54".

Reach for :func:`numerals` on a name's folded tokens before they are compared: numbered bodies
("The 54th Research Institute", "No. 7 Research Institute", "Second Academy") are written with
digits, ordinal suffixes, ordinal words or a number sign, and only the number tells one from its
sibling. Every form becomes the plain digits, which then must agree exactly (a token under five
letters is never fuzzy-matched), so "55th" never meets "54th". English and Spanish ordinal words
(Merriam-Webster; Real Academia Española, "ordinales") and the number signs "no", "nr", "num",
"número", "nº" are what the names on lists and procurement records use.
"""

from __future__ import annotations

import re

_UNITS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "primero": 1, "primera": 1, "segundo": 2, "segunda": 2, "tercero": 3,
    "tercera": 3, "cuarto": 4, "cuarta": 4, "quinto": 5, "quinta": 5, "sexto": 6, "sexta": 6,
    "septimo": 7, "septima": 7, "octavo": 8, "octava": 8, "noveno": 9, "novena": 9,
    "decimo": 10, "decima": 10,
}  # fmt: skip
_TENS = {
    "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60,
    "seventieth": 70, "eightieth": 80, "ninetieth": 90,
}  # fmt: skip
#: a tens word before a unit ordinal: "fifty-fourth" → 50 + 4
_TENS_PREFIX = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
                "seventy": 70, "eighty": 80, "ninety": 90}  # fmt: skip
_SIGNS = {"no", "nr", "num", "numero", "n", "no°", "nº"}
_ORDINAL_DIGITS = re.compile(r"^(\d+)(?:st|nd|rd|th|o|a|er|eme|e)$")


def numerals(words: list[str]) -> list[str]:
    """Folded tokens with every number in digits and number signs dropped before digits."""
    out: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if word in _SIGNS and (nxt.isdigit() or _ORDINAL_DIGITS.match(nxt)):
            i += 1  # "No. 54" → "54"
            continue
        if word in _TENS_PREFIX and nxt in _UNITS and _UNITS[nxt] < 10:
            out.append(str(_TENS_PREFIX[word] + _UNITS[nxt]))
            i += 2
            continue
        found = _ORDINAL_DIGITS.match(word)
        if found:
            out.append(str(int(found.group(1))))
        elif word in _UNITS or word in _TENS:
            out.append(str(_UNITS.get(word) or _TENS[word]))
        else:
            out.append(word)
        i += 1
    return out
