"""The place search box: a town by name (Russian or Latin script) or typed coordinates.

Emits ``placeChosen(lat, lon, name)`` when the user picks a suggestion or presses Enter, and
with it ``placeFound(lat, lon, name, zoom)`` with a zoom that suits the place (by population;
``COORDINATE_ZOOM`` for typed coordinates); the window centres the map there
(``MapView.centre_on(lat, lon, zoom)``). Bad coordinates emit
``message`` with a sentence to show (status bar) and the box shows it as its tooltip.
The GeoNames index loads in a background thread the first time the widget is created.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from cluster_desk.text.coords_text import coordinate_error
from cluster_desk.ui.i18n import ui_text
from cluster_desk.ui.widgets.plain_text import plain_tip

if TYPE_CHECKING:
    from cluster_desk.places.index import SearchHit

# The place index and the coordinate parser are imported when first used, not with the window
# (issue 17: nothing at start that the first view does not need).

translate = QCoreApplication.translate
#: Zoom to use for a place of this many inhabitants (bigger towns need a wider view).
ZOOM_FOR_POPULATION = ((1_000_000, 10), (100_000, 11), (10_000, 12), (0, 13))
#: Zoom for typed coordinates: a street-block view around the point.
COORDINATE_ZOOM = 12


def zoom_for(population: int) -> int:
    return next(z for p, z in ZOOM_FOR_POPULATION if population >= p)


class PlaceSearchBox(QLineEdit):
    placeChosen = Signal(float, float, str)  # lat, lon, name
    placeFound = Signal(float, float, str, int)  # lat, lon, name, suggested zoom
    message = Signal(str)  # a problem with what was typed ("" clears)

    def __init__(self, parent: QWidget | None = None, *, lang: str = "en", limit: int = 12) -> None:
        super().__init__(parent)
        self.lang = lang
        self.limit = limit
        self.setPlaceholderText(translate("PlaceSearch", "Find a place or type coordinates…"))
        self.setClearButtonEnabled(True)
        self._hits: list[SearchHit] = []
        #: The suggestion just chosen: one key press can reach both the completer and the line
        #: edit (Enter on the popup), and the place is chosen once.
        self._just_chosen = ""
        self._model = QStringListModel(self)
        completer = QCompleter(self._model, self)
        # The model already holds ranked matches: show them as they are, unfiltered.
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setMaxVisibleItems(limit)
        completer.activated[str].connect(self._on_activated)  # type: ignore[index]
        self.setCompleter(completer)
        self._timer = QTimer(self, singleShot=True, interval=120)  # search once typing pauses
        self._timer.timeout.connect(self.refresh)
        self.textEdited.connect(lambda _t: self._timer.start())
        self.returnPressed.connect(self.choose_current)
        self._index_opening = False

    def focusInEvent(self, event: QFocusEvent) -> None:
        """The index is opened (built first in a fresh source checkout) on a thread once the
        user comes to the box, so the first suggestions need not wait for it."""
        if not self._index_opening:
            self._index_opening = True
            threading.Thread(target=_open_index, name="places-index", daemon=True).start()
        super().focusInEvent(event)

    def label(self, hit: SearchHit) -> str:
        """One suggestion: the name as it matched (so "Казань" shows in Cyrillic), country."""
        p = hit.place
        shown = p.display_name(self.lang)
        matched_is_name = hit.matched in (shown.casefold(), p.name.casefold())
        extra = "" if matched_is_name else f" ({p.name})" if shown != p.name else ""
        return f"{shown}{extra}, {p.country}"

    def refresh(self) -> None:
        """Update the suggestions for the current text."""
        from cluster_desk.places.coords import looks_like_coordinates
        from cluster_desk.places.index import default_index

        text = self.text().strip()
        if not text or looks_like_coordinates(text):
            self._hits = []
            self._model.setStringList([])
            return
        self._hits = default_index().search(text, self.limit)
        self._model.setStringList([self.label(h) for h in self._hits])
        if self._hits and self.hasFocus():
            self.completer().complete()

    def _on_activated(self, label: str) -> None:
        for h in self._hits:
            if self.label(h) == label:
                self._choose(h)
                return

    def _choose(self, hit: SearchHit) -> None:
        p = hit.place
        label = self.label(hit)
        if label == self._just_chosen:
            return
        self._just_chosen = label
        QTimer.singleShot(0, self, lambda: setattr(self, "_just_chosen", ""))
        self.setToolTip("")
        self.message.emit("")
        self.placeChosen.emit(p.lat, p.lon, p.display_name(self.lang))
        self.placeFound.emit(p.lat, p.lon, p.display_name(self.lang), zoom_for(p.population))

    def choose_current(self) -> bool:
        """Enter: coordinates if the text is coordinates, else the best match. False if nothing."""
        from cluster_desk.places.coords import CoordinateError, looks_like_coordinates, parse_coordinates

        text = self.text().strip()
        if not text:
            return False
        if looks_like_coordinates(text):
            try:
                lat, lon = parse_coordinates(text)
            except CoordinateError as e:
                said = coordinate_error(e, ui_text())
                self.setToolTip(plain_tip(said))
                self.message.emit(said)
                return False
            self.setToolTip("")
            self.message.emit("")
            self.placeChosen.emit(lat, lon, f"{lat:.5f}, {lon:.5f}")
            self.placeFound.emit(lat, lon, f"{lat:.5f}, {lon:.5f}", COORDINATE_ZOOM)
            return True
        # A suggestion picked with the keyboard (Down, Enter) puts its label in the box and comes
        # here with it: take that place, not a new search for "Name, RU".
        for hit in self._hits:
            if self.label(hit) == text:
                self._choose(hit)
                return True
        self.refresh()
        if not self._hits:
            msg = translate("PlaceSearch", "No place called “%1” in the offline list.").replace("%1", text)
            self.setToolTip(plain_tip(msg))
            self.message.emit(msg)
            return False
        self._choose(self._hits[0])
        return True


def _open_index() -> None:
    from cluster_desk.places.index import default_index

    default_index()
