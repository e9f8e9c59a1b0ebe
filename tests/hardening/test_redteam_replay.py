"""Every input of the red-team run (``../shared/eval/redteam``, read in place) and a minimal
reproduction of each crash class (``fixtures/*.SYNTHETIC.*``): one line, exit 0 or 1, never a
traceback, and a refused file leaves the store exactly as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hardening_replay import redline, snapshot

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = "procurement/ocds-mexico/inai/sample/releases/PC-0011-PC-0011.json"


@pytest.fixture(scope="module")
def redteam(data_dir: Path) -> Path:
    found = data_dir.parent / "eval" / "redteam"
    if not (found / "README.md").is_file():
        pytest.skip(f"no red-team inputs at {found}")
    return found


@pytest.fixture()
def seeded(tmp_path: Path, data_dir: Path) -> Path:
    """A store holding one real release, to see that a refused file takes nothing of it."""
    store = tmp_path / "s.duckdb"
    assert redline("ingest", "ocds", str(data_dir / GOOD), "--store", str(store)).code == 0
    return store


def _ocds_inputs(root: Path) -> list[Path]:
    return sorted((root / "fuzz_crashes").iterdir())


def test_every_fuzz_crash_is_refused_or_stored_without_a_traceback(
    redteam: Path, seeded: Path, tmp_path: Path
) -> None:
    for path in _ocds_inputs(redteam):
        before = snapshot(seeded)
        seen = redline("ingest", "ocds", str(path), "--store", str(seeded))
        assert seen.code in (0, 1), (path.name, seen.err[-800:])
        assert "Traceback" not in seen.err and "internal error" not in seen.err, path.name
        if seen.code == 1:
            assert snapshot(seeded) == before, f"{path.name}: refused but the store changed"
        skip = tmp_path / "skip.duckdb"
        seen = redline(
            "ingest", "ocds", str(path), "--skip-invalid", "--reject-report",
            str(tmp_path / "rejects.jsonl"), "--store", str(skip),
        )  # fmt: skip
        assert seen.code in (0, 1), (path.name, seen.err[-800:])
        assert "Traceback" not in seen.err and "internal error" not in seen.err, path.name


def test_a_merge_error_rejects_its_file_and_keeps_the_others(redteam: Path, tmp_path: Path) -> None:
    m = redteam / "min"
    store = tmp_path / "m.duckdb"
    files = [m / "a_good.json", m / "merge_type_change.json", m / "z_good.json"]
    seen = redline("ingest", "ocds", *map(str, files), "--store", str(store))
    assert seen.code == 1
    assert "merge_type_change.json" in seen.err and "do not merge" in seen.err
    again = redline("ingest", "ocds", str(m / "z_good.json"), "--store", str(store))
    assert again.code == 0 and "unchanged" in again.err  # z_good was stored by the first run
    seen = redline("ingest", "ocds", str(m / "merge_id_list.json"), "--store", str(store))
    assert seen.code == 1 and "do not merge" in seen.err


@pytest.mark.parametrize("name", ["merge_type_change", "merge_id_list", "deep_release"])
def test_each_ocds_crash_class_is_one_problem_and_nothing_stored(
    name: str, seeded: Path, tmp_path: Path
) -> None:
    path = FIXTURES / f"{name}.SYNTHETIC.json"
    before = snapshot(seeded)
    seen = redline("ingest", "ocds", str(path), "--store", str(seeded))
    assert seen.code == 1, seen.err
    rejected = [line for line in seen.err.splitlines() if line.startswith("rejected:")]
    assert len(rejected) == 1 and str(path) in rejected[0], seen.err
    assert snapshot(seeded) == before
    # --skip-invalid: the file has no valid item, so it is refused too (exit 1), not "partial"
    report = tmp_path / "rejects.jsonl"
    seen = redline("ingest", "ocds", str(path), "--skip-invalid", "--reject-report", str(report),
                   "--store", str(seeded))  # fmt: skip
    assert seen.code == 1 and "Traceback" not in seen.err
    assert snapshot(seeded) == before


def test_a_stored_ocid_with_a_release_that_does_not_merge(seeded: Path, tmp_path: Path) -> None:
    """The second release arrives in a later run: that file is refused, the stored one stays."""
    first, second = tmp_path / "one.json", tmp_path / "two.json"
    text = (FIXTURES / "merge_type_change.SYNTHETIC.json").read_text()
    import json

    doc = json.loads(text)
    first.write_text(json.dumps({**doc, "releases": doc["releases"][:1]}))
    second.write_text(json.dumps({**doc, "releases": doc["releases"][1:]}))
    assert redline("ingest", "ocds", str(first), "--store", str(seeded)).code == 0
    before = snapshot(seeded)
    for extra in ([], ["--skip-invalid", "--reject-report", str(tmp_path / "r.jsonl")]):
        seen = redline("ingest", "ocds", str(second), *extra, "--store", str(seeded))
        assert seen.code == 1 and "do not merge" in seen.err, seen.err
        assert snapshot(seeded) == before


YAML_CASES = {
    "policy_feb30": ("14:13", "'2019-02-30' is not a real date"),
    "policy_year0": ("14:13", "'0000-01-01' is not a real date"),
    "policy_bad_time": ("14:13", "is not a real date or time"),
    "policy_bad_utf8": ("4:22", "not valid UTF-8 (byte 0xff)"),
    "policy_deep": ("", "nested deeper than 64 levels"),
    "policy_alias_bomb": ("", "values (aliases)"),
    "policy_bad_in_force": ("12:17", "a list of days from as_of, award, signature"),
}


@pytest.mark.parametrize("name", sorted(YAML_CASES))
def test_a_bad_policy_file_is_one_line_and_exit_1(name: str, seeded: Path) -> None:
    position, message = YAML_CASES[name]
    path = FIXTURES / f"{name}.SYNTHETIC.yaml"
    seen = redline("screen", "--policy", str(path), "--store", str(seeded))
    assert seen.code == 1, seen.err
    assert len(seen.errors) == 1 and f"{path}:{position}" in seen.errors[0], seen.err
    assert message in seen.errors[0]


@pytest.mark.parametrize("name", ["mapping_redos", "mapping_bad_regex"])
def test_a_bad_regex_in_a_mapping_is_refused(name: str, seeded: Path) -> None:
    path = FIXTURES / f"{name}.SYNTHETIC.yaml"
    seen = redline("ingest", "tracker", "--mapping", str(path), "--store", str(seeded))
    assert seen.code == 1 and len(seen.errors) == 1, seen.err
    assert "supplier_split: regex" in seen.errors[0]


def test_red_team_policies_and_watchlists(redteam: Path, seeded: Path, data_dir: Path) -> None:
    for path in sorted((redteam / "pol").iterdir()):
        seen = redline("screen", "--policy", str(path), "--store", str(seeded))
        assert seen.code == 1 and len(seen.errors) == 1, (path.name, seen.err)
    assert redline("lists", "load", "--store", str(seeded)).code == 0
    for path in sorted((redteam / "wl").iterdir()):
        before = snapshot(seeded)
        for argv in (["screen", "--store", str(seeded)], ["match", "Huawei"]):
            seen = redline(*argv, "--watchlist", str(path))
            assert "Traceback" not in seen.err and "internal error" not in seen.err, path.name
            if argv[0] == "screen" or "schema" in path.name:
                assert seen.code == 1 and len(seen.errors) == 1, (path.name, seen.err)
        assert snapshot(seeded) == before


@pytest.mark.parametrize("name", ["watchlist_schema_int", "watchlist_value_object"])
def test_a_bad_watchlist_line_is_one_line(name: str) -> None:
    path = FIXTURES / f"{name}.SYNTHETIC.jsonl"
    seen = redline("match", "Acme", "--watchlist", str(path))
    assert seen.code == 1 and seen.errors == [seen.errors[0]], seen.err
    assert f"{path}:line 1" in seen.errors[0]


def test_a_reject_report_that_cannot_be_written_is_refused_before_anything(
    seeded: Path, tmp_path: Path, data_dir: Path
) -> None:
    before = snapshot(seeded)
    bad = FIXTURES / "merge_type_change.SYNTHETIC.json"
    for target in (tmp_path, tmp_path / "missing" / "r.jsonl"):
        seen = redline("ingest", "ocds", str(bad), "--skip-invalid", "--reject-report",
                       str(target), "--store", str(seeded))  # fmt: skip
        assert seen.code == 1 and len(seen.errors) == 1 and "reject report" in seen.errors[0]
    assert snapshot(seeded) == before


def test_skip_invalid_does_not_mark_a_bad_file_as_seen(seeded: Path, tmp_path: Path) -> None:
    """A later strict run must report the file's problems, not call it "unchanged"."""
    shutil.copy(FIXTURES / "deep_release.SYNTHETIC.json", tmp_path / "d.json")
    good = tmp_path / "mixed.json"
    import json

    doc = json.loads((FIXTURES / "merge_type_change.SYNTHETIC.json").read_text())
    deep = json.loads((tmp_path / "d.json").read_text())["releases"][0]
    good.write_text(json.dumps({**doc, "releases": [doc["releases"][0], deep]}))
    seen = redline("ingest", "ocds", str(good), "--skip-invalid", "--reject-report",
                   str(tmp_path / "r.jsonl"), "--store", str(seeded))  # fmt: skip
    assert seen.code == 0, seen.err
    strict = redline("ingest", "ocds", str(good), "--store", str(seeded))
    assert strict.code == 1 and "nested deeper than 255 levels" in strict.err
