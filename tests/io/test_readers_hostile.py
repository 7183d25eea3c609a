"""Issue 11's reader items: hostile and broken files are read within bounds and reported by row."""

from __future__ import annotations

import itertools
import json
import re
import shutil
import sqlite3
import subprocess
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from cluster_desk.core.model import Member
from cluster_desk.io import ImportFileError, import_into, read_roster
from cluster_desk.io.formats import geojson_read, gpkg_read
from cluster_desk.io.formats.xlsx_read import XlsxTable
from cluster_desk.store.project import Project

OGR2OGR = shutil.which("ogr2ogr")
needs_gdal = pytest.mark.skipif(
    OGR2OGR is None, reason="GDAL (ogr2ogr) is not installed: run scripts/system-deps.sh"
)


def test_utf8_with_one_bad_byte_is_not_read_as_cp1251(tmp_path):
    f = tmp_path / "r.csv"
    good = "name,address\nООО «Кама»,Казань\nАО Тимер,Казань\n".encode()
    f.write_bytes(good + b"\xc0\xc0 bad,x\n" + "ООО Идея,Набережные Челны\n".encode())
    result = read_roster(f)
    assert result.encoding == "utf-8"
    assert [m.name for m in result.members] == ["ООО «Кама»", "АО Тимер", "ООО Идея"]
    assert [(p.row, p.field, p.code) for p in result.problems] == [(4, "name", "bad_byte")]
    assert "0xC0" in str(result.problems[0]) and "\udcc0" not in str(result.problems[0])
    # A real cp1251 file is still read as cp1251.
    g = tmp_path / "w.csv"
    g.write_bytes("name\nООО «Кама»\nАО Тимер\n".encode("cp1251"))
    assert [m.name for m in read_roster(g).members] == ["ООО «Кама»", "АО Тимер"]


def test_unclosed_quote_is_reported_and_the_rows_after_it_are_read(tmp_path):
    f = tmp_path / "r.csv"
    f.write_text('name,employees,notes\nА,1,ok\nБ,2,"broken\nВ,3,fine\nГ,4,fine\n', encoding="utf-8")
    result = read_roster(f)
    assert [(p.row, p.field, p.code) for p in result.problems] == [(3, "notes", "unclosed_quote")]
    assert [m.name for m in result.members] == ["А", "В", "Г"]
    assert all(len(m.name) < 5 for m in result.members)


def _collection(*features, crs=None):
    doc = {"type": "FeatureCollection", "features": list(features)}
    if crs:
        doc = {
            "type": "FeatureCollection",
            "crs": {"type": "name", "properties": {"name": crs}},
            "features": list(features),
        }
    return json.dumps(doc)


def _feature(name, geometry):
    return {"type": "Feature", "geometry": geometry, "properties": {"name": name}}


def test_geojson_non_point_geometries_get_a_point_on_them(tmp_path):
    f = tmp_path / "g.geojson"
    square = [[[49.0, 55.0], [49.2, 55.0], [49.2, 55.2], [49.0, 55.2], [49.0, 55.0]]]
    f.write_text(
        _collection(
            _feature("multi", {"type": "MultiPoint", "coordinates": [[49.1, 55.8], [49.1, 55.8]]}),
            _feature("area", {"type": "Polygon", "coordinates": square}),
            _feature(
                "coll",
                {"type": "GeometryCollection", "geometries": [{"type": "Point", "coordinates": [49, 55]}]},
            ),
            _feature("broken", {"type": "Polygon", "coordinates": "x"}),
        )
    )
    result = read_roster(f)
    by = {m.name: m for m in result.members}
    assert (by["multi"].lat, by["multi"].lon) == (55.8, 49.1)
    assert 55.0 < by["area"].lat < 55.2 and 49.0 < by["area"].lon < 49.2
    assert (by["coll"].lat, by["coll"].lon) == (55.0, 49.0)
    assert not by["broken"].located
    codes = [(w.row, w.code) for w in result.warnings if w.row]
    assert codes == [
        (1, "point_on_surface"),
        (2, "point_on_surface"),
        (3, "point_on_surface"),
        (4, "bad_geometry"),
    ]


def test_kml_multigeometry_and_polygon(tmp_path):
    f = tmp_path / "k.kml"
    f.write_text(
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
        "<Placemark><name>multi</name><MultiGeometry><Point><coordinates>49.1,55.8</coordinates></Point>"
        "<Point><coordinates>49.1,55.8</coordinates></Point></MultiGeometry></Placemark>"
        "<Placemark><name>area</name><Polygon><outerBoundaryIs><LinearRing><coordinates>"
        "49,55 49.2,55 49.2,55.2 49,55.2 49,55</coordinates></LinearRing></outerBoundaryIs></Polygon>"
        "</Placemark>"
        "</Document></kml>",
        encoding="utf-8",
    )
    result = read_roster(f)
    by = {m.name: m for m in result.members}
    assert (by["multi"].lat, by["multi"].lon) == (55.8, 49.1)
    assert 55.0 < by["area"].lat < 55.2
    assert [w.code for w in result.warnings] == ["point_on_surface", "point_on_surface"]


def test_geojson_legacy_crs_3857_is_reprojected(tmp_path):
    f = tmp_path / "m.geojson"
    from pyproj import Transformer

    x, y = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True).transform(49.1088, 55.7963)
    assert x > 5_000_000  # Web Mercator metres, as the legacy crs says
    f.write_text(
        _collection(
            _feature("Казань", {"type": "Point", "coordinates": [x, y]}), crs="urn:ogc:def:crs:EPSG::3857"
        )
    )
    m = read_roster(f).members[0]
    assert m.lat == pytest.approx(55.7963, abs=1e-3) and m.lon == pytest.approx(49.1088, abs=1e-3)
    f.write_text(_collection(_feature("x", None), crs="EPSG:99999999"))
    with pytest.raises(
        ImportFileError, match=r"m\.geojson: the coordinate system 'EPSG:99999999' is not known"
    ):
        read_roster(f)


@needs_gdal
def test_geopackage_in_3857_is_reprojected(tmp_path):
    src = tmp_path / "m.geojson"
    src.write_text(_collection(_feature("Казань", {"type": "Point", "coordinates": [49.1088, 55.7963]})))
    out = tmp_path / "m3857.gpkg"
    subprocess.run(
        [OGR2OGR, "-f", "GPKG", "-t_srs", "EPSG:3857", "-nln", "members", str(out), str(src)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    m = read_roster(out).members[0]
    assert m.lat == pytest.approx(55.7963, abs=1e-6) and m.lon == pytest.approx(49.1088, abs=1e-6)


def test_lat_lon_order_into_an_empty_project_is_warned(tmp_path):
    f = tmp_path / "swapped.geojson"
    # [lat, lon] written by mistake: read as given, these lie in Kazakhstan, not around Kazan.
    f.write_text(
        _collection(
            *(_feature(f"m{i}", {"type": "Point", "coordinates": [55.7 + i / 100, 49.1]}) for i in range(6))
        )
    )
    with Project.create(tmp_path / "p.cdesk") as p:
        report = import_into(p, f, dry_run=True)
        assert [w.code for w in report.warnings] == ["latlon_order"]
        assert "[latitude, longitude] order" in str(report.warnings[0])
        p.add_members([Member("old", lat=55.8, lon=49.1)])
        assert "latlon_order" not in [w.code for w in import_into(p, f, dry_run=True).warnings]


def _xlsx_with_dimension(path: Path, ref: str) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["name", "employees"])
    ws.append(["А", 5])
    ws.append(["Б", 6])
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    sheet = re.sub(r"<dimension [^>]*/>", "", sheet)
    sheet = re.sub(
        r"(<sheetViews|<sheetFormatPr|<cols|<sheetData)", f'<dimension ref="{ref}"/>\\1', sheet, count=1
    )
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    assert ref in parts["xl/worksheets/sheet1.xml"].decode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            z.writestr(n, data)
    return path


def test_xlsx_claiming_the_whole_sheet_stops_at_the_real_last_row(tmp_path):
    f = _xlsx_with_dimension(tmp_path / "huge.xlsx", "A1:XFD1048576")
    with XlsxTable(f) as table:
        assert table.headers == ["name", "employees"]
        rows = list(itertools.islice(table.rows(), 100))  # the old reader yielded 1,048,575 rows
        assert rows == [(2, ["А", "5"]), (3, ["Б", "6"])]
    assert [m.name for m in read_roster(f).members] == ["А", "Б"]


def test_xlsx_formulas_without_cached_values_are_reported_by_row(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["name", "employees"])
    ws.append(["А", 5])
    ws.append(['="Б"&"В"', "=2*3"])  # openpyxl stores formulas with no cached value
    wb.save(tmp_path / "f.xlsx")
    result = read_roster(tmp_path / "f.xlsx")
    assert [m.name for m in result.members] == ["А"]
    assert [(p.row, p.field, p.code) for p in result.problems] == [(3, "name", "formula_no_value")]


def test_truncated_xlsx_and_kmz_named_kml(tmp_path):
    good = tmp_path / "g.xlsx"
    wb = Workbook()
    wb.active.append(["name"])
    wb.save(good)
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(good.read_bytes()[:-200])
    with pytest.raises(ImportFileError, match=r"cut\.xlsx: .*damaged or cut short"):
        read_roster(cut)
    kmz = tmp_path / "places.kml"  # a KMZ under a .kml name
    with zipfile.ZipFile(kmz, "w") as z:
        z.writestr(
            "doc.kml",
            '<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>КФУ</name>'
            "<Point><coordinates>49.12,55.79</coordinates></Point></Placemark></kml>",
        )
    m = read_roster(kmz).members[0]
    assert (m.name, m.lat, m.lon) == ("КФУ", 55.79, 49.12)


def test_geojson_of_many_non_features_stops_saying_why_in_bounded_memory(tmp_path):
    f = tmp_path / "junk.geojson"
    with f.open("w") as out:
        out.write('{"type":"FeatureCollection","features":[')
        out.write('{"type":"Feature","geometry":null,"properties":{"name":"real"}},')
        out.write(",".join(["[0]"] * 300_000))
        out.write("]}")
    tracemalloc.start()
    try:
        result = read_roster(f)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [m.name for m in result.members] == ["real"]
    assert result.stopped.startswith(f"{geojson_read.MAX_NOT_FEATURES:,} items in a row")
    assert len(result.problems) == geojson_read.MAX_NOT_FEATURES
    assert peak < 30 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"  # the text (1.5 MB) and small change


def _gpkg_with_view(tmp_path: Path, view_sql: str) -> Path:
    out = tmp_path / "v.gpkg"
    from cluster_desk.io import export_roster

    export_roster([Member("А", lat=55.8, lon=49.1)], None, out)
    conn = sqlite3.connect(out)
    conn.execute("ALTER TABLE members RENAME TO base")
    conn.execute(f"CREATE VIEW members AS {view_sql}")
    conn.execute("UPDATE gpkg_contents SET table_name = 'members'")
    conn.commit()
    conn.close()
    return out


def test_geopackage_view_that_never_finishes_is_interrupted(tmp_path, monkeypatch):
    monkeypatch.setattr(gpkg_read, "MAX_STEPS_WITHOUT_ROW", 2_000_000)
    never = _gpkg_with_view(
        tmp_path,
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
        "SELECT b.* FROM base b, r WHERE r.n < 0",
    )
    with pytest.raises(ImportFileError, match=r"v\.gpkg: the layer 'members' did not produce a row"):
        read_roster(never)


def test_geopackage_view_of_endless_rows_stops_at_the_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(gpkg_read, "MAX_ROWS", 500)
    endless = _gpkg_with_view(
        tmp_path,
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
        "SELECT n AS fid, (SELECT geom FROM base) AS geom, 'м' || n AS name "
        "FROM r",
    )
    result = read_roster(endless)
    assert len(result.members) == 500 and "more than 500 rows" in result.stopped


def test_one_bad_cell_is_reported_for_its_row_not_the_whole_file(tmp_path):
    f = tmp_path / "r.csv"
    f.write_text(
        f"id,name,employees,notes\n,ok,1,\n{'x' * 201},long id,2,\n,staff,1e10,\n"
        ',"evil\x1b[31m\nname",3,\n,nul\x00name,4,\n',
        encoding="utf-8",
    )
    with Project.create(tmp_path / "p.cdesk") as p:
        report = import_into(p, f)
        names = sorted(m.name for m in p.members())
        assert names == ["evil\x1b[31m\nname", "nul\x00name", "ok", "staff"]
        assert [(x.row, x.field, x.code) for x in report.problems] == [(3, "id", "too_long")]
        assert [(x.row, x.field, x.code) for x in report.warnings] == [(4, "employees", "too_many_employees")]
        for line in map(str, (*report.problems, *report.warnings)):
            assert line.isprintable() and "r.csv, row " in line
    f.write_text("name,notes\nok,fine\nbad," + "x" * 200_000 + "\nalso ok,\n", encoding="utf-8")
    result = read_roster(f)
    assert [m.name for m in result.members] == ["ok", "also ok"]
    assert [(p.row, p.code) for p in result.problems] == [(3, "cell_too_long")]


@pytest.mark.parametrize(
    "text",
    [
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        "<kml><Placemark><name>&lol2;</name></Placemark></kml>",
        '<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        "<kml><Placemark><name>&x;</name></Placemark></kml>",
    ],
    ids=["entity-expansion", "external-entity"],
)
def test_kml_with_a_dtd_is_refused_before_any_entity_is_read(tmp_path, text):
    from cluster_desk.io.formats.kml_read import kml_cells

    path = tmp_path / "hostile.kml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportFileError, match="refused") as e:
        list(kml_cells(path))
    assert e.value.code == "xml_refused"


@pytest.mark.parametrize("size", [1, 2, 3, 1024])
@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_csv_rows_read_in_groups_equal_rows_read_one_by_one(tmp_path, size, ending):
    """The import reads a CSV a group at a time (CsvTable.row_groups): the same rows, numbers and
    reports as one row at a time, around cells spanning lines, an unclosed quote, a cell over
    the csv module's limit, blank and short lines."""
    from cluster_desk.io.formats.csv_roster import CsvTable

    lines = ["name,employees,notes", "А,1,ok", 'Б,2,"two\nlines"', "", "В,3", 'Г,4,"three\r\nlines\rhere"',
             "Д," + "x" * 200_000 + ",", "Е,5,fine", 'Ж,6,"broken', "З,7,fine", "И,8,fine", "К,9,last"]
    f = tmp_path / "r.csv"
    f.write_bytes(ending.join(lines).encode("utf-8") + ending.encode())
    one, groups = CsvTable(f), CsvTable(f)
    try:
        expected = list(one.rows())
        got = [pair for numbers, rows in groups.row_groups(size) for pair in zip(numbers, rows, strict=True)]
    finally:
        one.close()
        groups.close()
    assert got == expected
    assert [str(p) for p in groups.problems] == [str(p) for p in one.problems]  # file lines too
    assert [(p.row, p.code) for p in one.problems] == [(7, "cell_too_long"), (9, "unclosed_quote")]
    assert [n for n, _ in expected] == [2, 3, 4, 5, 6, 8, 10, 11, 12]
