"""Joint bids and consortia: one supplier string naming several companies.

Reach for :func:`members` when a procurement record names a bidder like ``"ACME, S.A. de C.V.
en participación conjunta con Obras del Golfo, S.A. de C.V."``, ``"Propuesta conjunta: COSCO
Shipping Lines (México) / Transportes del Golfo"`` or, as press and trackers write it, ``"Acme
Company (consortium with Beta and Gamma Software)"``: each member is screened on its own and a
match names the member. Only joint-bid markers split a name: "en participación conjunta con",
"en consorcio con", "y/o", "/" (not "24/7"), ";", the bid's own word ("Consorcio:", "Propuesta
conjunta") and "y" right after a legal form ("Rocha SA de CV y Visión Global SA de CV"). A
bare "y" is part of one firm's name (``"Servicios y Soluciones del Norte"``), never a split.

A parenthesis is a *member note* when it opens with a word that introduces partners (with, con,
consortium with, en consorcio con, junto con, y, and ...): the name before it is the head member
and the note lists the others, split on commas, "and", "y", "/" and ";". Any other parenthesis
is a qualifier of the name (an acronym, an alias, a country) and :mod:`variants` deals with it.
"""

from __future__ import annotations

import re

# "y" after a legal form joins two firms: "Rocha SA de CV y Vision Global SA de CV"
_FORMS_BEFORE = ("cv", "c.v.", "sa", "s.a.", "rl", "r.l.", "sc", "s.c.", "inc", "ltd", "llc",
                 "gmbh", "srl", "sapi")  # fmt: skip
_AFTER_FORM = (
    "(?:" + "|".join(rf"(?<=\b{re.escape(f)})" for f in _FORMS_BEFORE) + r")\.?,?\s+(?:y|and|&)\s+"
)
# phrases that introduce a joint bid; checked on the case-folded, accent-free text
_LEADS = re.compile(
    r"^\s*(propuesta\s+conjunta|proposicion\s+conjunta|consorcio|joint\s+venture|"
    r"joint\s+bid|asociacion\s+en\s+participacion)\s*[:\-–]?\s*",
    re.IGNORECASE,
)
# the joint-bid markers: only these split a name. A bare "y", "con" or "with" is part of one
# firm's name ("Servicios y Soluciones del Norte"), except in the two cases below
_SEPARATORS = re.compile(
    r"\s+en\s+participaci[oó]n\s+conjunta\s+con\s+|\s+en\s+consorcio\s+con\s+|"
    r"\s+conjuntamente\s+con\s+|\s+(?:in\s+)?consortium\s+with\s+|\s+jointly\s+with\s+|"
    r"\s+junto\s+con\s+|\s+together\s+with\s+|\s+y\s*/\s*o\s+|"
    r"(?<!\d)\s*/\s*(?!\d)|\s*;\s*|" + _AFTER_FORM,
    re.IGNORECASE,
)
# a legal form after a comma ends the same firm's name ("Camera Co., Ltd", "Rocha, S.A. de C.V.")
_FORM_AFTER_COMMA = (
    r"(?!(?:ltd|limited|inc|llc|corp|co|s\.?\s?a|s\.?\s?de|s\.?\s?c|gmbh|srl|sapi)\b)"
)
# inside a declared joint bid ("Consorcio: A, B y C") every list separator splits
_LISTED = re.compile(
    r"\s*,\s+(?=[^\W\d])" + _FORM_AFTER_COMMA + r"|\s+y\s+|\s+and\s+", re.IGNORECASE
)
# the words that open a member note: "(with Mota-Engil)", "(en consorcio con X y Y)"
_NOTE = re.compile(
    r"\(\s*(?:(?:in\s+)?(?:a\s+)?(?:consortium|joint\s+venture|jv)\s+(?:with|con)|"
    r"en\s+(?:consorcio|participaci[oó]n(?:\s+conjunta)?)\s+con|junto\s+con|"
    r"(?:together\s+|jointly\s+)?with|con|y|and|&)\s+([^()]+)\)",
    re.IGNORECASE,
)
# inside a note every list separator splits, "and" included ("Cruant and LTP Global Software")
_NOTE_SEPARATORS = re.compile(r"\s*[,;/]\s*|\s+and\s+|\s+y\s+|\s+&\s+", re.IGNORECASE)
#: members shorter than this (in letters) are fragments, not companies
MIN_MEMBER_LETTERS = 4


def member_note(text: str) -> bool:
    """True when a bracketed text names partners ("(with Beta)"), not a qualifier ("(UK)")."""
    return _NOTE.fullmatch(text if text.startswith("(") else f"({text})") is not None


def members(name: str) -> list[str]:
    """The member names of a joint bid, or ``[]`` when the name is a single company."""
    noted: list[str] = []
    for note in _NOTE.findall(name):
        noted.extend(_NOTE_SEPARATORS.split(note))
    unnoted = _NOTE.sub(" ", name)
    body = _LEADS.sub("", unnoted, count=1)
    split = _SEPARATORS.split(body)
    if body != unnoted:  # a declared joint bid: its list of members splits on "," and "y" too
        split = [p for part in split for p in _LISTED.split(part)]
    parts = [p.strip(" ,.:-") for p in [*split, *noted]]
    parts = [p for p in parts if sum(map(str.isalpha, p)) >= MIN_MEMBER_LETTERS]
    if len(parts) < 2 and body == name:
        return []
    if len(parts) == 1 and parts[0] == name.strip():
        return []
    return parts
