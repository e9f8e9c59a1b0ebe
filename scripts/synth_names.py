"""SYNTHETIC supplier names for the matcher's throughput bench — fictional, not real records.

Realistic-looking Mexican and Chinese company names built from generic parts, plus, at a given
rate, planted variants of names taken from the lists loaded in a store (upper-cased, legal
form changed, abbreviated, a typo). Every row is labelled synthetic in its ``id`` ("syn-…").

    python scripts/synth_names.py --count 100000 --out synthetic_names.csv [--store s.duckdb]
"""

from __future__ import annotations

import argparse
import csv
import random
from collections.abc import Iterator, Sequence
from pathlib import Path

MX_HEADS = [
    "Constructora",
    "Servicios",
    "Comercializadora",
    "Grupo",
    "Distribuidora",
    "Ingeniería",
    "Transportes",
    "Consultores",
    "Suministros",
    "Tecnologías",
    "Proveedora",
    "Desarrollos",
    "Inmobiliaria",
    "Laboratorios",
    "Soluciones",
]
MX_WORDS = [
    "del Norte",
    "del Bajío",
    "Integrales",
    "Industriales",
    "Peninsulares",
    "Aztlán",
    "Obregón",
    "Hidalgo",
    "Morelos",
    "Anáhuac",
    "Pacífico",
    "Sierra Madre",
    "Lerma",
    "Médicos",
    "Eléctricos",
    "Ambientales",
    "Hermanos Ruiz",
    "García y Asociados",
    "Tláloc",
    "Quetzal",
    "del Golfo",
    "Metropolitanos",
    "Avanzadas",
    "Mexicanos",
]
MX_FORMS = ["S.A. de C.V.", "S. de R.L. de C.V.", "SA DE CV", "S.A.P.I. de C.V.", "S.C.", ""]
CN_PLACES = [
    "Shenzhen",
    "Shanghai",
    "Hangzhou",
    "Ningbo",
    "Foshan",
    "Xiamen",
    "Suzhou",
    "Wuxi",
    "Dongguan",
    "Qingdao",
    "Zhuhai",
    "Changzhou",
]
CN_SYLLABLES = [
    "hua",
    "xin",
    "tai",
    "long",
    "feng",
    "da",
    "kang",
    "rui",
    "jin",
    "hong",
    "sheng",
    "yuan",
    "tong",
    "ming",
    "bo",
    "hai",
    "chuang",
    "li",
    "an",
    "wei",
]
CN_TRADES = [
    "Electronics",
    "Trading",
    "Import & Export",
    "Machinery",
    "Lighting",
    "Plastics",
    "Textile",
    "Hardware",
    "Packaging",
    "Optical",
    "Auto Parts",
    "Medical Devices",
]
CN_FORMS = ["Co., Ltd.", "CO LTD", "Co., Limited", "Company Limited"]
ABBREVIATIONS = {
    "Corporation": "CORP",
    "Company": "CO",
    "Limited": "LTD",
    "Technology": "TECH",
    "International": "INTL",
    "Industries": "INDS",
    "Group": "GRP",
    "Engineering": "ENGRG",
    "Construction": "CONSTR",
    "Communications": "COMM",
}


def mexican(rng: random.Random) -> str:
    return f"{rng.choice(MX_HEADS)} {rng.choice(MX_WORDS)} {rng.choice(MX_FORMS)}".strip()


def chinese(rng: random.Random) -> str:
    trade = "".join(rng.sample(CN_SYLLABLES, 2)).capitalize()
    return f"{rng.choice(CN_PLACES)} {trade} {rng.choice(CN_TRADES)} {rng.choice(CN_FORMS)}"


def plant(name: str, rng: random.Random) -> str:
    """A variant of a listed name the way records garble it."""
    kind = rng.randrange(4)
    if kind == 0:
        return name.upper()
    if kind == 1:
        return " ".join(ABBREVIATIONS.get(w, w) for w in name.split()).upper()
    if kind == 2 and len(name) > 8:
        i = rng.randrange(3, len(name) - 1)
        return name[:i] + name[i + 1 :]  # one letter dropped
    return f"{name} S.A. de C.V."


def names(
    count: int, listed: Sequence[str], plant_rate: float, seed: int
) -> Iterator[tuple[str, str, str]]:
    """(id, name, kind) rows; kind is mx / cn / planted."""
    rng = random.Random(seed)
    for i in range(count):
        roll = rng.random()
        if listed and roll < plant_rate:
            yield f"syn-{i}", plant(rng.choice(listed), rng), "planted"
        elif roll < 0.7:
            yield f"syn-{i}", mexican(rng), "mx"
        else:
            yield f"syn-{i}", chinese(rng), "cn"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--store", type=Path, help="take planted names from this store's lists")
    parser.add_argument("--plant-rate", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    listed: list[str] = []
    if args.store:
        from redline.store.db import Store

        with Store(args.store, read_only=True) as store:
            listed = [r[0] for r in store.conn.execute("SELECT caption FROM entities").fetchall()]
    with args.out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name"])
        for row in names(args.count, listed, args.plant_rate, args.seed):
            writer.writerow(row[:2])


if __name__ == "__main__":
    main()
