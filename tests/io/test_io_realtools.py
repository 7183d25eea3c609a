"""Files made by other programs, both ways: LibreOffice (soffice) and GDAL (ogr2ogr/ogrinfo).

The project installs both (scripts/system-deps.sh: libreoffice-calc-nogui, gdal-bin); a test
is skipped, saying why, only where a tool is missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import replace

import pytest

from cluster_desk.core.demo import demo_cluster
from cluster_desk.io import export_roster, read_roster

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
OGR2OGR, OGRINFO = shutil.which("ogr2ogr"), shutil.which("ogrinfo")
needs_soffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) is not installed: run scripts/system-deps.sh"
)
needs_gdal = pytest.mark.skipif(
    OGR2OGR is None or OGRINFO is None,
    reason="GDAL (ogr2ogr/ogrinfo) is not installed: run scripts/system-deps.sh",
)


@pytest.fixture(scope="module")
def members():
    return demo_cluster()[0][:60]


def soffice(tmp_path, *args):
    profile = tmp_path / "lo-profile"  # a private profile: no clash with a running LibreOffice
    cmd = [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore", *map(str, args)]
    p = subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        timeout=180,
        cwd=tmp_path,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    assert p.returncode == 0, p.stderr


@needs_soffice
def test_libreoffice_xlsx_and_cp1251_csv(tmp_path, members):
    src = tmp_path / "ours.csv"
    export_roster(members, None, src)
    out = tmp_path / "lo"
    # As a user imports it in Calc: UTF-8 (76), comma-separated, codes and ids as Text (2) columns,
    # only employees/lat/lon as numbers (1); else Calc turns OKVED "29.10" into the number 29.1.
    formats = "/".join(f"{i}/{1 if i in (6, 7, 8) else 2}" for i in range(1, 17))
    soffice(tmp_path, f"--infilter=CSV:44,34,76,1,{formats}", "--convert-to", "xlsx", "--outdir", out, src)
    theirs = read_roster(out / "ours.xlsx")
    assert not theirs.problems, theirs.problems[:3]
    assert theirs.members == members  # INN leading zeros, dates, floats all survive Calc
    # Windows-1251 CSV, ';'-separated, as Russian Excel/Calc write it. LibreOffice's token for
    # Windows-1251 is 34 (RTL_TEXTENCODING_MS_1251); 22 gives '?' for every Cyrillic letter.
    soffice(
        tmp_path,
        "--convert-to",
        "csv:Text - txt - csv (StarCalc):59,34,34",
        "--outdir",
        out / "cp",
        out / "ours.xlsx",
    )
    csv_path = out / "cp" / "ours.csv"
    raw = csv_path.read_bytes()
    assert "Казань".encode("cp1251") in raw or "Казан".encode("cp1251") in raw
    back = read_roster(csv_path)
    assert back.encoding == "cp1251" and back.delimiter == ";"
    assert not back.problems and [m.name for m in back.members] == [m.name for m in members]
    assert [m.inn for m in back.members] == [m.inn for m in members]


def ogr(*args):
    p = subprocess.run([*map(str, args)], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    return p.stdout + p.stderr


@needs_gdal
@pytest.mark.parametrize("driver,suffix", [("GPKG", ".gpkg"), ("KML", ".kml")])
def test_gdal_writes_we_read(tmp_path, members, driver, suffix):
    src = tmp_path / "ours.geojson"
    export_roster(members, None, src)
    theirs = tmp_path / f"theirs{suffix}"
    ogr(OGR2OGR, "-f", driver, theirs, src)
    back = read_roster(theirs)
    assert not back.problems, back.problems[:3]
    got = {m.id: m for m in back.members}
    expected = {m.id: replace(m, contact="") for m in members}
    assert got.keys() == expected.keys()
    for mid, m in expected.items():
        g = got[mid]
        assert (g.name, g.inn, g.kind, g.employees) == (m.name, m.inn, m.kind, m.employees)
        if m.located:
            assert g.lat == pytest.approx(m.lat, abs=1e-9) and g.lon == pytest.approx(m.lon, abs=1e-9)


@needs_gdal
@pytest.mark.parametrize("suffix", [".gpkg", ".kml", ".geojson"])
def test_gdal_reads_ours(tmp_path, members, suffix):
    ours = tmp_path / f"ours{suffix}"
    export_roster(members, None, ours)
    info = ogr(OGRINFO, "-ro", "-al", "-so", ours)
    assert f"Feature Count: {len(members)}" in info
    if suffix == ".gpkg":
        # GDAL's GeoPackage integrity check (PRAGMA integrity_check + foreign keys) on open.
        info = ogr(OGRINFO, "--config", "OGR_GPKG_INTEGRITY_CHECK", "YES", "-ro", "-al", "-so", ours)
        assert "ERROR" not in info and "Warning" not in info
        # Round trip through GDAL: GDAL copies our layer into its own GeoPackage without complaint.
        copy = tmp_path / "copy.gpkg"
        out = ogr(OGR2OGR, "-f", "GPKG", copy, ours)
        assert "ERROR" not in out
        assert read_roster(copy).members == members
