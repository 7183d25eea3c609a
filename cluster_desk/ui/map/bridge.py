"""The one object the map page sees ("bridge") on the QWebChannel: a ``command`` signal carrying
JSON to the page, and one slot per page message, each validated (``messages.py``) before the
view emits a typed Qt signal."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal, Slot

from cluster_desk.ui.map.messages import MAX_RADIUS_KM, BadMessage, lat_lon, number_field, parse_message

if TYPE_CHECKING:
    from cluster_desk.ui.map.view import MapView

log = logging.getLogger(__name__)
#: More links than any project holds (the page's slots stop at 10,000,000).
MAX_LINKS = 10_000_000


class MapBridge(QObject):
    """The one object the page sees ("bridge"). Only ``command`` and the slots are exposed.

    Each slot takes one JSON string from the page, validates it and hands typed values to the
    callbacks given by the view. It never raises: bad input is logged and dropped.
    """

    command = Signal(str)

    def __init__(self, view: MapView) -> None:
        super().__init__(view)
        self._view = view
        self.rejected = 0  # how many page messages were dropped (tests and diagnostics)

    def _handle(self, name: str, text: object, action: Callable[[dict[str, Any]], None]) -> None:
        try:
            action(parse_message(text))
        except BadMessage as e:
            self.rejected += 1
            log.warning("map bridge: dropped %s message: %s", name, e)
        except Exception:  # a bug of ours must not escape into Qt's event loop
            self.rejected += 1
            log.exception("map bridge: error handling %s", name)

    def _known_id(self, obj: dict[str, Any]) -> str:
        mid = obj.get("id")
        if not isinstance(mid, str) or not self._view.has_member(mid):
            raise BadMessage(f"unknown member id {mid!r}")
        return mid

    @Slot(str)
    def ready(self, text: str) -> None:
        self._handle("ready", text, lambda _o: self._view._on_page_ready())

    @Slot(str)
    def drawn(self, text: str) -> None:
        def act(o: dict[str, Any]) -> None:
            seq = o.get("seq")
            if isinstance(seq, bool) or not isinstance(seq, int):
                raise BadMessage(f"seq is not an integer: {seq!r}")
            self._view._on_drawn(seq)

        self._handle("drawn", text, act)

    @Slot(str)
    def mapClicked(self, text: str) -> None:
        self._handle("mapClicked", text, lambda o: self._view.mapClicked.emit(*lat_lon(o)))

    @Slot(str)
    def markerMoved(self, text: str) -> None:
        def act(o: dict[str, Any]) -> None:
            mid = self._known_id(o)
            lat, lon = lat_lon(o)
            self._view.memberMoved.emit(mid, lat, lon)

        self._handle("markerMoved", text, act)

    @Slot(str)
    def markerClicked(self, text: str) -> None:
        self._handle(
            "markerClicked", text, lambda o: self._view.memberClicked.emit(self._known_id(o))
        )

    @Slot(str)
    def centreMoved(self, text: str) -> None:
        self._handle("centreMoved", text, lambda o: self._view.centreMoved.emit(*lat_lon(o)))

    @Slot(str)
    def radiusDragged(self, text: str) -> None:
        self._handle(
            "radiusDragged",
            text,
            lambda o: self._view.radiusChanged.emit(
                number_field(o, "radiusKm", 0.0, MAX_RADIUS_KM, open_low=True)
            ),
        )

    @Slot(str)
    def linkClicked(self, text: str) -> None:
        def act(o: dict[str, Any]) -> None:
            slot = o.get("slot")
            if isinstance(slot, bool) or not isinstance(slot, int):
                raise BadMessage(f"slot is not an integer: {slot!r}")
            link_id = self._view.link_at_slot(slot)
            if link_id is None:
                raise BadMessage(f"no link in slot {slot}")
            self._view.linkClicked.emit(link_id)

        self._handle("linkClicked", text, act)

    @Slot(str)
    def linksThinned(self, text: str) -> None:
        def act(o: dict[str, Any]) -> None:
            counts = (o.get("shown"), o.get("inView"))
            if any(isinstance(v, bool) or not isinstance(v, int) for v in counts):
                raise BadMessage(f"counts are not integers: {counts!r}")
            shown, in_view = int(counts[0]), int(counts[1])  # type: ignore[arg-type]
            if not 0 <= shown <= in_view <= MAX_LINKS:
                raise BadMessage(f"counts out of range: {shown}, {in_view}")
            self._view.linksThinned.emit(shown, in_view)

        self._handle("linksThinned", text, act)

    @Slot(str)
    def cursorMoved(self, text: str) -> None:
        self._handle("cursorMoved", text, lambda o: self._view.cursorMoved.emit(*lat_lon(o)))
