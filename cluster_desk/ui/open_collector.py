"""The cycle collector around every open after the start's (File > Open, Open Recent, a drop).

The start pauses the collector until the map has painted what it opened, then freezes every
object made so far and turns it on again (ui.app.collect_after_first_paint). A later open had no
such care: the open's reads and the threads it starts (the towns layer's, the roster's) made
objects enough to set off full passes, each walking every unfrozen object of the process holding
the GIL: 56-207 ms on those threads around a 100,000-member open's paint (issue 17), while the
page waited for the GUI thread. Here each open does as the start does: the collector paused from
the open's call until the map has painted it (``ProjectSession.openPainted``), then everything
frozen and the collector on again. Closing the project gives the frozen objects back to the
collector (as ``record_slices`` does for the records it froze): cyclic garbage of a closed
project is collected again.
"""

from __future__ import annotations

import gc
from typing import Any

from PySide6.QtCore import QObject, QTimer


def hold_collector_until_painted(session: Any) -> None:
    """Call just before ``session.open``: the collector paused until the map has painted it."""
    keeper = getattr(session, "_open_collector", None)
    if keeper is None:
        keeper = session._open_collector = OpenCollector(session)
    keeper.hold()


class OpenCollector(QObject):
    """The collector's pause and freeze around one session's opens."""

    def __init__(self, session: Any) -> None:
        super().__init__(session)
        self.session = session
        self.holding = False  # paused by us, until the open's paint
        self.froze = False  # froze at an open's paint: given back when the project closes
        session.openPainted.connect(self._painted)
        session.changed.connect(self._changed)

    def hold(self) -> None:
        """The previous project's frozen objects given back, and the collector paused (if it
        runs: the start's own pause, or another's, is theirs to end)."""
        self._give_back()
        if self.holding or not gc.isenabled():
            return
        gc.disable()
        self.holding = True
        # No paint to wait for (the open failed, or no map paints it): on again at once.
        QTimer.singleShot(0, self, self._unless_painting)

    def _unless_painting(self) -> None:
        if self.holding and not self.session.painting:
            self._release(freeze=self.session.is_open)

    def _painted(self) -> None:
        if self.holding:
            self._release(freeze=True)

    def _release(self, freeze: bool) -> None:
        """What exists now (modules, the window, the project's columns) lives as long as the
        process or the project: frozen, no pass walks it again (gc.freeze moves lists, O(1))."""
        self.holding = False
        if freeze:
            gc.freeze()
            self.froze = True
        gc.enable()

    def _changed(self, change: Any) -> None:
        if change.reset and not self.session.is_open:  # closed (a close before its paint too)
            if self.holding:
                self._release(freeze=False)
            self._give_back()

    def _give_back(self) -> None:
        if self.froze:
            gc.unfreeze()
            self.froze = False
