"""The cycle collector around every open after the start's (File > Open, Open Recent, a drop).

The start keeps the collector off until the map has painted what it opened, then freezes every
object made so far and turns it on (ui.app.collect_after_first_paint). A later open had no such
care: the open's reads and the threads it starts (the towns layer's, the roster's) made objects
enough to set off full passes, each walking every unfrozen object of the process holding the
GIL: 56-207 ms on those threads around a 100,000-member open's paint (issue 17), while the page
waited for the GUI thread. Here each open freezes what exists as it starts (the window, the
modules: a pass during the open walks only what the open made) and again once the map has
painted it (``ProjectSession.openPainted``: the project's columns and what came with them).
``gc.freeze`` moves lists (O(1)); the collector stays on throughout (nothing to turn back on if
the open fails, the window goes, or the page never answers).

Closing the project gives the frozen objects back to the collector (as ``record_slices`` does
for the records it froze; the start's freeze too) and collects at once: the closed project's
cyclic garbage goes then. Left to a later pass, it was still there when the next open froze
what existed, and stayed frozen for that project's whole session: ~90 objects at 100,000
members, but holding its columns, ~100 MB (each reopen of a 100,000-member file added ~100 MB
to the process). A close's pass: 33-57 ms of CPU at 100,000 members. An open over an open
project closes the old one after the open has frozen what exists; so at the paint of such an
open the frozen objects are given back, collected once, then frozen again (40-75 ms of CPU
after a 100,000-member open's paint, growing with the project: only then, never after an open
with nothing open before it).
"""

from __future__ import annotations

import gc
from typing import Any

from PySide6.QtCore import QObject


class OpenCollector(QObject):
    """Freezes around one session's opens, and gives back at its closes (and when it goes: a
    window closed with its project open closes it without a word)."""

    def __init__(self, session: Any) -> None:
        super().__init__(session)
        self.session = session
        self.frozen = _Frozen()  # (plain Python: still there when this object is destroyed)
        self._painting = False  # an open is being painted: frozen again at its paint
        self._replacing = False  # ... and it replaces an open project: collected at its paint
        session.openPainted.connect(self._painted)
        session.changed.connect(self._changed)
        frozen = self.frozen
        self.destroyed.connect(lambda *_: frozen.give_back())

    def opening(self) -> None:
        """Call just before ``session.open``: what exists is frozen now, and again once painted."""
        if not gc.isenabled():  # the start's own pause: the start freezes at its paint
            return
        self.frozen.give_back()
        self.frozen.freeze()
        self._painting = True
        self._replacing = bool(self.session.is_open)

    def _painted(self) -> None:
        if self._painting:
            self._painting = False
            if self._replacing:  # closed during the open, after its objects were frozen
                self._replacing = False
                self.frozen.give_back()
                gc.collect()
            self.frozen.freeze()

    def _changed(self, change: Any) -> None:
        if change.reset and not self.session.is_open:  # closed
            self._painting = self._replacing = False
            self.frozen.give_back()
            if gc.isenabled():  # its cyclic garbage now, before an open freezes it again
                gc.unfreeze()  # (the start's freeze too: a project opened at the start is in it)
                gc.collect()


class _Frozen:
    """Whether we froze (for an open): given back at most once."""

    def __init__(self) -> None:
        self.froze = False

    def freeze(self) -> None:
        gc.freeze()
        self.froze = True

    def give_back(self) -> bool:
        """Unfreeze what we froze; whether there was any."""
        if not self.froze:
            return False
        gc.unfreeze()
        self.froze = False
        return True
