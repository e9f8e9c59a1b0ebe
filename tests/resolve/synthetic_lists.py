"""SYNTHETIC second lists for the tests of list changes (a store whose lists change under an
index or a server's copy). Every entity here is fictional."""

from __future__ import annotations

import json
from pathlib import Path


def other_list(path: Path) -> Path:
    """A second SYNTHETIC list at ``path``: one fictional company, ``syn-ostrava``."""
    row = {"id": "syn-ostrava", "schema": "Company",
           "properties": {"name": ["Ostrava Radar Synthetic"], "country": ["cz"],
                          "notes": ["SYNTHETIC test entity: fictional company"]}}  # fmt: skip
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    return path
