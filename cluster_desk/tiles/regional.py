"""The built-in regional basemap: vector tiles of Russia's water and federal-subject borders.

``maps/basemap/russia-regional.mbtiles`` (made by ``maps/build_basemap.py`` from GSHHG/WDBII and
DCW-GMT, LGPL-3+) holds gzip'd JSON tiles for zooms 4-9; the map page asks for them as
``cdesk://app/basemap/<z>/<x>/<y>`` and draws them on canvas (``resources/web/basemap.js``),
overzooming the last zoom's tiles for closer views. The file is a separate, replaceable data file: any
MBTiles with ``format=json`` tiles of the same layout works.
"""

from __future__ import annotations

import gzip
import sqlite3
import threading
from pathlib import Path

from cluster_desk.paths import map_data
from cluster_desk.tiles.mbtiles import read_tile, valid_tile

TILES_FILE = "russia-regional.mbtiles"
LABELS_FILE = "russia-subject-labels.json"
#: The parts the map page can show or hide (View > Regional Map): lakes and reservoirs, rivers,
#: federal-subject borders with the subjects' names.
PARTS = ("water", "rivers", "borders")


def default_path() -> Path:
    return map_data("basemap", TILES_FILE)


class RegionalTiles:
    """Read-only access to the regional vector tiles (thread-safe: one connection per thread)."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_path()
        self._local = threading.local()

    def _db(self) -> sqlite3.Connection | None:
        db = getattr(self._local, "db", None)
        if db is None:
            if not self.path.is_file():
                return None
            db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
            self._local.db = db
        return db

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        """The tile's JSON text (decompressed), or None when there is none (empty sea, abroad)."""
        if not valid_tile(z, x, y):
            return None
        db = self._db()
        if db is None:
            return None
        data = read_tile(db, z, x, y)
        if data is None:
            return None
        return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data

    def metadata(self) -> dict[str, str]:
        db = self._db()
        if db is None:
            return {}
        return {str(k): str(v) for k, v in db.execute("SELECT name, value FROM metadata")}

    def zoom_range(self) -> tuple[int, int] | None:
        """(minzoom, maxzoom) of the file (from its metadata, else its tiles), None without tiles."""
        meta = self.metadata()
        try:
            return int(meta["minzoom"]), int(meta["maxzoom"])
        except (KeyError, ValueError):
            db = self._db()
            row = db.execute("SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles").fetchone() if db else None
            return (int(row[0]), int(row[1])) if row and row[0] is not None else None

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None


def about_credits() -> list[str]:
    """One line per data set of the built-in regional basemap, for the About box (plain text)."""
    return [
        "Lakes, reservoirs and rivers: GSHHG 2.3.7 and WDBII (P. Wessel, W. H. F. Smith), "
        "LGPL-3+, from Debian's gmt-gshhg-full.",
        "Borders of Russia's federal subjects: DCW-GMT 2.1.1 (Digital Chart of the World for GMT, "
        "P. Wessel), LGPL-3+, from Debian's gmt-dcw; Russian names: iso-codes 4.15 (LGPL-2.1+).",
        "These data are separate, replaceable files in maps/basemap/ with their licence texts; "
        "maps/build_basemap.py rebuilds them.",
    ]
