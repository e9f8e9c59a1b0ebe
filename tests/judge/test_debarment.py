"""Mexico's SFP register as a list, and the red line that honours its disqualification window.

Real rows of the register (read in place from the mirror) and the real IMSS ComprasMX extract;
the contracts placed around GVICOA's window are a SYNTHETIC fixture (the mirror has no contract
of GVICOA's awarded inside it: its real ones were awarded before 21-02-2026).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from redline.ingest.lists.catalog import load_catalog
from redline.ingest.lists.register import read
from redline.services.ingest_contracts import ingest_contracts
from redline.services.lists import load_lists
from redline.services.screen import screen_store
from redline.store.db import Store

REGISTER = "lists/mexico/sfp_proveedores_contratistas_sancionados.xlsx"
COMPRASMX = "procurement/comprasmx/contratos_comprasmx_2026_imss.csv"
FIXTURE = Path(__file__).parent / "fixtures" / "SYNTHETIC_comprasmx_disqualified_supplier.csv"
RULE = "supplier-disqualified-at-award"


def _rows(data_dir: Path, code: str) -> list[object]:
    spec = load_catalog().get(code)
    file = spec.files[0]
    assert file.columns is not None
    return list(read(data_dir / "lists" / file.path, file.path, code, file.columns))


def test_register_rows_split_into_windows_and_fines(data_dir: Path) -> None:
    windows = _rows(data_dir, "mx-sfp-inhabilitados")
    fines = _rows(data_dir, "mx-sfp-multas")
    assert len(windows) + len(fines) == 2395  # every row of the register, once
    assert len(windows) == 1840 and len(fines) == 555
    gvicoa = next(r for r in windows if r.row == "row 3")  # type: ignore[attr-defined]
    assert (gvicoa.name, gvicoa.start, gvicoa.end) == ("GVICOA, S.A. DE C.V.", "2026-02-21",
                                                       "2027-05-21")  # fmt: skip
    assert "Periodo de Inhabilitación: 1 año, 3 meses" in gvicoa.reason
    # a fine without a disqualification period has no window: no end date
    assert all(r.end is None for r in fines)  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def screened(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    with Store(tmp_path_factory.mktemp("debarment") / "s.duckdb") as store:
        report = load_lists(store, data_dir)
        # the register's own errors, reported with file and row and given no window
        assert len(report.date_errors) == 3
        assert report.date_errors[0] == (
            "mexico/sfp_proveedores_contratistas_sancionados.xlsx: row 19: "
            "end 2025-03-31 precedes start 2025-12-31"
        )
        ingest_contracts(store, [data_dir / COMPRASMX, FIXTURE])
        screen_store(store, as_of=date(2026, 3, 1), classify=False)
        yield store


def test_listing_carries_the_window(screened: Store) -> None:
    rows = screened.conn.execute(
        "SELECT start_date, end_date, source_file, source_row FROM listings "
        "WHERE list_code = 'mx-sfp-inhabilitados' AND entity_id IN "
        "(SELECT id FROM entities WHERE list_contains(names, 'GVICOA, S.A. DE C.V.'))"
    ).fetchall()
    assert rows == [(date(2026, 2, 21), date(2027, 5, 21),
                     "mexico/sfp_proveedores_contratistas_sancionados.xlsx", "row 3")]  # fmt: skip


def test_supplier_flagged_only_inside_its_window(screened: Store) -> None:
    found = screened.conn.execute(
        "SELECT ocid, award_date, severity, listed_at_award FROM findings "
        "WHERE rule_id = ? AND supplier_name = 'GVICOA SA DE CV' ORDER BY award_date",
        [RULE],
    ).fetchall()
    # the first day of the window and its last day; not the day before, not the end day, and
    # none of the real IMSS contracts awarded to GVICOA before 21-02-2026
    assert found == [
        ("redline-comprasmx-SYNTHETIC-FIRST-DAY", date(2026, 2, 21), "breach", True),
        ("redline-comprasmx-SYNTHETIC-LAST-DAY", date(2027, 5, 20), "breach", True),
    ]


def test_a_fine_is_no_disqualification(screened: Store) -> None:
    codes = screened.conn.execute(
        "SELECT DISTINCT unnest(list_codes) FROM findings WHERE rule_id = ?", [RULE]
    ).fetchall()
    assert codes == [("mx-sfp-inhabilitados",)]
