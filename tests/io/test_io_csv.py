"""CSV roster import/export and GeoJSON: real files in tmp_path."""

from __future__ import annotations

import csv
import json
import math
from dataclasses import replace

import pytest

from cluster_desk.core.demo import demo_cluster
from cluster_desk.core.model import Industry, Member, MemberKind, Status
from cluster_desk.io import ImportFileError, export_csv, export_geojson, import_csv, import_geojson


def write(path, text: str, encoding: str = "utf-8") -> str:
    path.write_bytes(text.encode(encoding))
    return str(path)


def test_utf8_with_bom_and_english_headers(tmp_path):
    f = write(tmp_path / "r.csv", "\ufeffName,Kind,Status,Lat,Lon,Employees,Sector,INN\n"
              "ООО «Кама»,firm,member,55.74,52.39,120,29.32,0274012345\n", "utf-8")
    result = import_csv(f)
    assert result.encoding == "utf-8-sig" and not result.problems
    [m] = result.members
    assert (m.name, m.kind, m.status, m.lat, m.lon, m.employees, m.sector) == (
        "ООО «Кама»", MemberKind.FIRM, Status.MEMBER, 55.74, 52.39, 120, "29.32")
    assert m.inn == "0274012345"  # text: the leading zero stays


def test_semicolon_decimal_comma_russian_headers(tmp_path):
    f = write(tmp_path / "r.csv",
              "Наименование;Тип участника;Статус;Широта;Долгота;Численность;ОКВЭД;Основная/смежная;"
              "ИНН;Адрес;Дата вступления;Примечание\n"
              "КНИТУ-КАИ;вуз;участник;55,7963;49,1088;3 900;85.22;;1654003139;г. Казань;01.09.2016;\n"
              "ООО «Челны-Пресс»;Предприятие;Кандидат;55,74;52,39;80;25.50;смежная;1650123456;;;заявка\n"
              "АНО «ЦКР»;кластерная организация;;;;;;;;;;\n")
    result = import_csv(f)
    assert result.delimiter == ";" and not result.problems, result.problems
    kai, press, org = result.members
    assert kai.kind is MemberKind.EDUCATION and kai.lat == pytest.approx(55.7963) and kai.employees == 3900
    assert kai.joined == "2016-09-01"
    assert press.status is Status.CANDIDATE and press.industry is Industry.RELATED and press.notes == "заявка"
    assert org.kind is MemberKind.CLUSTER_ORG and org.status is Status.MEMBER and not org.located


def test_cp1251_and_tab(tmp_path):
    f = write(tmp_path / "r.csv", "название\tтип\tширота\tдолгота\nООО «Татэлектромаш»\tфирма\t55.8\t49.1\n",
              "cp1251")
    result = import_csv(f)
    assert result.encoding == "cp1251" and result.delimiter == "\t"
    assert result.members[0].name == "ООО «Татэлектромаш»"


def test_bad_rows_reported_good_rows_kept(tmp_path):
    rows = [
        "name,lat,lon,employees,inn,kind",
        "Good one,55.1,49.1,10,1655000000,firm",            # row 2
        "Bad lat,95.2,49.1,,,",                              # row 3
        "Half,55.1,,,,",                                      # row 4
        "Null island,0,0,,,",                                 # row 5
        "NaN,nan,49,,,",                                      # row 6
        "Inf,55,inf,,,",                                      # row 7
        ",55,49,,,",                                          # row 8: no name
        "Staff,55,49,-3,,",                                   # row 9
        "Staff2,55,49,12.5,,",                                # row 10
        "Excel INN,55,49,,7.7E+11,",                          # row 11
        "Short INN,55,49,,274012345,",                        # row 12
        "Odd kind,55,49,,,spaceship",                         # row 13
        "Unlocated,,,5,,",                                    # row 14
        ",,,,,",                                              # row 15: blank, ignored
        "Also good,-33.9,151.2,,,",                           # row 16
    ]
    f = write(tmp_path / "roster.csv", "\n".join(rows) + "\n")
    result = import_csv(f)
    # One bad field does not lose the row: coordinates, head count and INN are left empty and
    # reported; only a missing name or an unknown kind keeps a row out.
    assert [m.name for m in result.members] == [
        "Good one", "Bad lat", "Half", "Null island", "NaN", "Inf", "Staff", "Staff2", "Excel INN",
        "Short INN", "Unlocated", "Also good"]
    assert {(p.row, p.field) for p in result.problems} == {(8, "name"), (13, "kind")}
    assert result.rows_skipped == 2
    where = {(p.row, p.field) for p in result.warnings}
    assert where >= {(3, "lat"), (4, "lon"), (5, "lat"), (6, "lat"), (7, "lon"),
                     (9, "employees"), (10, "employees"), (11, "inn"), (12, "inn")}
    by_name = {m.name: m for m in result.members}
    assert not by_name["Bad lat"].located and by_name["Staff"].employees is None
    assert by_name["Staff"].lat == 55.0 and by_name["Short INN"].inn == ""
    text = next(str(p) for p in result.warnings if p.row == 3)
    assert text == ("roster.csv, row 3 (Bad lat), field 'lat': '95.2' is not a latitude (must be between "
                    "-90 and 90); imported without a location")
    assert "leading zero" in next(str(p) for p in result.warnings if p.row == 12)
    assert all(p.code for p in result.problems + result.warnings)


def test_mapping_and_missing_name_column(tmp_path):
    f = write(tmp_path / "r.csv", "Компания,X\nООО «А»,55.5\n")
    assert import_csv(f, mapping={"Компания": "name", "X": "employees"}).warnings[0].field == "employees"
    result = import_csv(f, mapping={"Компания": "name"})
    assert result.members[0].name == "ООО «А»" and result.ignored_columns == ["X"]
    g = write(tmp_path / "nothing.csv", "foo,bar\n1,2\n")
    with pytest.raises(ImportFileError, match=r"nothing\.csv.*name"):
        import_csv(g)
    with pytest.raises(ImportFileError, match="empty"):
        import_csv(write(tmp_path / "e.csv", ""))


def test_export_neutralises_formulas_and_round_trips(tmp_path):
    tricky = [
        Member(name="=HYPERLINK(\"http://x\")", notes="+7 843 000", contact="@boss", address="-1 floor",
               lat=-33.865, lon=151.2099, inn="0274012345", employees=0, joined="2020-02-29"),
        Member(name="Tab\tinside, comma; quote \"", website="\tx", kind=MemberKind.FOREIGN_PARTNER),
    ]
    out = tmp_path / "out.csv"
    export_csv(tricky, out)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0]["Name"].startswith("'=") and rows[0]["Notes"].startswith("'+")
    assert rows[0]["Contact"] == "'@boss" and rows[0]["Address"] == "'-1 floor"
    assert rows[0]["Latitude"] == "-33.865"  # numbers are not neutralised
    assert import_csv(out).members == tricky


def test_demo_round_trip(tmp_path):
    members, _, _ = demo_cluster()
    out = tmp_path / "demo.csv"
    export_csv(members, out)
    result = import_csv(out)
    assert not result.problems and result.members == members


def test_geojson_export_and_import(tmp_path):
    members, links, _ = demo_cluster()
    out = tmp_path / "demo.geojson"
    export_geojson(members, links, out)
    doc = json.loads(out.read_text(encoding="utf-8"))
    points = [f for f in doc["features"] if f["properties"]["feature"] == "member"]
    assert len(points) == len(members)
    assert doc["unlocated_count"] == sum(1 for m in members if not m.located)
    first = next(f for f in points if f["geometry"])
    m = next(m for m in members if m.id == first["id"])
    assert first["geometry"]["coordinates"] == [m.lon, m.lat]  # RFC 7946: lon first
    assert any(f["geometry"] and f["geometry"]["type"] == "LineString" for f in doc["features"])
    back = import_geojson(out)
    assert not back.problems
    # Everything but the contact person (not exported to map files) comes back unchanged.
    assert {x.id: x for x in back.members} == {m.id: replace(m, contact="") for m in members}


def test_geojson_rejects_nan_and_bad_coordinates(tmp_path):
    f = tmp_path / "bad.geojson"
    f.write_text('{"type":"FeatureCollection","features":[{"type":"Feature","geometry":'
                 '{"type":"Point","coordinates":[NaN, 55]},"properties":{"name":"x"}}]}')
    with pytest.raises(ImportFileError, match="NaN"):
        import_geojson(f)
    feats = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [49.1, 55.8]},
         "properties": {"name": "ok", "kind": "вуз"}},
        *({"type": "Feature", "geometry": {"type": "Point", "coordinates": c}, "properties": {"name": n}}
        for c, n in (([49.1, 95], "a"), ([0, 0], "b"), (["x", 1], "c"))),
    ]
    text = json.dumps({"type": "FeatureCollection", "features": feats}).replace("[0, 0]", "[1e999, 0]")
    f.write_text(text)
    result = import_geojson(f)
    # Bad positions leave the member unlocated, with a warning naming the feature and field.
    assert [m.name for m in result.members] == ["ok", "a", "b", "c"]
    assert result.members[0].kind is MemberKind.EDUCATION and not result.problems
    assert not any(m.located for m in result.members[1:])
    assert [(p.row, p.field) for p in result.warnings] == [(2, "lat"), (3, "coordinates"), (4, "coordinates")]
    assert str(result.warnings[0]).startswith("bad.geojson, feature 2 (a), field 'lat'")
    assert math.isfinite(result.members[0].lat)
