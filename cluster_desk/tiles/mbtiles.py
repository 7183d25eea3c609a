"""MBTiles packs: a read-only reader (served to the map page) and a writer (for the downloader).

MBTiles (https://github.com/mapbox/mbtiles-spec) is one SQLite file: ``metadata(name, value)``
and ``tiles(zoom_level, tile_column, tile_row, tile_data)`` with TMS rows, i.e. row 0 at the
*south*: the XYZ row ``y`` the map asks for is stored as ``2**z - 1 - y``.

The reader never loads a pack: it opens the file read-only (``mode=ro`` URI, ``query_only``),
reads the small metadata table and answers each tile with one indexed lookup, so a pack of
several GB opens as fast as a small one and costs only SQLite's page cache in memory.
No Qt here: the scheme handler, the downloader and the tests all use these classes.
"""

from __future__ import annotations

import hashlib
import math
import os
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

#: Tile image types we serve; anything else in a pack is refused (vector pbf is not drawn).
MIME_BY_FORMAT: dict[str, str] = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"}
MAX_ZOOM = 30  # 2**30 rows: beyond that a "zoom" is not a real pack
#: SQLite page cache per pack (negative = KiB): bounded, whatever the pack's size.
CACHE_KIB = 8192


class MBTilesError(Exception):
    """A file is not a usable MBTiles pack; ``str(e)`` names the file and the problem in English,
    ``code`` and ``params`` are the facts for the text renderer (cluster_desk.text.tiles_text)."""

    def __init__(self, message: str, code: str = "", **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


def sniff_format(data: bytes) -> str | None:
    """Image format from the first bytes of a tile (packs often lack ``format``)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def tms_row(z: int, y: int) -> int:
    """XYZ row (0 at the north, what Leaflet asks for) -> TMS row stored in MBTiles."""
    return (1 << z) - 1 - y


def valid_tile(z: int, x: int, y: int) -> bool:
    return 0 <= z <= MAX_ZOOM and 0 <= x < (1 << z) and 0 <= y < (1 << z)


def pack_id_for(path: str | os.PathLike[str]) -> str:
    """A stable, URL-safe id for a pack file (its resolved path), used in tile URLs."""
    return hashlib.sha1(str(Path(path).resolve()).encode("utf-8")).hexdigest()[:12]


def _parse_bounds(text: str | None) -> tuple[float, float, float, float] | None:
    """``"west,south,east,north"`` in degrees, or None if absent or nonsense."""
    if not text:
        return None
    try:
        w, s, e, n = (float(v) for v in text.split(","))
    except ValueError:
        return None
    if not all(math.isfinite(v) for v in (w, s, e, n)):
        return None
    if not (-180 <= w <= 180 and -180 <= e <= 180 and -90 <= s < n <= 90):
        return None
    return (w, s, e, n)


def read_tile(db: sqlite3.Connection, z: int, x: int, y: int) -> bytes | None:
    """XYZ tile ``z/x/y`` from an open MBTiles database (one indexed lookup), or None."""
    if not valid_tile(z, x, y):
        return None
    row = db.execute(
        "SELECT tile_data FROM tiles WHERE zoom_level=? AND tile_column=? AND tile_row=?",
        (z, x, tms_row(z, y)),
    ).fetchone()
    return bytes(row[0]) if row and row[0] is not None else None


@dataclass(frozen=True)
class PackInfo:
    """What the UI and the page need to know about a pack (from its metadata)."""

    path: str
    pack_id: str
    name: str
    format: str  # png | jpg | webp
    min_zoom: int
    max_zoom: int
    bounds: tuple[float, float, float, float] | None  # west, south, east, north
    attribution: str
    metadata: dict[str, str] = field(default_factory=dict, compare=False)

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.pack_id,
            "name": self.name,
            "format": self.format,
            "minZoom": self.min_zoom,
            "maxZoom": self.max_zoom,
            "bounds": list(self.bounds) if self.bounds else None,
            "attribution": self.attribution,
        }


class MBTiles:
    """A read-only MBTiles pack: one SQLite connection, tiles read one at a time on demand.

    Thread-safe (one lock around the connection): Qt may call the scheme handler from its IO
    thread while the UI thread asks for metadata.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise MBTilesError(f"{self.path}: no such file", "no_file", path=str(self.path))
        uri = f"file:{quote(str(self.path.resolve()))}?mode=ro"
        try:
            self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        except sqlite3.Error as e:
            raise MBTilesError(f"{self.path}: cannot open: {e}", "cant_open", path=str(self.path),
                               detail=str(e)) from None
        self._lock = threading.Lock()
        try:
            # Untrusted file: no triggers/functions from its schema, never a write.
            self._db.execute("PRAGMA trusted_schema=OFF")
            self._db.execute("PRAGMA query_only=ON")
            self._db.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
            self.info = self._read_info()
        except (sqlite3.Error, MBTilesError) as e:
            self._db.close()
            if isinstance(e, MBTilesError):
                raise
            raise MBTilesError(f"{self.path}: not an MBTiles pack ({e})", "not_mbtiles", path=str(self.path),
                               detail=str(e)) from None

    def _read_info(self) -> PackInfo:
        names = {
            r[0] for r in self._db.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")
        }
        if "tiles" not in names:
            raise MBTilesError(f"{self.path}: not an MBTiles pack (no 'tiles' table)", "no_tiles_table",
                               path=str(self.path))
        meta: dict[str, str] = {}
        if "metadata" in names:
            for k, v in self._db.execute("SELECT name, value FROM metadata LIMIT 1000"):
                if isinstance(k, str) and v is not None:
                    meta[k] = str(v)
        fmt = meta.get("format", "").lower().replace("jpeg", "jpg")
        if fmt not in MIME_BY_FORMAT:
            # Absent or odd: look at one tile (an indexed LIMIT 1, not a scan).
            row = self._db.execute("SELECT tile_data FROM tiles LIMIT 1").fetchone()
            sniffed = sniff_format(bytes(row[0][:16])) if row and row[0] is not None else None
            if sniffed is None:
                if fmt:
                    raise MBTilesError(f"{self.path}: tile format {fmt!r} is not a raster image",
                                       "not_raster", path=str(self.path), format=fmt)
                sniffed = "png"  # empty pack: harmless default
            fmt = sniffed
        min_z, max_z = self._zoom_range(meta)
        return PackInfo(
            path=str(self.path),
            pack_id=pack_id_for(self.path),
            name=meta.get("name") or self.path.stem,
            format=fmt,
            min_zoom=min_z,
            max_zoom=max_z,
            bounds=_parse_bounds(meta.get("bounds")),
            attribution=meta.get("attribution", ""),
            metadata=meta,
        )

    def _zoom_range(self, meta: dict[str, str]) -> tuple[int, int]:
        try:
            lo, hi = int(meta["minzoom"]), int(meta["maxzoom"])
            if 0 <= lo <= hi <= MAX_ZOOM:
                return lo, hi
        except (KeyError, ValueError):
            pass
        # MIN/MAX on the primary-key index of a tiles table: a seek each, not a scan.
        row = self._db.execute("SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles").fetchone()
        if row and row[0] is not None:
            return max(0, int(row[0])), min(MAX_ZOOM, int(row[1]))
        return 0, 0

    @property
    def mime_type(self) -> str:
        return MIME_BY_FORMAT[self.info.format]

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        """The image at XYZ ``z/x/y`` (row 0 at the north), or None if the pack lacks it."""
        with self._lock:
            return read_tile(self._db, z, x, y)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> MBTiles:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


# ---- writing (the downloader's target) ---------------------------------------------------------

_SCHEMA = """
CREATE TABLE IF NOT EXISTS metadata (name TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS tiles (
    zoom_level INTEGER NOT NULL, tile_column INTEGER NOT NULL, tile_row INTEGER NOT NULL,
    tile_data BLOB NOT NULL,
    PRIMARY KEY (zoom_level, tile_column, tile_row)
);
"""


class MBTilesWriter:
    """Creates or extends a pack. Tiles go in batches, one transaction each, so an interrupted
    download keeps every finished batch and a resumed one can skip what is there."""

    def __init__(self, path: str | os.PathLike[str], *, wal: bool = False) -> None:
        """``wal``: write-ahead log with ``synchronous=NORMAL`` (a commit is cheap; a crash
        loses at most the last transactions, never the file): for the tile cache's many
        one-tile transactions."""
        self.path = Path(path)
        self._db = sqlite3.connect(str(self.path))
        try:
            self._db.execute("PRAGMA trusted_schema=OFF")
            if wal:
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
            self._db.commit()
        except sqlite3.Error:
            self._db.close()
            raise

    def has_tile(self, z: int, x: int, y: int) -> bool:
        return (
            self._db.execute(
                "SELECT 1 FROM tiles WHERE zoom_level=? AND tile_column=? AND tile_row=?",
                (z, x, tms_row(z, y)),
            ).fetchone()
            is not None
        )

    def existing(self, z: int) -> set[tuple[int, int]]:
        """XYZ (x, y) of the tiles already stored at zoom ``z`` (for resuming)."""
        top = (1 << z) - 1
        return {
            (x, top - r)
            for x, r in self._db.execute("SELECT tile_column, tile_row FROM tiles WHERE zoom_level=?", (z,))
        }

    def put_tiles(self, tiles: Iterable[tuple[int, int, int, bytes]]) -> int:
        """Store XYZ tiles ``(z, x, y, data)`` in one transaction; returns how many."""
        rows = [(z, x, tms_row(z, y), sqlite3.Binary(data)) for z, x, y, data in tiles]
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO tiles (zoom_level, tile_column, tile_row, tile_data) "
                "VALUES (?, ?, ?, ?)",
                rows,
            )
        return len(rows)

    def set_metadata(self, values: dict[str, str]) -> None:
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO metadata (name, value) VALUES (?, ?)",
                [(k, str(v)) for k, v in values.items()],
            )

    def metadata(self) -> dict[str, str]:
        return {k: v for k, v in self._db.execute("SELECT name, value FROM metadata")}

    def count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM tiles").fetchone()[0])

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        """The stored XYZ tile, or None (the same lookup as :meth:`MBTiles.tile`)."""
        return read_tile(self._db, z, x, y)

    def tile_bytes(self) -> int:
        """Total size of the stored tile images (reads only the record headers, not the blobs)."""
        return int(self._db.execute("SELECT COALESCE(SUM(length(tile_data)), 0) FROM tiles").fetchone()[0])

    def delete_oldest(self, at_least: int) -> tuple[int, int]:
        """Delete the tiles stored first (lowest rowid: ``INSERT OR REPLACE`` gives a replaced
        tile a new, highest rowid) until ``at_least`` bytes of images are gone, in one
        transaction. Returns (tiles, bytes) deleted."""
        freed = n = 0
        last = None
        cur = self._db.execute("SELECT rowid, length(tile_data) FROM tiles ORDER BY rowid")
        try:
            for rowid, size in cur:
                if freed >= at_least:
                    break
                freed += int(size)
                n += 1
                last = rowid
        finally:
            cur.close()
        if last is not None:
            with self._db:
                self._db.execute("DELETE FROM tiles WHERE rowid <= ?", (last,))
        return n, freed

    def clear(self) -> None:
        """Delete every tile and give the space back to the file system."""
        with self._db:
            self._db.execute("DELETE FROM tiles")
        self._db.execute("VACUUM")

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> MBTilesWriter:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
