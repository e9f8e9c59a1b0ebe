"""Organisation names → comparable tokens, the same way on both sides of a match.

Reach for :func:`tokens` to turn any organisation name (Spanish, English or Latin-script Chinese)
into its comparable tokens: ``"CHINA STATE SHIPBLDG CORP LTD"`` and ``"China State
Shipbuilding Corporation Limited"`` both become ``("china", "state", "shipbuilding")``. Legal
forms go (rigour's org-type data first, then our own list for forms left mid-name), accents and
case go, abbreviations and spelling variants map to one form, plurals fold. Han characters are
left out here: :mod:`redline.resolve.variants` renders them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rigour.names import remove_org_types
from rigour.territories import lookup_territory
from rigour.territories.lookup import lookup_by_identifier
from rigour.territories.util import normalize_territory_name

from redline.resolve.numerals import numerals
from redline.resolve.vocab import WEIGHT_LOW, vocab

#: a token this long is looked up as a country name ("australia", "mexico"); shorter ones only
#: when the reviewed place list has them ("uk", "us"), since "in", "ca" or "it" are words too
COUNTRY_NAME_MIN = 4

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# a token is a run of letters/digits; Han is split off so it never glues to Latin text
_LATIN_MARKS = re.compile(r"[\u0300-\u036f]")
_TOKEN = re.compile(r"[^\W_\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def has_han(text: str) -> bool:
    """True when the text holds at least one Han character (only then is pypinyin needed)."""
    return _HAN.search(text) is not None


def han_runs(text: str) -> list[str]:
    """The runs of Han characters in a text, in order."""
    return _HAN_RUN.findall(unicodedata.normalize("NFKC", text))


def fold(text: str) -> str:
    """Unicode-compatible, case-folded, accents removed; punctuation kept (callers split)."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("&", " and ")
    # "S.A.B. de C.V." → "sab de cv": dotted initials must close up before forms are matched
    text = text.replace(".", "")
    # the Latin accents by one regex (most names need nothing more); a per-character pass only
    # for what is left outside ASCII (Han, Cyrillic), as it costs a Python call per character
    text = _LATIN_MARKS.sub("", unicodedata.normalize("NFKD", text))
    if text.isascii():
        return text
    return "".join(c for c in text if not unicodedata.combining(c))


def _stem(token: str) -> str:
    # English plural folding only: enough to meet "Industries"/"Industry", "Technologies"
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 4 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


@lru_cache(maxsize=65536)
def canon(token: str) -> str:
    """One token in its canonical form: abbreviation expanded, spelling unified, plural folded.

    Returns "" for a token that carries no identity (legal form, stop word).
    """
    v = vocab()
    token = v.spellings.get(token, token)
    token = v.abbreviations.get(token, token)
    token = v.spellings.get(token, token)
    if not token or token in v.legal_forms or token in v.stopwords:
        return ""
    return _stem(token)


def raw_tokens(text: str) -> list[str]:
    """Folded Latin tokens before any mapping (legal forms still in)."""
    return _TOKEN.findall(fold(text))


def _multi_word(parts: list[str]) -> list[str]:
    # an expansion may be several words ("import and export"); canonise each again
    out: list[str] = []
    for part in parts:
        out.extend(w for w in (canon(x) for x in part.split()) if w)
    return out


# a legal form glued to the name it follows: "ThalesS.A.", "RheinmetallAG", "AcmeGmbH"
_GLUED_FORM = re.compile(r"(?<=[a-z])(?=(?:(?:[A-Z]\.){1,3}|AG|SA|SE|KG|LLC|JSC|PLC|GmbH)(?:\W|$))")
#: an all-letters token this long or longer may hide a legal form or organisation type glued to
#: its end ("ZTECORPORATION", "InspurGroup"); the rest must keep at least this many letters
GLUED_REST_MIN = 3


@lru_cache(maxsize=1)
def _glued_suffixes() -> tuple[str, ...]:
    v = vocab()
    words = {w for w in v.legal_forms | v.org_types if " " not in w and len(w) >= 5}
    return tuple(sorted(words | {"gmbh"}, key=len, reverse=True))


@lru_cache(maxsize=65536)
def _unglue(token: str) -> tuple[str, ...]:
    """A token split from a legal form or organisation type glued to its end, else itself."""
    if len(token) > 4 + GLUED_REST_MIN and token.isalpha():
        for suffix in _glued_suffixes():
            if token.endswith(suffix) and len(token) - len(suffix) >= GLUED_REST_MIN:
                return token[: -len(suffix)], suffix
    return (token,)


@lru_cache(maxsize=1)
def _form_phrases() -> re.Pattern[str] | None:
    phrases = vocab().legal_form_phrases
    if not phrases:
        return None
    return re.compile(r"\b(?:" + "|".join(map(re.escape, phrases)) + r")\b")


def strip_legal_forms(name: str) -> str:
    """The folded name without its legal forms, in any language rigour or the YAML knows.

    The reviewed multi-word forms of the YAML go first, on the folded text (upper-case records
    often come without accents: "SOCIEDAD ANONIMA"); otherwise rigour is asked on the
    case-folded text with its accents ("Spółka Akcyjna", "Société Anonyme" are written so in
    its data) and again on the folded text ("sa de cv").
    """
    glued = _GLUED_FORM.sub(" ", name)
    folded = fold(glued)
    phrases = _form_phrases()
    if phrases is not None and phrases.search(folded):
        return str(remove_org_types(phrases.sub(" ", folded)))
    text = remove_org_types(unicodedata.normalize("NFKC", glued).casefold().replace(".", ""))
    return str(remove_org_types(fold(text)))


@lru_cache(maxsize=262144)
def _unmapped(name: str) -> tuple[str, ...]:
    # the folded words without legal forms, before abbreviations, plurals and numerals map them
    return tuple(part for t in raw_tokens(strip_legal_forms(name)) for part in _unglue(t))


#: a bracket of a list name ("(AETC)": an acronym, a form of its own); an apostrophe inside a word
_BRACKET = re.compile(r"[(\[][^()\[\]]*[)\]]")
_INNER_APOSTROPHE = re.compile(r"(?<=\w)['\u2019`](?=\w)")


def kept_words(name: str) -> tuple[str, ...]:
    """The name's folded words outside brackets once its legal forms are stripped, nothing
    else dropped or mapped, and a word with an apostrophe inside kept whole: "IS'Vision" →
    ``("isvision",)`` where :func:`tokens` gives ``("vision",)``.

    Reach for this to tell which words normalisation dropped from a name besides its legal
    forms (stop words, a word split at an apostrophe)."""
    bare = _INNER_APOSTROPHE.sub("", _BRACKET.sub(" ", name))
    return tuple(part for t in raw_tokens(strip_legal_forms(bare)) for part in _unglue(t))


@lru_cache(maxsize=262144)
def tokens(name: str) -> tuple[str, ...]:
    """The comparable tokens of a name's Latin-script part (cached: suppliers repeat)."""
    words = [canon(t) for t in numerals(list(_unmapped(name)))]
    return tuple(_multi_word([w for w in words if w]))


def written(name: str) -> tuple[str, ...]:
    """The name's words as written: folded, legal forms out, nothing else mapped.

    Reach for this to tell a name split or joined in the middle of a word: "Nuc Tech" and
    "Nuctech" both run together to ``nuctech``, "RollsRoyce" and "Rolls-Royce" to
    ``rollsroyce``, where the tokens differ ("tech" is read as the abbreviation "technology",
    "rolls" as a plural); and a one-word name keeps its letters ("Thales", not "thale").
    """
    legal = vocab().legal_forms
    return tuple(t for t in _unmapped(name) if t not in legal)


@lru_cache(maxsize=65536)
def weight(token: str) -> float:
    """How much a token counts: distinctive 1.0, medium 0.5, common and organisation type 0.2
    (see the YAML); a country name the YAML does not list counts as common."""
    found = _weights().get(token)
    if found is not None:
        return found
    return WEIGHT_LOW if place_country(token) else 1.0


def is_org_type(token: str) -> bool:
    """True for a word naming the kind of organisation ("group", "holding"), not which one."""
    return token in vocab().org_types


def is_place(token: str) -> bool:
    """True for a place word: the reviewed list (cities, regions) or a country name."""
    return token in vocab().places or place_country(token) is not None


#: rigour's territory names (normalised) → ISO code, when handed over by
#: :func:`use_territory_codes`; else rigour builds its own table on first use
_territory_codes: dict[str, str] | None = None


def territory_codes() -> dict[str, str]:
    """rigour's table of territory names (as it normalises them) → ISO code.

    Reach for this to keep the table beside something kept on disk (the list index does):
    rigour builds it on first use by transliterating 29,000 names, about 3 s."""
    from rigour.territories.lookup import _get_territory_names  # rigour's own table

    return {name: str(territory.code) for name, territory in _get_territory_names().items()}


def use_territory_codes(codes: dict[str, str]) -> None:
    """Answer :func:`place_country` from ``codes`` (a :func:`territory_codes` table read back
    from disk) instead of building rigour's table: the same answers, without its first-use cost."""
    global _territory_codes
    _territory_codes = codes


@lru_cache(maxsize=65536)
def place_country(token: str) -> str | None:
    """The ISO country code a token names (``"uk"`` → ``"gb"``, ``"mexico"`` → ``"mx"``), from
    rigour's territory data; ``None`` for a city or any other word."""
    if len(token) < COUNTRY_NAME_MIN and token not in vocab().places:
        return None
    if _territory_codes is not None:  # rigour's lookup_territory, from the table handed over
        territory = lookup_by_identifier(token)
        if territory is not None:
            return str(territory.code)
        return _territory_codes.get(normalize_territory_name(token))
    territory = lookup_territory(token)
    return None if territory is None else str(territory.code)


@lru_cache(maxsize=1)
def _weights() -> dict[str, float]:
    # the YAML lists surface words; weigh their canonical forms so both sides agree
    out: dict[str, float] = {}
    for word, w in vocab().weights.items():
        for t in _multi_word([word]) or [word]:
            out.setdefault(t, w)
    return out
