"""Write a SYNTHETIC OCDS file of a given size, with release chains: the ingest bench's input.

Reach for :func:`write_packages` when a test or benchmark needs Mexican-looking procurement at a
volume the real samples cannot give, measured in megabytes rather than releases:
``write_packages(Path("work/ocds_synthetic_200mb.jsonl"), 200, seed=1)`` (the ingest benchmark,
bench/ingest_bench.py, makes its input so). Each line is one release package (publisher
"Redline synthetic data", ocids ``ocds-rlsynt-…``); some ocids get a tender → award → contract
chain of three releases (``chain``), the rest one release carrying all three stages, so ingest
has records to compile. No supplier is tied to any list: for planted listed vendors and a truth
file, see :mod:`redline.synth.generate` (``redline synth``). Everything is invented as
:mod:`redline.synth.vocab` describes. Deterministic for a given seed and size.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from redline.synth import vocab
from redline.synth.parts import items, rfc

# the first words of the shared lists: the files of a seed were made with these, and a longer
# list would draw other names
SYLLABLES = vocab.SYLLABLES[:14]
KINDS = vocab.SUPPLIER_HEADS[:10]
FORMS = vocab.LEGAL_FORMS[:3]
LOCALITIES = vocab.LOCALITIES[:5]


def _supplier(rng: random.Random) -> tuple[str, str]:
    word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
    name = f"{rng.choice(KINDS)} {word} {rng.choice(FORMS)}"
    return rfc(rng, vocab.ALNUM), name


def _money(amount: float) -> dict[str, Any]:
    return {"amount": round(amount, 2), "currency": "MXN"}


def _process(rng: random.Random, n: int, suppliers: list[tuple[str, str]]) -> dict[str, Any]:
    """The compiled view of one synthetic contracting process."""
    buyer_id, buyer_name = rng.choice(vocab.BUYERS)
    supplier_id, supplier_name = rng.choice(suppliers)
    method, details = rng.choices(vocab.METHODS, weights=[3, 2, 5])[0]
    year = rng.randint(2016, 2024)
    start = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    lines, total = items(rng, 6)
    buyer = {"id": f"MX-SYN-{buyer_id}", "name": buyer_name}
    supplier = {"id": f"MX-RFC-{supplier_id}", "name": supplier_name}
    return {
        "ocid": f"{vocab.OCID_PREFIX}-{n:09d}",
        "year": year,
        "start": start,
        "total": total,
        "buyer": buyer,
        "supplier": supplier,
        "items": lines,
        "method": method,
        "details": details,
        "buyer_party": {
            **buyer,
            "roles": ["buyer", "procuringEntity"],
            "identifier": {"scheme": "MX-CPA", "id": buyer_id, "legalName": buyer_name},
            "address": {"countryName": "México"},
        },
        "supplier_party": {
            **supplier,
            "roles": ["supplier", "tenderer"],
            "identifier": {"scheme": "MX-RFC", "id": supplier_id, "legalName": supplier_name},
            "address": {"countryName": "México", "locality": rng.choice(LOCALITIES)},
        },
    }


def _stages(p: dict[str, Any]) -> dict[str, dict[str, Any]]:
    ocid, start = p["ocid"], p["start"]
    title = p["items"][0]["classification"]["description"]
    tender = {
        "id": f"{ocid}-T",
        "title": title,
        "status": "complete",
        "procurementMethod": p["method"],
        "procurementMethodDetails": p["details"],
        "mainProcurementCategory": "goods",
        "value": _money(p["total"] * 1.1),
        "items": p["items"],
        "tenderPeriod": {"startDate": f"{start}T09:00:00Z"},
        "procuringEntity": p["buyer"],
        "tenderers": [p["supplier"]],
    }
    award = {
        "id": f"{ocid}-A1",
        "title": title,
        "status": "active",
        "date": f"{start}T18:00:00Z",
        "value": _money(p["total"]),
        "suppliers": [p["supplier"]],
        "items": p["items"],
    }
    contract = {
        "id": f"{ocid}-C1",
        "awardID": award["id"],
        "title": title,
        "status": "active",
        "value": _money(p["total"]),
        "dateSigned": f"{start}T20:00:00Z",
        "period": {"startDate": f"{start}T00:00:00Z", "endDate": f"{p['year']}-12-31T23:59:59Z"},
    }
    return {"tender": tender, "award": award, "contract": contract}


def releases(
    rng: random.Random, n: int, suppliers: list[tuple[str, str]], chain: float
) -> list[dict[str, Any]]:
    """The releases of process ``n``: a tender/award/contract chain, or one combined release."""
    p = _process(rng, n, suppliers)
    s = _stages(p)
    base = {
        "ocid": p["ocid"],
        "language": "es",
        "initiationType": "tender",
        "buyer": p["buyer"],
        "parties": [p["buyer_party"], p["supplier_party"]],
    }

    def rel(i: int, tags: list[str], hour: int, **parts: Any) -> dict[str, Any]:
        return {
            **base,
            "id": f"{p['ocid']}-{i:02d}",
            "date": f"{p['start']}T{hour:02d}:30:00Z",
            "tag": tags,
            **parts,
        }

    if rng.random() < chain:
        award_ref = {"id": s["award"]["id"], "status": "active"}
        return [
            rel(1, ["tender"], 10, tender=s["tender"]),
            rel(2, ["award"], 18, tender={"id": s["tender"]["id"], "status": "complete"},
                awards=[s["award"]]),
            rel(3, ["contract"], 21, awards=[award_ref], contracts=[s["contract"]]),
        ]  # fmt: skip
    return [
        rel(1, ["tender", "award", "contract"], 21, tender=s["tender"], awards=[s["award"]],
            contracts=[s["contract"]])
    ]  # fmt: skip


def packages(seed: int = 1, chain: float = 0.35, supplier_pool: int = 20_000) -> Iterator[bytes]:
    """Endless JSON lines (each ending in a newline), one release package per release."""
    rng = random.Random(seed)
    suppliers = [_supplier(rng) for _ in range(supplier_pool)]
    n = 0
    while True:
        n += 1
        for r in releases(rng, n, suppliers, chain):
            package = {
                "uri": f"https://example.invalid/redline-synthetic/{r['id']}",
                "version": "1.1",
                "publishedDate": "2025-01-01T00:00:00Z",
                "publisher": vocab.PUBLISHER,
                "releases": [r],
            }
            yield orjson.dumps(package) + b"\n"


def write_packages(
    path: Path, size_mb: float, seed: int = 1, chain: float = 0.35
) -> dict[str, Any]:
    """Write lines until ``path`` holds at least ``size_mb`` MB; return what was written. The
    file's name must contain "synthetic", so no one takes it for real data."""
    if "synthetic" not in path.name:
        raise ValueError(f"{path.name}: a synthetic file's name must contain 'synthetic'")
    target = int(size_mb * 1_000_000)
    written = lines = 0
    started = time.perf_counter()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    with tmp.open("wb", buffering=8 << 20) as fh:
        for line in packages(seed, chain):
            fh.write(line)
            written += len(line)
            lines += 1
            if written >= target:
                break
    tmp.replace(path)
    seconds = time.perf_counter() - started
    return {
        "path": str(path),
        "bytes": written,
        "releases": lines,
        "seconds": round(seconds, 2),
        "mb_per_min": round(written / 1e6 / seconds * 60, 1),
        "seed": seed,
    }
