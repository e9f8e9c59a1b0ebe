"""Fuzzing in the test suite: seeded mutations of the mirror's real releases, of the shipped
policy, tracker mapping and of watchlist lines, fed to the code that reads them.

Each case must end in a result or in the typed refusal (:class:`~redline.errors.InputError`, or
problems in the chunk), never in another exception. The default run is ``REDLINE_FUZZ_CASES``
(default 10,000) OCDS cases plus a tenth of that for each YAML and watchlist reader, on seed
``REDLINE_FUZZ_SEED`` (default 15); ``make fuzz`` runs ten times as many on a fresh seed. A
smaller sample goes through the whole command against a store, which must not change when
the file is refused.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import orjson
import pytest
from hardening_replay import redline, snapshot
from mutate import Mutator

from redline.errors import InputError, Problem
from redline.ingest.lists.watchlist import read_entities
from redline.ingest.ocds.chunk import Context, lines_chunk
from redline.ingest.tracker import load_mappings
from redline.judge.policy import parse_policy_file
from redline.packaged import read_text

SEED = int(os.environ.get("REDLINE_FUZZ_SEED", "15"))
CASES = int(os.environ.get("REDLINE_FUZZ_CASES", "10000"))
SAMPLES = [
    "inai/sample/releases/PC-0015-PC-0015.json",
    "cdmx/sample/releases/OCDS-87SD3T-AD-SF-DRM-065-2015-01.json",
    "jalisco/sample/releases/ocds-xs1qbl-SFIN-03-0001-00-2017-20180118T043952078Z-award.json",
]


def _encode(doc: Any) -> bytes:
    try:
        return orjson.dumps(doc)
    except TypeError:  # deep or huge integers: the standard library writes them
        return json.dumps(doc).encode()


@pytest.fixture(scope="module")
def releases(ocds_mexico: Path) -> list[dict[str, Any]]:
    found = []
    for name in SAMPLES:
        doc = orjson.loads((ocds_mexico / name).read_bytes())
        found.extend(doc.get("releases", [doc]))
    return found


def test_fuzz_ocds_chunks(releases: list[dict[str, Any]], data_dir: Path) -> None:
    """Check, canonical JSON, merge and extract of mutated releases: problems, not crashes."""
    fuzz = Mutator(SEED)
    ctx = Context("fuzz.jsonl", "run", "2026-01-01T00:00:00+00:00", data_dir)
    refused = 0
    for case in range(CASES):
        base = dict(fuzz.rng.choice(releases))
        base["ocid"] = f"ocds-fuzz-{SEED}-{case}"
        mutated = fuzz.mutate(base)
        if isinstance(mutated, dict) and fuzz.rng.random() < 0.4:
            mutated["ocid"], mutated["id"] = base["ocid"], f"{base.get('id')}-2"  # a merge
            lines = [_encode(base), _encode(mutated)]
        else:
            lines = [_encode(mutated)]
        if fuzz.rng.random() < 0.1:
            lines = [fuzz.flip(line) for line in lines]
        try:
            chunk = lines_chunk(ctx, 1, lines)
        except Exception as exc:
            pytest.fail(
                f"seed {SEED} case {case}: {type(exc).__name__}: {exc}; input {lines!r:.600}"
            )
        assert all(isinstance(p, Problem) for p in chunk.problems)
        refused += bool(chunk.problems)
    assert 0 < refused < CASES  # the mutations do reach both outcomes


def _yaml_cases(fuzz: Mutator, doc: Any, text: str, count: int) -> list[bytes]:
    cases = []
    for _ in range(count):
        r = fuzz.rng.random()
        if r < 0.6:
            cases.append(json.dumps(fuzz.mutate(doc), default=str).encode())  # JSON is YAML
        elif r < 0.9:
            cases.append(fuzz.flip(text.encode()))
        else:
            cut = fuzz.rng.randrange(len(text))
            cases.append(
                (text[:cut] + fuzz.rng.choice(["&a [*a]", "- [[[[", ": :", "\t"])).encode()
            )
    return cases


def test_fuzz_policy_and_mapping_files(tmp_path: Path) -> None:
    import yaml

    fuzz = Mutator(SEED + 1)
    policy_text, _ = read_text("policies/default.yaml")
    mapping_text, _ = read_text("trackers.yaml")
    path = tmp_path / "case.yaml"
    count = max(CASES // 10, 50)
    for kind, text in (("policy", policy_text), ("mapping", mapping_text)):
        doc = yaml.safe_load(text)
        for case, raw in enumerate(_yaml_cases(fuzz, doc, text, count)):
            path.write_bytes(raw)
            try:
                if kind == "policy":
                    parse_policy_file(path, known_sectors={"x"}, known_lists={"y"})
                else:
                    load_mappings(path)
            except InputError:
                continue
            except Exception as exc:
                pytest.fail(f"seed {SEED + 1} {kind} case {case}: {type(exc).__name__}: {exc}")


def test_fuzz_watchlist_lines(tmp_path: Path) -> None:
    fuzz = Mutator(SEED + 2)
    line = {"id": "synthetic-co", "schema": "Company",
            "properties": {"name": ["SYNTHETIC Co"], "country": ["cn"]}}  # fmt: skip
    link = {"id": "synthetic-san", "schema": "Sanction",
            "properties": {"entity": ["synthetic-co"], "program": ["SYNTHETIC"]}}  # fmt: skip
    path = tmp_path / "case.jsonl"
    for case in range(max(CASES // 10, 50)):
        lines = [_encode(fuzz.mutate(line)), _encode(fuzz.mutate(link, 1))]
        path.write_bytes(b"\n".join(lines) + b"\n")
        try:
            read_entities(path)
        except InputError:
            continue
        except Exception as exc:
            pytest.fail(f"seed {SEED + 2} case {case}: {type(exc).__name__}: {exc}; {lines!r:.600}")


def test_fuzz_through_the_command_leaves_a_refused_store_unchanged(
    releases: list[dict[str, Any]], tmp_path: Path
) -> None:
    fuzz = Mutator(SEED + 3)
    store = tmp_path / "s.duckdb"
    path = tmp_path / "case.json"
    for case in range(max(CASES // 200, 10)):
        base = dict(fuzz.rng.choice(releases))
        base["ocid"] = f"ocds-fuzz-cli-{case % 7}"  # some ocids come back: merges with stored
        path.write_bytes(_encode({"releases": [fuzz.mutate(base)]}))
        before = snapshot(store)
        seen = redline("ingest", "ocds", str(path), "--store", str(store))
        assert seen.code in (0, 1) and "internal error" not in seen.err, (case, seen.err[-600:])
        if seen.code == 1:
            assert snapshot(store) == before, f"seed {SEED + 3} case {case}: store changed"
