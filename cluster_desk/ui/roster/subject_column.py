"""The roster's "Region" column: each member's federal subject, from its coordinates.

The lookup (``cluster_desk.places.regions``: a 1° grid, numpy) runs vectorised over the members
that are new or moved, when the column is next read; results are cached by member id. The
subject index loads once (about a second) on first use. With many members waiting (a big
project's first rows shown), the index loads and every waiting member is looked up on a thread
(50-80 ms of CPU at 100,000), so a click a moment later finds the column resolved; a click
before it is done waits briefly for the rows' codes (up to ``SORT_WAITS_ROWS`` rows; a bigger
roster sorts by what is known and again when the codes come), which the thread sends first (a
Region sort needs no more: one numpy take), before its id -> subject map. A reset's members wait as three
columns (ids, lats, lons), not as a dict of 100,000 tuples: building that dict on the GUI thread
made a reset grow faster than the roster (issue 17: 0.2 s at 100,000).

Why ~485 lines: the column's lookup (now, one row, or on the thread with its codes first and its
map after a waiting sort has taken them) and the Region filter's box that lists what it found
share the one cache and its thread; the grid lookup itself is places/regions.py's.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Collection, Iterable, Sequence
from operator import attrgetter
from typing import Any

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QWidget

from cluster_desk.core.model import Member
from cluster_desk.core.soon_thread import SoonThread
from cluster_desk.places.regions import Subject, SubjectIndex, default_subjects
from cluster_desk.ui.roster.ranks import Key, codes_key

log = logging.getLogger(__name__)


#: With more members than this waiting, a read of one row looks up that row alone (opening 100k
#: members must not wait ~1 s for the whole column before the roster shows its first rows).
_ONE_BY_ONE = 5000
#: Points per lookup on the thread: its numpy steps hold the GIL ~1 ms each at this size (GEOS
#: releases it), and each part re-walks the 1° cells its points fall in: in parts of 4,000 the
#: 100,000 points of a big open took ~45 ms of CPU, of 16,384 ~28 (issue 17).
_CHUNK = 16_384
_MAP_CHUNK = 16_384  # ids put in the thread's answer map per GIL hold (a few ms)
#: How long the thread waits for the GUI thread to take the rows' codes before its map (a GUI
#: thread busy for longer is not waited for).
_CODES_WAIT_S = 0.25
#: A sort by Region clicked while the thread looks up at most this many rows waits for the rows'
#: codes on the GUI thread, at most ``_SORT_WAIT_S``: at 100,000 they come ~30-60 ms after the
#: click, and a sort by what is known, then again when they come, took 90-140 ms to sorted rows
#: (the GUI thread's paint of the first sort shared the GIL with the lookup; issue 17).
SORT_WAITS_ROWS = 300_000
_SORT_WAIT_S = 0.2


class SubjectColumn:
    """Member id -> federal subject (or None: abroad, not placed, or the data is missing)."""

    def __init__(self, lang: str = "en") -> None:
        self.lang = lang
        self._subject: dict[str, Subject | None] = {}
        #: (lat, lon) by member id, looked up together on the next read of many (a sort, a filter)
        self._pending_map: dict[str, tuple[float | None, float | None]] = {}
        #: A reset's or an opened project's (ids, a call giving their lats and lons), turned into
        #: _pending when first needed (the call may run on the thread: it reads no live state).
        self._pending_cols: tuple[Sequence[str], Callable[[], tuple[Any, Any]]] | None = None
        self._index: SubjectIndex | None = None
        self._failed = False
        self._loader: threading.Thread | None = None
        #: Bumped by every change of the points waiting (a thread's lookup of older points is
        #: then not taken), and the thread's answer: (version, ids, subjects).
        self._version = 0
        self._prefetched: tuple[int, dict[str, Subject | None], np.ndarray | None] | None = None
        #: Each row's subject code (-1: none) as the thread's lookup of a reset's or an opened
        #: project's columns found them, in the rows' order; None once anything changed since
        #: (``sort_names`` then goes by the ids).
        self._row_codes: np.ndarray | None = None
        #: The thread's codes of the rows, sent before its id -> subject map (which takes about
        #: as long again): (version, codes); a sort by Region needs only these (``sort_key``).
        self._early: tuple[int, np.ndarray] | None = None
        self._prefetch_started: int | None = None  # the version last sent to a thread (once each)
        #: Called (on the loader thread) once the index has loaded and the waiting members were
        #: looked up in the background: the model calls ``adopt`` and repaints the column. It must
        #: be safe to call from a thread and hold no QObject (``ui.thread_answers.gui_caller``).
        self.on_loaded: Callable[[], None] | None = None
        #: Called likewise (before ``on_loaded``) once the rows' codes are known (``rows_codes``).
        self.on_codes: Callable[[], None] | None = None
        self._codes_taken = threading.Event()  # set by ``codes_taken`` (the GUI thread)
        self._codes_ready = threading.Event()  # set by the thread once ``_early`` holds its codes
        #: A sort by Region waits for the rows' codes (the model sets it): the thread's map waits
        #: for ``codes_taken``.
        self.codes_awaited = False

    def _lookup_index(self) -> SubjectIndex | None:
        if self._index is None and not self._failed:
            try:
                self._index = default_subjects()
            except (OSError, ValueError, KeyError):  # a missing or damaged data file: no column
                log.warning("roster: federal subjects not available", exc_info=True)
                self._failed = True
        return self._index

    def _prefetch(self) -> None:
        """Load the index and look every waiting member up on a thread (GUI thread: a snapshot
        of what waits; the answer is taken by ``adopt`` on the GUI thread)."""
        if (self._failed or self._prefetch_started == self._version
                or (self._loader is not None and self._loader.is_alive())):
            return  # (a thread that failed is not started again for the same points)
        in_row_order = self._pending_cols is not None  # (a reset's or an open's: the rows' order)
        if self._pending_cols is not None:
            ids, points = self._pending_cols
        else:
            ids = list(self._pending_map)
            pairs = np.array(list(self._pending_map.values()), dtype=float).reshape(-1, 2)  # None: NaN
            points = lambda: (pairs[:, 0], pairs[:, 1])  # noqa: E731
        version = self._prefetch_started = self._version
        self._codes_ready.clear()

        def load() -> None:
            try:
                index = self._index = default_subjects()
            except (OSError, ValueError, KeyError):
                return  # _lookup_index says so when the column is next read
            lats, lons = points()
            lat, lon = np.asarray(lats, dtype=float), np.asarray(lons, dtype=float)
            codes: list[np.ndarray] = []
            for lo in range(0, len(lat), _CHUNK):  # the lookup holds the GIL: in parts,
                codes.append(index.codes(lat[lo:lo + _CHUNK], lon[lo:lo + _CHUNK]))
                time.sleep(0)  # and the GUI thread gets it between them (it paints meanwhile)
            row_codes = np.concatenate(codes) if codes else np.zeros(0, dtype=np.int16)
            if in_row_order and self.on_codes is not None:
                # A sort by Region waiting for this lookup sorts by these codes now (issue 17:
                # the map below took as long again as the lookup, ~25 ms at 100,000).
                self._early = (version, row_codes)
                self._codes_taken.clear()
                # Read before the codes are out: the GUI thread may take them and clear it before
                # the test below (it sets codes_taken next, on a zero timer).
                awaited = self.codes_awaited
                self._codes_ready.set()
                self.on_codes()
                if awaited or self.codes_awaited:
                    # The map below holds the GIL in C calls of a few ms each: the GUI thread
                    # gets it once per part, too seldom to take the codes, sort and paint (they
                    # waited for the whole map: ~60 ms at 100,000). They go first (``codes_taken``).
                    self._codes_taken.wait(_CODES_WAIT_S)
            # The id -> subject map made here too, in parts (each part one C call holding the
            # GIL): at a million members one dict(zip) on the GUI thread stalled it ~0.1-0.2 s.
            answers: dict[str, Subject | None] = {}
            table = index.code_table.__getitem__
            lo = 0
            for part in _id_parts(ids):  # (parts of any length: a TextColumn's block, its tail)
                answers.update(zip(part, map(table, row_codes[lo:lo + len(part)].tolist()), strict=True))
                lo += len(part)
                time.sleep(0)
            if lo != len(row_codes):
                raise ValueError(f"{len(row_codes)} points for {lo} ids")  # (as zip(strict=True) did)
            self._prefetched = (version, answers, row_codes if in_row_order else None)
            if self.on_loaded is not None:
                self.on_loaded()

        self._loader = SoonThread(target=load, daemon=True, name="subjects-index")
        self._loader.start()

    def adopt(self) -> bool:
        """Take the thread's answer (GUI thread). False when there was none or it is stale
        (points were added, moved or forgotten since): a big wait then starts a new lookup."""
        ready, self._prefetched = self._prefetched, None
        if ready is None:
            return False
        version, answers, row_codes = ready
        if version != self._version:
            if self._waiting() > _ONE_BY_ONE:
                self._prefetch()
            return False
        if self._subject:
            self._subject.update(answers)
        else:  # (the usual case after an open: nothing looked up yet)
            self._subject = answers
        self._row_codes = row_codes
        # Every point waiting was in the snapshot: since then only single rows were looked up
        # (same points, same answers) or the whole column was (the same again).
        self._pending = {}
        return True

    def update(self, members: Iterable[Member]) -> None:
        """Mark these members (new, moved or all) for a lookup; it runs, vectorised over all
        that are waiting, when the column is first read (opening a project does not wait)."""
        if not self._subject and not self._pending_map and self._pending_cols is None:
            ms = members if isinstance(members, Collection) else list(members)
            self.update_records(list(map(attrgetter("id"), ms)), ms)
            return
        self._changed()
        pending, known = self._pending, self._subject
        for m in members:
            pending[m.id] = (m.lat, m.lon)
            known.pop(m.id, None)

    def update_records(self, ids: Sequence[str], members: Collection[Member]) -> None:
        """As ``update`` for a reset: ``members`` are those of ``ids``, in the same order. With
        nothing known or waiting, their coordinates are read when first needed (by the lookup's
        thread, in C-level loops), not put in a dict now."""
        if self._subject or self._pending_map or self._pending_cols is not None:
            self.update(members)
            return
        self._changed()
        rows = list(members)  # (copies: the caller's lists may change meanwhile)
        self._pending_cols = (list(ids), lambda: (_floats(rows, "lat"), _floats(rows, "lon")))

    def update_points(self, ids: Sequence[str], lats: Iterable[float], lons: Iterable[float]) -> None:
        """As ``update`` from columns (an opened project: no records built); NaN: not placed.
        Kept as given until first needed when nothing else is pending (a project just opened)."""
        self._changed()
        if not self._pending_map and self._pending_cols is None and not self._subject:
            self._pending_cols = (ids, lambda: (lats, lons))
            return
        lat, lon = np.asarray(lats, dtype=float).tolist(), np.asarray(lons, dtype=float).tolist()
        self._pending.update(zip(ids, zip(lat, lon, strict=True), strict=True))
        if self._subject:
            for mid in ids:
                self._subject.pop(mid, None)

    def _changed(self) -> None:
        """Points added, moved or forgotten: a thread's lookup of older points is not taken, and
        the rows' codes no longer say every row's subject."""
        self._version += 1
        self._row_codes = self._early = None

    def rows_codes(self, rows: int) -> np.ndarray | None:
        """Each row's subject code (-1: none) when every one of the ``rows`` rows is known from a
        lookup of the rows in order (a reset's or an opened project's), even before the thread's
        id -> subject map has come; else None."""
        if self._prefetched is not None:
            self.adopt()
        codes = None if self._pending_map else self._row_codes
        early = self._early
        if codes is None and early is not None and early[0] == self._version:
            codes = early[1]
        return codes if codes is not None and len(codes) == rows else None

    def wait_for_codes(self, rows: int) -> np.ndarray | None:
        """``rows_codes`` once the thread looking up these rows has them, waiting on the GUI
        thread at most ``_SORT_WAIT_S`` (None: no such thread, too many rows, or not in time)."""
        loader = self._loader
        if (rows > SORT_WAITS_ROWS or loader is None or not loader.is_alive()
                or self._prefetch_started != self._version):
            return self.rows_codes(rows)
        self._codes_ready.wait(_SORT_WAIT_S)  # (the GIL is free meanwhile: the lookup runs)
        return self.rows_codes(rows)

    def codes_taken(self) -> None:
        """The GUI thread has taken the rows' codes (``on_codes``): the thread makes its id ->
        subject map now."""
        self._codes_taken.set()

    def known(self) -> bool:
        """Whether any member's subject is known yet (looked up or answered by the thread)."""
        return bool(self._subject) or self._prefetched is not None

    def sort_key(self, rows: int, wait: bool = False) -> Key | None:
        """The Region column's sort key from the rows' codes (``rows_codes``; ``wait``: a running
        lookup's, ``wait_for_codes``): the same as ``ranks.key_of`` of ``sort_names`` (-1, no
        region: the last, blank), by one numpy take (~1 ms at 100,000, not ~10 ms of a dict
        lookup per row); None when the codes are not known."""
        codes = self.wait_for_codes(rows) if wait else self.rows_codes(rows)
        index = self._index
        if codes is None or index is None:
            return None
        return codes_key(codes, [s.name(self.lang).casefold() or None for s in index.subjects] + [None])

    def _waiting(self) -> int:
        """How many members wait for a lookup (without making the columns a dict)."""
        return len(self._pending_cols[0]) if self._pending_cols is not None else len(self._pending_map)

    @property
    def _pending(self) -> dict[str, tuple[float | None, float | None]]:
        if self._pending_cols is not None:
            ids, points = self._pending_cols
            self._pending_cols = None
            lats, lons = points()
            lat, lon = np.asarray(lats, dtype=float).tolist(), np.asarray(lons, dtype=float).tolist()
            self._pending_map.update(zip(ids, zip(lat, lon, strict=True), strict=True))
        return self._pending_map

    @_pending.setter
    def _pending(self, value: dict[str, tuple[float | None, float | None]]) -> None:
        self._pending_map, self._pending_cols = value, None

    def _resolve(self, only: str | None = None) -> None:
        """Look up what is pending (or only the member ``only``)."""
        if self._pending_cols is not None and only is None:  # a reset's columns, as they are
            (ids, points), self._pending_cols = self._pending_cols, None
            lats, lons = points()
            lat, lon = np.asarray(lats, dtype=float), np.asarray(lons, dtype=float)
        else:
            if not self._pending:
                return
            if only is None:
                pending, self._pending = self._pending, {}
            else:
                pending = {only: self._pending.pop(only)}
            ids = list(pending)
            pairs = np.array(list(pending.values()), dtype=float).reshape(-1, 2)  # None: NaN
            lat, lon = pairs[:, 0], pairs[:, 1]
        index = self._lookup_index() if len(ids) else None
        table = (None,) if index is None else index.code_table  # (no index: none known)
        codes = np.full(len(ids), -1) if index is None else index.codes(lat, lon)
        found = zip(ids, map(table.__getitem__, codes.tolist()), strict=True)
        if self._subject:
            self._subject.update(found)
        else:
            self._subject = dict(found)

    def resolve_all(self) -> None:
        """Look up every member waiting, in one vectorised call (loading the index if need be):
        what a sort or filter over the whole column needs first (``subject`` of a member while
        more than ``_ONE_BY_ONE`` wait looks that one up alone). A lookup running on the thread
        is waited for, not done twice."""
        loader = self._loader
        if loader is not None and loader.is_alive() and (self._pending_cols is not None or self._pending_map):
            loader.join()
        self.adopt()
        self._resolve()

    def looking_up(self, start: bool = True) -> bool:
        """Whether many members wait for a lookup that runs (or will run) on the thread: a sort
        then takes what is known now and sorts again when the answer comes (``on_loaded``),
        rather than wait for it on the GUI thread (issue 17: a click on Region right after a
        100,000-member open waited 0.3 s). ``start`` False: the thread is not started now (the
        map paints an opened project; the model starts it once the paint is done)."""
        if self._prefetched is not None:
            self.adopt()
        if self._failed or self._waiting() <= _ONE_BY_ONE:
            return False
        if start:
            self._prefetch()
        loader = self._loader
        return not start or (loader is not None and loader.is_alive()) or self._prefetched is not None

    def sort_names(self, ids: list[str], wait: bool = True) -> list[str | None]:
        """Each member's subject name, casefolded (None: none): the column's sort values, in
        C-level loops (every subject known here is one of the index's objects: by identity).
        ``wait`` False: what is known now (a member still waiting: None).

        Right after a big open (issue 17: a click on Region then, 0.15-0.17 s to sorted rows at
        100,000): with nothing known yet every row is None at once, and once the thread has
        answered, the rows' names come from its codes (``_row_codes``: one list index per row)
        rather than from two dict look-ups per row (~40 ms each time)."""
        if wait:
            self.resolve_all()
        elif not self._subject:  # nothing looked up yet: no row's subject is known
            return [None] * len(ids)
        index = self._index
        codes = self._row_codes
        if index is not None and codes is not None and len(codes) == len(ids) and not self._pending_map:
            by_code = [s.name(self.lang).casefold() or None for s in index.subjects] + [None]  # -1: last
            return list(map(by_code.__getitem__, codes.tolist()))
        subjects = map(self._subject.get, ids)
        folded = {} if index is None else {id(s): s.name(self.lang).casefold() or None
                                           for s in index.subjects}
        return list(map(folded.get, map(id, subjects)))

    def in_subject(self, ids: Sequence[str], code: str) -> np.ndarray:
        """Whether each member's subject is the one of ``code``, in C-level loops (the Region
        filter over every row: one Python call per row took ~100 ms at 100,000), after looking
        every waiting member up (``resolve_all``)."""
        self.resolve_all()
        index = self._index
        wanted = set() if index is None else {id(s) for s in index.subjects if s.code == code}
        return np.fromiter(map(wanted.__contains__, map(id, map(self._subject.get, ids))), dtype=bool,
                           count=len(ids))

    def forget(self, ids: Iterable[str] | None = None) -> None:
        self._changed()
        if ids is None:
            self._subject = {}
            self._pending = {}
        else:
            for i in ids:
                self._subject.pop(i, None)
                self._pending.pop(i, None)

    def subject(self, member_id: str) -> Subject | None:
        if self._prefetched is not None:  # the thread's answer is in: take it first
            self.adopt()
        if self._pending_cols is not None and self._waiting() <= _ONE_BY_ONE:
            self._resolve()  # a small reset's columns: all at once
        elif member_id in self._pending:
            # A big project just opened: only the rows shown, for now (a sort reads them all).
            self._resolve(member_id if len(self._pending) > _ONE_BY_ONE else None)
        return self._subject.get(member_id)

    def name(self, member_id: str, start_lookup: bool = True) -> str:
        """``start_lookup`` False: with many waiting, a blank cell rather than the thread now
        (the caller repaints the column once it may start)."""
        if not self._failed and self._waiting() > _ONE_BY_ONE and self._prefetched is None:
            if not start_lookup:
                return ""
            # A big project just opened (or many members moved): load the index if need be
            # (~0.3 s of Python) and look them all up on a thread; the cell is blank until
            # on_loaded repaints it. (A filter, a sort or a small roster wait for the answer.)
            self._prefetch()
            if self._loader is not None and self._loader.is_alive():
                return ""
        s = self.subject(member_id)
        return s.name(self.lang) if s is not None else ""

    def present(self, resolve: bool = True) -> list[Subject]:
        """The subjects that have members, sorted by name in the UI language (``resolve`` False:
        of the members looked up so far, none waiting is looked up now)."""
        if resolve:
            self._resolve()
        seen = {s.code: s for s in self._subject.values() if s is not None}  # (~6 ms at 100,000)
        return sorted(seen.values(), key=lambda s: s.name(self.lang).casefold())


class SubjectFilterCombo(QComboBox):
    """"All regions" plus the federal subjects that have members, refreshed when it opens
    (members come and go; the list is cheap to rebuild). With many members waiting for the
    lookup (a big project just opened, many moved), it does not look them up on the GUI thread:
    the lookup runs on its thread (the one a sort by Region uses), the first item says "All
    regions…" and the pointer is busy over the box until ``regions_loaded`` refreshes it."""

    def __init__(self, column: SubjectColumn, parent: QWidget | None = None,
                 may_start: Callable[[], bool] = lambda: True) -> None:
        """``may_start()``: whether the lookup's thread may start now (not while the map
        paints an opened project: the model starts it after)."""
        super().__init__(parent)
        self.column = column
        self._may_start = may_start
        #: The list shows the subjects known so far; the lookup of the others runs on its thread.
        self.pending = False
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(12)
        self.refresh()

    def regions_loaded(self) -> None:
        """The lookup's thread has answered (the model took its answer): the list, if it waited
        (an open list is shown again, sized to its items)."""
        if not self.pending:
            return
        if self.view().isVisible():
            self.hidePopup()
            self.showPopup()
        else:
            self.refresh()

    def refresh(self) -> None:
        current = self.currentData()
        pending = self.column.looking_up(start=self._may_start())
        if pending != self.pending:
            self.pending = pending
            for widget in (self, self.view()):
                if pending:
                    widget.setCursor(Qt.CursorShape.BusyCursor)
                else:
                    widget.unsetCursor()
        self.blockSignals(True)
        self.clear()
        self.addItem(self.tr("All regions") + ("…" if pending else ""), None)
        for s in self.column.present(resolve=not pending):
            self.addItem(s.name(self.column.lang), s.code)
        i = self.findData(current) if current is not None else 0
        self.setCurrentIndex(max(0, i))
        self.blockSignals(False)
        if current is not None and i < 0:  # its last member left: the filter is off now
            self.currentIndexChanged.emit(0)

    def showPopup(self) -> None:
        self.refresh()
        super().showPopup()


def _id_parts(ids: Sequence[str]) -> Iterable[Sequence[str]]:
    """``ids`` ``_MAP_CHUNK`` at a time: an opened project's packed TextColumn split a part at a
    time (iterating it whole made every str in one call: ~0.1-0.8 s holding the GIL at a
    million members while the GUI thread waited, issue 17), a list sliced."""
    chunks = getattr(ids, "chunks", None)
    if chunks is not None:
        return chunks(_MAP_CHUNK)  # type: ignore[no-any-return]
    return (ids[lo:lo + _MAP_CHUNK] for lo in range(0, len(ids), _MAP_CHUNK))


def _floats(members: Collection[Member], field: str) -> np.ndarray:
    """One coordinate of every member as floats (None: NaN), in C-level loops."""
    return np.array(list(map(attrgetter(field), members)), dtype=float)
