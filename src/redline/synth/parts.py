"""The pieces both synthetic generators draw the same way: RFC-shaped ids and item lists.

Reach for these only from :mod:`redline.synth.generate` and :mod:`redline.synth.packages`.
The order of the draws from ``rng`` is part of each generator's output: a seed must keep giving
the same files, so change a draw here only knowing that both generators' files change.
"""

from __future__ import annotations

import random
from typing import Any

from redline.synth import vocab


def rfc(rng: random.Random, tail: str) -> str:
    """An RFC-shaped id of a legal person: 3 letters, the incorporation date YYMMDD and a
    3-character homoclave drawn from ``tail``."""
    stamp = f"{rng.randint(0, 99):02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    head = "".join(rng.choice(vocab.LETTERS) for _ in range(3))
    return head + stamp + "".join(rng.choice(tail) for _ in range(3))


def items(rng: random.Random, most: int) -> tuple[list[dict[str, Any]], float]:
    """1 to ``most`` OCDS items (UNSPSC code, CUCOP-shaped code, quantity, unit price in MXN)
    and their total value."""
    out: list[dict[str, Any]] = []
    total = 0.0
    for i in range(rng.randint(1, most)):
        code, desc, partida = rng.choice(vocab.ITEMS)
        qty, unit = rng.randint(1, 500), round(rng.lognormvariate(9, 1.5), 2)
        total += qty * unit
        out.append({
            "id": str(i + 1), "description": f"{desc} (partida {partida})",
            "classification": {"scheme": "UNSPSC", "id": code, "description": desc},
            "additionalClassifications": [
                {"scheme": "CUCOP", "id": f"{partida}{rng.randint(1, 999):03d}",
                 "description": desc}],
            "quantity": qty,
            "unit": {"name": "Pieza", "value": {"amount": unit, "currency": "MXN"}},
        })  # fmt: skip
    return out, total
