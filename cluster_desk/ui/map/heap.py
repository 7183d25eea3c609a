"""Gives the C heap's free pages back to the system once a big open's passing work is done.

An open of a million members and three million links builds and drops hundreds of MB on the
way (the page's payloads, the checks' reads, the link id lookup's hashing, the roster's keys).
glibc keeps what was freed below its mmap threshold in the heap: ~70 MB of the process's RSS
were free pages nobody held once it settled (issue 17: under 1 GB). ``malloc_trim(0)`` hands
them back. It runs on a thread of its own (ctypes lets go of the GIL; glibc locks one arena at
a time while it walks it: a few ms), debounced, after the session's worker has gone quiet.
Nothing happens where the C library has no ``malloc_trim`` (Windows, macOS, musl).
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QTimer

from cluster_desk.core.soon_thread import SoonThread
from cluster_desk.memory import can_trim, trim_heap

#: Wait this long after the last request (the worker's queue may start again meanwhile).
DELAY_MS = 300


class HeapTrimmer(QObject):
    """``soon()`` asks for a trim; one runs DELAY_MS after the last ask, on a thread."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.trims = 0  # trims started (tests)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DELAY_MS)
        self._timer.timeout.connect(self._start)
        self._thread: threading.Thread | None = None

    def soon(self) -> None:
        if can_trim():
            self._timer.start()

    def _start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            self._timer.start()  # one at a time: ask again later
            return
        self.trims += 1
        self._thread = SoonThread(target=trim_heap, daemon=True, name="heap-trim")
        self._thread.start()

    def wait(self) -> None:
        """Let a trim under way finish (tests)."""
        if self._thread is not None:
            self._thread.join()
