"""The workbook writer: headings, numbers kept as numbers, no formula run from data."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from redline.report.xlsx import table_xlsx


def test_table_as_workbook_keeps_numbers_and_defuses_formulas() -> None:
    data = table_xlsx("Hallazgos: [vista]", ["Proveedor", "Monto"],
                      [["=HYPERLINK(\"http://x\")", 1250000.5], ["Nuctech", None]])  # fmt: skip
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    assert sheet.title == "Hallazgos   vista "
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Proveedor", "Monto")
    assert rows[1] == ('\'=HYPERLINK("http://x")', 1250000.5)
    assert rows[2] == ("Nuctech", None)
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold
