"""`redline ingest contracts`: the shipped layouts on the real files of the mirror.

ComprasMX (21 columns, one institution's 2026 extract), CompraNet's classic 2013 sample and
PODER's Tren Maya table are read in place; the 45-column CompraNet 5 layout, which the mirror
lacks, is read from a header fixture with hand-made SYNTHETIC rows.
"""

from __future__ import annotations

import csv
from pathlib import Path

from redline.cli import run
from redline.ingest.contracts.layout import header_key, load_layouts, recognise
from redline.ingest.contracts.values import amount, ocds_datetime
from redline.services.ingest_contracts import ingest_contracts
from redline.store.db import Store

FIXTURES = Path(__file__).parent / "fixtures"
COMPRASMX = "procurement/comprasmx/contratos_comprasmx_2026_imss.csv"
CLASSIC = "procurement/compranet-classic/sample_Contratos2013.csv"
PODER = "procurement/tren-maya-poder/contracts.csv"


def _award(store: Store, where: str, *params: object) -> list[tuple[object, ...]]:
    return store.conn.execute(
        "SELECT s.name, s.identifier_scheme, s.identifier_id, a.amount, a.currency, "
        "a.date::DATE::VARCHAR, c.date_signed::DATE::VARCHAR, c.start_date::DATE::VARCHAR, "
        "c.end_date::DATE::VARCHAR, a.ocid, a.award_id "
        "FROM awards a JOIN award_suppliers s USING (ocid, award_id) "
        "JOIN contracts c ON c.ocid = a.ocid AND c.award_id = a.award_id "
        f"WHERE {where} ORDER BY a.award_id",
        list(params),
    ).fetchall()


def test_comprasmx_extract_gives_supplier_rfc_and_partida(store: Store, data_dir: Path) -> None:
    report = ingest_contracts(store, [data_dir / COMPRASMX])
    assert report.status == "ok" and report.releases_stored == 3986
    assert store.conn.execute(
        "SELECT count(*) FROM awards WHERE ocid LIKE 'redline-comprasmx-%'"
    ).fetchone() == (3986,)
    ocid = "redline-comprasmx-AA-50-GYR-050GYR006-N-7-2026"
    rows = _award(store, "a.ocid = ?", ocid)
    assert [r[:9] for r in rows] == [
        ("JOSE ARMANDO ALTAMIRANO ARIAS", "MX-RFC", "AAAA670319394", 113543.45, "MXN",
         "2025-12-31", "2026-01-21", "2026-01-01", None),
    ]  # fmt: skip
    codes = store.conn.execute(
        "SELECT classification_scheme, classification_id FROM items WHERE ocid = ?", [ocid]
    ).fetchall()
    assert codes == [("CUCOP", "22102")]
    buyer = store.conn.execute(
        "SELECT name, identifier_scheme, identifier_id FROM buyers WHERE ocid = ?", [ocid]
    ).fetchone()
    assert buyer == ("INSTITUTO MEXICANO DEL SEGURO SOCIAL", "MX-UC", "050GYR006")
    release = store.conn.execute(
        "SELECT data->>'$.tender.legalBasis.id', data->>'$.tender.procurementMethodRationale', "
        "data->>'$.awards[0].documents[0].url' FROM ocds_releases WHERE ocid = ?",
        [ocid],
    ).fetchone()
    assert release is not None
    assert release[0] == "LAASSP" and str(release[1]).startswith("ART. 54 FR. II PELIGRO")
    assert str(release[2]).startswith("https://comprasmx.buengobierno.gob.mx/sitiopublico/")
    # two contracts of one procedure are two awards of one record
    assert len(_award(store, "a.ocid = ?", "redline-comprasmx-AA-50-GYR-050GYR006-N-8-2026")) == 2


def test_classic_sample_gives_supplier_amount_currency_and_dates(
    store: Store, data_dir: Path
) -> None:
    report = ingest_contracts(store, [data_dir / CLASSIC])
    assert report.status == "ok" and report.releases_stored == 399
    rows = _award(store, "s.name = ?", "COMERCIAL EMISA SA DE CV")
    assert [r[:9] for r in rows] == [
        ("COMERCIAL EMISA SA DE CV", None, None, 92350.0, "USD", "2013-07-22", None,
         "2013-07-24", "2013-08-13"),
    ]  # fmt: skip
    telmex = _award(store, "s.name = ?", "Teléfonos de México S.A.B de C.V.")
    assert [r[3:9] for r in telmex] == [
        (5216380.89, "MXN", None, "2013-12-30", "2013-12-30", "2016-12-31")
    ]
    assert telmex[0][9] == "redline-compranet-SA-011C00999-N289-2013"
    assert telmex[0][10] == "redline-compranet-SA-011C00999-N289-2013-720179"


def test_poder_table_keeps_each_supplier_name_whole(store: Store, data_dir: Path) -> None:
    report = ingest_contracts(store, [data_dir / PODER])
    assert report.status == "ok" and report.releases_stored == 398
    rows = _award(store, "a.ocid = ?", "redline-poder-171")
    assert [r[:5] for r in rows] == [
        ("CONSORCIO LAMAT TRAMO 1, S.A.P.I DE C.V.", None, None, 13394942290.34, "MXN")
    ]
    assert rows[0][7:9] == ("2020-04-30", "2022-08-30")
    buyer = store.conn.execute("SELECT name FROM buyers WHERE ocid = 'redline-poder-171'")
    assert buyer.fetchone() == ("FONDO NACIONAL DE FOMENTO AL TURISMO",)


def test_the_45_column_layout_from_its_header_fixture(store: Store) -> None:
    report = ingest_contracts(store, [FIXTURES / "SYNTHETIC_compranet5_45_columns.csv"])
    assert report.status == "ok" and report.releases_stored == 2
    rows = _award(store, "a.ocid = ?", "redline-compranet-LA-999X00001-E1-2023")
    assert [r[:9] for r in rows] == [
        ("PROVEEDOR SINTETICO UNO SA DE CV", None, None, 1008560.0, "USD", "2023-03-15",
         "2023-03-18", "2023-03-20", "2023-12-31"),
        ("PROVEEDORA SINTETICA DOS SA DE CV", None, None, 250000.5, "MXN", "2023-03-15",
         "2023-03-20", None, None),
    ]  # fmt: skip
    countries = store.conn.execute(
        "SELECT name, country FROM parties WHERE list_contains(roles, 'supplier') ORDER BY 1"
    ).fetchall()
    assert countries == [
        ("PROVEEDOR SINTETICO UNO SA DE CV", "ES"),
        ("PROVEEDORA SINTETICA DOS SA DE CV", "MX"),
    ]
    codes = store.conn.execute("SELECT classification_id FROM items ORDER BY 1").fetchall()
    assert codes == [("32101001",), ("51501001",)]


def _reshaped(source: Path, target: Path, rows: int) -> None:
    """The first ``rows`` rows, columns reversed and renamed upper-case without accents."""
    with source.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        table = [next(reader) for _ in range(rows + 1)]
    header = [header_key(h).upper().replace(" ", "_") for h in table[0]]
    with target.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header[::-1])
        writer.writerows(r[::-1] for r in table[1:])


def test_reordered_and_renamed_columns_still_ingest(
    store: Store, data_dir: Path, tmp_path: Path
) -> None:
    reshaped = tmp_path / "CONTRATOS_REORDENADOS.csv"
    _reshaped(data_dir / COMPRASMX, reshaped, 5)
    assert "NUMERO_DE_PROCEDIMIENTO" in reshaped.read_text(encoding="utf-8").splitlines()[0]
    report = ingest_contracts(store, [reshaped])
    assert report.status == "ok" and report.releases_stored == 5
    rows = _award(store, "a.ocid = ?", "redline-comprasmx-AA-50-GYR-050GYR006-N-7-2026")
    assert rows[0][:5] == (
        "JOSE ARMANDO ALTAMIRANO ARIAS",
        "MX-RFC",
        "AAAA670319394",
        113543.45,
        "MXN",
    )


def test_unknown_layout_fails_in_one_line_with_exit_1(tmp_path: Path, capsys: object) -> None:
    odd = tmp_path / "odd.csv"
    odd.write_text("proveedor,monto\nACME SA,10\n", encoding="utf-8")
    store = tmp_path / "s.duckdb"
    code = run(["--store", str(store), "ingest", "contracts", str(odd)])
    assert code == 1
    with Store(store) as opened:
        assert opened.conn.execute("SELECT count(*) FROM processes").fetchone() == (0,)
    problem = recognise(["proveedor", "monto"], load_layouts())
    assert isinstance(problem, str) and "\n" not in problem
    assert "comprasmx lacks rfc, Institución" in problem and "compranet5 lacks" in problem


def test_reingest_skips_and_a_changed_row_keeps_history(
    store: Store, data_dir: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "Contratos_ComprasMX_2026.csv"
    with (data_dir / COMPRASMX).open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        table = [next(reader) for _ in range(41)]

    def write(rows: list[list[str]]) -> None:
        with copy.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows(rows)

    write(table[:40])
    first = ingest_contracts(store, [copy])
    assert first.releases_stored == 39
    assert ingest_contracts(store, [copy]).skipped_unchanged == 1
    # the newer cumulative file: one amount corrected, one contract added
    amount_at = table[0].index("Importe DRC")
    assert table[1][amount_at] == "113543.45"
    table[1][amount_at] = "113600.00"
    write(table)
    second = ingest_contracts(store, [copy])
    assert second.releases_stored == 2 and second.releases_unchanged == 38
    ocid = "redline-comprasmx-AA-50-GYR-050GYR006-N-7-2026"
    history = store.conn.execute(
        "SELECT count(*) FROM ocds_compiled_history WHERE ocid = ?", [ocid]
    ).fetchone()
    assert history == (1,)
    # the corrected contract is the same award, with its new amount
    assert [r[3] for r in _award(store, "a.ocid = ?", ocid)] == [113600.0]


def test_cell_values_in_the_forms_the_files_use() -> None:
    assert ocds_datetime("01/01/2026") == "2026-01-01T00:00:00Z"
    assert ocds_datetime("2013-11-27 00:00:00 GMT") == "2013-11-27T00:00:00Z"
    assert ocds_datetime("2013-11-20 14:32") == "2013-11-20T14:32:00Z"
    assert ocds_datetime("21-02-2026") == "2026-02-21T00:00:00Z"
    assert ocds_datetime("31/02/2026") is None and ocds_datetime("pronto") is None
    assert amount("1,008,560") == 1008560.0 and amount("  555,644.00") == 555644.0
    assert amount("$ 113,543.45") == 113543.45 and amount("n/a") is None
