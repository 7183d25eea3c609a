"""The first open in a process: the map paints first, and what an open needs is warmed (issue 17).

The first open pays costs a later one does not. Two are handled here:

* The roster's first paint loads the federal subjects' index (the Region column, looked up then
  and there for a project under ``subject_column._ONE_BY_ONE`` members: ~30 ms from its arrays,
  0.3-0.5 s when it was parsed from GeoJSON) and looks its rows up. Painted before the map, it
  held up the blob the page waits for. ``paint_map_first`` keeps the roster from painting until
  the page has painted the open (or ``FIRST_PAINT_AT_LATEST_MS`` has passed); only the first open
  is held: the index is loaded by then. Turning its updates off was not enough: Qt still paints a
  widget whose updates are off when its window repaints the area (the open's rows bring a scroll
  bar, the viewport is resized: ``QWidgetRepaintManager::paintAndFlush`` -> ``QTableView::paintEvent``
  -> ``RosterModel.data``), so its paint events are also dropped until then (``_PaintHeld``).
* Modules an open imports on first use (``numpy.ma`` through ``np.median`` in the smallest circle,
  ``core.circle``) and glibc's ``malloc_trim`` (a dlopen and a symbol lookup):
  ``warm_after_first_paint`` imports and looks them up on a thread once the page has painted what
  it was first sent and nothing is pending, so they never compete with that paint. Imports switch
  the GIL every few ms: the GUI thread is never held for a frame. (The subjects' index needs no
  warming now: read from its arrays, ~30 ms of CPU, most of it zlib's inflate without the GIL.)
* The towns layer, built on a thread from the start's first paint, is sent to the page after an
  open's paint if one is under way (``ui.offline.controller.TownsLayer``).
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

from cluster_desk.core.soon_thread import SoonThread

if TYPE_CHECKING:
    from cluster_desk.ui.map.view import MapView

log = logging.getLogger(__name__)

#: Imported after the first paint (what ``files.open_path`` imported on first use).
WARM_MODULES = ("numpy.ma", "cluster_desk.core.circle")
#: A widget held for the map's first paint is painted by then even if the page never reports it.
FIRST_PAINT_AT_LATEST_MS = 3_000


def when_painted(map_view: MapView, then: Callable[[], None], at_latest_ms: int | None = None) -> None:
    """Call ``then`` once, when the page has painted every command sent so far (``drawn``), or
    after ``at_latest_ms`` if given and sooner."""
    sent = map_view.seq
    done = False

    def painted(seq: int) -> None:
        if seq >= sent:
            fire()

    def fire() -> None:
        nonlocal done
        if done:
            return
        done = True
        with contextlib.suppress(RuntimeError, TypeError):  # (the view is gone)
            map_view.drawn.disconnect(painted)
        then()

    map_view.drawn.connect(painted)
    if at_latest_ms is not None:
        QTimer.singleShot(at_latest_ms, map_view, fire)


class _PaintHeld(QObject):
    """Drops the paint events of the widgets it filters (their area shows their background)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        return event.type() == QEvent.Type.Paint


def paint_map_first(map_view: MapView, widget: QWidget) -> None:
    """``widget`` (the roster's table) is not painted until the page has painted what the open
    sent it: its first paint's work (the subjects' index) then follows the map's."""
    if not widget.updatesEnabled():
        return
    held = [widget, widget.viewport()] if isinstance(widget, QAbstractScrollArea) else [widget]
    drop = _PaintHeld(widget)
    for w in held:
        w.installEventFilter(drop)
    widget.setUpdatesEnabled(False)

    def release() -> None:
        for w in held:
            w.removeEventFilter(drop)
        drop.deleteLater()
        widget.setUpdatesEnabled(True)  # (repaints the widget: its viewport with it)
        for w in held:
            w.update()

    when_painted(map_view, release, FIRST_PAINT_AT_LATEST_MS)


def warm_after_first_paint(map_view: MapView, modules: tuple[str, ...] = WARM_MODULES) -> threading.Event:
    """Import ``modules`` on a thread once the page has painted all it was sent and no command
    has been sent since (a paint still coming waits for its own ack). Returns an event set when
    they are imported (tests wait for it)."""
    warmed = threading.Event()

    def start() -> None:
        SoonThread(target=_import_all, args=(modules, warmed), name="first-open warm-up",
                   daemon=True).start()

    def painted(seq: int) -> None:
        if seq >= map_view.seq:
            map_view.drawn.disconnect(painted)
            start()

    map_view.drawn.connect(painted)
    return warmed


def _import_all(modules: tuple[str, ...], warmed: threading.Event) -> None:
    try:
        for name in modules:
            importlib.import_module(name)
        # glibc's malloc_trim looked up once, here rather than in a first open's call, where
        # the map asks whether it can trim
        from cluster_desk.memory import can_trim

        can_trim()
    except Exception:  # a warm-up only: the open imports what it needs itself
        log.debug("first-open warm-up: import failed", exc_info=True)
    finally:
        warmed.set()
