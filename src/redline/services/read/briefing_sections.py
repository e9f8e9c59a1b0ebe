"""The briefing's findings as a reader meets them: per sector, worst first, in one language.

Reach for :func:`sections` after reading every finding (:func:`all_findings`): it localises
each one (:mod:`redline.services.read.language`), groups them by sector class (one table per
sector in the briefing) and gives each sector its guard rails and its alternatives once, not
once per finding. :func:`ui_text` is the briefing's own words from ``data/briefing_text.yaml``.
Example: ``sections(all_findings(conn), "es", list_names, han)`` → ``[{"class_id":
"border_inspection", "name": "Inspección aduanera …", "findings": [...], "vendors": [...]}]``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

import duckdb

from redline.errors import InputError, Problem
from redline.model.finding import SEVERITY_ORDER
from redline.packaged import load_yaml
from redline.services.read.findings import finding_detail
from redline.services.read.language import Lang, localise, texts

_HAN = re.compile(r"[\u3400-\u9fff]")


@cache
def ui_text(lang: Lang) -> dict[str, str]:
    """The briefing's own words in ``lang``; a key missing a language is refused loudly."""
    doc, source = load_yaml("briefing_text.yaml")
    out: dict[str, str] = {}
    missing: list[Problem] = []
    for key, value in (doc.get("text") or {}).items():
        if not isinstance(value, dict) or not value.get(lang):
            missing.append(Problem(source, f"text.{key}", f"no {lang!r} text"))
            continue
        out[str(key)] = str(value[lang])
    if missing:
        raise InputError(missing)
    return out


def all_findings(conn: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every finding in full (as the API's detail), worst severity first, then by score."""
    order = " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(SEVERITY_ORDER))
    ids = conn.execute(
        f"SELECT finding_id FROM findings ORDER BY CASE severity {order} ELSE 9 END, "
        "score DESC, finding_id"
    ).fetchall()
    return [d for (fid,) in ids if (d := finding_detail(conn, str(fid))) is not None]


def han_names(conn: duckdb.DuckDBPyConnection, ids: Sequence[str]) -> dict[str, str]:
    """Entity id → its name in Chinese script, for the entities whose list gives one."""
    found = conn.execute(
        "SELECT id, names FROM entities WHERE list_contains(?, id)", [list(ids)]
    ).fetchall()
    out = {}
    for entity_id, names in found:
        han = [n for n in names or [] if _HAN.search(n)]
        if han:
            out[str(entity_id)] = han[0]
    return out


def ledger_entities(findings: Sequence[Mapping[str, Any]]) -> list[str]:
    """Ids of the entities the findings' ownership evidence names (to print their captions)."""
    return sorted({str(e["detail"][k]) for f in findings for e in f.get("ledger") or []
                   if e.get("kind") == "ownership" for k in ("child_id", "parent_id")
                   if e.get("detail", {}).get(k)})  # fmt: skip


def list_names(conn: duckdb.DuckDBPyConnection) -> tuple[dict[str, str], dict[str, str]]:
    """List code → its name, and → its official source URL, as the store holds them."""
    got = conn.execute(
        "SELECT list_code, any_value(list_name), any_value(source_url) FROM listings GROUP BY ALL"
    ).fetchall()
    return {str(c): str(n or c) for c, n, _ in got}, {str(c): str(u) for c, _, u in got if u}


def _alternatives(finding: Mapping[str, Any], lang: Lang) -> dict[str, list[dict[str, Any]]]:
    caps = texts().capabilities
    vendors: dict[str, dict[str, Any]] = {}
    financing: dict[str, dict[str, Any]] = {}
    for alt in finding.get("alternatives") or []:
        into = financing if alt.get("kind") == "financing" else vendors
        title = caps.get(str(alt.get("capability")), {}).get(lang, "")
        into.setdefault(str(alt.get("name")), {**alt, "capability_title": title})
    return {"vendors": list(vendors.values()), "financing": list(financing.values())}


def procurement(finding: Mapping[str, Any]) -> dict[str, Any] | None:
    """The finding's procurement red flags component, for the details: computed or not, its
    points, and per raised flag the values of the fields it read (the method aside)."""
    part = next(
        (c for c in finding["risk"]["components"] if c["name"] == "procurement_red_flags"), None
    )
    if part is None:  # a finding saved before the component existed
        return None
    inputs: dict[str, Any] = part.get("inputs") or {}
    raised = [k for k in ("R003", "R018", "MX-DIRECT") if k in inputs
              and not str(inputs[k]).startswith(("not raised", "not computed"))]  # fmt: skip
    flags = [
        {"flag": k, "values": [str(v) for n, v in inputs.items()
                               if n.startswith(f"{k} ") and n != f"{k} method" and v]}
        for k in raised
    ]  # fmt: skip
    return {"computed": part.get("computed", True), "points": part["points"],
            "max_points": part["max_points"], "flags": flags}  # fmt: skip


def sections(
    findings: Sequence[Mapping[str, Any]],
    lang: Lang,
    names: Mapping[str, str],
    han: Mapping[str, str],
    captions: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """Findings grouped per sector (in the order of their worst finding), each localised."""
    out: dict[str, dict[str, Any]] = {}
    for raw in findings:
        f = localise(raw, lang, names)
        f["labels"] = {
            **(captions or {}),
            **{n["id"]: n["label"] for n in (raw.get("graph") or {}).get("nodes", [])},
        }
        f["listed_han"] = han.get(str(raw.get("listed_entity_id")), "")
        f["risk_total"] = round(sum(c["points"] for c in raw["risk"]["components"]), 1)
        f["procurement"] = procurement(raw)
        sec = out.setdefault(str(raw["class_id"]), {
            "class_id": raw["class_id"], "name": f["sector_name"], "findings": [],
            "guard_rails": f.get("guard_rails") or [], "vendors": [], "financing": [],
            "excluded": [],
        })  # fmt: skip
        sec["findings"].append(f)
        alts = _alternatives(raw, lang)
        for kind in ("vendors", "financing"):
            seen = {a["name"] for a in sec[kind]}
            sec[kind] += [a for a in alts[kind] if a["name"] not in seen]
        sec["excluded"] += [x for x in f["excluded_alternatives"] if x not in sec["excluded"]]
    return list(out.values())
