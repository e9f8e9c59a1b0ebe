"""Extraction's fast paths give what the plain Python rules give, on awkward hand-made values.

The releases here are synthetic (ocid prefix ``ocds-rlsynt``), made up for these checks.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.compute as pc

from redline.ingest.ocds.chunk import Context, items_chunk
from redline.ingest.ocds.extract import Provenance, Rows
from redline.ingest.ocds.ids import text
from redline.ingest.ocds.read import Item

_PROV = Provenance("synthetic.jsonl", "line:1", "r1", "Synthetic publisher", "run", "2026-01-01")


def test_arrow_trims_exactly_what_str_strip_strips() -> None:
    """Clean text columns are trusted when Arrow's trim leaves them alone: that needs Arrow's
    whitespace to be Python's, character for character."""
    chars = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]
    padded = pa.array([f"{c}a{c}" for c in chars], pa.string())
    trimmed = pc.utf8_trim_whitespace(padded).to_pylist()
    arrow_space = {c for c, t in zip(chars, trimmed, strict=True) if t == "a"}
    assert arrow_space == {c for c in chars if c.isspace()}
    assert len(arrow_space) == 29  # e.g. NBSP U+00A0, ideographic space U+3000


def _synthetic_release(**tender: Any) -> dict[str, Any]:
    return {
        "ocid": "ocds-rlsynt-000000042",
        "id": "ocds-rlsynt-000000042-01",
        "date": "2024-03-01T00:00:00Z",
        "tender": tender,
        "awards": [{"id": 7, "title": " Lote\u00a01 ", "status": ["active"], "date": ""}],
    }


def test_text_columns_follow_text_for_padded_empty_numeric_and_object_values() -> None:
    awkward: dict[str, Any] = {
        "title": "  Vehículos de pasajeros\u3000",  # padded: ideographic space at the end
        "description": "",  # empty: no value
        "id": 123,  # a number: written as text
        "status": {"code": "active"},  # an object: no value
        "procurementMethod": "direct",
        "procurementMethodDetails": 1.5,
        "mainProcurementCategory": None,
    }
    rows = Rows()
    rows.add(_synthetic_release(**awkward), _PROV)
    process = rows.arrow("processes").to_pylist()[0]
    assert process["title"] == "Vehículos de pasajeros" == text(awkward["title"])
    assert process["description"] is None
    assert process["tender_id"] == "123"
    assert process["tender_status"] is None
    assert process["procurement_method"] == "direct"
    assert process["procurement_method_details"] == "1.5"
    award = rows.arrow("awards").to_pylist()[0]
    assert (award["award_id"], award["title"], award["status"], award["date"]) == (
        "7",
        "Lote\u00a01",
        None,
        None,
    )
    assert award["publisher"] == "Synthetic publisher"
    assert award["pointer"] == "line:1/awards/0"


def test_clean_columns_take_the_fast_path_with_the_same_values() -> None:
    clean = {"title": "Baterías", "description": "Celdas", "id": "T-1", "status": "complete"}
    rows = Rows()
    for n in range(3):
        release = _synthetic_release(**clean)
        release["ocid"] = f"ocds-rlsynt-00000004{n}"
        rows.add(release, _PROV)
    processes = rows.arrow("processes")
    assert processes["title"].to_pylist() == ["Baterías"] * 3
    assert processes["tender_status"].to_pylist() == ["complete"] * 3
    assert processes["ocid"].to_pylist() == [f"ocds-rlsynt-00000004{n}" for n in range(3)]


def test_release_json_text_keeps_non_ascii_exactly(tmp_path: Path) -> None:
    release = _synthetic_release(title="Vehículos — ñandú 日本", description="x")
    del release["awards"]  # (its empty date is a bad structure: the release would be rejected)
    ctx = Context("synthetic.jsonl", "run", "2026-01-01T00:00:00+00:00", tmp_path)
    chunk = items_chunk(ctx, [Item("release", release, "line:1", "Synthetic publisher")])
    assert not chunk.problems
    stored = chunk.releases["data"].to_pylist()[0]
    assert chunk.releases.schema.field("data").type == pa.string()
    assert stored == orjson.dumps(release, option=orjson.OPT_SORT_KEYS).decode()
    assert orjson.loads(stored)["tender"]["title"] == "Vehículos — ñandú 日本"
