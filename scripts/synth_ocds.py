"""Write a SYNTHETIC OCDS file (JSON Lines, one release package per line) of a given size.

Reach for this when a test or benchmark needs Mexican-looking procurement at a volume the real
samples cannot give: ``python scripts/synth_ocds.py bench/work/ocds_synthetic_200mb.jsonl
--size-mb 200 --seed 1``. Everything is invented: the publisher is "Redline synthetic data",
ocids carry the prefix ``ocds-rlsynt``, supplier names and RFCs are generated from syllables
and belong to no real company, and no supplier is tied to any list. Buyers are real Mexican
public bodies by name only (as the shape of real data); the contracts attributed to them here
are fiction. CUCOP codes are shaped like the real ones (COG partida + sequence) but made up.

Deterministic for a given seed and size. Some ocids get a tender → award → contract release
chain (``--chain-share``), the rest one release carrying all three stages.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

# one vocabulary for every synthetic generator (also `redline synth`)
from redline.synth.vocab import BUYERS, ITEMS, METHODS

PUBLISHER = {"name": "Redline synthetic data", "uri": "https://example.invalid/redline-synthetic"}
OCID_PREFIX = "ocds-rlsynt"

SYLLABLES = ["al", "be", "ca", "do", "fe", "ga", "li", "mo", "na", "pe", "ri", "sa", "to", "va"]
KINDS = [
    "Comercializadora",
    "Servicios Integrales",
    "Grupo",
    "Constructora",
    "Tecnologías",
    "Soluciones",
    "Distribuidora",
    "Ingeniería",
    "Sistemas",
    "Suministros",
]
FORMS = ["S.A. de C.V.", "S. de R.L. de C.V.", "S.A.P.I. de C.V."]
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ALNUM = LETTERS + "0123456789"


def _supplier(rng: random.Random) -> tuple[str, str]:
    word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
    name = f"{rng.choice(KINDS)} {word} {rng.choice(FORMS)}"
    # RFC of a legal person: 3 letters, date of incorporation YYMMDD, 3-character homoclave
    date = f"{rng.randint(0, 99):02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    rfc = "".join(rng.choice(LETTERS) for _ in range(3)) + date
    return rfc + "".join(rng.choice(ALNUM) for _ in range(3)), name


def _money(amount: float) -> dict[str, Any]:
    return {"amount": round(amount, 2), "currency": "MXN"}


def _process(rng: random.Random, n: int, suppliers: list[tuple[str, str]]) -> dict[str, Any]:
    """The compiled view of one synthetic contracting process."""
    buyer_id, buyer_name = rng.choice(BUYERS)
    supplier_id, supplier_name = rng.choice(suppliers)
    method, details = rng.choices(METHODS, weights=[3, 2, 5])[0]
    year = rng.randint(2016, 2024)
    start = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    items: list[dict[str, Any]] = []
    total = 0.0
    for i in range(rng.randint(1, 6)):
        code, desc, partida = rng.choice(ITEMS)
        qty = rng.randint(1, 500)
        unit = round(rng.lognormvariate(9, 1.5), 2)
        total += qty * unit
        items.append(
            {
                "id": str(i + 1),
                "description": f"{desc} (partida {partida})",
                "classification": {"scheme": "UNSPSC", "id": code, "description": desc},
                "additionalClassifications": [
                    {
                        "scheme": "CUCOP",
                        "id": f"{partida}{rng.randint(1, 999):03d}",
                        "description": desc,
                    }
                ],
                "quantity": qty,
                "unit": {"name": "Pieza", "value": _money(unit)},
            }
        )
    buyer = {"id": f"MX-SYN-{buyer_id}", "name": buyer_name}
    supplier = {"id": f"MX-RFC-{supplier_id}", "name": supplier_name}
    return {
        "ocid": f"{OCID_PREFIX}-{n:09d}",
        "year": year,
        "start": start,
        "total": total,
        "buyer": buyer,
        "supplier": supplier,
        "items": items,
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
            "address": {
                "countryName": "México",
                "locality": rng.choice(
                    ["Ciudad de México", "Guadalajara", "Monterrey", "Puebla", "Querétaro"]
                ),
            },
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
        return [
            rel(1, ["tender"], 10, tender=s["tender"]),
            rel(
                2,
                ["award"],
                18,
                tender={"id": s["tender"]["id"], "status": "complete"},
                awards=[s["award"]],
            ),
            rel(
                3,
                ["contract"],
                21,
                awards=[{"id": s["award"]["id"], "status": "active"}],
                contracts=[s["contract"]],
            ),
        ]
    return [
        rel(
            1,
            ["tender", "award", "contract"],
            21,
            tender=s["tender"],
            awards=[s["award"]],
            contracts=[s["contract"]],
        )
    ]


def generate(seed: int = 1, chain: float = 0.35, supplier_pool: int = 20_000) -> Iterator[bytes]:
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
                "publisher": PUBLISHER,
                "releases": [r],
            }
            yield orjson.dumps(package) + b"\n"


def write(path: Path, size_mb: float, seed: int = 1, chain: float = 0.35) -> dict[str, Any]:
    """Write lines until the file holds at least ``size_mb`` MB; return what was written."""
    if "synthetic" not in path.name:
        raise ValueError(f"{path.name}: a synthetic file's name must contain 'synthetic'")
    target = int(size_mb * 1_000_000)
    written = lines = 0
    started = time.perf_counter()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    with tmp.open("wb", buffering=8 << 20) as fh:
        for line in generate(seed, chain):
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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, help="output file; its name must contain 'synthetic'")
    parser.add_argument("--size-mb", type=float, default=200.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--chain-share",
        type=float,
        default=0.35,
        help="share of processes published as tender → award → contract",
    )
    args = parser.parse_args(argv)
    sys.stdout.write(
        orjson.dumps(write(args.path, args.size_mb, args.seed, args.chain_share)).decode() + "\n"
    )


if __name__ == "__main__":
    main()
