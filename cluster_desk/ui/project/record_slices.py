"""Building an opened project's records a slice at a time between frames (issue 17).

A project opens with lazy records (core.tables.LazyRecords over its columns): the map and the
roster paint without them, and the assessment needs none (its worker reads the file's columns:
store.assess_columns). Views that walk every record (the Plan tab, the charts, exports, the
timeline's past views) would build them in one go (``LazyRecords.load_all``: ~1-1.5 s of the GUI
thread at 100,000 members and 300,000 links), so a small project (live_assessment.SLICES_UP_TO)
gets them built after its first assessment is shown, a few thousand at a time, each slice
one ``WHERE rowid BETWEEN`` query (``Project.members_in_rows``/``links_in_rows``) sized to stay
within ``SLICE_MS`` of the GUI thread, with input and painting handled between slices. Edits
made meanwhile go through the same LazyRecords: a slice never replaces a record an edit set, nor
brings back a deleted one (``LazyRecords.fill``). Whoever needs every record earlier (an
import, the Plan tab, the charts, an export) calls ``load_all``, which builds the rest at once;
the slices then find nothing left.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from cluster_desk.core.tables import LazyRecords

#: GUI time one slice aims at (a frame is ~16 ms; the rest is for input and painting).
SLICE_MS = 6.0
FIRST_ROWS = 500  # rows of the first slice; later ones are sized from the time the last took
MAX_ROWS = 20_000
INDEX_IDS = 5_000  # ids hashed into a table's {id: record} map per slice (~1-5 ms)
#: From this many records on, they are frozen out of the cycle collector's scans once built
#: (below it a full scan costs a few ms: not worth a process-wide setting).
FREEZE_FROM = 50_000


class RecordSlices(QObject):
    """Builds the records of ``members`` and ``links`` (members first) on the event loop;
    ``finished`` once every record is built (or the project was closed: ``stop``)."""

    finished = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._step)
        self._tables: list[tuple[LazyRecords[Any], Any, int]] = []  # (records, read(first, last), last rowid)
        self._next_row = 1
        self._rows = FIRST_ROWS
        self.max_rows = MAX_ROWS  # (tests make it small to see many slices)
        self.slices = 0  # how many slices ran since start (tests and benches)
        self.longest_ms = 0.0  # the longest one
        self._gc_was_enabled: bool | None = None  # while the slices pause the cycle collector
        self._froze = False
        self._outside_check: Callable[[], bool] | None = None
        self._count = 0  # records of the project being built
        self._paused = False  # while the map paints a freshly opened project (pause/resume)

    @property
    def active(self) -> bool:
        return bool(self._tables)

    @property
    def running(self) -> bool:
        """Active and not paused."""
        return self._timer.isActive()

    def start(self, project: Any, members: LazyRecords[Any], links: LazyRecords[Any],
              outside_check: Callable[[], bool] | None = None) -> None:
        """Build the records of a freshly opened ``project`` (what ``members``/``links`` lack).
        ``outside_check`` runs before each slice: True when another process wrote to the file and
        the session read it again (it then starts the slices over on its new records), so no
        slice reads a record another process changed as if the window had opened with it."""
        self._outside_check = outside_check
        last_member, last_link = project.last_rowids()
        self._count = len(members) + len(links)
        self._tables = [(members, project.members_in_rows, last_member),
                        (links, project.links_in_rows, last_link)]
        self._next_row, self._rows, self.slices, self.longest_ms = 1, min(FIRST_ROWS, self.max_rows), 0, 0.0
        self._pause_gc()
        if not self._paused:
            self._timer.start()

    def pause(self) -> None:
        """Build nothing until ``resume``: the GUI thread stays free for the first paint."""
        self._paused = True
        self._timer.stop()

    def resume(self) -> None:
        self._paused = False
        if self._tables:
            self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self._tables = []
        self._paused = False
        self._resume_gc()
        if self._froze:  # the closed project's records are no longer for ever
            gc.unfreeze()
            self._froze = False

    def _pause_gc(self) -> None:
        """The cycle collector is paused while the records are built (as ``core.collector.gc_paused``
        does for one whole read): else every ~25 % of growth in long-lived objects it scans them
        all, 100-300 ms at 400,000 records, in whichever slice it falls."""
        if self._gc_was_enabled is None:
            self._gc_was_enabled = gc.isenabled()
            gc.disable()

    def _resume_gc(self) -> None:
        if self._gc_was_enabled is not None:
            if self._gc_was_enabled:
                gc.enable()
            self._gc_was_enabled = None

    def finish(self) -> None:
        """Build what is left now (a test, or a caller that cannot wait)."""
        while self._tables:
            self._step()

    def _step(self) -> None:
        if not self._tables:
            self._timer.stop()
            return
        if self._outside_check is not None and self._outside_check():
            return
        records, read, last_row = self._tables[0]
        if records.loaded or self._next_row > last_row:
            self._settle(records)
            return
        t = time.perf_counter()
        if not records.index_ids(INDEX_IDS):  # the {id: record} map first, in parts
            self.slices += 1
            return
        end = min(self._next_row + self._rows - 1, last_row)
        records.fill(read(self._next_row, end))
        self._next_row = end + 1
        took = (time.perf_counter() - t) * 1000.0
        self.slices += 1
        self.longest_ms = max(self.longest_ms, took)
        # The next slice sized so that it takes about SLICE_MS at the pace of this one.
        self._rows = max(1, min(self.max_rows, int(self._rows * SLICE_MS / max(took, 0.5))))

    def _settle(self, records: LazyRecords[Any]) -> None:
        """One table is done: an id still without a record was stored where no slice looked (a
        row rewritten by another process): read it alone, or drop it if it is gone."""
        for key in records.unbuilt():
            try:
                records[key]
            except KeyError:
                records.pop(key, None)
        self._tables.pop(0)
        self._next_row = 1
        if not self._tables:
            self._timer.stop()
            self._resume_gc()
            if self._count >= FREEZE_FROM:
                # The records hold only text and numbers (never a cycle): the collector need not
                # scan them again and again (a full scan of 400,000: 100-300 ms of the GUI thread).
                gc.freeze()
                self._froze = True
            self.finished.emit()
