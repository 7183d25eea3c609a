"""Work made ahead of need a part at a time on idle turns of the event loop (issue 17): a
generator that yields after each part (a few ms of the GUI thread), input and painting handled
between parts. What the work makes must still be made at once when asked for before the parts
are done; the generator then finds it made and stops."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from PySide6.QtCore import QObject, QTimer


class IdleParts(QObject):
    """Runs one generator of parts at a time (``start`` replaces one not finished)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._parts: Iterator[None] | None = None
        self._then: Callable[[], None] | None = None
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self._step)

    def start(self, parts: Iterator[None], then: Callable[[], None] | None = None) -> None:
        """Run ``parts``, one a turn of the event loop, then call ``then``."""
        self._parts, self._then = parts, then
        self._timer.start()

    @property
    def running(self) -> bool:
        return self._parts is not None

    def _step(self) -> None:
        if self._parts is not None and next(self._parts, True) is None:
            self._timer.start()
            return
        self._parts = None
        then, self._then = self._then, None
        if then is not None:
            then()
