"""Typed application preferences over QSettings (Picard's options idea: declared once, versioned).

Nothing is pickled: values are plain strings, string lists and byte arrays.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings

from cluster_desk.tiles.regional import PARTS as REGIONAL_PARTS

#: Bump when a key changes meaning; ``_upgrade`` migrates older stores in order.
PREFERENCES_VERSION = 1
MAX_RECENT = 8
LANGUAGES = ("", "en", "ru")  # "" follows the system locale
_TRUE = {"true", "1", "yes", "on"}
DEFAULT_TILE_CACHE_MB = 500


def tile_url_problem(url: str) -> str:
    """Why ``url`` is not a usable tile URL template ("" when it is): an http(s) address with
    {z}, {x} and {y} in it, e.g. ``https://tile.example.org/{z}/{x}/{y}.png``."""
    translate = QCoreApplication.translate
    url = url.strip()
    if not url:
        return translate("Preferences", "Enter the tile server’s URL template.")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return translate("Preferences", "The URL template must start with https:// (or http://) "
                                        "and a server name.")
    missing = [p for p in ("{z}", "{x}", "{y}") if p not in url]
    if missing:
        return translate("Preferences", "The URL template must contain {z}, {x} and {y}; missing: %1.") \
            .replace("%1", " ".join(missing))
    if re.search(r"\s", url):
        return translate("Preferences", "The URL template must not contain spaces.")
    return ""


class Preferences:
    def __init__(self, settings: QSettings | None = None) -> None:
        self._s = settings if settings is not None else QSettings()
        self._upgrade()

    def _upgrade(self) -> None:
        version = int(self._s.value("version", 0) or 0)
        # Version 0 -> 1: nothing stored yet; future upgrades go here in order.
        if version < PREFERENCES_VERSION:
            self._s.setValue("version", PREFERENCES_VERSION)

    # ----- language -------------------------------------------------------------------------------

    @property
    def language(self) -> str:
        value = str(self._s.value("ui/language", "") or "")
        return value if value in LANGUAGES else ""

    @language.setter
    def language(self, value: str) -> None:
        self._s.setValue("ui/language", value if value in LANGUAGES else "")

    # ----- online tile source (off by default: nothing is fetched unless the user turns it on) --

    @property
    def online_tiles(self) -> bool:
        value = self._s.value("tiles/online", False)
        return value is True or str(value).strip().lower() in _TRUE

    @online_tiles.setter
    def online_tiles(self, on: bool) -> None:
        self._s.setValue("tiles/online", bool(on))

    @property
    def online_tile_url(self) -> str:
        return str(self._s.value("tiles/online_url", "") or "")

    @online_tile_url.setter
    def online_tile_url(self, url: str) -> None:
        self._s.setValue("tiles/online_url", url.strip())

    @property
    def online_tile_attribution(self) -> str:
        return str(self._s.value("tiles/online_attribution", "") or "")

    @online_tile_attribution.setter
    def online_tile_attribution(self, text: str) -> None:
        self._s.setValue("tiles/online_attribution", text.strip())

    @property
    def tile_cache_max_mb(self) -> int:
        """Cap of the cache of tiles viewed online, in MB (500 by default; at least 1)."""
        try:
            value = int(str(self._s.value("tiles/cache_max_mb", DEFAULT_TILE_CACHE_MB)))
        except ValueError:
            value = DEFAULT_TILE_CACHE_MB
        return max(1, value)

    @tile_cache_max_mb.setter
    def tile_cache_max_mb(self, mb: int) -> None:
        self._s.setValue("tiles/cache_max_mb", max(1, int(mb)))

    @property
    def tile_cache_path(self) -> str:
        """The tile cache file; "" means ``<AppDataLocation>/tile-cache.mbtiles``."""
        return str(self._s.value("tiles/cache_path", "") or "")

    @tile_cache_path.setter
    def tile_cache_path(self, path: str) -> None:
        self._s.setValue("tiles/cache_path", str(path))

    def online_tile_source(self) -> tuple[str, str] | None:
        """(url template, attribution) when the online source is on and valid, else None."""
        url = self.online_tile_url
        if not self.online_tiles or tile_url_problem(url):
            return None
        return url, self.online_tile_attribution

    # ----- map layers ------------------------------------------------------------------------------

    @property
    def show_towns(self) -> bool:
        """The offline towns layer (names of cities and towns) on the map; on by default."""
        value = self._s.value("map/towns", True)
        return value is True or str(value).strip().lower() in _TRUE

    @show_towns.setter
    def show_towns(self, on: bool) -> None:
        self._s.setValue("map/towns", bool(on))

    @property
    def regional_parts(self) -> dict[str, bool]:
        """The parts of the built-in regional basemap shown (View > Regional Map); all by default."""
        hidden = self._s.value("map/regional_hidden", [])
        if isinstance(hidden, str):  # QSettings returns a bare string for one-item lists
            hidden = [hidden]
        off = {str(v) for v in (hidden or [])}
        return {part: part not in off for part in REGIONAL_PARTS}

    @regional_parts.setter
    def regional_parts(self, parts: dict[str, bool]) -> None:
        shown = {**self.regional_parts, **parts}
        self._s.setValue("map/regional_hidden", [p for p in REGIONAL_PARTS if not shown.get(p, True)])

    # ----- recent files ---------------------------------------------------------------------------

    @property
    def recent_files(self) -> list[str]:
        value = self._s.value("files/recent", [])
        if isinstance(value, str):  # QSettings returns a bare string for one-item lists
            value = [value]
        return [str(v) for v in (value or []) if v]

    def add_recent(self, path: str) -> None:
        files = [path, *[p for p in self.recent_files if p != path]][:MAX_RECENT]
        self._s.setValue("files/recent", files)

    def remove_recent(self, path: str) -> None:
        self._s.setValue("files/recent", [p for p in self.recent_files if p != path])

    def clear_recent(self) -> None:
        self._s.setValue("files/recent", [])

    # ----- window ---------------------------------------------------------------------------------

    def _bytes(self, key: str) -> QByteArray:
        value = self._s.value(key)
        return value if isinstance(value, QByteArray) else QByteArray()

    @property
    def geometry(self) -> QByteArray:
        return self._bytes("window/geometry")

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self._s.setValue("window/geometry", value)

    @property
    def window_state(self) -> QByteArray:
        return self._bytes("window/state")

    @window_state.setter
    def window_state(self, value: QByteArray) -> None:
        self._s.setValue("window/state", value)

    @property
    def qsettings(self) -> QSettings:
        """The store itself, for parts that keep their own keys (tile packs)."""
        return self._s

    def sync(self) -> None:
        self._s.sync()
