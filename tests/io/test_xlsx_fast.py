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


def _groups(path, size, sheet=None) -> list:
    """row_groups(size) as (number, row) pairs, each group's length checked as grouped() cuts."""
    with xlsx_read.XlsxTable(path, sheet=sheet) as table:
        groups = list(table.row_groups(size))
    assert all(len(numbers) == len(rows) == size for numbers, rows in groups[:-1])
    return [pair for numbers, rows in groups for pair in zip(numbers, rows, strict=True)]


def _both(path, monkeypatch, sheet=None):
    fast = xlsx_read.XlsxTable(path, sheet=sheet)
    assert fast._fast is not None
    fast_rows = (fast.headers, list(fast.rows()))
    fast.close()
    for size in (1, 3, 2048):  # the rows a group at a time (a column at a time) are the same rows
        assert _groups(path, size, sheet) == fast_rows[1]
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


def _typed_workbook(path, lead_columns: int = 0) -> None:
    """A sheet as a person types it: columns of text, numbers, dates, times, true/false and
    escapes mixed, blank rows, a row wider than the header, ``lead_columns`` empty columns first."""
    import datetime as dt

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    pad = [None] * lead_columns
    ws.append([*pad, "Name", "Employees", "Latitude", "Joined", "Notes", "Website", "INN"])
    values = [12, 12.5, -0.0, 999999999999999.0, 1e16, float("inf"), True, False, "12", None]
    for i in range(60):
        if i % 11 == 5:
            ws.append([])
            continue
        ws.append(pad + [
            f"Фирма {i}" if i % 7 else f"A_x000D_B {i}",
            values[i % len(values)],
            55.0 + i / 7 if i % 5 else "",
            dt.date(2020, 1, 1 + i % 28) if i % 3 else dt.datetime(2021, 2, 3, i % 24, 5) if i % 2
            else dt.time(10, i % 60) if i % 4 else "2020-01-01",
            "_x0041_ and _x005F_x0042_" if i == 13 else ("" if i % 2 else "примечание"),
            True if i % 4 == 0 else "",
            1650000000 + i if i % 6 else "0012345678",
        ] + (["beyond the header"] if i == 17 else []))
    wb.save(path)


@pytest.mark.parametrize("lead_columns", [0, 2])
def test_a_typed_sheet_reads_the_same_a_column_at_a_time(tmp_path, monkeypatch, lead_columns):
    path = tmp_path / "typed.xlsx"
    _typed_workbook(path, lead_columns)
    fast, slow = _both(path, monkeypatch)
    assert fast == slow
    rows = dict(fast[1])
    assert rows[2][lead_columns:lead_columns + 2] == ["A\rB 0", "12"]
    assert rows[15][lead_columns + 4] == "A and _x0042_"  # decoded once (by calamine, or after openpyxl)
    assert 7 not in rows  # the blank row is skipped, the numbers kept
    assert read_roster(path).members


def test_a_row_that_cannot_be_read_is_named_alike_a_group_at_a_time(tmp_path):
    """calamine failing on a row (it has not been seen to: its values are wrapped here to fail at
    row 40) is reported for that row, by ``rows()`` and by ``row_groups()``."""
    path = tmp_path / "typed.xlsx"
    _typed_workbook(path)
    errors = []
    for way in ("rows", "groups"):
        table = xlsx_read.XlsxTable(path)
        real = table._fast._rows

        def failing(real=real):
            for number, row in enumerate(real, 2):
                if number == 40:
                    raise ValueError("a cell calamine cannot give")
                yield row

        table._fast._rows = failing()
        with pytest.raises(xlsx_read.ImportFileError) as caught:
            list(table.rows()) if way == "rows" else list(table.row_groups(3))
        table.close()
        errors.append((str(caught.value), caught.value.code))
    assert errors[0] == errors[1]
    assert errors[0][0].startswith("typed.xlsx, row 40: the sheet cannot be read (ValueError")


@pytest.mark.skipif(OGR2OGR is None, reason="GDAL (ogr2ogr) is not installed: run scripts/system-deps.sh")
def test_a_roster_typed_by_gdal_reads_the_same_three_ways(tmp_path, monkeypatch):
    """A roster as the bench writes its XLSX (our CSV typed by GDAL: numbers, dates and
    true/false): openpyxl, the rows and the groups give the same cells."""
    from cluster_desk.io.formats.csv_roster import export_csv

    members, _, _ = demo_cluster()
    csv, path = tmp_path / "m.csv", tmp_path / "m.xlsx"
    export_csv(members, csv)
    subprocess.run([OGR2OGR, "-f", "XLSX", "-oo", "AUTODETECT_TYPE=YES", str(path), str(csv)], check=True,
                   capture_output=True)
    fast, slow = _both(path, monkeypatch)
    assert fast == slow and len(fast[1]) == len(members)


def test_a_typed_escape_is_decoded_once(tmp_path, monkeypatch):
    """A note holding "_x0041_" as text (written "_x005F_x0041_") comes back as typed: calamine
    decodes the escapes itself, so its texts are not decoded again (they were: "A")."""
    from dataclasses import replace

    members, _, _ = demo_cluster()
    members = [replace(members[0], notes="see _x0041_ and _x000D_"), *members[1:3]]
    path = tmp_path / "ours.xlsx"
    export_roster(members, None, path)
    fast, slow = _both(path, monkeypatch)
    assert fast == slow
    assert read_roster(path).members[0].notes == "see _x0041_ and _x000D_"
