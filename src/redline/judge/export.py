"""Write findings out: CSV (one row per finding), JSON (everything), FtM JSON Lines.

Reach for :func:`write_findings`; the format follows the file name (``.csv``, ``.json``,
``.ftm.jsonl``) and ``-`` writes JSON to stdout. The FtM export builds entities with
followthemoney's model and validates each against its schema: the vendor and listed entity as
``Company``, the process as ``Contract`` with its buyer, the award as ``ContractAward``, each
listing as ``Sanction``, each ownership edge as ``Ownership``, and the finding as ``Risk``.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import orjson
from followthemoney import model

from redline.errors import InputError, Problem
from redline.files import atomic_write
from redline.judge.reviews import Review
from redline.model import STRENGTH_LABEL, Finding, saved_form

CSV_COLUMNS = [
    "finding_id",
    "evidence_strength",
    "severity",
    "score",
    "rule_id",
    "supplier_name",
    "ocid",
    "award_id",
    "award_date",
    "amount",
    "currency",
    "buyer_name",
    "class_id",
    "listed_entity_id",
    "listed_caption",
    "list_codes",
    "listed_at_award",
    "listed_now",
    "listing_strength",
    "strength_basis",
    "capped_from",
    "as_of",
    "sentence",
    "basis",
    "basis_url",
    "risk_components",
    "alternatives",
    "also_meets",
    "review",
    "review_note",
    "reviewed_by",
    "reviewed_at",
]


#: finding id → its newest review (action, note, reviewer, reviewed_at), as the exports show it
Reviews = Mapping[str, Review]


def _review_cells(review: Review | None) -> dict[str, str]:
    if review is None:
        return {"review": "open"}
    return {"review": review.action, "review_note": review.note,
            "reviewed_by": review.reviewer, "reviewed_at": review.reviewed_at}  # fmt: skip


def _csv(findings: list[Finding], reviews: Reviews) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for f in findings:
        writer.writerow(
            _review_cells(reviews.get(f.finding_id))
            | {
                **{c: getattr(f, c) for c in CSV_COLUMNS if hasattr(f, c)},
                "score": f.risk.total,
                "list_codes": ";".join(f.list_codes),
                "risk_components": "; ".join(
                    f"{c.name}={c.points if c.computed else 'not computed'}"
                    for c in f.risk.components
                ),
                "alternatives": "; ".join(a.name for a in f.alternatives if a.kind == "vendor"),
                "also_meets": "; ".join(
                    f"{m.severity} {m.rule_id} via {m.listed_entity_id}" for m in f.also_meets
                ),
            }
        )
    return buf.getvalue()


def _proxy(schema: str, entity_id: str, props: dict[str, Any]) -> dict[str, Any]:
    proxy = model.make_entity(schema)
    proxy.id = entity_id
    for prop, value in props.items():
        for item in value if isinstance(value, list | tuple) else [value]:
            if item is not None and item != "":
                proxy.add(prop, str(item))
    data: dict[str, Any] = proxy.to_dict()
    problem = proxy.schema.validate({"properties": data["properties"]})
    if problem:
        raise InputError([Problem("ftm export", entity_id, str(problem))])
    return data


def _id(*parts: str) -> str:
    """Deterministic FtM id (FtM's own hashing), prefixed so ids say they are ours."""
    return "rl-" + str(model.make_entity("Thing").make_id(*parts))


def _award(f: Finding, vendor: str) -> list[dict[str, Any]]:
    """The vendor, the buyer, the process as a contract and the award."""
    contract = _id("contract", f.ocid)
    buyer = _id("buyer", f.buyer_name or f.ocid)
    award = _id("award", f.ocid, f.award_id or "")
    release = f.evidence.release
    return [
        _proxy("Company", vendor, {"name": f.supplier_name}),
        _proxy("PublicBody", buyer, {"name": f.buyer_name or "unknown buyer"}),
        _proxy(
            "Contract",
            contract,
            {
                "title": f.ocid,
                "authority": buyer,
                "publisher": release.publisher,
                "procedureNumber": f.ocid,
            },
        ),
        _proxy(
            "ContractAward",
            award,
            {
                "contract": contract,
                "supplier": vendor,
                "amount": f.amount,
                "currency": f.currency,
                "date": f.award_date,
                "recordId": release.release_id,
            },
        ),
    ]


def _listed(f: Finding) -> list[dict[str, Any]]:
    """The listed entity, the matched one when it is another, and each listing as a sanction."""
    ev = f.evidence
    out = [_proxy("Company", f.listed_entity_id, {"name": f.listed_caption})]
    if ev.match.matched_id != f.listed_entity_id:
        out.append(_proxy("Company", ev.match.matched_id, {"name": ev.match.matched_caption}))
    out += [
        _proxy(
            "Sanction",
            x.listing_id,
            {
                "entity": x.entity_id,
                "program": x.list_name,
                "programId": x.list_code,
                "authority": x.authority,
                "startDate": x.start_date,
                "endDate": x.end_date,
                "sourceUrl": x.source_url,
            },
        )
        for x in ev.listings
    ]
    return out


def _ownership(f: Finding) -> list[dict[str, Any]]:
    return [
        _proxy(
            "Ownership",
            x.edge_id,
            {
                "owner": x.parent_id,
                "asset": x.child_id,
                "percentage": x.percentage,
                "sourceUrl": x.source_url,
                "publisher": x.source,
                "role": x.relation,
            },
        )
        for x in f.evidence.ownership
    ]


def _risk(f: Finding, vendor: str, review: Review | None) -> dict[str, Any]:
    return _proxy(
        "Risk",
        f.finding_id,
        {
            "entity": vendor,
            "topics": "sanction.linked",
            "program": f.rule_id,
            "authority": "Redline screen",
            "reason": f.sentence,
            "sourceUrl": f.basis_url,
            "summary": f"{f.severity}; risk {f.risk.total}/100 in {f.class_id}; evidence: "
            f"{STRENGTH_LABEL[f.evidence_strength]}",
            "date": f.as_of,
            "status": _status(review),
        },
    )


def ftm_entities(
    findings: list[Finding], reviews: Reviews | None = None
) -> Iterator[dict[str, Any]]:
    """FtM entities for the findings; shared entities (a vendor on many awards) appear once.
    A finding's review is its ``Risk``'s ``status`` (``dismissed by ana: namesake``)."""
    seen: set[str] = set()
    reviews = reviews or {}
    for f in findings:
        # the vendor is one entity across awards: keyed by its party id and name, not the award
        vendor = _id("vendor", f.supplier_party_id or "", f.supplier_name)
        out = [
            *_award(f, vendor),
            *_listed(f),
            *_ownership(f),
            _risk(f, vendor, reviews.get(f.finding_id)),
        ]
        for entity in out:
            if entity["id"] not in seen:
                seen.add(entity["id"])
                yield entity


def _status(review: Review | None) -> str | None:
    if review is None:
        return None  # never reviewed: the entity stays as it was before reviews existed
    said = f": {review.note}" if review.note else ""
    return f"{review.action} by {review.reviewer} at {review.reviewed_at}{said}"


def render(findings: list[Finding], fmt: str, reviews: Reviews | None = None) -> bytes:
    """The findings in ``fmt``, each with its review (``open`` when never reviewed)."""
    reviews = reviews or {}
    if fmt == "csv":
        return _csv(findings, reviews).encode()
    if fmt == "ftm":
        return b"".join(orjson.dumps(e) + b"\n" for e in ftm_entities(findings, reviews))
    if fmt == "parquet":
        return _parquet(_csv(findings, reviews))
    # saved_form: a match's explanation is exported as its JSON text
    option = orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS
    if not reviews and fmt == "json":
        return orjson.dumps(findings, default=saved_form, option=option) + b"\n"
    # each finding's JSON with a "review" key: null when never reviewed
    items = [
        orjson.loads(orjson.dumps(f, default=saved_form, option=orjson.OPT_NON_STR_KEYS))
        for f in findings
    ]
    for item, f in zip(items, findings, strict=True):
        found = reviews.get(f.finding_id)
        item["review"] = found.as_dict() if found else None
    if fmt == "jsonl":  # one finding per line
        return b"".join(orjson.dumps(item) + b"\n" for item in items)
    return orjson.dumps(items, option=option) + b"\n"


def _parquet(table_csv: str) -> bytes:
    """The CSV export's rows and columns as Parquet (for a dataframe or a warehouse)."""
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    options = pacsv.ConvertOptions(strings_can_be_null=True)
    table = pacsv.read_csv(io.BytesIO(table_csv.encode()), convert_options=options)
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


def format_of(path: Path) -> str:
    """'csv', 'ftm', 'json', 'jsonl' or 'parquet' from the file name; anything else is a
    usage error."""
    name = path.name.lower()
    if name.endswith(".ftm.jsonl") or name.endswith(".ftm.json"):
        return "ftm"
    for ending in ("csv", "json", "jsonl", "parquet"):
        if name.endswith(f".{ending}"):
            return ending
    if name == "-":
        return "json"
    raise InputError([Problem(str(path), "", "output must end in .csv, .json, .jsonl, "
                              ".parquet or .ftm.jsonl (the format follows the name)")])  # fmt: skip


def write_findings(findings: list[Finding], path: Path, reviews: Reviews | None = None) -> None:
    """Write ``path`` (``-``: stdout) whole or not at all (:func:`redline.files.atomic_write`),
    so a failed run leaves the previous file, never half of one."""
    data = render(findings, format_of(path), reviews)
    if str(path) == "-":
        sys.stdout.buffer.write(data)
        return
    with atomic_write(path) as handle:
        handle.write(data)
