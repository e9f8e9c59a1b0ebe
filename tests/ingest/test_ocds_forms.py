"""Every input form gives the same store: packages, records, JSON Lines, .gz, folders.

The variants are built at test time in tmp_path from the real INAI and CDMX files.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest

from redline.errors import Problem
from redline.ingest.ocds.read import Item, is_jsonl, jsonl_batches, jsonl_items, read_items
from redline.services.ingest import ingest_ocds
from redline.store.db import Store

Builder = Callable[[list[dict[str, Any]], Path], Path]
PUBLISHER = {"name": "Redline test variant (built from real INAI/CDMX files)"}


def _releases(ocds_mexico: Path) -> list[dict[str, Any]]:
    files = sorted((ocds_mexico / "inai/sample/releases").glob("*.json"))
    files += sorted((ocds_mexico / "cdmx/sample/releases").glob("*.json"))
    return [orjson.loads(f.read_bytes()) for f in files]


def _write(path: Path, data: bytes) -> Path:
    if path.suffix == ".gz":
        path.write_bytes(gzip.compress(data))
    else:
        path.write_bytes(data)
    return path


def release_package(rels: list[dict[str, Any]], out: Path) -> Path:
    doc = {"publisher": PUBLISHER, "releases": rels}
    return _write(out / "package.json", orjson.dumps(doc, option=orjson.OPT_INDENT_2))


def release_package_gz(rels: list[dict[str, Any]], out: Path) -> Path:
    return _write(out / "package.json.gz", orjson.dumps({"releases": rels}))


def releases_jsonl(rels: list[dict[str, Any]], out: Path) -> Path:
    return _write(out / "releases.jsonl", b"\n".join(orjson.dumps(r) for r in rels) + b"\n")


def releases_jsonl_gz(rels: list[dict[str, Any]], out: Path) -> Path:
    return _write(out / "releases.jsonl.gz", b"\n".join(orjson.dumps(r) for r in rels))


def packages_jsonl(rels: list[dict[str, Any]], out: Path) -> Path:
    lines = [orjson.dumps({"publisher": PUBLISHER, "releases": [r]}) for r in rels]
    return _write(out / "packages.jsonl", b"\n".join(lines))


def one_file_per_release(rels: list[dict[str, Any]], out: Path) -> Path:
    folder = out / "folder"
    folder.mkdir()
    for i, rel in enumerate(rels):
        _write(folder / f"r{i:03d}.json", orjson.dumps(rel, option=orjson.OPT_INDENT_2))
    return folder


def records_package(rels: list[dict[str, Any]], out: Path) -> Path:
    by_ocid: dict[str, list[dict[str, Any]]] = {}
    for rel in rels:
        by_ocid.setdefault(rel["ocid"], []).append(rel)
    records = [{"ocid": ocid, "releases": group} for ocid, group in by_ocid.items()]
    return _write(out / "records.json", orjson.dumps({"records": records}))


def records_jsonl_gz(rels: list[dict[str, Any]], out: Path) -> Path:
    by_ocid: dict[str, list[dict[str, Any]]] = {}
    for rel in rels:
        by_ocid.setdefault(rel["ocid"], []).append(rel)
    lines = [orjson.dumps({"ocid": o, "releases": g}) for o, g in by_ocid.items()]
    return _write(out / "records.jsonl.gz", b"\n".join(lines))


BUILDERS: list[Builder] = [
    release_package, release_package_gz, releases_jsonl, releases_jsonl_gz, packages_jsonl,
    one_file_per_release, records_package, records_jsonl_gz,
]  # fmt: skip


def _snapshot(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    queries = {
        "compiled": "SELECT ocid, release_count FROM ocds_compiled",
        "awards": "SELECT ocid, award_id, amount, currency, status FROM awards",
        "suppliers": "SELECT ocid, award_id, name, identifier_scheme, identifier_id "
        "FROM award_suppliers",
        "items": "SELECT ocid, parent, classification_id, quantity FROM items",
        "parties": "SELECT ocid, party_id, roles FROM parties",
    }
    return {k: sorted(store.conn.execute(q).fetchall(), key=repr) for k, q in queries.items()}


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory, data_dir: Path, ocds_mexico: Path) -> Any:
    rels = _releases(ocds_mexico)
    with Store(tmp_path_factory.mktemp("base") / "s.duckdb") as store:
        folder = [ocds_mexico / "inai/sample/releases", ocds_mexico / "cdmx/sample/releases"]
        report = ingest_ocds(store, folder, data_dir=data_dir)
        assert report.rejected == []
        return rels, _snapshot(store)


@pytest.mark.parametrize("build", BUILDERS, ids=lambda b: b.__name__)
def test_every_form_gives_the_same_store(
    build: Builder, baseline: Any, tmp_path: Path, data_dir: Path
) -> None:
    rels, expected = baseline
    path = build(rels, tmp_path)
    with Store(tmp_path / "s.duckdb") as store:
        report = ingest_ocds(store, [path], data_dir=data_dir)
        assert report.rejected == []
        assert report.releases_stored == len(rels) == 30
        assert _snapshot(store) == expected


def test_publisher_comes_from_package_else_release(tmp_path: Path, data_dir: Path) -> None:
    rel = {"ocid": "ocds-test-1", "id": "1", "date": "2020-01-01T00:00:00Z",
           "packageInfo": {"publisher": {"name": "From packageInfo"}}}  # fmt: skip
    (tmp_path / "a.json").write_bytes(orjson.dumps({"publisher": PUBLISHER, "releases": [rel]}))
    (tmp_path / "b.json").write_bytes(orjson.dumps({**rel, "ocid": "ocds-test-2"}))
    with Store(tmp_path / "s.duckdb") as store:
        ingest_ocds(store, [tmp_path / "a.json", tmp_path / "b.json"], data_dir=data_dir)
        got = store.conn.execute("SELECT ocid, publisher FROM processes ORDER BY 1").fetchall()
    assert got == [("ocds-test-1", PUBLISHER["name"]), ("ocds-test-2", "From packageInfo")]


def test_forced_format_must_match(tmp_path: Path, data_dir: Path, ocds_mexico: Path) -> None:
    path = release_package(_releases(ocds_mexico)[:2], tmp_path)
    with Store(tmp_path / "s.duckdb") as store:
        report = ingest_ocds(store, [path], fmt="record-package", data_dir=data_dir)
        assert [str(p) for p in report.rejected] == [
            f"{path}:/: expected a record-package (--format), found a release-package"
        ]
        assert store.conn.execute("SELECT count(*) FROM ocds_releases").fetchone() == (0,)
        # a one-line file read as JSON Lines when forced
        one = tmp_path / "one.json"
        one.write_bytes(orjson.dumps(_releases(ocds_mexico)[0]))
        report = ingest_ocds(store, [one], fmt="jsonl", data_dir=data_dir)
        assert report.rejected == [] and report.releases_stored == 1
        assert store.conn.execute("SELECT pointer FROM ocds_releases").fetchone() == ("line:1",)


def test_is_jsonl_reads_at_most_max_line_of_the_first_line(
    tmp_path: Path, ocds_mexico: Path
) -> None:
    jsonl = releases_jsonl(_releases(ocds_mexico), tmp_path)
    first = len(jsonl.read_bytes().split(b"\n", 1)[0]) + 1  # with its newline
    assert is_jsonl(jsonl) and is_jsonl(jsonl, max_line=first)
    assert not is_jsonl(jsonl, max_line=first - 1)  # too long to tell: not split, read whole


def test_read_items_and_jsonl_batches_break_at_the_same_line(
    tmp_path: Path, ocds_mexico: Path
) -> None:
    """A truncated .gz (real releases, cut in the middle): both readers keep the same lines
    and name the same first unreadable line."""
    data = b"".join(orjson.dumps(r) + b"\n" for r in _releases(ocds_mexico))
    whole = gzip.compress(data, mtime=0)
    cut = tmp_path / "releases_cut.jsonl.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    items = list(read_items(cut))
    batched: list[Item | Problem] = []
    for batch in jsonl_batches(cut, max_lines=3, max_bytes=1 << 20):
        batched += [batch] if isinstance(batch, Problem) else jsonl_items(str(cut), *batch)
    assert items == batched
    *kept, problem = items
    assert isinstance(problem, Problem) and problem.message.startswith("unreadable from here")
    assert problem.position == f"line:{len(kept) + 1}" and len(kept) > 3


def test_a_bad_line_names_the_same_column_with_or_without_its_line_end() -> None:
    """Worker slices and Spark's text reader hand lines without their end; the gzip reader
    keeps it: the same bad line must give the same one-line problem either way."""
    bad = b'{"ocid": "ocds-synthetic-1", "date": '
    problems = [list(jsonl_items("f.jsonl", 7, [bad + end])) for end in (b"", b"\n", b"\r\n")]
    assert problems[0] == problems[1] == problems[2]
    assert problems[0][0].position == "line:7" and "column" in problems[0][0].message
