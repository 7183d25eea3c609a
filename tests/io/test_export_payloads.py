"""Every exporter with hostile text in every text field and the project name.

Template syntax is never evaluated (a Jinja sandbox-escape payload would create a file), HTML and
XML markup stays text, spreadsheet formulas stay text (CSV: a leading "'"; XLSX: string cells,
checked in LibreOffice too), and every format reads back to exactly the members written.
The HTML map's payloads are checked in a real browser in test_export_html.py.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from payloads import FORMULAS, PAYLOADS, hostile_members, shell_payload
from test_io_realtools import SOFFICE, needs_soffice, soffice

from cluster_desk.io import export_roster, read_roster

FORMATS = (".csv", ".tsv", ".xlsx", ".geojson", ".kml", ".gpkg", ".html")


@pytest.fixture
def hostile(tmp_path):
    marker = tmp_path / "PWNED"
    return hostile_members(shell_payload(marker)), marker


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("suffix", FORMATS)
def test_no_template_runs_in_any_export(tmp_path, hostile, suffix, lang):
    members, marker = hostile
    out = tmp_path / f"out{suffix}"
    title = shell_payload(marker) + " {{ 8*8 }}"
    assert export_roster(members, None, out, title=title, lang=lang) == len(members)
    assert not marker.exists()
    if suffix != ".xlsx":  # (compressed)
        data = out.read_bytes()
        assert b"PWNED" in data and b"{{ 7*7 }}" in data  # the payloads are there, as written


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".xlsx", ".kml", ".gpkg", ".geojson"])
def test_hostile_text_reads_back_exactly(tmp_path, hostile, suffix, lang):
    members, _ = hostile
    out = tmp_path / f"out{suffix}"
    export_roster(members, None, out, title=PAYLOADS[0], lang=lang)
    result = read_roster(out)
    assert not result.problems, result.problems[:3]
    if suffix == ".geojson":  # a map file leaves contact persons out (geojson.py)
        members = [replace(m, contact="") for m in members]
    assert result.members == members


@pytest.mark.parametrize("suffix", [".csv", ".tsv"])
def test_csv_formulas_are_neutralised(tmp_path, hostile, suffix):
    members, _ = hostile
    out = tmp_path / f"out{suffix}"
    export_roster(members, None, out)
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines(),
                           delimiter="\t" if suffix == ".tsv" else ","))
    cells = [cell for row in rows[1:] for cell in row]
    assert not any(cell[:1] in ("=", "+", "-", "@") and not _is_number(cell) for cell in cells)
    for formula in FORMULAS:
        assert "'" + formula in cells


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_xlsx_formulas_are_text_cells(tmp_path, hostile):
    from openpyxl import load_workbook

    members, _ = hostile
    out = tmp_path / "out.xlsx"
    export_roster(members, None, out)
    ws = load_workbook(out).active
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells if c.data_type == "s"}
    assert set(FORMULAS) <= texts


@needs_soffice
def test_libreoffice_shows_xlsx_formulas_as_text(tmp_path, hostile):
    assert SOFFICE
    members, _ = hostile
    out = tmp_path / "hostile.xlsx"
    export_roster(members, None, out)
    to_csv = "csv:Text - txt - csv (StarCalc):44,34,76"
    soffice(tmp_path, "--convert-to", to_csv, "--outdir", tmp_path / "lo", out)
    rows = list(csv.reader((tmp_path / "lo" / "hostile.csv").read_text(encoding="utf-8").splitlines()))
    names = [row[0] for row in rows[1:]]
    for formula in FORMULAS:  # Calc computed nothing: "=1+1" is still "=1+1", not 2
        assert formula in names


def test_kml_is_well_formed_and_literal(tmp_path, hostile):
    members, _ = hostile
    out = tmp_path / "out.kml"
    export_roster(members, None, out, title=PAYLOADS[10])
    root = ET.parse(out).getroot()  # an unescaped <, & or ]]> would make this raise
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    assert root.find("k:Document/k:name", ns).text == PAYLOADS[10]
    names = [p.find("k:name", ns).text for p in root.iter("{http://www.opengis.net/kml/2.2}Placemark")]
    assert names == [m.name for m in members]


def test_geojson_and_gpkg_hold_the_text_literally(tmp_path, hostile):
    members, _ = hostile
    export_roster(members, None, tmp_path / "out.geojson")
    doc = json.loads((tmp_path / "out.geojson").read_text(encoding="utf-8"))
    assert [f["properties"]["name"] for f in doc["features"]] == [m.name for m in members]
    export_roster(members, None, tmp_path / "out.gpkg")
    with sqlite3.connect(tmp_path / "out.gpkg") as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM members ORDER BY fid")]
    assert names == [m.name for m in members]


def test_html_data_island_cannot_end_its_script(tmp_path, hostile):
    members, _ = hostile
    out = tmp_path / "out.html"
    export_roster(members, None, out, title="</title><script>x</script>")
    page = out.read_text(encoding="utf-8")
    opening = '<script type="application/json" id="cd-data">'
    start = page.index(opening) + len(opening)
    island = page[start:page.index("</script>", start)]
    for bad in ("<", ">", "`", "${", "\u2028", "\u2029"):
        assert bad not in island
    assert [m["name"] for m in json.loads(island)["members"]] == [m.name for m in members]
    assert "<title>&lt;/title&gt;&lt;script&gt;x&lt;/script&gt;</title>" in page
    assert "url(images/" not in page  # Leaflet's images are inlined as data: URIs


def test_payload_file_is_all_there(tmp_path):
    # The helper itself: every payload is used as a name, and the shell payload names its marker.
    members = hostile_members(shell_payload(Path("/nonexistent/PWNED")))
    assert [m.name for m in members][: len(PAYLOADS)] == list(PAYLOADS)
    assert "PWNED" in members[-1].name
