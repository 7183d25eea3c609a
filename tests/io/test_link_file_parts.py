"""What a file holds (io.with_links.file_parts: members, links or both), and the links GDAL writes:
ogr2ogr's copies of our GeoPackage's line layer (GeoJSON with null geometries for links whose end
has no place, KML with SimpleData, a GeoPackage of lines alone) read back every link, and the
command line imports a file of lines alone without ``--links``, as the window does."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from cluster_desk.core.demo import demo_cluster
from cluster_desk.io import export_roster
from cluster_desk.io.links import export_links_csv, import_links
from cluster_desk.io.with_links import FileParts, file_parts
from cluster_desk.store import Project

ROOT = Path(__file__).resolve().parents[2]
OGR2OGR = shutil.which("ogr2ogr")
needs_gdal = pytest.mark.skipif(OGR2OGR is None, reason="GDAL (ogr2ogr) is not installed: run "
                                "scripts/system-deps.sh")


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("parts")
    members, links, _ = demo_cluster()
    made = {}
    for suffix in (".geojson", ".kml", ".gpkg", ".xlsx", ".csv"):
        made[f"ours{suffix}"] = folder / f"demo{suffix}"
        export_roster(members, links, made[f"ours{suffix}"], lang="ru")
    for suffix in (".geojson", ".kml"):  # members alone (the demo has members with no place)
        made[f"members{suffix}"] = folder / f"members{suffix}"
        export_roster(members, None, made[f"members{suffix}"], lang="ru")
    made["links.csv"] = folder / "links.csv"
    export_links_csv(members, links, made["links.csv"], lang="ru")
    return made


def _ogr(src: Path, out: Path, *layers: str) -> Path:
    driver = {".geojson": "GeoJSON", ".kml": "KML", ".gpkg": "GPKG"}[out.suffix]
    done = subprocess.run([str(OGR2OGR), "-f", driver, str(out), str(src), *layers], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return out


def test_file_parts_of_our_exports(files: dict[str, Path]) -> None:
    both = {"members": True, "links": True}
    assert file_parts(files["ours.geojson"]) == FileParts(**both, format="geojson")
    assert file_parts(files["ours.kml"]) == FileParts(**both, format="kml")
    assert file_parts(files["ours.gpkg"]) == FileParts(**both, format="gpkg")
    assert file_parts(files["ours.xlsx"]) == FileParts(**both, sheet="Связи", format="xlsx")
    assert file_parts(files["ours.csv"]) == FileParts(format="csv")  # a members table
    assert file_parts(files["links.csv"]).links_only
    assert file_parts(files["members.geojson"]) == FileParts(format="geojson")
    assert file_parts(files["members.kml"]) == FileParts(format="kml")


def test_file_parts_of_odd_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert file_parts(empty) == FileParts()  # the members reader says why it cannot be read
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(b"PK\x03\x04" + b"\x00" * 200)  # a ZIP cut short
    assert not file_parts(cut).links
    plain = tmp_path / "plain.gpkg"  # SQLite, but no GeoPackage tables
    sqlite3.connect(plain).execute("CREATE TABLE t (x)").connection.close()
    assert file_parts(plain) == FileParts(format="gpkg")
    points = tmp_path / "points.geojson"
    points.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
                      '{"name": "A"}, "geometry": {"type": "Point", "coordinates": [49, 55]}}]}')
    assert file_parts(points) == FileParts(format="geojson")
    lines = tmp_path / "lines.geojson"  # a line naming both ends, no members
    lines.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
                     '{"from": "A", "to": "B"}, "geometry": {"type": "LineString", "coordinates": '
                     '[[49, 55], [50, 56]]}}]}')
    assert file_parts(lines) == FileParts(members=False, links=True, format="geojson")
    from openpyxl import Workbook

    book = tmp_path / "links.xlsx"  # a workbook of one «Связи» sheet: links alone
    wb = Workbook()
    wb.active.title = "Связи"
    wb.active.append(["Поставщик", "Покупатель"])
    wb.active.append(["A", "B"])
    wb.save(book)
    assert file_parts(book) == FileParts(members=False, links=True, sheet="Связи", format="xlsx")


@needs_gdal
@pytest.mark.parametrize("out", ["lines.geojson", "lines.kml", "lines.gpkg", "both.kml"])
def test_gdal_copies_of_our_line_layer_read_back_every_link(files: dict[str, Path], tmp_path: Path,
                                                           out: str) -> None:
    members, links, _ = demo_cluster()
    made = _ogr(files["ours.gpkg"], tmp_path / out, *(["links"] if out.startswith("lines") else []))
    assert file_parts(made).links_only is out.startswith("lines")
    with Project.create(tmp_path / "p.cdesk") as p:
        p.add_members(members)
        report = import_links(p, made)
        assert not report.problems and report.added == len(links)
        assert {(lk.id, lk.source, lk.target, lk.kind, lk.start, lk.end, lk.volume) for lk in p.links()} == {
            (lk.id, lk.source, lk.target, lk.kind, lk.start, lk.end, lk.volume) for lk in links}


@needs_gdal
def test_cli_imports_a_geopackage_of_lines_alone(files: dict[str, Path], tmp_path: Path) -> None:
    members, links, _ = demo_cluster()
    lines = _ogr(files["ours.gpkg"], tmp_path / "lines.gpkg", "links")
    project = tmp_path / "p.cdesk"
    with Project.create(project) as p:
        p.add_members(members)
    command = [sys.executable, "-m", "cluster_desk", "import", str(lines), "--into", str(project)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert f"{len(links)} added" in done.stdout
    with Project.open(project) as p:
        assert len(p.links()) == len(links) and len(p.members()) == len(members)


@pytest.mark.parametrize("name", ["ours.geojson", "ours.kml"])
def test_opening_the_import_of_members_and_links_reads_each_part_once(
        files: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """What the import dialog does at open (file_parts, then the preview of the first 2,000 rows):
    the links reader parses the file once, the members reader is not run to tell that the file has
    members, and the preview is the one the file read afresh gives."""
    from cluster_desk.io import linkahead, sources
    from cluster_desk.io.formats import links_formats as lf
    from cluster_desk.io.roster import ImportOptions
    from cluster_desk.io.with_links import import_members_and_links

    path = tmp_path / "p.cdesk"
    Project.create(path).close()
    reader = {"ours.geojson": "geojson_link_rows", "ours.kml": "kml_link_rows"}[name]
    calls: list[str] = []
    real_reader, real_source = getattr(lf, reader), sources.Source
    monkeypatch.setattr(lf, reader, lambda p: calls.append("links") or real_reader(p))
    monkeypatch.setattr(sources, "Source", lambda *a, **k: calls.append("members") or real_source(*a, **k))

    def preview() -> tuple[object, object]:
        with Project.open(path) as p:
            report, links = import_members_and_links(p, files[name], ImportOptions(), dry_run=True,
                                                     max_rows=2000, sample_size=50)
        return links, report.added

    assert file_parts(files[name]) == FileParts(members=True, links=True, format=name.split(".")[1])
    assert calls == ["links"]
    kept = preview()
    assert calls.count("links") == 1
    monkeypatch.setattr(linkahead, "_read_ahead", None)  # the same preview, the file read again
    assert preview() == kept and calls.count("links") == 2
