"""Policy files: the shipped set loads; every structural problem is reported with its position."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from redline.errors import InputError
from redline.judge.policy import Effective, default_policy_files, load_policies
from redline.judge.vocab import list_codes, sectors

GOOD_RULE = """\
version: 1
rules:
  - id: synthetic-rule
    title: SYNTHETIC test rule
    severity: watch
    sectors: [ports_cranes]
    listing:
      lists: [us-dod-1260h]
    basis:
      - instrument: Synthetic instrument for tests
        citation: none
        url: https://example.org/synthetic
    sentence: "{vendor} supplies {sector}"
"""


def load(*files: Path, default: bool = True) -> list[str]:
    policies = load_policies(
        files, known_sectors=set(sectors()), known_lists=list_codes(), include_default=default
    )
    return [rule.id for rule in policies.rules]


def test_shipped_policies_load_and_cite_a_source() -> None:
    policies = load_policies(known_sectors=set(sectors()), known_lists=list_codes())
    assert len(policies.rules) >= 6
    for rule in policies.rules:
        assert rule.basis and all(b.url.startswith("https://") for b in rule.basis)
    s154 = policies.get("ndaa-154-batteries")
    assert s154.effective.start == date(2027, 10, 1)
    assert s154.sectors == ["batteries"] and s154.listing.lists == ["us-ndaa-154"]


def test_user_file_adds_rules(tmp_path: Path) -> None:
    path = tmp_path / "extra.yaml"
    path.write_text(GOOD_RULE)
    ids = load(path)
    assert "synthetic-rule" in ids and "ndaa-889-covered-equipment" in ids


def test_unknown_field_sector_and_list_each_reported_with_position(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        GOOD_RULE.replace("[ports_cranes]", "[ports_cranes, space_elevators]").replace(
            "[us-dod-1260h]", "[us-dod-1260h, xx-made-up-list]"
        )
    )
    with pytest.raises(InputError) as caught:
        load(path)
    lines = str(caught.value).splitlines()
    assert lines == [
        f"{path}:6:29: rules[0].sectors[1]: unknown sector id 'space_elevators'",
        f"{path}:8:29: rules[0].listing.lists[1]: unknown list id 'xx-made-up-list'",
    ]

    path.write_text(
        GOOD_RULE.replace("    severity: watch\n", "    severity: watch\n    colour: red\n")
    )
    with pytest.raises(InputError) as caught:
        load(path)
    assert str(caught.value) == f"{path}:6:13: rules[0].colour: unknown field"


def test_bad_values_all_reported_at_once(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    text = GOOD_RULE.replace("severity: watch", "severity: catastrophic")
    text = text.replace('"{vendor} supplies {sector}"', '"{vendor} in {country}"')
    text = text.replace("https://example.org/synthetic", "not a url")
    path.write_text(text)
    with pytest.raises(InputError) as caught:
        load(path)
    problems = caught.value.problems
    assert [p.position for p in problems] == ["5:15", "12:14", "13:15"]
    assert "catastrophic" not in problems[0].message and "breach" in problems[0].message
    assert "country" in problems[2].message


def test_duplicate_ids_across_user_files(tmp_path: Path) -> None:
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(GOOD_RULE)
    b.write_text(GOOD_RULE)
    with pytest.raises(InputError) as caught:
        load(a, b, default=False)
    assert str(caught.value) == (
        f"{b}:3:9: rules[0].id: duplicate rule id 'synthetic-rule' (also in {a})"
    )


def test_user_rule_replaces_shipped_rule_of_same_id(tmp_path: Path) -> None:
    path = tmp_path / "override.yaml"
    path.write_text(GOOD_RULE.replace("synthetic-rule", "ndaa-154-batteries"))
    policies = load_policies([path], known_sectors=set(sectors()), known_lists=list_codes())
    assert policies.get("ndaa-154-batteries").severity == "watch"
    assert policies.sources["ndaa-154-batteries"] == str(path)


def test_not_yaml(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("version: 1\nrules: [\n")
    with pytest.raises(InputError) as caught:
        load(path)
    assert str(caught.value).startswith(f"{path}:3:1: not valid YAML")


def test_effective_window_on_as_of_or_award_date() -> None:
    on_as_of = Effective.model_validate({"from": "2027-10-01"})
    assert not on_as_of.applies(date(2027, 9, 30), date(2028, 1, 1))
    assert on_as_of.applies(date(2027, 10, 1), None)
    on_award = Effective.model_validate({"from": "2027-10-01", "judged_on": "award"})
    assert not on_award.applies(date(2030, 1, 1), date(2027, 9, 30))
    assert on_award.applies(date(2020, 1, 1), date(2027, 10, 1))
    assert not on_award.applies(date(2030, 1, 1), None)


def test_default_files_are_packaged() -> None:
    assert [p.name for p in default_policy_files()] == ["debarment.yaml", "default.yaml"]


def test_in_force_names_the_days_judged(tmp_path: Path) -> None:
    path = tmp_path / "days.yaml"
    path.write_text(
        GOOD_RULE.replace(
            "[us-dod-1260h]\n", "[us-dod-1260h]\n      in_force: [award, signature]\n"
        )
    )
    policies = load_policies([path], known_sectors=set(sectors()), known_lists=list_codes())
    assert policies.get("synthetic-rule").listing.in_force == ("award", "signature")
    # the single words keep their meaning: "either" is the as-of date or the award date
    assert policies.get("ndaa-889-covered-equipment").listing.in_force == ("as_of", "award")
    shipped = policies.get("supplier-disqualified-at-award").listing.in_force
    assert shipped == ("award", "signature")


@pytest.mark.parametrize(
    "value", ["[award, sealing]", "[]", "[award, award]", "signed", "either2", "[either]"]
)
def test_bad_in_force_is_one_line_naming_its_position(tmp_path: Path, value: str) -> None:
    path = tmp_path / "days.yaml"
    path.write_text(
        GOOD_RULE.replace("[us-dod-1260h]\n", f"[us-dod-1260h]\n      in_force: {value}\n")
    )
    with pytest.raises(InputError) as caught:
        load(path)
    (line,) = str(caught.value).splitlines()
    assert line.startswith(f"{path}:9:17: rules[0].listing.in_force: ")
    assert "as_of, award, signature" in line
