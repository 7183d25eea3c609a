"""The workbook writer (io/formats/xlsx_write.py) read back by openpyxl, calamine and LibreOffice:
every value comes back as written, text stays text, and the characters XML cannot hold survive."""

from __future__ import annotations

import csv
import zipfile

import openpyxl
import pytest
from test_io_realtools import needs_soffice, soffice

from cluster_desk.io.formats.xlsx_cells import unescape as _unescape
from cluster_desk.io.formats.xlsx_write import write_workbook

TEXTS = ["plain", "Ёлка & <b>«кавычки»</b> \"q\"", "=HYPERLINK(\"http://x\")", "_x0041_ stays",
         "  leading and trailing  ", "line\nbreak\ttab", "ctrl\x01\x1f and \r", "x" * 40_000, ""]
ROWS = [["text", "int", "float", "bool", "none"],
        *([t, i * 10**12, i + 0.125, i % 2 == 0, None] for i, t in enumerate(TEXTS))]


def _written(tmp_path, rows=ROWS):
    path = tmp_path / "w.xlsx"
    write_workbook(path, [("Участники", iter(rows)), ("Links [2]"[:5], iter([["a"], [1]]))])
    return path


def test_openpyxl_reads_back_every_value_and_type(tmp_path):
    wb = openpyxl.load_workbook(_written(tmp_path), read_only=True)
    assert wb.sheetnames == ["Участники", "Links"]
    # (openpyxl leaves the _xHHHH_ escapes to us, and a row's trailing empty cells out)
    got = [[_unescape(v) if isinstance(v, str) else v for v in row] + [None] * (5 - len(row))
           for row in wb["Участники"].iter_rows(values_only=True)]
    assert got == ROWS
    assert [c.data_type for c in next(wb["Участники"].iter_rows(min_row=4, max_row=4))][:1] == ["s"]


def test_calamine_reads_back_the_same(tmp_path):
    calamine = pytest.importorskip("python_calamine")
    sheet = calamine.CalamineWorkbook.from_path(str(_written(tmp_path))).get_sheet_by_name("Участники")
    got = sheet.to_python()
    assert [row[0] for row in got[1:]] == TEXTS
    assert [row[1] for row in got[1:]] == [i * 10**12 for i in range(len(TEXTS))]
    assert [row[3] for row in got[1:]] == [i % 2 == 0 for i in range(len(TEXTS))]


def test_package_parts_come_first_and_sheets_stream_deflated(tmp_path):
    with zipfile.ZipFile(_written(tmp_path)) as z:
        names = z.namelist()
        assert names[0] == "[Content_Types].xml"
        assert z.getinfo("xl/worksheets/sheet1.xml").compress_type == zipfile.ZIP_DEFLATED
        assert z.testzip() is None


@needs_soffice
def test_libreoffice_shows_text_as_text(tmp_path):
    path = _written(tmp_path, ROWS[:5])
    soffice(tmp_path, "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir",
            tmp_path / "lo", path)
    with (tmp_path / "lo" / "w.csv").open(encoding="utf-8", newline="") as f:
        got = list(csv.reader(f))
    assert [row[0] for row in got[1:]] == TEXTS[:4]  # the formula's text, not its value
    assert got[1][1:4] == ["0", "0.125", "TRUE"]
