"""What every part of the window is handed: the session, the preferences, the map, the actions,
and a notifier for status messages and errors. Parts never import the main window; whatever one
part does to another is a signal the main window wires (Picard's thin window, no service
locator reached through ``window.something``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from cluster_desk.ui.map.view import MapView
    from cluster_desk.ui.preferences import Preferences
    from cluster_desk.ui.project.session import ProjectSession
    from cluster_desk.ui.shell.actions import Actions

#: How long a status message stays (ms); 0 keeps it until the next one.
STATUS_MS = 8000


class Notifier(QObject):
    """Status-bar messages and errors from any part; the window shows them."""

    #: text, timeout in ms, and a file or folder the message is about ("" when none): the status
    #: bar then offers a link that opens its folder.
    statusShown = Signal(str, int, str)
    #: title, one-paragraph text (shown in a message box; tests collect them instead).
    errorShown = Signal(str, str)

    def status(self, text: str, ms: int = STATUS_MS, path: str | Path | None = None) -> None:
        self.statusShown.emit(text, ms, "" if path is None else str(path))

    def clear(self) -> None:
        self.statusShown.emit("", 0, "")

    def error(self, title: str, text: str) -> None:
        self.errorShown.emit(title, text)


@dataclass(frozen=True)
class AppContext:
    session: ProjectSession
    prefs: Preferences
    map: MapView
    actions: Actions
    notifier: Notifier
    lang: str
    #: The parent for dialogs a part opens (typed as a plain widget on purpose).
    dialog_parent: QWidget
