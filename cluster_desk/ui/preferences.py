"""Typed application preferences over QSettings (Picard's options idea: declared once, versioned).

Nothing is pickled: values are plain strings, string lists and byte arrays.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

#: Bump when a key changes meaning; ``_upgrade`` migrates older stores in order.
PREFERENCES_VERSION = 1
MAX_RECENT = 8
LANGUAGES = ("", "en", "ru")  # "" follows the system locale


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

    def sync(self) -> None:
        self._s.sync()
