"""The shipped taxonomy is complete, and a broken one is rejected with every problem listed."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from redline.classify.taxonomy import load_taxonomy, parse_taxonomy
from redline.errors import InputError

REQUIRED = {
    "border_inspection", "telecom_core", "telecom_radio_access", "public_wifi", "cables",
    "data_centres_cloud", "video_surveillance", "biometrics_identity",
    "rail_rolling_stock_signalling", "transport_construction", "ports_cranes",
    "energy_grid_generation", "batteries", "drones", "semiconductors", "genomics_health_data",
}  # fmt: skip


def test_packaged_taxonomy_covers_the_issue_classes() -> None:
    tax = load_taxonomy()
    assert set(tax.class_ids) >= REQUIRED
    for cls in tax.classes:
        assert cls.data_exposed and cls.guard_rails and cls.keywords, cls.id
        assert cls.tier in tax.tiers
    border = tax.get("border_inspection")
    assert any(c.scheme == "CPV" and "38581000".startswith(c.prefix) for c in border.codes)
    assert {"anam", "sat_aduanas"} <= set(border.buyers)


def _raw() -> dict[str, object]:
    root = Path(__file__).resolve().parents[2]
    text = (root / "src" / "redline" / "data" / "taxonomy.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    assert isinstance(raw, dict)
    return raw


def test_unknown_field_is_an_error_with_its_position() -> None:
    raw = _raw()
    raw["classes"][0]["sensitivity"] = "high"  # type: ignore[index]
    with pytest.raises(InputError) as info:
        parse_taxonomy(yaml.safe_dump(raw), "tax.yaml")
    assert [str(p) for p in info.value.problems] == [
        "tax.yaml:classes.0.sensitivity: Extra inputs are not permitted"
    ]


def test_every_semantic_problem_is_reported_at_once() -> None:
    raw = _raw()
    classes = raw["classes"]
    assert isinstance(classes, list)
    classes[0]["keywords"].append("rayos (x")  # does not compile
    classes[1]["keywords"].append("Inspección")  # could never match normalised text
    classes[2]["buyers"].append("nobody")  # unknown buyer group
    classes[3]["id"] = classes[4]["id"]  # duplicate id
    with pytest.raises(InputError) as info:
        parse_taxonomy(yaml.safe_dump(raw, allow_unicode=True), "tax.yaml")
    positions = [p.position for p in info.value.problems]
    assert len(positions) == 4
    assert any(p.startswith("classes[0].keywords") for p in positions)
    assert any(p.startswith("classes[1].keywords") for p in positions)
    assert "classes[2].buyers[2]" in positions
    assert "classes[4].id" in positions
    assert all(str(p).startswith("tax.yaml:") for p in info.value.problems)


def test_every_class_is_documented() -> None:
    root = Path(__file__).resolve().parents[2]
    text = (root / "docs" / "taxonomy.md").read_text(encoding="utf-8")
    missing = [c for c in load_taxonomy().class_ids if f"`{c}`" not in text]
    assert not missing, f"docs/taxonomy.md lacks {missing}"
