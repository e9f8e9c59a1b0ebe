"""Bad input: one clear line per problem (file, position, what is wrong); the file is left out.

The bad files are tiny synthetic fixtures written in tmp_path; the good file of the same call
is a real INAI release, which must still be stored.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import orjson
import pytest

from redline.errors import InputError
from redline.services.ingest import ingest_ocds
from redline.store.db import Store

GOOD = "inai/sample/releases/PC-0011-PC-0011.json"
REL = {"ocid": "ocds-synthetic-1", "id": "1", "date": "2020-01-02T03:04:05Z"}


def _pkg(*releases: dict[str, object]) -> bytes:
    return orjson.dumps({"publisher": {"name": "synthetic"}, "releases": list(releases)})


def _valid_gz() -> bytes:
    lines = [
        orjson.dumps({**REL, "id": str(i), "tender": {"title": "x" * 200}}) for i in range(400)
    ]
    return gzip.compress(b"\n".join(lines))


CASES: dict[str, tuple[bytes, str, str]] = {
    # name: (file content, expected position, expected message start)
    "invalid_json": (b'{"ocid": "x", "id": ', "line:1", "invalid JSON: unexpected end of data"),
    "invalid_jsonl_line": (
        orjson.dumps(REL) + b"\n" + b'{"ocid": "y", "id": 2,,}\n',
        "line:2",
        "invalid JSON:",
    ),
    "not_ocds": (b'{"name": "a csv converted to json", "rows": []}', "/", "not OCDS"),
    "no_ocid": (_pkg(REL, {"id": "2", "date": "2020-01-01"}), "/releases/1", "release has no ocid"),
    "amount_string": (
        _pkg({**REL, "awards": [{"id": "a", "value": {"amount": "1,000", "currency": "MXN"}}]}),
        "/releases/0/awards/0/value/amount",
        "amount '1,000' is a string, expected a number",
    ),
    "date_not_date": (
        _pkg({**REL, "date": "last tuesday"}),
        "/releases/0/date",
        "date 'last tuesday' is not a date",
    ),
    # JSON Lines cut mid-stream: named by the first line that cannot be read (None: any line)
    "truncated_gz": (_valid_gz()[: len(_valid_gz()) // 2], None, "unreadable from here"),
    "garbage_gz": (b"\x1f\x8b" + b"not really gzip" * 10, "", "unreadable file:"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_file_gives_one_line_and_stores_nothing_of_it(
    case: str, store: Store, tmp_path: Path, data_dir: Path, ocds_mexico: Path
) -> None:
    content, position, message = CASES[case]
    bad = tmp_path / f"{case}_synthetic.json{'.gz' if 'gz' in case else ''}"
    bad.write_bytes(content)
    report = ingest_ocds(store, [bad, ocds_mexico / GOOD], data_dir=data_dir)
    assert len(report.rejected) == 1, report.rejected
    problem = report.rejected[0]
    assert problem.source == str(bad)
    if position is None:
        assert problem.position.startswith("line:"), problem.position
    else:
        assert problem.position == position
    assert problem.message.startswith(message), problem.message
    assert "\n" not in str(problem)
    assert report.files_rejected == 1 and report.status == "partial"
    # nothing of the bad file, all of the good one
    rows = store.conn.execute("SELECT DISTINCT source_file FROM ocds_releases").fetchall()
    assert rows == [(str(ocds_mexico / GOOD),)]
    assert store.conn.execute("SELECT count(*) FROM ocds_files").fetchone() == (1,)


def test_all_problems_of_a_file_are_listed(store: Store, tmp_path: Path, data_dir: Path) -> None:
    bad = tmp_path / "two_problems_synthetic.json"
    bad.write_bytes(_pkg({"id": "1"}, {**REL, "date": "soon"}))
    report = ingest_ocds(store, [bad], data_dir=data_dir)
    assert [str(p) for p in report.rejected] == [
        f"{bad}:/releases/0: release has no ocid",
        f"{bad}:/releases/1/date: date 'soon' is not a date",
    ]
    assert report.status == "failed"


def test_skip_invalid_keeps_valid_items_and_writes_report(
    store: Store, tmp_path: Path, data_dir: Path
) -> None:
    bad = tmp_path / "mixed_synthetic.json"
    good_rel = {**REL, "tender": {"id": "t", "value": {"amount": 5, "currency": "MXN"}}}
    bad_rel = {**REL, "ocid": "ocds-synthetic-2", "tender": {"value": {"amount": "5"}}}
    bad.write_bytes(_pkg(good_rel, bad_rel))
    target = tmp_path / "rejects.jsonl"
    report = ingest_ocds(store, [bad], skip_invalid=True, reject_report=target, data_dir=data_dir)
    assert report.releases_stored == 1 and report.items_rejected == 1
    assert report.files_rejected == 0
    assert store.conn.execute("SELECT ocid FROM processes").fetchall() == [("ocds-synthetic-1",)]
    lines = [orjson.loads(line) for line in target.read_bytes().splitlines()]
    assert lines == [
        {
            "source": str(bad),
            "position": "/releases/1/tender/value/amount",
            "message": "amount '5' is a string, expected a number",
            "item": bad_rel,
        }
    ]
    assert report.reject_report == str(target)


def test_default_reject_report_is_next_to_the_store(
    store: Store, tmp_path: Path, data_dir: Path
) -> None:
    bad = tmp_path / "mixed_synthetic.jsonl"
    bad.write_bytes(orjson.dumps(REL) + b"\n" + b"{oops\n")
    report = ingest_ocds(store, [bad], skip_invalid=True, data_dir=data_dir)
    assert report.reject_report == str(store.path) + ".rejects.jsonl"
    assert Path(report.reject_report).read_bytes().count(b"\n") == 1


def test_missing_path_and_unknown_format_raise(store: Store, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or folder"):
        ingest_ocds(store, [tmp_path / "nope.json"])
    with pytest.raises(InputError, match="unknown format 'xml'"):
        ingest_ocds(store, [tmp_path], fmt="xml")


def test_missing_schema_is_a_clear_error(store: Store, tmp_path: Path, ocds_mexico: Path) -> None:
    # two releases of one ocid need ocdsmerge, whose rules come from the schema in the data dir
    ocid = "cdmx/sample/releases/OCDS-87SD3T-SEFIN-DRM-A-001-2016-0{}.json"
    paths = [ocds_mexico / ocid.format(1), ocds_mexico / ocid.format(2)]
    with pytest.raises(InputError, match="OCDS release schema not found"):
        ingest_ocds(store, paths, data_dir=tmp_path)
    # the run is recorded as failed with the reason, not left "running"
    status, stats = store.conn.execute(
        "SELECT status, CAST(stats AS VARCHAR) FROM ingest_runs"
    ).fetchone() or ("", "")
    assert status == "failed" and "OCDS release schema not found" in stats


def test_truncated_jsonl_gz_names_the_line_and_skip_invalid_keeps_the_lines_before(
    store: Store, tmp_path: Path, data_dir: Path
) -> None:
    import gzip
    import json

    lines = [
        json.dumps({**REL, "ocid": f"ocds-synthetic-{n}", "id": f"r{n}"}) + "\n" for n in range(400)
    ]
    whole = gzip.compress("".join(lines).encode(), mtime=0)
    bad = tmp_path / "truncated_synthetic.jsonl.gz"
    bad.write_bytes(whole[: len(whole) * 2 // 3])
    report = ingest_ocds(store, [bad], data_dir=data_dir)
    (problem,) = report.rejected
    assert problem.position.startswith("line:") and int(problem.position[5:]) > 1
    assert problem.message.startswith("unreadable from here")
    assert store.conn.execute("SELECT count(*) FROM ocds_releases").fetchone() == (0,)
    kept = ingest_ocds(store, [bad], data_dir=data_dir, skip_invalid=True)
    assert kept.releases_stored == int(problem.position[5:]) - 1 > 0
