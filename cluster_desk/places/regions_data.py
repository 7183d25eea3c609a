"""The federal subjects' pieces as numpy arrays: the GeoJSON the regions index is made from, read
in ~20 ms instead of ~0.4 s (issue 17).

``russia-subjects.geojson.gz`` parsed with ``json.loads`` (3.3 MB of text) held the interpreter
140-240 ms in one call, and making shapely polygons of its 6,955 pieces took as long again: a
first open in a process paid it on the GUI thread (the roster's Region column), before the map
had painted. ``russia-subjects.npz`` beside it holds the same pieces as flat arrays (shapely's
ragged layout): ``np.load`` inflates them (zlib lets go of the interpreter) and one
``shapely.from_ragged_array`` call makes the polygons, coordinate for coordinate those the
GeoJSON gives (``tests/offline/test_regions_data.py`` compares them and the lookups).

Coordinates are kept exactly: each one is stored as an integer count of 1e-5° when that count
divided by 1e5 gives the very same float (97 % of them: the build rounds borders to 1e-5°),
else as the float itself; the counts are stored as steps from the previous point (small numbers
that compress to about half the GeoJSON's size). The file names the digest of the GeoJSON it
was made from: a GeoJSON replaced by the user (any file of the same layout works) no longer
matches it and is read as GeoJSON. Written by ``maps/build_basemap.py`` after the GeoJSON, or
from a GeoJSON with ``python -m cluster_desk.places.regions_data [GEOJSON.gz [OUT.npz]]``.
No Qt here.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import shape

log = logging.getLogger(__name__)

#: Bumped when the arrays' layout changes (an older file is then not read: the GeoJSON is).
FORMAT = 1
_SCALE = 1e5  # coordinates as counts of 1e-5°
#: The zip entries' time: a fixed one, so the same GeoJSON always gives the same bytes.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class SubjectPieces:
    """The subjects (code, English and Russian names) and their pieces, each with its owner
    (an index into the subjects), in the GeoJSON's order."""

    codes: list[str]
    names_en: list[str]
    names_ru: list[str]
    pieces: np.ndarray  # shapely Polygons
    owner: np.ndarray  # int64, one per piece


def arrays_path(geojson: Path) -> Path:
    """The arrays made from ``geojson`` (``x.geojson.gz`` -> ``x.npz``)."""
    name = geojson.name
    for suffix in (".gz", ".geojson", ".json"):
        name = name.removesuffix(suffix)
    return geojson.with_name(name + ".npz")


def read_pieces(geojson: Path) -> SubjectPieces:
    """The pieces of ``geojson``: from its arrays when they were made of this very file, else
    parsed from the GeoJSON itself."""
    raw = geojson.read_bytes()
    arrays = arrays_path(geojson)
    if arrays.is_file():
        try:
            got = read_arrays(arrays, hashlib.sha256(raw).hexdigest())
        except (OSError, ValueError, KeyError):  # damaged: the GeoJSON still answers
            log.warning("%s not read; reading %s", arrays, geojson, exc_info=True)
            got = None
        if got is not None:
            return got
    return parse_geojson(raw)


def parse_geojson(raw: bytes) -> SubjectPieces:
    """A FeatureCollection (gzip'd or not) of features with ``code``, ``name_en`` and
    ``name_ru`` properties; each feature's polygons are its pieces."""
    data = json.loads(gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw)
    codes, names_en, names_ru = [], [], []
    pieces: list[np.ndarray] = []
    owners: list[np.ndarray] = []
    for f in data["features"]:
        p = f["properties"]
        codes.append(str(p["code"]))
        names_en.append(str(p["name_en"]))
        names_ru.append(str(p["name_ru"]))
        parts = shapely.get_parts(shape(f["geometry"]))
        pieces.append(parts)
        owners.append(np.full(len(parts), len(codes) - 1))
    return SubjectPieces(codes, names_en, names_ru, np.concatenate(pieces), np.concatenate(owners))


def read_arrays(path: Path, source_sha256: str | None = None) -> SubjectPieces | None:
    """The pieces stored in ``path``; None when it is of another format or (``source_sha256``
    given) was made from another GeoJSON. ValueError: not such a file."""
    try:
        return _read_arrays(path, source_sha256)
    except zipfile.BadZipFile as exc:
        raise ValueError(f"{path}: {exc}") from exc


def _read_arrays(path: Path, source_sha256: str | None) -> SubjectPieces | None:
    with np.load(path, allow_pickle=False) as z:
        if int(z["format"]) != FORMAT:
            return None
        if source_sha256 is not None and str(z["source_sha256"]) != source_sha256:
            return None
        counts = np.cumsum(z["steps"], axis=0, dtype=np.int64)  # (n, 2): lon, lat in 1e-5°
        coords = counts / _SCALE
        flat = coords.reshape(-1)
        flat[z["inexact_at"]] = z["inexact"]
        pieces = shapely.from_ragged_array(shapely.GeometryType.POLYGON, coords,
                                           (z["ring_offsets"], z["polygon_offsets"]))
        return SubjectPieces(z["codes"].tolist(), z["names_en"].tolist(), z["names_ru"].tolist(),
                             pieces, z["owner"].astype(np.int64))


def write_arrays(geojson: Path, out: Path | None = None) -> Path:
    """Store the pieces of ``geojson`` as arrays (``arrays_path`` by default); byte for byte the
    same file for the same GeoJSON."""
    raw = geojson.read_bytes()
    got = parse_geojson(raw)
    kind, coords, (ring_offsets, polygon_offsets) = shapely.to_ragged_array(got.pieces)
    if kind != shapely.GeometryType.POLYGON or coords.shape[1] != 2:
        raise ValueError(f"{geojson}: the pieces must be 2D polygons")
    flat = coords.reshape(-1)
    counts = np.round(flat * _SCALE)
    exact = (counts / _SCALE).view(np.int64) == flat.view(np.int64)  # bit for bit (-0.0 too)
    counts = np.where(exact, counts, 0).astype(np.int64).reshape(-1, 2)
    steps = np.diff(counts, axis=0, prepend=np.zeros((1, 2), np.int64))
    if np.abs(steps).max(initial=0) >= 2**31:
        raise ValueError(f"{geojson}: coordinates out of range")
    arrays = {
        "format": np.array(FORMAT),
        "source_sha256": np.array(hashlib.sha256(raw).hexdigest()),
        "codes": np.array(got.codes),
        "names_en": np.array(got.names_en),
        "names_ru": np.array(got.names_ru),
        "owner": got.owner.astype(np.int32),
        "ring_offsets": ring_offsets.astype(np.int32),
        "polygon_offsets": polygon_offsets.astype(np.int32),
        "steps": steps.astype(np.int32),
        "inexact_at": np.flatnonzero(~exact).astype(np.int32),
        "inexact": flat[~exact],
    }
    out = arrays_path(geojson) if out is None else out
    tmp = out.with_name(out.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, value in arrays.items():
            info = zipfile.ZipInfo(name + ".npy", date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            with zf.open(info, "w") as f:
                np.lib.format.write_array(f, value, allow_pickle=False)
    tmp.replace(out)
    return out


def main(argv: list[str]) -> int:
    from cluster_desk.paths import map_data
    from cluster_desk.places.regions import SUBJECTS_FILE

    source = Path(argv[1]) if len(argv) > 1 else map_data("basemap", SUBJECTS_FILE)
    out = write_arrays(source, Path(argv[2]) if len(argv) > 2 else None)
    print(f"{out}: {out.stat().st_size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
