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
for the records it froze): cyclic garbage of a closed project is collected again. An open over
an open project gives them back as it starts and freezes again at once: the little cyclic
garbage the closed one left (~90 objects at 100,000 members) stays frozen until the next close.
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

    def _painted(self) -> None:
        if self._painting:
            self._painting = False
            self.frozen.freeze()

    def _changed(self, change: Any) -> None:
        if change.reset and not self.session.is_open:  # closed
            self._painting = False
            self.frozen.give_back()


class _Frozen:
    """Whether we froze (for an open): given back at most once."""

    def __init__(self) -> None:
        self.froze = False

    def freeze(self) -> None:
        gc.freeze()
        self.froze = True

    def give_back(self) -> None:
        if self.froze:
            gc.unfreeze()
            self.froze = False
