"""Worker processes change how fast ingest runs, never what it stores or reports.

The pooled path (``workers=2``) and the in-process path (``workers=1``) ingest the same JSON
Lines file into two stores, which must then hold identical tables, row for row and column for
column (run ids and timestamps aside), with the same problems reported. Chunks are made tiny so
an ocid's releases fall in several chunks and the end-of-file merge runs too.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from redline.ingest.ocds import load as ocds_load
from redline.ingest.ocds.workers import Workers
from redline.services.ingest import OCDS_TABLES, IngestReport, ingest_ocds
from redline.store.db import Store

_PER_RUN = {"run_id", "ingested_at", "superseded_at", "superseded_by"}


def _tables(store: Store) -> dict[str, list[tuple[object, ...]]]:
    out = {}
    for table in OCDS_TABLES:
        cols = [r[0] for r in store.conn.execute(f"DESCRIBE {table}").fetchall()]
        keep = ", ".join(f'"{c}"' for c in cols if c not in _PER_RUN)
        out[table] = store.conn.execute(f"SELECT {keep} FROM {table} ORDER BY ALL").fetchall()
    return out


def _both(
    path: Path, tmp_path: Path, data_dir: Path, *, skip_invalid: bool = False
) -> tuple[tuple[IngestReport, dict[str, list[tuple[object, ...]]]], ...]:
    results = []
    for workers in (1, 2):
        with Store(tmp_path / f"w{workers}.duckdb") as store:
            report = ingest_ocds(
                store, [path], data_dir=data_dir, workers=workers, skip_invalid=skip_invalid,
                reject_report=tmp_path / f"w{workers}.rejects.jsonl",
            )  # fmt: skip
            results.append((report, _tables(store)))
    return tuple(results)


@pytest.fixture()
def tiny_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocds_load, "BATCH", 7)  # lines per chunk
    monkeypatch.setattr(ocds_load, "POOL_MIN_BYTES", 0)  # use the pool even on a small file
    monkeypatch.setattr(ocds_load, "DEFER_JOB", 2)  # several merge jobs at the end


def test_pool_stores_what_one_process_stores_on_the_real_samples(
    tmp_path: Path, data_dir: Path, ocds_mexico: Path, tiny_chunks: None
) -> None:
    # every real sample document (packages, records, single releases) as one line of a file
    lines = [
        orjson.dumps(orjson.loads(p.read_bytes())) for p in sorted(ocds_mexico.rglob("*.json"))
    ]
    path = tmp_path / "mexico_samples.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    (one, one_tables), (pooled, pooled_tables) = _both(path, tmp_path, data_dir)
    assert one.rejected == [] and one.releases_stored > 0
    # the CDMX records embed the releases of the release files: stored once, not twice
    assert one.releases_unchanged > 0
    assert pooled_tables == one_tables
    assert (pooled.releases_stored, pooled.releases_unchanged, pooled.records_compiled) == (
        one.releases_stored, one.releases_unchanged, one.records_compiled,
    )  # fmt: skip
    assert pooled.records_compiled == len(one_tables["ocds_compiled"])
    assert pooled.bad_values == one.bad_values and pooled.merge_warnings == one.merge_warnings


def _release(ocid: int, n: int, amount: object = 100) -> dict[str, object]:
    return {
        "ocid": f"ocds-synthetic-{ocid:04d}", "id": f"{ocid}-{n}",
        "date": f"2021-0{n}-01T00:00:00Z", "tag": ["tender"],
        "parties": [{"id": f"SYN-{ocid}", "name": f"Proveedor Sintético {ocid}",
                     "roles": ["supplier"], "identifier": {"scheme": "RFC", "id": "not-an-rfc"}}],
        "awards": [{"id": f"a{n}", "value": {"amount": amount, "currency": "MXN"},
                    "suppliers": [{"id": f"SYN-{ocid}"}]}],
    }  # fmt: skip


def test_pool_matches_one_process_on_multi_release_ocids_and_bad_rows(
    tmp_path: Path, data_dir: Path, tiny_chunks: None
) -> None:
    lines: list[bytes] = []
    for ocid in range(40):
        for n in range(1, 1 + ocid % 4):  # 0 to 3 releases each, adjacent, across chunks
            lines.append(orjson.dumps({"releases": [_release(ocid, n)]}))
        if ocid % 9 == 4:  # (not first: a first line that is no object means not JSON Lines)
            lines.append(b'{"ocid": "broken')  # invalid JSON
        if ocid % 13 == 0:
            lines.append(orjson.dumps(_release(ocid, 7, amount="1,000")))  # bad structure
    lines.append(orjson.dumps(_release(1, 1)))  # a repeated release, far from its first
    lines.append(orjson.dumps(_release(2, 5)))  # a late release of an ocid seen long before
    path = tmp_path / "multi_synthetic.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")

    (one, one_tables), (pooled, pooled_tables) = _both(path, tmp_path, data_dir)
    assert one.files_rejected == pooled.files_rejected == 1
    assert [str(p) for p in pooled.rejected] == [str(p) for p in one.rejected]
    assert len(one.rejected) == 4 + 4  # 4 broken lines, 4 string amounts, each with its line
    assert all(t == [] for t in pooled_tables.values())  # a rejected file stores nothing

    (tmp_path / "skip").mkdir()
    (one, one_tables), (pooled, pooled_tables) = _both(
        path, tmp_path / "skip", data_dir, skip_invalid=True
    )
    assert [str(p) for p in pooled.rejected] == [str(p) for p in one.rejected]
    assert pooled_tables == one_tables
    compiled = {row[0]: row[1] for row in one_tables["ocds_compiled"]}
    assert compiled["ocds-synthetic-0003"] == 3 and compiled["ocds-synthetic-0002"] == 3
    assert one.bad_values == pooled.bad_values == {"identifier not an RFC": len(compiled)}
    rejects = (tmp_path / "skip" / "w2.rejects.jsonl").read_bytes().splitlines()
    assert rejects == (tmp_path / "skip" / "w1.rejects.jsonl").read_bytes().splitlines()


_MAIN = """
import marker_synthetic  # stands for what the `redline` console script imports: the whole CLI
from redline.ingest.ocds.workers import Workers
import probe_synthetic

if __name__ == "__main__":
    with Workers(2) as workers:
        workers.start()
        spawned = len(workers._pool._processes)  # before any job of the caller's
        print(spawned, list(workers.map(probe_synthetic.loaded, [(), (), ()])))
"""
_PROBE = """
import sys

def loaded():
    names = ("marker_synthetic", "pandas", "redline.ingest.ocds.worker_io")
    return [name for name in names if sys.modules.get(name) is not None]
"""


def test_one_worker_starts_no_process() -> None:
    workers = Workers(1)
    workers.start()
    assert workers._pool is None and list(workers.map(divmod, [(7, 2)])) == [(3, 1)]


def test_workers_start_at_once_without_the_parent_script_or_pandas(tmp_path: Path) -> None:
    # a stand-in for pandas beside the script (the spark extra's pandas may not be installed):
    # the parent imports it; a worker must neither re-run the script nor import "pandas"
    (tmp_path / "pandas.py").write_text("# SYNTHETIC stand-in for pandas (test only)\n")
    (tmp_path / "marker_synthetic.py").write_text("import pandas\n")
    (tmp_path / "probe_synthetic.py").write_text(_PROBE)
    script = tmp_path / "main_synthetic.py"  # run by path, as a console script is
    script.write_text(_MAIN)
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert done.returncode == 0, done.stderr
    # each worker imported the chunk modules as it started, and neither the script's imports
    # nor pandas (which pyarrow would import on its first conversion)
    assert done.stdout.strip() == "2 " + str([["redline.ingest.ocds.worker_io"]] * 3)


def test_a_release_seen_again_later_in_a_file_is_replaced_or_kept(
    tmp_path: Path, data_dir: Path, tiny_chunks: None
) -> None:
    """A fresh store looks releases of the file up by hashed keys; a key seen again is read
    back from the transaction: changed, the later version replaces it; unchanged, it is kept."""
    first, changed = _release(3, 1), _release(3, 1, amount=250)
    lines = [orjson.dumps(first)] + [orjson.dumps(_release(9, n)) for n in range(1, 4)] * 3
    lines += [orjson.dumps(changed), orjson.dumps(_release(5, 1)), orjson.dumps(changed)]
    path = tmp_path / "again_synthetic.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    (one, one_tables), (pooled, pooled_tables) = _both(path, tmp_path, data_dir)
    assert pooled_tables == one_tables
    # chunks of 7 lines (a chunk keeps the last of a release it holds twice): the first stores
    # 3-1 and 9-1..3; the second finds 9-1..3 unchanged, replaces 3-1 and stores 5-1
    assert (one.releases_stored, one.releases_unchanged) == (6, 3)
    assert (pooled.releases_stored, pooled.releases_unchanged) == (6, 3)
    with Store(tmp_path / "w1.duckdb", read_only=True) as store:
        rows = store.conn.execute(
            "SELECT json_extract(data, '$.awards[0].value.amount')::INT FROM ocds_releases "
            "WHERE release_id = '3-1'"
        ).fetchall()
    assert rows == [(250,)]
