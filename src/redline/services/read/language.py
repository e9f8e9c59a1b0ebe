"""Findings in the reader's language: sentences, sectors, rules, guard rails and alternatives
in English or Spanish, from the reviewed data files that define them.

Reach for :func:`localise` before a front end shows a finding (the briefing with ``--lang es``,
the dashboard with ``?lang=es``): it returns a copy whose reader-facing text is drawn from the
``es`` block of the taxonomy class, the policy rule and the alternatives capability, and whose
sentence is written again from the rule's template with names, not ids (list names instead of
list codes, the listed entity's caption instead of its id). Example: a Nuctech breach in
Spanish reads "Nuctech (en lista directamente) figura en Entity List (BIS) y suministra
Inspección aduanera y fronteriza … a Agencia Nacional de Aduanas de México …".

An entry without Spanish falls back to its English text (a user's own policy may have none);
the shipped files carry both, which ``tests/report/test_languages.py`` checks entry by entry.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

import duckdb

from redline.classify.taxonomy import load_taxonomy
from redline.judge.alternatives import load_catalogue
from redline.judge.dates import judged_of, when_words
from redline.judge.open_cases import UNDECIDED
from redline.judge.policy import Rule, load_policies
from redline.judge.vocab import sectors as known_sectors
from redline.judge.vocab import shipped_list_codes

Lang = Literal["en", "es"]
LANGS: tuple[Lang, ...] = ("en", "es")

#: the words a rule's placeholders take that are not names, per language
_WORDS: dict[str, dict[str, str]] = {
    "en": {"direct": "listed directly", "owned": "owned by", "controlled": "controlled by",
           "buyer": "the buyer (not named in the source)", "award": "award {id}",
           "no_award": "no award to it", "supplies": "supplies", "bid": "bid to supply",
           "via": "through {n} ownership link(s)", "share": "{pct}% in aggregate"},
    "es": {"direct": "en lista directamente", "owned": "propiedad de",
           "controlled": "controlada por",
           "buyer": "la dependencia compradora (no identificada en la fuente)",
           "award": "adjudicación {id}", "no_award": "sin adjudicación a su favor",
           "supplies": "suministra", "bid": "presentó propuesta para suministrar",
           "via": "a través de {n} vínculo(s) de propiedad", "share": "{pct}% en conjunto"},
}  # fmt: skip
#: evidence strength (model.strength) as a reader says it
_STRENGTH: dict[str, dict[str, str]] = {
    "en": {"official_record": "official procurement record", "official_list": "official list",
           "researchers_table": "researcher's table", "press_report": "press report",
           "vendor_statement": "vendor's own statement"},
    "es": {"official_record": "registro oficial de contratación", "official_list": "lista oficial",
           "researchers_table": "tabla de investigación", "press_report": "artículo de prensa",
           "vendor_statement": "declaración del propio proveedor"},
}  # fmt: skip
#: the judge's own "review" findings (judge.open_cases): no policy file defines their text
_REVIEW_TITLES: dict[str, dict[str, str]] = {
    "review-sector-undecided": {"en": "Listed vendor, sector undecided: review",
                                "es": "Proveedor en lista, sector sin determinar: revisar"},
    "review-possible-affiliate": {"en": "Possible affiliate of a listed vendor: review",
                                  "es": "Posible filial de un proveedor en lista: revisar"},
}  # fmt: skip
#: the judge's stand-in class for a listed vendor whose sector is undecided (judge.open_cases)
_UNDECIDED = {"en": "Sector not decided", "es": "Sector sin determinar"}
_WOULD_MEET = re.compile(r"(?:rule|would meet) (?P<rule>[a-z0-9-]+)")
_PATH = re.compile(
    r"^(?P<how>owned (?:\(percentage not stated\) )?(?:(?P<pct>\d+)% \(aggregate\) )?by|"
    r"controlled by) \S+ through (?P<n>\d+) edge\(s\)$"
)


@dataclass(frozen=True)
class Texts:
    """Reader-facing text of the shipped (or loaded) data, by id, in both languages."""

    sectors: dict[str, dict[str, str]]  # class id → lang → name
    guard_rails: dict[str, dict[str, tuple[str, ...]]]  # class id → lang → rails
    rules: dict[str, dict[str, Rule]]  # rule id → lang → the rule with that language's text
    capabilities: dict[str, dict[str, str]]  # capability id → lang → title


@cache
def texts() -> Texts:
    """Read the taxonomy, the shipped policies and the alternatives catalogue once."""
    sectors: dict[str, dict[str, str]] = {}
    rails: dict[str, dict[str, tuple[str, ...]]] = {}
    for c in load_taxonomy().classes:
        es = c.es
        sectors[c.id] = {"en": c.name, "es": es.name if es else c.name}
        rails[c.id] = {"en": tuple(c.guard_rails),
                       "es": tuple(es.guard_rails) if es else tuple(c.guard_rails)}  # fmt: skip
    rules: dict[str, dict[str, Rule]] = {}
    shipped = load_policies(known_sectors=set(known_sectors()), known_lists=shipped_list_codes())
    for rule in shipped.rules:
        spanish = rule
        if rule.es is not None:
            spanish = rule.model_copy(update={"title": rule.es.title, "sentence": rule.es.sentence})
        rules[rule.id] = {"en": rule, "es": spanish}
    caps = {c.id: {"en": c.title, "es": c.es.title if c.es else c.title}
            for c in load_catalogue().capabilities}  # fmt: skip
    return Texts(sectors, rails, rules, caps)


def sector_names(lang: Lang) -> dict[str, str]:
    """Every class id → its name in ``lang``."""
    return {k: v[lang] for k, v in texts().sectors.items()}


def strength_names(lang: Lang) -> dict[str, str]:
    """Every evidence-strength level → how a reader says it in ``lang``, strongest first."""
    return dict(_STRENGTH[lang])


def localise_rows(
    conn: duckdb.DuckDBPyConnection, rows: Sequence[Mapping[str, Any]], lang: Lang
) -> list[dict[str, Any]]:
    """API rows (a page or one detail) localised, with the store's list names."""
    names = dict(conn.execute("SELECT list_code, any_value(list_name) FROM listings GROUP BY ALL")
                 .fetchall())  # fmt: skip
    return [localise(r, lang, names) for r in rows]


def sector_name(class_id: str, lang: Lang) -> str:
    """A class's name in ``lang``; an unknown id is shown as itself (never hidden)."""
    if class_id == UNDECIDED.id:
        return _UNDECIDED[lang]
    return texts().sectors.get(class_id, {}).get(lang, class_id)


def path_words(finding: Mapping[str, Any], lang: Lang) -> str:
    """How the supplier reaches the listed entity, in words, naming the entity (not its id)."""
    words = _WORDS[lang]
    vendor, sentence = str(finding.get("supplier_name") or ""), str(finding.get("sentence") or "")
    stated = str(finding.get("path") or "")  # an "also meets" entry states it
    if not stated and sentence.startswith(f"{vendor} ("):
        rest = sentence[len(vendor) + 2 :]
        stated = rest.split(" edge(s)", 1)[0] + " edge(s)" if " edge(s)" in rest else rest
    match = _PATH.match(stated)
    if not finding.get("evidence", {}).get("ownership") and match is None:
        return words["direct"]
    caption = str(finding.get("listed_caption") or finding.get("listed_entity_id"))
    if match is None:
        return f"{words['owned']} {caption}"
    how = words["controlled"] if match["how"].startswith("controlled") else words["owned"]
    share = f", {words['share'].format(pct=match['pct'])}" if match["pct"] else ""
    return f"{how} {caption} {words['via'].format(n=match['n'])}{share}"


def sentence(finding: Mapping[str, Any], lang: Lang, list_names: Mapping[str, str]) -> str:
    """The finding's sentence written again from its rule's template in ``lang``, with names.

    A finding whose rule is not among the loaded policies keeps its stored sentence.
    """
    rule = texts().rules.get(str(finding.get("rule_id")), {}).get(lang)
    if rule is None:
        if finding.get("rule_id") in _REVIEW_TITLES:
            return _review_sentence(finding, lang, list_names)
        return str(finding.get("sentence") or "")
    words = _WORDS[lang]
    award = finding.get("award_id")
    codes = [str(c) for c in finding.get("list_codes") or []]
    as_of = str(finding.get("as_of") or "")
    upcoming = [str(x.get("start_date")) for x in finding.get("evidence", {}).get("listings", [])
                if x.get("start_date") and str(x.get("start_date")) > as_of]  # fmt: skip
    return rule.sentence.format(
        vendor=finding.get("supplier_name") or "",
        listed=finding.get("listed_caption") or "",
        lists=", ".join(list_names.get(c, c) for c in codes),
        path=path_words(finding, lang),
        sector=_mid_sentence(sector_name(str(finding.get("class_id")), lang)),
        buyer=finding.get("buyer_name") or words["buyer"],
        ocid=finding.get("ocid") or "",
        award=words["award"].format(id=award) if award else words["no_award"],
        supplies=words["supplies"] if award else words["bid"],
        starts=min(upcoming, default="-"),
        when=when_words(judged_of(finding), lang),
        rule=rule.title,
    )


def _review_sentence(finding: Mapping[str, Any], lang: Lang, list_names: Mapping[str, str]) -> str:
    """A review finding's sentence written again from its fields, with names (the stored one
    names the rule that would apply and the sector by their ids)."""
    vendor, listed = finding.get("supplier_name") or "", finding.get("listed_caption") or ""
    award, ocid = finding.get("award_id"), finding.get("ocid") or ""
    text = " ".join([str(finding.get("sentence") or ""), *map(str, finding.get("notes") or [])])
    found = _WOULD_MEET.search(text)
    rule = texts().rules.get(found["rule"], {}).get(lang) if found else None
    sector = _mid_sentence(sector_name(str(finding.get("class_id")), lang))
    lists = ", ".join(list_names.get(c, c) for c in finding.get("list_codes") or [])
    path = path_words(finding, lang)
    if lang == "es":
        where = f"{ocid}, " + (f"adjudicación {award}" if award else "sin adjudicación")
        applies = f" Si se confirma, aplica la regla “{rule.title}”." if rule else ""
        if finding.get("rule_id") == "review-sector-undecided":
            return (
                f"{vendor} ({path}; en {lists}) aparece en {where}, pero el sector de este "
                f"contrato no pudo determinarse a partir de su registro: revíselo.{applies}"
            )
        return (f"{vendor} podría ser filial de {listed} (solo por la raíz del nombre, por debajo "
                f"del umbral de coincidencia; ningún vínculo de propiedad ni identificador los "
                f"une) en {where}, sector {sector}: revíselo.{applies}")  # fmt: skip
    where = f"{ocid}, " + (f"award {award}" if award else "no award")
    applies = f" If it is confirmed, the rule “{rule.title}” applies." if rule else ""
    if finding.get("rule_id") == "review-sector-undecided":
        return (
            f"{vendor} ({path}; on {lists}) is on {where}, but the sector of this contract "
            f"could not be decided from its record: review it.{applies}"
        )
    return (f"{vendor} may be an affiliate of {listed} (by name stem only, below the match "
            f"threshold; no ownership edge or identifier links them) on {where}, in {sector}: "
            f"review it.{applies}")  # fmt: skip


def _mid_sentence(name: str) -> str:
    """A name as it reads inside a sentence: "Telecom core …" → "telecom core …", but a
    first word with capitals inside ("WiFi", "CCTV") is kept as written."""
    first = name.split(" ", 1)[0]
    return name[:1].lower() + name[1:] if first[1:] == first[1:].lower() else name


_EXCLUDED = re.compile(
    r"^(?P<vendor>.+?): not recommended: (?P<who>its parent matches|matches) \S+ "
    r"\(score [\d.]+\)(?:, owned by listed \S+)?; listed on (?P<codes>.+) at (?P<day>[\d-]+)$"
)


def excluded_note(note: str, lang: Lang, list_names: Mapping[str, str]) -> str:
    """Why a catalogue vendor is not recommended, in ``lang`` and with list names."""
    match = _EXCLUDED.match(note)
    if match is None:
        return note
    names = ", ".join(list_names.get(c.strip(), c.strip()) for c in match["codes"].split(","))
    parent = match["who"].startswith("its parent")
    if lang == "es":
        who = "su empresa matriz coincide con una entidad" if parent else "coincide con una entidad"
        return f"{match['vendor']}: no se recomienda; {who} de {names} (al {match['day']})"
    who = "its parent matches an entity" if parent else "matches an entity"
    return f"{match['vendor']}: not recommended; {who} on {names} (as of {match['day']})"


def localise(
    finding: Mapping[str, Any], lang: Lang, list_names: Mapping[str, str]
) -> dict[str, Any]:
    """A copy of ``finding`` with its reader-facing text in ``lang`` (ids kept alongside)."""
    out = dict(finding)
    class_id = str(finding.get("class_id"))
    out["sector_name"] = sector_name(class_id, lang)
    out["sentence"] = sentence(finding, lang, list_names)
    rule = texts().rules.get(str(finding.get("rule_id")), {}).get(lang)
    rule_id = str(finding.get("rule_id"))
    out["rule_title"] = rule.title if rule else _REVIEW_TITLES.get(rule_id, {}).get(lang, rule_id)
    strength = str(finding.get("evidence_strength") or "")
    out["strength_name"] = _STRENGTH[lang].get(strength, strength)
    out["list_names"] = [list_names.get(c, c) for c in finding.get("list_codes") or []]
    rails = texts().guard_rails.get(class_id, {}).get(lang)
    if rails is not None:
        out["guard_rails"] = list(rails)
    out["excluded_alternatives"] = [
        excluded_note(n, lang, list_names) for n in finding.get("excluded_alternatives") or []
    ]
    out["also_meets"] = [
        {**m, "sentence": sentence({**finding, **m, "list_codes": m.get("list_codes") or []},
                                   lang, list_names)}
        for m in finding.get("also_meets") or []
    ]  # fmt: skip
    return out
