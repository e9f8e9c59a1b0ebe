"""Mexico's SFP register as a list, and the red line that honours its disqualification window.

Real rows of the register (read in place from the mirror) and the real IMSS ComprasMX extract;
the contracts placed around GVICOA's window are a SYNTHETIC fixture (the mirror has no contract
of GVICOA's awarded or signed inside it: its real ones were awarded before 21-02-2026 and signed
by 16-02-2026). The rule judges the award date (``Fecha de fallo``) and the signature date
(``Fecha de firma del contrato``); the finding names the day(s) inside the window.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from redline.ingest.lists.catalog import load_catalog
from redline.ingest.lists.register import read
from redline.services.ingest_contracts import ingest_contracts
from redline.services.lists import load_lists
from redline.services.read.findings import FindingFilter, findings_page
from redline.services.read.language import localise_rows, sentence
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
        "SELECT ocid, award_date, severity, listed_at_award, data->>'signed_date', "
        "data->>'listed_at_signature' FROM findings "
        "WHERE rule_id = ? AND supplier_name = 'GVICOA SA DE CV' ORDER BY award_date",
        [RULE],
    ).fetchall()
    # the first day of the window and its last day (no signature date: judged on the award
    # alone); not the day before, not the end day, and none of the real IMSS contracts
    # awarded to GVICOA before 21-02-2026. Awarded the day before the window but signed inside
    # it: a finding; awarded and signed before it (SYNTHETIC-BOTH-OUTSIDE): none
    assert found == [
        ("redline-comprasmx-SYNTHETIC-SIGNED-INSIDE", date(2026, 2, 20), "breach", False,
         "2026-02-23", "true"),
        ("redline-comprasmx-SYNTHETIC-FIRST-DAY", date(2026, 2, 21), "breach", True, None, None),
        ("redline-comprasmx-SYNTHETIC-BOTH-INSIDE", date(2026, 2, 24), "breach", True,
         "2026-02-26", "true"),
        # no ruling date: dated by its signature (the award's date falls back to it)
        ("redline-comprasmx-SYNTHETIC-SIGNED-UNDATED", date(2026, 3, 2), "breach", True,
         "2026-03-02", "true"),
        ("redline-comprasmx-SYNTHETIC-SIGNED-AFTER", date(2027, 5, 19), "breach", True,
         "2027-05-25", "false"),
        ("redline-comprasmx-SYNTHETIC-LAST-DAY", date(2027, 5, 20), "breach", True, None, None),
    ]  # fmt: skip


def _sentence(store: Store, procedure: str) -> str:
    row = store.conn.execute(
        "SELECT sentence FROM findings WHERE rule_id = ? AND ocid = ?",
        [RULE, f"redline-comprasmx-{procedure}"],
    ).fetchone()
    assert row is not None
    return str(row[0])


def test_finding_names_the_signature_date_inside_the_window(screened: Store) -> None:
    assert "was disqualified on mx-sfp-inhabilitados on the signature date 2026-02-23 " \
        "(awarded 2026-02-20, before the listing took effect), and" in _sentence(
            screened, "SYNTHETIC-SIGNED-INSIDE")  # fmt: skip


def test_finding_names_both_dates_inside_the_window(screened: Store) -> None:
    assert "on the award date 2026-02-24 and on the signature date 2026-02-26, and" in (
        _sentence(screened, "SYNTHETIC-BOTH-INSIDE")
    )


def test_finding_names_only_the_day_inside(screened: Store) -> None:
    # awarded on the window's last days, signed after it ended: the award date alone
    text = _sentence(screened, "SYNTHETIC-SIGNED-AFTER")
    assert "on the award date 2027-05-19, and" in text and "2027-05-25" not in text
    # no signature date: judged and named on the award date alone
    assert "on the award date 2026-02-21, and" in _sentence(screened, "SYNTHETIC-FIRST-DAY")


def test_an_award_without_a_ruling_date_names_its_signature_alone(screened: Store) -> None:
    text = _sentence(screened, "SYNTHETIC-SIGNED-UNDATED")
    assert "on mx-sfp-inhabilitados on the signature date 2026-03-02, and" in text
    assert "award date" not in text


def test_no_finding_when_awarded_and_signed_outside(screened: Store) -> None:
    none = screened.conn.execute(
        "SELECT count(*) FROM findings WHERE ocid IN (?, ?)",
        ["redline-comprasmx-SYNTHETIC-BOTH-OUTSIDE", "redline-comprasmx-SYNTHETIC-BEFORE"],
    ).fetchone()
    assert none == (0,)


def test_a_fine_is_no_disqualification(screened: Store) -> None:
    codes = screened.conn.execute(
        "SELECT DISTINCT unnest(list_codes) FROM findings WHERE rule_id = ?", [RULE]
    ).fetchall()
    assert codes == [("mx-sfp-inhabilitados",)]


def test_real_contracts_awarded_before_and_signed_inside_a_window(screened: Store) -> None:
    # real IMSS contracts (ComprasMX 2026 extract) and real register rows: D´SAZÓN
    # SEGURIDAD ALIMENTARIA (row 13, disqualified 23-01-2026 to 23-01-2027) and GENESIS
    # HEALTHCARE ADVISERS (row 11, 28-01-2026 to 28-01-2027), each awarded a contract before
    # its disqualification began and signed while disqualified; D´SAZÓN's contracts signed on
    # 22-01-2026, the day before its window, are no finding
    found = screened.conn.execute(
        "SELECT ocid, award_date, listed_at_award, data->>'signed_date' FROM findings "
        "WHERE rule_id = ? AND ocid NOT LIKE '%SYNTHETIC%' ORDER BY ocid",
        [RULE],
    ).fetchall()
    assert found == [
        ("redline-comprasmx-IA-50-GYR-050GYR055-N-10-2026", date(2026, 1, 8), False, "2026-02-27"),
        ("redline-comprasmx-LA-50-GYR-050GYR028-N-21-2026", date(2025, 12, 31), False,
         "2026-03-06"),
    ]  # fmt: skip
    assert "on the signature date 2026-03-06 (awarded 2025-12-31, before the listing took " \
        "effect)" in _sentence(screened, "LA-50-GYR-050GYR028-N-21-2026")  # fmt: skip


def test_spanish_sentence_names_the_same_dates(screened: Store) -> None:
    # the briefing's finding (its stored data) and the dashboard's table row (its columns)
    row = screened.conn.execute(
        "SELECT data FROM findings WHERE ocid = 'redline-comprasmx-SYNTHETIC-SIGNED-INSIDE'"
    ).fetchone()
    assert row is not None
    signed = "a la fecha de firma del contrato (2026-02-23; se adjudicó el 2026-02-20, antes de "
    assert signed in sentence(json.loads(row[0]), "es", {})
    page = findings_page(screened.conn, FindingFilter(vendor="GVICOA"), limit=50)
    rows = {r["ocid"]: r for r in localise_rows(screened.conn, page.items, "es")}
    assert signed in rows["redline-comprasmx-SYNTHETIC-SIGNED-INSIDE"]["sentence"]
    both = "a la fecha de adjudicación (2026-02-24) y a la fecha de firma del contrato (2026-02-26)"
    assert both in rows["redline-comprasmx-SYNTHETIC-BOTH-INSIDE"]["sentence"]
    undated = rows["redline-comprasmx-SYNTHETIC-SIGNED-UNDATED"]["sentence"]
    assert "a la fecha de firma del contrato (2026-03-02), y" in undated
    first_day = rows["redline-comprasmx-SYNTHETIC-FIRST-DAY"]["sentence"]
    assert "a la fecha de adjudicación (2026-02-21), y" in first_day
