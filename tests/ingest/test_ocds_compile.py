"""The single-release shortcut agrees with ocdsmerge on every real sample release."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import ocdsmerge
import orjson
import pytest

from redline.ingest.ocds.compile import SCHEMA_PATH, Compiler, compile_single
from redline.ingest.ocds.read import Item, read_items


def _prune(value: Any) -> Any:
    """Drop nulls and empty arrays/objects (bottom-up)."""
    if isinstance(value, dict):
        pruned = {k: _prune(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if v not in (None, [], {})}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value


def _real_releases(ocds_mexico: Path) -> list[dict[str, Any]]:
    found = []
    for path in sorted(ocds_mexico.rglob("*.json")):
        for item in read_items(path):
            if isinstance(item, Item):  # releases and compiled-only records alike
                found.append(item.data)
    return found


def test_single_release_shortcut_equals_ocdsmerge(data_dir: Path, ocds_mexico: Path) -> None:
    merger = ocdsmerge.Merger(schema=orjson.loads((data_dir / SCHEMA_PATH).read_bytes()))
    compiler = Compiler(data_dir)
    releases = _real_releases(ocds_mexico)
    assert len(releases) == 72
    for release in releases:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # duplicate-id warnings: checked below
            expected = merger.create_compiled_release([release])
        # equal up to nulls and empty containers (ocdsmerge itself leaves `{}` where every
        # child was null, and drops `[]`): both mean "not stated"
        assert _prune(compiler.compile([release])) == _prune(expected), release["ocid"]
    # the 4 INAI releases with duplicate party ids went through ocdsmerge, the rest did not
    assert compiler.merged == 4 and len(compiler.warnings) == 4
    assert all("Multiple objects have the `id` value 'RFC-" in w for w in compiler.warnings)


def test_shortcut_retags_like_ocdsmerge() -> None:
    rel = {"ocid": "ocds-x-1", "id": "r7", "date": "2020-01-01T00:00:00Z", "tag": ["tender"]}
    assert compile_single(rel) == {
        "ocid": "ocds-x-1", "id": "ocds-x-1-2020-01-01T00:00:00Z",
        "date": "2020-01-01T00:00:00Z", "tag": ["compiled"],
    }  # fmt: skip


def test_several_releases_merge_by_ocds_rules(data_dir: Path, ocds_mexico: Path) -> None:
    folder = ocds_mexico / "cdmx/sample/releases"
    rels = [
        orjson.loads((folder / f"OCDS-87SD3T-SEFIN-DRM-A-006-2016-0{i}.json").read_bytes())
        for i in (3, 1, 2)  # order does not matter: releases are sorted by date
    ]
    compiler = Compiler(data_dir)
    compiled = compiler.compile(rels)
    assert compiler.merged == 1
    newest = max(rels, key=lambda r: r["date"])
    assert compiled["date"] == newest["date"] and compiled["tag"] == ["compiled"]
    assert compiled["awards"][0]["status"] == newest["awards"][0]["status"]


@pytest.mark.parametrize("count", [2])
def test_merge_needs_schema(tmp_path: Path, count: int) -> None:
    rels = [{"ocid": "o", "id": str(i), "date": f"2020-01-0{i + 1}"} for i in range(count)]
    with pytest.raises(Exception, match="OCDS release schema not found"):
        Compiler(tmp_path).compile(rels)
