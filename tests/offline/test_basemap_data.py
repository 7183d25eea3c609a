"""The shipped regional basemap (maps/basemap/): what the build script made, small, and usable.

No Qt here: the tile reader (cluster_desk.tiles.regional) and the federal-subject lookup
(cluster_desk.places.regions) are read directly; the map page draws them in test_basemap_page.py.
"""

from __future__ import annotations

import gzip
import hashlib
import itertools
import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from cluster_desk.paths import map_data
from cluster_desk.places.regions import SubjectIndex, default_subjects, subject_of
from cluster_desk.tiles.regional import RegionalTiles

ROOT = Path(__file__).resolve().parents[2]
BASEMAP = map_data("basemap")
BUILD_SCRIPT = ROOT / "maps" / "build_basemap.py"
SHIPPED = ("russia-regional.mbtiles", "russia-subjects.geojson.gz", "russia-subject-labels.json",
           "russia-subjects.npz")
KAZAN = (55.79, 49.12)


def sums(folder: Path) -> dict[str, str]:
    out = {}
    for line in (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ", 1)
        out[name] = digest
    return out


def tile_xy(lat: float, lon: float, z: int) -> tuple[int, int]:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    s = math.sin(math.radians(lat))
    y = int((0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * n)
    return x, y


def decode(flat: list[int], start: int = 0) -> list[tuple[int, int]]:
    pts, x, y = [], 0, 0
    for i in range(start, len(flat) - 1, 2):
        x += flat[i]
        y += flat[i + 1]
        pts.append((x, y))
    return pts


# ---- the files -------------------------------------------------------------------------------


def test_shipped_files_match_their_checksums() -> None:
    expected = sums(BASEMAP)
    assert set(expected) == set(SHIPPED)
    for name in SHIPPED:
        assert hashlib.sha256((BASEMAP / name).read_bytes()).hexdigest() == expected[name], name


def test_shipped_basemap_grows_the_installer_by_less_than_10_mb() -> None:
    # Everything this feature adds to the bundle (build.spec ships maps/ and resources/ whole):
    # the data folder with its licences, the build script and the page's layer, compressed as
    # the .deb and the tarball compress them.
    added = [*sorted(BASEMAP.rglob("*")), BUILD_SCRIPT, ROOT / "resources" / "web" / "basemap.js"]
    raw = sum(f.stat().st_size for f in added if f.is_file())
    packed = sum(len(gzip.compress(f.read_bytes(), 6)) for f in added if f.is_file())
    assert packed < 10_000_000 and raw < 12_000_000, f"{packed / 1e6:.1f} MB packed, {raw / 1e6:.1f} MB raw"


def test_licence_texts_ship_beside_the_data() -> None:
    text = (BASEMAP / "LICENSE").read_text(encoding="utf-8")
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in text and "Version 3" in text
    readme = (ROOT / "maps" / "README.md").read_text(encoding="utf-8")
    for credit in ("GSHHG", "WDBII", "DCW-GMT", "iso-codes", "build_basemap.py"):
        assert credit in readme


# ---- the tiles -------------------------------------------------------------------------------


def test_tiles_at_kazan_hold_the_volga_reservoir_rivers_and_subject_borders() -> None:
    tiles = RegionalTiles()
    meta = tiles.metadata()
    assert meta["format"] == "json" and (meta["minzoom"], meta["maxzoom"]) == ("4", "9")
    data = json.loads(tiles.tile(8, *tile_xy(*KAZAN, 8)) or b"{}")
    assert data.get("w"), "no water (the Kuybyshev reservoir) at Kazan"
    assert data.get("b"), "no federal-subject border near Kazan"
    for poly in data["w"]:
        for ring in poly:
            pts = decode(ring)
            assert len(pts) >= 3
            assert all(-200 <= x <= 4096 + 200 and -200 <= y <= 4096 + 200 for x, y in pts)
    # Rivers carry their WDBII class first; the Kama's neighbourhood has some at z7.
    near = json.loads(tiles.tile(7, *tile_xy(56.0, 52.5, 7)) or b"{}")
    assert near.get("r") and all(line[0] in (0, 1, 2, 3, 4) for line in near["r"])
    # The whole country down to z4, and nothing far out at sea or abroad.
    assert tiles.tile(4, *tile_xy(60.0, 100.0, 4)) is not None
    assert tiles.tile(8, *tile_xy(48.85, 2.35, 8)) is None  # Paris
    assert tiles.tile(99, 0, 0) is None and tiles.tile(3, 9, 0) is None
    assert tiles.zoom_range() == (4, 9)


def test_crimea_has_water_but_no_subject_borders() -> None:
    # GSHHG/WDBII are global: the Sivash lagoons are drawn; DCW-GMT 2.1.1 has no Crimea or
    # Sevastopol, so no border or name is drawn there (and members there have no subject).
    tiles = RegionalTiles()
    sivash = json.loads(tiles.tile(7, *tile_xy(45.9, 34.5, 7)) or b"{}")
    assert sivash.get("w") and not sivash.get("b")
    labels = json.loads((BASEMAP / "russia-subject-labels.json").read_text(encoding="utf-8"))
    assert not [d for d in labels if 44.3 < d["lat"] < 46.3 and 32.4 < d["lon"] < 36.7]


def test_the_last_zoom_keeps_the_sources_detail() -> None:
    # z9 is drawn magnified for every closer view: simplified to 0.15 px (~26 m at Kazan), its
    # vertices near Kazan are as dense as WDBII's own (~0.6 km apart), not thinned to ~1 km.
    data = json.loads(RegionalTiles().tile(9, *tile_xy(*KAZAN, 9)) or b"{}")
    steps = []
    for line in data["r"]:
        pts = decode(line, 1)
        steps += [math.dist(a, b) for a, b in itertools.pairwise(pts)]
    metres_per_unit = 156543.03 * math.cos(math.radians(KAZAN[0])) / 2**9 / 16
    median_m = sorted(steps)[len(steps) // 2] * metres_per_unit
    assert 300 < median_m < 800, median_m


def test_a_missing_tile_file_means_no_tiles_not_an_error(tmp_path: Path) -> None:
    assert RegionalTiles(tmp_path / "nothing.mbtiles").tile(8, 162, 80) is None


# ---- federal subjects ------------------------------------------------------------------------


def test_subject_names_in_both_languages_and_label_points_inside() -> None:
    labels = json.loads((BASEMAP / "russia-subject-labels.json").read_text(encoding="utf-8"))
    assert len(labels) == 83
    by_code = {d["code"]: d for d in labels}
    assert (by_code["RU-TA"]["en"], by_code["RU-TA"]["ru"]) == ("Tatarstan", "Республика Татарстан")
    assert by_code["RU-MOS"]["ru"] == "Московская область"
    found = default_subjects().lookup([d["lat"] for d in labels], [d["lon"] for d in labels])
    assert [s.code if s else None for s in found] == [d["code"] for d in labels]


@pytest.mark.parametrize(
    ("lat", "lon", "code"),
    [
        (55.79, 49.12, "RU-TA"),  # Kazan
        (55.75, 37.62, "RU-MOW"),  # Moscow, a hole in Moscow Oblast
        (56.31, 38.13, "RU-MOS"),  # Sergiyev Posad, Moscow Oblast
        (59.94, 30.31, "RU-SPE"),
        (54.71, 20.51, "RU-KGD"),  # Kaliningrad, an exclave
        (64.73, 177.51, "RU-CHU"),  # Anadyr, east of 180° on the map's other side
        (65.0, -175.0, "RU-CHU"),  # Chukotka west of the antimeridian (negative longitudes)
        (55.74, 52.41, "RU-TA"),  # Naberezhnye Chelny
        (56.85, 53.2, "RU-UD"),  # Izhevsk
        (52.52, 13.40, None),  # Berlin
        (44.95, 34.10, None),  # Simferopol: DCW-GMT 2.1.1 has no Crimea (maps/README.md)
        (44.60, 33.52, None),  # Sevastopol: likewise
        (float("nan"), 49.0, None),
    ],
)
def test_subject_of_a_point(lat: float, lon: float, code: str | None) -> None:
    s = subject_of(lat, lon)
    assert (s.code if s else None) == code


def test_vectorised_lookup_equals_one_by_one() -> None:
    rng = np.random.default_rng(7)
    lats = rng.uniform(50, 62, 300)
    lons = rng.uniform(35, 65, 300)
    index = default_subjects()
    many = index.lookup(lats, lons)
    assert many == [index.lookup([a], [b])[0] for a, b in zip(lats, lons, strict=True)]
    assert sum(s is not None for s in many) > 250
    assert index.subject("RU-TA").name("ru") == "Республика Татарстан"
    assert index.subject("RU-TA").name("en") == "Tatarstan"


def test_subject_index_reads_any_file_of_the_same_layout(tmp_path: Path) -> None:
    fc = {"type": "FeatureCollection", "features": [{
        "type": "Feature",
        "properties": {"code": "RU-XX", "name_en": "Square", "name_ru": "Квадрат"},
        "geometry": {"type": "Polygon", "coordinates": [[[40, 50], [41, 50], [41, 51], [40, 51], [40, 50]]]},
    }]}
    path = tmp_path / "s.geojson.gz"
    path.write_bytes(gzip.compress(json.dumps(fc).encode()))
    index = SubjectIndex(path)
    assert [s.code if s else None for s in index.lookup([50.5, 52.0], [40.5, 40.5])] == ["RU-XX", None]


# ---- the build script ------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(
    os.environ.get("CLUSTER_DESK_REBUILD_BASEMAP") != "1",
    reason="the rebuild takes ~5 min: set CLUSTER_DESK_REBUILD_BASEMAP=1 (the checksum test always runs)",
)
@pytest.mark.skipif(
    shutil.which("gmt") is None or not Path("/usr/share/gmt-dcw/dcw-gmt.nc").exists()
    or not Path("/usr/share/gmt-gshhg/binned_GSHHS_f.nc").exists(),
    reason="needs the build-time packages gmt, gmt-gshhg-full and gmt-dcw",
)
def test_build_script_makes_exactly_the_shipped_files(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(BUILD_SCRIPT), "--out", str(tmp_path)], check=True, timeout=1800)
    assert sums(tmp_path) == sums(BASEMAP)
