"""The federal subjects' arrays (cluster_desk.places.regions_data, ``maps/basemap/russia-subjects.npz``):
made from the shipped GeoJSON, the same pieces coordinate for coordinate, the same answers from
the regions index as the GeoJSON gives (inside, on borders, on the 1° grid), and the GeoJSON read
instead when the arrays are not of it."""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import shutil
from pathlib import Path

import numpy as np
import pytest
import shapely

from cluster_desk.paths import map_data
from cluster_desk.places import regions_data
from cluster_desk.places.regions import SUBJECTS_FILE, SubjectIndex, default_subjects

GEOJSON = map_data("basemap", SUBJECTS_FILE)
ARRAYS = map_data("basemap", "russia-subjects.npz")


@pytest.fixture(scope="module")
def from_geojson(tmp_path_factory: pytest.TempPathFactory) -> SubjectIndex:
    """The index parsed from the shipped GeoJSON (a copy with no arrays beside it)."""
    copy = tmp_path_factory.mktemp("geojson") / SUBJECTS_FILE
    shutil.copyfile(GEOJSON, copy)
    assert not regions_data.arrays_path(copy).exists()
    return SubjectIndex(copy)


def test_the_shipped_arrays_are_made_of_the_shipped_geojson(tmp_path: Path) -> None:
    assert regions_data.arrays_path(GEOJSON) == ARRAYS
    made = regions_data.write_arrays(GEOJSON, tmp_path / "again.npz")
    assert made.read_bytes() == ARRAYS.read_bytes()  # (byte for byte: the build is reproducible)
    digest = hashlib.sha256(GEOJSON.read_bytes()).hexdigest()
    assert regions_data.read_arrays(ARRAYS, digest) is not None


def test_the_default_index_reads_the_arrays(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(raw: bytes) -> None:
        raise AssertionError("the GeoJSON was parsed")

    monkeypatch.setattr(regions_data, "parse_geojson", refuse)
    index = SubjectIndex()
    assert len(index.subjects) == 83 and index.subject("RU-TA") is not None


def test_the_arrays_hold_the_geojsons_pieces_exactly(from_geojson: SubjectIndex) -> None:
    arrays = regions_data.read_arrays(ARRAYS)
    assert arrays is not None
    assert [(s.code, s.name_en, s.name_ru) for s in from_geojson.subjects] == list(
        zip(arrays.codes, arrays.names_en, arrays.names_ru, strict=True))
    assert np.array_equal(arrays.owner, from_geojson._owner)
    assert len(arrays.pieces) == len(from_geojson._pieces) > 6000
    a, b = shapely.get_coordinates(arrays.pieces), shapely.get_coordinates(from_geojson._pieces)
    assert a.shape == b.shape and a.view(np.int64).tolist() == b.view(np.int64).tolist()  # bit for bit
    assert shapely.get_num_interior_rings(arrays.pieces).tolist() == \
        shapely.get_num_interior_rings(from_geojson._pieces).tolist()
    assert bool(shapely.equals_exact(arrays.pieces, from_geojson._pieces, tolerance=0).all())


def test_lookups_answer_as_the_geojson_does(from_geojson: SubjectIndex) -> None:
    rng = np.random.default_rng(29)
    pieces = from_geojson._pieces
    vertices = shapely.get_coordinates(pieces)  # every border point, the grid's cuts among them
    mids = (vertices[:-1] + vertices[1:]) / 2  # points on the borders' edges (and a few across)
    grid_lat, grid_lon = np.meshgrid(np.arange(40.0, 83.0, 0.5), np.arange(-180.0, 181.0, 0.5))
    lat = np.concatenate([
        rng.uniform(40, 83, 100_000), 55.79 + rng.normal(0, 2, 20_000),  # Russia's box; Kazan
        grid_lat.ravel(),  # the 1° grid's corners and lines, and the half degrees between
        np.round(rng.uniform(40, 83, 5_000)), rng.uniform(40, 83, 5_000),  # on grid lines
        vertices[:, 1], mids[:, 1],
        [np.nan, 0.0, np.inf, 90.0, -90.0, 64.73]])
    lon = np.concatenate([
        rng.uniform(-180, 180, 100_000), 49.1 + rng.normal(0, 3, 20_000),
        grid_lon.ravel(),
        rng.uniform(19, 180, 5_000), np.round(rng.uniform(19, 180, 5_000)),
        vertices[:, 0], mids[:, 0],
        [49.0, np.nan, 49.0, 180.0, -180.0, 177.51]])
    want = from_geojson.codes(lat, lon)
    got = SubjectIndex(ARRAYS).codes(lat, lon)
    assert (want >= 0).sum() > 150_000  # the sample does reach into Russia, on its borders too
    assert np.array_equal(got, want)
    assert np.array_equal(default_subjects().codes(lat, lon), want)


def _square(tmp: Path, name: str) -> Path:
    fc = {"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"code": "RU-XX", "name_en": name, "name_ru": "Квадрат"},
        "geometry": {"type": "Polygon", "coordinates": [[[40, 50], [41, 50], [41, 51], [40, 51], [40, 50]]]},
    }]}
    path = tmp / "s.geojson.gz"
    path.write_bytes(gzip.compress(json.dumps(fc).encode()))
    return path


def test_a_replaced_geojson_is_read_not_the_arrays_of_the_old_one(tmp_path: Path) -> None:
    path = _square(tmp_path, "Old")
    regions_data.write_arrays(path)
    assert SubjectIndex(path).subject("RU-XX").name_en == "Old"  # (from the arrays)
    _square(tmp_path, "New")  # the user's own file put in its place
    index = SubjectIndex(path)
    assert index.subject("RU-XX").name_en == "New"
    assert [s.code if s else None for s in index.lookup([50.5, 52.0], [40.5, 40.5])] == ["RU-XX", None]


def test_damaged_arrays_leave_the_geojson_to_answer(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = _square(tmp_path, "Square")
    regions_data.arrays_path(path).write_bytes(b"PK\x03\x04 not a zip at all")
    with caplog.at_level(logging.WARNING, logger=regions_data.__name__):
        index = SubjectIndex(path)
    assert index.subject("RU-XX").name_en == "Square"
    assert "not read" in caplog.text
    with pytest.raises(ValueError):  # asked for by name: no GeoJSON to fall back on
        SubjectIndex(regions_data.arrays_path(path))


def test_arrays_of_another_format_are_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _square(tmp_path, "Square")
    regions_data.write_arrays(path)
    parsed: list[bytes] = []
    parse = regions_data.parse_geojson
    monkeypatch.setattr(regions_data, "parse_geojson", lambda raw: parsed.append(raw) or parse(raw))
    assert SubjectIndex(path).subject("RU-XX") is not None and not parsed  # (from the arrays)
    monkeypatch.setattr(regions_data, "FORMAT", regions_data.FORMAT + 1)  # a later app's layout
    assert SubjectIndex(path).subject("RU-XX") is not None and len(parsed) == 1
    with pytest.raises(ValueError, match="not a subjects file"):
        SubjectIndex(regions_data.arrays_path(path))
