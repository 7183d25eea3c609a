"""The calamine reader (io/formats/xlsx_fast.py) reads a sheet exactly as the openpyxl one does;
workbooks with formulas, and sheets past the size limit, go to openpyxl."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from cluster_desk.core.demo import demo_cluster
from cluster_desk.io import export_roster, read_roster
from cluster_desk.io.formats import xlsx_fast, xlsx_read

pytest.importorskip("python_calamine")
OGR2OGR = shutil.which("ogr2ogr")


def _both(path, monkeypatch, sheet=None):
    fast = xlsx_read.XlsxTable(path, sheet=sheet)
    assert fast._fast is not None
    fast_rows = (fast.headers, list(fast.rows()))
    fast.close()
    with monkeypatch.context() as m:
        m.setattr(xlsx_read, "open_fast_sheet", lambda *a: None)
        slow = xlsx_read.XlsxTable(path, sheet=sheet)
        slow_rows = (slow.headers, list(slow.rows()))
        slow.close()
    return fast_rows, slow_rows


def test_our_export_reads_the_same_both_ways(tmp_path, monkeypatch):
    members, links, _ = demo_cluster()
    path = tmp_path / "ours.xlsx"
    export_roster(members, links, path, lang="ru")
    fast, slow = _both(path, monkeypatch)
    assert fast == slow and len(fast[1]) == len(members)
    assert read_roster(path).members == members


@pytest.mark.skipif(OGR2OGR is None, reason="GDAL (ogr2ogr) is not installed: run scripts/system-deps.sh")
def test_a_gdal_workbook_with_typed_cells_and_gaps_reads_the_same_both_ways(tmp_path, monkeypatch):
    csv = tmp_path / "in.csv"
    csv.write_text(
        "Наименование,Численность,Широта,Долгота,ИНН,Дата вступления,Примечание\n"
        "ООО «Кама»,12,55.79,49.11,1655000001,2020-01-31,\n"
        ",,,,,,\n"
        "Вуз,,56.1,,0012345678,,_x000D_ текст\n"
        "ООО Б,1e3,55.7,49.2,1655000002,2021-02-03,=SUM(A1)\n", encoding="utf-8")
    path = tmp_path / "gdal.xlsx"
    subprocess.run([OGR2OGR, "-f", "XLSX", "-oo", "AUTODETECT_TYPE=YES", str(path), str(csv)], check=True,
                   capture_output=True)
    fast, slow = _both(path, monkeypatch)
    # Row 3 holds empty strings: openpyxl gives it, calamine (which cannot tell "" from no cell)
    # does not; every reader skips a blank row without a word, so the members are the same.
    assert fast[0] == slow[0] and fast[1] == [r for r in slow[1] if any(r[1])]
    assert [n for n, _ in fast[1]] == [2, 4, 5]  # rows keep their spreadsheet numbers
    assert read_roster(path).members


def test_formulas_and_big_sheets_go_to_openpyxl(tmp_path, monkeypatch):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Name", "Employees"])
    ws.append(["A", "=1+1"])
    path = tmp_path / "f.xlsx"
    wb.save(path)
    table = xlsx_read.XlsxTable(path)
    assert table._fast is None
    table.close()
    members, _, _ = demo_cluster()
    plain = tmp_path / "plain.xlsx"
    export_roster(members, None, plain)
    monkeypatch.setattr(xlsx_fast, "MAX_SHEET_XML", 10)
    table = xlsx_read.XlsxTable(plain)
    assert table._fast is None
    table.close()
