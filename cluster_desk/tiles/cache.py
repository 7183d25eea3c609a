"""The local cache of tiles viewed online: one MBTiles file, bounded in size.

The map page never talks to the internet: its online layer asks our scheme for
``cdesk://app/online/{z}/{x}/{y}``, which answers from this cache first and, only while the user's
online tile source is on, fetches a missing tile in Python and stores it here. So areas seen
once still show with the network absent.

Where: ``<AppDataLocation>/tile-cache.mbtiles`` (see ``ui/offline/controller.py``). It is an ordinary
MBTiles pack (written with :class:`~cluster_desk.tiles.mbtiles.MBTilesWriter`, WAL journal), so
it can be opened as a tile pack too.

Size: at most ``max_bytes`` of tile images (500 MB by default; the ``tiles/cache_max_mb``
preference). Past that the tiles stored first are deleted until 90 % of the cap is left
(first in, first out: a tile fetched again is stored again and counts as new). The file itself
does not shrink (SQLite reuses the freed pages) except on :meth:`TileCache.clear`.

Tiles of different sources are not kept apart: after the URL template changes, tiles seen with
the old one still show where the new one was not viewed yet ("Clear tile cache" starts over).
No Qt here; every call comes from one thread (the GUI thread, via the scheme handler).
"""

from __future__ import annotations

import logging
import os
import sqlite3
from pathlib import Path

from cluster_desk.tiles.mbtiles import MBTilesWriter, sniff_format, valid_tile

log = logging.getLogger(__name__)

CACHE_FILE_NAME = "tile-cache.mbtiles"
DEFAULT_MAX_BYTES = 500 * 1024 * 1024
MIN_MAX_BYTES = 1024 * 1024
#: After eviction this share of the cap is used, so eviction is not run on every new tile.
EVICT_TO = 0.9

_METADATA = {
    "name": "Cluster Desk tile cache",
    "type": "baselayer",
    "version": "1.1",
    "description": "Tiles viewed online, kept for offline use",
    "format": "png",
}


class TileCache:
    def __init__(self, path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.path = Path(path)
        self.max_bytes = max(MIN_MAX_BYTES, int(max_bytes))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._w = self._open()
        except sqlite3.DatabaseError as e:  # damaged or not SQLite: it is only a cache, start over
            log.warning("tile cache %s is unusable (%s); starting a new one", self.path, e)
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            self._w = self._open()
        self._bytes = self._w.tile_bytes()
        self._evict()

    def _open(self) -> MBTilesWriter:
        w = MBTilesWriter(self.path, wal=True)
        try:
            meta = w.metadata()
            missing = {k: v for k, v in _METADATA.items() if k not in meta}
            if missing:
                w.set_metadata(missing)
        except sqlite3.DatabaseError:
            w.close()
            raise
        return w

    # ----- reading and writing ------------------------------------------------------------------

    def get(self, z: int, x: int, y: int) -> bytes | None:
        try:
            return self._w.tile(z, x, y)
        except sqlite3.Error:
            log.warning("tile cache: cannot read %s/%s/%s", z, x, y, exc_info=True)
            return None

    def put(self, z: int, x: int, y: int, data: bytes) -> bool:
        """Store one image tile (evicting old ones past the cap). False if it was not stored."""
        if not valid_tile(z, x, y) or sniff_format(data[:16]) is None or len(data) > self.max_bytes // 10:
            return False
        try:
            old = self._w.tile(z, x, y)
            self._w.put_tiles([(z, x, y, data)])
        except sqlite3.Error:
            log.warning("tile cache: cannot store %s/%s/%s", z, x, y, exc_info=True)
            return False
        self._bytes += len(data) - (len(old) if old is not None else 0)
        self._evict()
        return True

    def _evict(self) -> None:
        if self._bytes <= self.max_bytes:
            return
        try:
            n, freed = self._w.delete_oldest(self._bytes - int(self.max_bytes * EVICT_TO))
        except sqlite3.Error:
            log.warning("tile cache: eviction failed", exc_info=True)
            return
        self._bytes -= freed
        log.info("tile cache: evicted %d tiles (%d bytes)", n, freed)

    def set_attribution(self, text: str) -> None:
        """The attribution of the source the tiles come from (shown when offline)."""
        if text and text != self.attribution:
            self._w.set_metadata({"attribution": text})

    @property
    def attribution(self) -> str:
        return self._w.metadata().get("attribution", "")

    # ----- size -----------------------------------------------------------------------------------

    @property
    def size_bytes(self) -> int:
        """Bytes of tile images stored (what the cap counts)."""
        return self._bytes

    def count(self) -> int:
        return self._w.count()

    def is_empty(self) -> bool:
        return self._bytes == 0 and self._w.count() == 0

    def set_max_bytes(self, max_bytes: int) -> None:
        self.max_bytes = max(MIN_MAX_BYTES, int(max_bytes))
        self._evict()

    def clear(self) -> None:
        """Delete every cached tile (and shrink the file)."""
        self._w.clear()
        self._bytes = 0

    def close(self) -> None:
        self._w.close()

    def __enter__(self) -> TileCache:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
