"""Write the *variants* evaluation set of issue 12: ``bench/sets/variants_*``.

Reach for it only to rebuild the committed set (``python scripts/variants_set.py``); the bench
reads the files it wrote. Deterministic: the same script writes the same bytes.

- ``variants_watchlist.ftm.jsonl``: REAL organisation names (public registers, company sites,
  public lists) as FtM Companies. A test fixture: it does not state that anyone designates them.
- ``variants_SYNTHETIC_queries.csv``: query names. Rows with ``origin=real`` are real names as
  the firms or registers write them (sibling companies, other firms of the same sector);
  ``origin=synthetic`` rows are SYNTHETIC: a real name put through one everyday variation of
  the class in ``kind`` (joined or split words, one typo, a legal form of another language,
  trade abbreviations, numerals, punctuation, a local affiliate, word order) or, for negatives,
  a real name's sector words with another distinctive word.
- ``split``: ``heldout`` for the 30% set aside (by a hash of the id) before any matcher rule of
  issue 12 was written, ``dev`` for the rest. Rules are tuned on ``dev`` only.

``expected`` is the watchlist id the query must resolve to, empty when it must match nothing.
Kind ``local-affiliate`` ("<Group> de México, S.A. de C.V.") is scored apart: it should come
back as a *possible affiliate* for review, not as a match.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from pathlib import Path

import yaml

OUT = Path(__file__).resolve().parents[1] / "bench" / "sets"

SOURCE = OUT / "variants_source.yaml"
_DATA = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
#: (id, listed name, country, [(kind, query variant)]): real names, SYNTHETIC variants
LISTED: list[tuple[str, str, str, list[tuple[str, str]]]] = [
    (x["id"], x["name"], x["country"], [(k, q) for k, q in x["variants"]]) for x in _DATA["listed"]
]
#: (kind, query, origin): names that must match nothing
NEGATIVES: list[tuple[str, str, str]] = [(k, q, o) for k, q, o in _DATA["negatives"]]


def _split(row_id: str) -> str:
    digest = int(hashlib.sha256(row_id.encode()).hexdigest()[:8], 16)
    return "heldout" if digest % 10 < 3 else "dev"


def _distinctive(name: str) -> str:
    """The first word of four or more letters that is not a common or place word."""
    words = re.findall(r"\b[^\W\d_]{4,}\b", name)
    return next((w for w in words if w.lower() not in _COMMON), "")


#: words never picked as "the distinctive word" by the generated rows below
_COMMON = {
    "china",
    "corporation",
    "company",
    "limited",
    "technology",
    "technologies",
    "research",
    "institute",
    "international",
    "industry",
    "industrial",
    "information",
    "communications",
    "electronics",
    "national",
    "group",
    "holdings",
    "manufacturing",
    "semiconductor",
    "construction",
    "engineering",
    "equipment",
    "services",
    "advanced",
    "general",
    "systems",
    "sociedad",
    "nationala",
    "compania",
    "grupo",
    "financiero",
    "empresas",
    "promotora",
    "zhejiang",
    "hangzhou",
    "beijing",
    "shenzhen",
    "texas",
    "polska",
    "state",
    "bank",
    "united",
    "fifth",
    "second",
    "seventh",
    "aviation",
    "mobile",
    "electric",
    "aircraft",
    "tactical",
}


def _generated(entity_id: str, name: str, n: int) -> list[tuple[str, str, str]]:
    """SYNTHETIC rows from a listed name: a typo (two adjacent letters of the distinctive word
    swapped, as "Inspru"), the distinctive word joined to the next ("InspurGroup"), and two
    sector negatives (the distinctive word replaced by that of other listed names)."""
    word = _distinctive(name)
    out: list[tuple[str, str, str]] = []
    if not word:
        return out
    if len(word) >= 5:
        typo = word[:2] + word[3] + word[2] + word[4:]
        out.append(("typo", name.replace(word, typo, 1), entity_id))
    if f"{word} " in name:
        out.append(("joined", name.replace(f"{word} ", word, 1), entity_id))
    # a name of two words ("Thales S.A.") would become another firm's name plus a legal form:
    # that is a legal-form variant of THAT firm, not a negative
    for step in (7, 19) if len(name.split()) >= 3 else ():
        other = _distinctive(LISTED[(n + step) % len(LISTED)][1])
        if other and other.lower() != word.lower():
            out.append((f"neg-sector-{step}", name.replace(word, other, 1), ""))
    return out


def rows() -> list[dict[str, str]]:
    out = []
    for n, (entity_id, name, country, variants) in enumerate(LISTED):
        for kind, query, expected in _generated(entity_id, name, n):
            row_id = f"{entity_id}-g{kind}"
            out.append({"id": row_id, "name": query, "country": country if expected else "",
                        "expected": expected, "kind": kind.rsplit("-", 1)[0] if kind[-1].isdigit()
                        else kind, "origin": "synthetic",
                        "split": _split(row_id)})  # fmt: skip
        for n, (kind, query) in enumerate(variants):
            row_id = f"{entity_id}-{n}"
            out.append({"id": row_id, "name": query, "country": country, "expected": entity_id,
                        "kind": kind, "origin": "synthetic", "split": _split(row_id)})  # fmt: skip
    for n, (kind, query, origin) in enumerate(NEGATIVES):
        row_id = f"n-{n:03d}"
        out.append({"id": row_id, "name": query, "country": "", "expected": "", "kind": kind,
                    "origin": origin, "split": _split(row_id)})  # fmt: skip
    return out


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "variants_watchlist.ftm.jsonl").open("w", encoding="utf-8") as handle:
        for entity_id, name, country, _ in LISTED:
            entity = {"id": entity_id, "schema": "Company",
                      "properties": {"name": [name], "country": [country]}}  # fmt: skip
            handle.write(json.dumps(entity, ensure_ascii=False) + "\n")
            # a fixture listing, so the matcher treats the entity as listed; no real designation
            fixture = "Evaluation fixture (no designation)"
            props = {"entity": [entity_id], "program": [fixture], "authority": [fixture]}
            sanction = {"id": f"{entity_id}-san", "schema": "Sanction", "properties": props}
            handle.write(json.dumps(sanction, ensure_ascii=False) + "\n")
    found = rows()
    with (OUT / "variants_SYNTHETIC_queries.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(found[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(found)
    print(f"{len(found)} rows, {sum(1 for r in found if r['expected'])} true")


if __name__ == "__main__":
    main()
