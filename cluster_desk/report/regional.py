"""The regional basemap under the passport's map: lakes, rivers and the borders and names of Russia's
federal subjects, read from the same offline files the app's map draws (maps/basemap/: vector tiles
russia-regional.mbtiles and russia-subject-labels.json, made by maps/build_basemap.py). Without it
the printed map was dots on white: a reader could not tell where the cluster is.

Tiles are gzip'd JSON in units of 1/16 px of Web Mercator at their zoom (``{"w": [[ring, ...]],
"r": [[class, x0, y0, dx1, dy1, ...]], "b": [[x0, y0, dx1, dy1, ...]]}``); rows are TMS (flipped).
A zoom is chosen so the frame is about as many tile pixels wide as the printed map has dots.
"""

from __future__ import annotations

import gzip
import json
import math
import sqlite3
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from cluster_desk.paths import map_data

EXTENT = 4096  # tile units per tile side
ZOOMS = range(4, 10)
#: The frame's width in tile pixels the zoom is chosen for (the printed map is ~1,150 dots wide).
TARGET_PX = 1400


@dataclass
class Regional:
    """Lines in (lon, lat): lake rings, rivers (with WDBII class), subject borders, and labels
    (lon, lat, name) of the subjects whose label point is in the frame."""

    water: list[np.ndarray] = field(default_factory=list)
    rivers: list[tuple[int, np.ndarray]] = field(default_factory=list)
    borders: list[np.ndarray] = field(default_factory=list)
    labels: list[tuple[float, float, str]] = field(default_factory=list)


def _zoom(lon0: float, lon1: float) -> int:
    best = ZOOMS[0]
    for z in ZOOMS:
        if (lon1 - lon0) / 360 * 256 * 2**z <= TARGET_PX:
            best = z
    return best


def _tile_range(lon0: float, lon1: float, lat0: float, lat1: float, z: int) -> tuple[int, int, int, int]:
    n = 2**z

    def ty(lat: float) -> int:
        lat = max(min(lat, 85.0), -85.0)
        s = math.sin(math.radians(lat))
        return int((0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * n)

    return (int((lon0 + 180) / 360 * n), int((lon1 + 180) / 360 * n), ty(lat1), ty(lat0))


def _lonlat(flat: list[int], ox: int, oy: int, scale: float) -> np.ndarray:
    pts = np.cumsum(np.asarray(flat, dtype=np.float64).reshape(-1, 2), axis=0) + np.array([ox, oy])
    lon = pts[:, 0] / scale * 360.0 - 180.0
    lat = np.degrees(np.arctan(np.sinh(math.pi * (1 - 2 * pts[:, 1] / scale))))
    return np.column_stack((lon, lat))


@lru_cache(maxsize=1)
def _labels() -> list[dict[str, Any]]:
    return list(json.loads(map_data("basemap", "russia-subject-labels.json").read_text(encoding="utf-8")))


def regional(lon0: float, lon1: float, lat0: float, lat1: float, lang: str) -> Regional:
    """What of the regional basemap lies in the frame (empty outside Russia or without the files)."""
    out = Regional()
    path = map_data("basemap", "russia-regional.mbtiles")
    if not path.is_file():
        return out  # a build without the regional data: the countries' outlines still frame the map
    z = _zoom(lon0, lon1)
    x0, x1, y0, y1 = _tile_range(lon0, lon1, lat0, lat1, z)
    flip = 2**z - 1
    scale = float(EXTENT * 2**z)
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        rows = db.execute(
            "SELECT tile_column, tile_row, tile_data FROM tiles WHERE zoom_level = ? "
            "AND tile_column BETWEEN ? AND ? AND tile_row BETWEEN ? AND ?",
            (z, x0, x1, flip - y1, flip - y0)).fetchall()  # fmt: skip
    finally:
        db.close()
    for tx, row, blob in rows:
        ox, oy = tx * EXTENT, (flip - row) * EXTENT
        data = json.loads(gzip.decompress(blob))
        for poly in data.get("w", []):
            out.water.extend(_lonlat(ring, ox, oy, scale) for ring in poly)
        out.rivers.extend((int(line[0]), _lonlat(line[1:], ox, oy, scale)) for line in data.get("r", []))
        out.borders.extend(_lonlat(line, ox, oy, scale) for line in data.get("b", []))
    pad_lon, pad_lat = (lon1 - lon0) * 0.04, (lat1 - lat0) * 0.04
    for s in _labels():
        if lon0 + pad_lon <= s["lon"] <= lon1 - pad_lon and lat0 + pad_lat <= s["lat"] <= lat1 - pad_lat:
            out.labels.append((float(s["lon"]), float(s["lat"]), str(s["ru"] if lang == "ru" else s["en"])))
    return out
