"""Real MBTiles packs and PNG tiles for the tile tests (no Qt needed)."""

from __future__ import annotations

import math
import sqlite3
import struct
import zlib
from collections.abc import Iterable
from pathlib import Path


def png(rgb: tuple[int, int, int], size: int = 256) -> bytes:
    """A solid-colour RGB PNG, encoded by hand (zlib + CRC chunks): what a tile server sends."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + bytes(rgb) * size  # filter byte 0 + pixels
    raw = row * size
    ihdr = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(
        b"IEND", b""
    )


def colour_of(z: int, x: int, y: int) -> tuple[int, int, int]:
    """A colour that tells which XYZ tile a pixel came from (x, y < 256 at the zooms we test)."""
    return (x % 256, y % 256, 40 + z * 20)


def tile_of(lat: float, lon: float, z: int) -> tuple[int, int]:
    """XYZ tile containing a point (Web Mercator, row 0 at the north)."""
    n = 1 << z
    x = int((lon + 180.0) / 360.0 * n)
    r = math.radians(lat)
    y = int((1.0 - math.asinh(math.tan(r)) / math.pi) / 2.0 * n)
    return x, y


def make_pack(
    path: Path,
    tiles: Iterable[tuple[int, int, int, bytes]],
    metadata: dict[str, str] | None = None,
) -> Path:
    """An MBTiles file as QGIS/gdal write it: metadata + tiles with TMS rows (flipped)."""
    db = sqlite3.connect(path)
    db.executescript(
        "CREATE TABLE metadata (name TEXT, value TEXT);"
        "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);"
        "CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);"
    )
    meta = {"name": "Test pack", "format": "png", "minzoom": "0", "maxzoom": "8"} | (metadata or {})
    db.executemany("INSERT INTO metadata VALUES (?, ?)", list(meta.items()))
    db.executemany(
        "INSERT INTO tiles VALUES (?, ?, ?, ?)",
        ((z, x, (1 << z) - 1 - y, data) for z, x, y, data in tiles),
    )
    db.commit()
    db.close()
    return path


def coloured_tiles(lat: float, lon: float, zooms: Iterable[int], radius: int = 3):
    """Tiles around a point, each coloured by its own z/x/y."""
    for z in zooms:
        cx, cy = tile_of(lat, lon, z)
        n = 1 << z
        for x in range(max(0, cx - radius), min(n, cx + radius + 1)):
            for y in range(max(0, cy - radius), min(n, cy + radius + 1)):
                yield z, x, y, png(colour_of(z, x, y), 64)
