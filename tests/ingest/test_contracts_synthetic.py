"""The SYNTHETIC national-year ComprasMX file (the national bench's input) ingests cleanly.

A few hundred rows from :func:`redline.synth.comprasmx.write_comprasmx` go through
`ingest_contracts` as a real export does: every row stored, no value refused, each stored row
marked SYNTHETIC, the progress callback told every byte of the file.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from redline.services.ingest_contracts import ingest_contracts
from redline.store.db import Store
from redline.synth.comprasmx import HEADER, MARK, write_comprasmx

ROWS = 300


def test_synthetic_comprasmx_rows_ingest_and_say_synthetic(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "contratos_comprasmx_synthetic_300.csv"
    written = write_comprasmx(path, ROWS, seed=3)
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == HEADER and len(rows) == ROWS + 1
    assert {r[-1] for r in rows[1:]} == {MARK}
    seen: list[int] = []
    report = ingest_contracts(store, [path], on_progress=seen.append)
    assert report.status == "ok" and report.releases_stored == ROWS
    assert report.items_rejected == 0 and not report.bad_values and not report.rejected
    assert sum(seen) == written["bytes"] == path.stat().st_size
    # several contracts of one procedure are several awards of one record
    assert 0 < report.records_compiled < ROWS
    marked = store.conn.execute(
        "SELECT count(*), count(*) FILTER (WHERE (data->>'$.contracts[0].description') "
        "LIKE '%(SYNTHETIC)' AND (data->>'$.awards[0].documents[0].url') "
        "LIKE 'https://example.invalid/redline-synthetic/%') FROM ocds_releases"
    ).fetchone()
    assert marked == (ROWS, ROWS)
    amounts = store.conn.execute(
        "SELECT count(*) FILTER (WHERE amount > 0), count(*) FROM awards"
    ).fetchone()
    assert amounts == (ROWS, ROWS)  # "1,008,560"-style amounts read too
    rfcs = store.conn.execute(
        "SELECT count(*) FROM award_suppliers WHERE identifier_scheme = 'MX-RFC' "
        "AND regexp_full_match(identifier_id, '[A-Z]{3}[0-9]{6}[A-Z0-9]{3}')"
    ).fetchone()
    assert rfcs == (ROWS,)


def test_synthetic_comprasmx_is_deterministic_and_named_synthetic(tmp_path: Path) -> None:
    a, b = tmp_path / "a_synthetic.csv", tmp_path / "b_synthetic.csv"
    write_comprasmx(a, 50, seed=7)
    write_comprasmx(b, 50, seed=7)
    assert a.read_bytes() == b.read_bytes()
    with pytest.raises(ValueError, match="synthetic"):
        write_comprasmx(tmp_path / "contratos.csv", 10)
