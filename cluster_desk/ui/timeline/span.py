"""The years the project's dates span (the "as of" slider's range), read off the GUI thread.

The span is a min/max over four unindexed date columns (``store.edits.read_dated_years``):
~60 ms at 100,000 members and ~1.5 s at 1,000,000, which at open sat on the GUI thread in front
of the first paint. Here a short-lived thread reads it on a read-only connection of its own (the
file holds every acknowledged edit: one transaction per edit) and the answer comes back through
``ui.thread_answers`` (the window may delete this reader meanwhile: the answer is then dropped).
SQLite lets go of the GIL while it scans, so the GUI thread keeps running.

Reads coalesce: one runs at a time; asked again meanwhile, one more runs after it, for the newest
path, and only the newest read's answer is announced; the caller drops an answer whose ``token``
is not its newest (a project closed or changed since).
"""

from __future__ import annotations

import sqlite3
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from cluster_desk.ui.thread_answers import run_off_gui


class YearSpanReader(QObject):
    #: (token, span or None, read) for the newest read asked for: span is (first, last) year or
    #: None when no date is set; ``read`` is False when the file could not be read (busy, gone).
    arrived = Signal(object, object, bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._running = False
        self._next: tuple[Path, object] | None = None
        self.reads = 0  # reads run (tests and the bench read it)

    @property
    def busy(self) -> bool:
        """A read is running or waiting to run."""
        return self._running or self._next is not None

    def read(self, path: Path, token: object) -> None:
        """Read the span of the file at ``path``; ``arrived`` says it with ``token``."""
        if self._running:
            self._next = (Path(path), token)  # after the one running; only the newest is kept
            return
        self._start(Path(path), token)

    def _start(self, path: Path, token: object) -> None:
        self._running = True
        self.reads += 1
        run_off_gui(self, partial(_read_span, path, token), self._done, name="timeline-span")

    def _done(self, answer: tuple[object, tuple[int, int] | None, bool]) -> None:
        token, span, ok = answer
        self._running = False
        if self._next is not None:  # asked again meanwhile: this answer may be stale
            path, newer = self._next
            self._next = None
            self._start(path, newer)
            return
        self.arrived.emit(token, span, ok)


def _read_span(path: Path, token: object) -> tuple[object, tuple[int, int] | None, bool]:
    """On the thread: (token, span, read)."""
    from cluster_desk.store.edits import read_dated_years

    try:
        return token, read_dated_years(path), True
    except (sqlite3.Error, OSError):
        return token, None, False
