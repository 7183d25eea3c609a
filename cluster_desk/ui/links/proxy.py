"""The links table's filters and sort: a proxy mapping view rows to model rows through an array.

QSortFilterProxyModel called Python once per row when the table was first shown (300,000 links:
0.4-0.9 s of the GUI thread, issue 17), and its sort called ``data`` twice per comparison (some
eleven million calls at 300,000 links). Here, with no filter and no sort, view row = model row:
showing the table costs nothing per row. A filter or a sort of an opened project is made from
its columns on a worker (opened_order.py: 300,000 links, ~15-150 ms until shown, where the
records took 2.8-7 s); one member's links, or a project the columns cannot say (a reset since
the open), walk the rows once (one predicate and one key per row) after the records are built a
slice at a time between frames (``session.when_records_built``). The view shows the rows as they
were until then, under a busy pointer (``pendingChanged``). Edits while filtered or sorted: a new
link shows last if it passes, an edited one is tested again and stays where it is (as in the
roster), a deleted one goes.

Why ~465 lines: Qt's proxy interface (cells asked of the model by row), the persistent-index
bookkeeping that keeps the view's selection on its links, and the two ways of arranging (from the
columns, slice by slice from the records) all work on the same two arrays.
"""

from __future__ import annotations

import time
from collections.abc import Generator
from typing import Any

import numpy as np
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal

from cluster_desk.core.model import LinkKind
from cluster_desk.ui.links.model import _DATE, COLUMN_FLAGS, COLUMNS, LinksModel
from cluster_desk.ui.links.text_order import KEY_CHARS, order_of
from cluster_desk.ui.thread_answers import run_off_gui
from cluster_desk.ui.widgets.flat_proxy import FlatProxy, Index

_BIG = 2000  # a data change over more rows than this (a member renamed): no filter test per row
SLICE_S = 0.006  # GUI time per slice of an arrangement (a frame is ~16 ms)
CHUNK = 500  # rows tested or keyed between two looks at the clock
#: Slices of an arrangement; its value: (generation, rows, sort keys or None, the whole text of
#: each key that was cut, by its position in the keys).
Arrangement = Generator[None, None, tuple[int, np.ndarray, np.ndarray | None, dict[int, str]]]


class LinksProxy(FlatProxy):
    """Kind, a member name fragment, links active on a date, one member's links; the sort."""

    columns = len(COLUMNS)

    #: The shown rows were arranged again (a filter or sort applied: the count may change).
    arranged = Signal()
    #: A new arrangement is being made (True) or is done or dropped (False): the panel shows a
    #: busy pointer over the rows meanwhile.
    pendingChanged = Signal(bool)

    def __init__(self, parent: Any = None) -> None:
        self._model: LinksModel | None = None  # (before the base class may ask for the source)
        super().__init__(parent)
        self.kind: LinkKind | None = None
        self.text = ""
        self.day = ""
        self.member: str | None = None  # only the links of this member
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        #: proxy row -> source row, and source row -> proxy row (-1: hidden); None: identity.
        self._rows: np.ndarray | None = None
        self._pos: np.ndarray | None = None
        self._waiting = False  # a new arrangement is being made (the records, then slices)
        self._job: Arrangement | None = None  # its slices (see _arrangement)
        self._generation = 0  # bumped by each change of filters, sort or rows
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._step)
        self._saved: list[tuple[QPersistentModelIndex, int, int]] = []
        self._links: list[tuple[Any, Any]] = []  # (source signal, slot) while attached

    # ----- the source ----------------------------------------------------------------------------

    def setSourceModel(self, model: Any) -> None:
        self.beginResetModel()
        for signal, slot in self._links:
            signal.disconnect(slot)
        self._links = []
        super().setSourceModel(model)
        self._model = model  # (sourceModel(), kept: asked for every cell)
        if model is not None:
            assert isinstance(model, LinksModel)
            self._links = [
                (model.modelAboutToBeReset, self.beginResetModel),
                (model.modelReset, self._source_reset),
                (model.dataChanged, self._source_data_changed),
                (model.headerDataChanged, self.headerDataChanged),
                (model.rowsAboutToBeInserted, self._before_insert),
                (model.rowsInserted, self._source_rows_inserted),
                (model.rowsAboutToBeRemoved, self._before_remove),
                (model.rowsRemoved, self._source_rows_removed),
            ]
            for signal, slot in self._links:
                signal.connect(slot)
        self._rows = self._pos = None
        self.endResetModel()
        if model is not None:
            self._rearrange()

    def source(self) -> LinksModel | None:
        return self._model

    @property
    def active(self) -> bool:
        """A filter or a sort is on (else view row = model row)."""
        return self.filtering or self._sort_column >= 0

    @property
    def filtering(self) -> bool:
        return bool(self.kind is not None or self.member is not None or self.day or self.text)

    @property
    def pending(self) -> bool:
        """A filter or sort waits for the records (the rows are shown as they are meanwhile)."""
        return self._waiting

    # ----- structure -----------------------------------------------------------------------------

    def _count(self) -> int:
        model = self.source()
        if model is None:
            return 0
        return model.rowCount() if self._rows is None else len(self._rows)

    def _source_row(self, row: int) -> int:
        return row if self._rows is None else int(self._rows[row])

    def _proxy_row(self, source_row: int) -> int:
        if self._pos is None:
            return source_row
        return int(self._pos[source_row]) if 0 <= source_row < len(self._pos) else -1

    # ----- cells: asked of the model by row, not through mapToSource (as the roster's) ----------

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        model, row, rows = self.source(), index.row(), self._rows
        if model is None or row < 0:  # (an invalid index's row is -1)
            return None
        if rows is not None:
            if row >= len(rows):
                return None
            row = int(rows[row])
        elif row >= model.rowCount():
            return None
        return model.cell(row, index.column(), role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if index.isValid() and self._model is not None:
            return COLUMN_FLAGS[index.column()]
        return super().flags(index)

    def mapToSource(self, proxy_index: Index) -> QModelIndex:
        model = self.source()
        if model is None or not proxy_index.isValid() or proxy_index.row() >= self._count():
            return QModelIndex()
        return model.index(self._source_row(proxy_index.row()), proxy_index.column())

    def mapFromSource(self, source_index: Index) -> QModelIndex:
        if not source_index.isValid():
            return QModelIndex()
        row = self._proxy_row(source_index.row())
        if row < 0 or row >= self._count():
            return QModelIndex()
        return self.createIndex(row, source_index.column())

    # ----- filters and sort ----------------------------------------------------------------------

    def set_filter(self, *, kind: LinkKind | None = None, text: str = "", day: str = "",
                   member: str | None = None) -> None:
        self.kind, self.text, self.day, self.member = kind, text.strip().casefold(), day.strip(), member
        self._rearrange()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not (-1 <= column < len(COLUMNS)):
            return
        if (column, order) == (self._sort_column, self._sort_order):
            return
        self._sort_column, self._sort_order = column, order
        self._rearrange()

    def sortColumn(self) -> int:
        return self._sort_column

    def sortOrder(self) -> Qt.SortOrder:
        return self._sort_order

    def accepts(self, model: LinksModel, row: int) -> bool:
        """Does the model's ``row`` pass the filters (builds its record)."""
        link = model.link_at(row)
        if link is None:
            return False
        if self.kind is not None and link.kind != self.kind:
            return False
        if self.member is not None and self.member not in (link.source, link.target):
            return False
        if self.day and _DATE.match(self.day) and not link.active_on(self.day):
            return False
        if self.text:
            names = f"{model._name(link.source)} {model._name(link.target)} {link.contract} {link.notes}"
            if self.text not in names.casefold():
                return False
        return True

    def _rearrange(self) -> None:
        """A filter or the sort changed: the rows shown so far stay until the new arrangement is
        made, a slice at a time between frames (with no filter or sort: now, the identity)."""
        if self.source() is None:
            return
        self._generation += 1
        if not self.active:
            self._stop_job()
            if self._rows is not None:
                self._apply(None)
            else:
                self.arranged.emit()
            return
        self._start_job()

    def _start_job(self) -> None:
        """Arrange anew: once every record is built (the session builds them between frames),
        one predicate and one key per row in slices of SLICE_S, the sort of the keys on a worker
        (numpy sorts without the GIL), then the new rows in one layout change."""
        model = self.source()
        self._stop_job()
        if model is None:
            return
        self._wait(True)
        # Nothing changed since the open: made from its columns on a worker (opened_order.py).
        made = model.opened_order() if self.member is None else None
        if made is not None:
            arranger, edits = made
            generation, kind, text = self._generation, self.kind, self.text
            day = self.day if _DATE.match(self.day) else ""
            column = COLUMNS[self._sort_column] if self._sort_column >= 0 else None
            descending = self._sort_order == Qt.SortOrder.DescendingOrder
            run_off_gui(self, lambda: arranger.arrange(edits, kind, text, day, column, descending),
                        lambda rows: self._arranged_from_columns(generation, rows),
                        lambda _error: self._arranged_from_columns(generation, None, arranger),
                        name="cd-links-arrange")
            return
        # One member's links are looked up, not found by a walk over every row: no need to wait
        # for every record (a member selected right after an open at 300,000 links).
        if self.member is None and not model.session.when_records_built(self._records_ready):
            return  # the records first
        self._job = self._arrangement(model, self._generation)
        self._timer.start()

    def _arranged_from_columns(self, generation: int, rows: np.ndarray | None, failed: Any = None) -> None:
        if failed is not None:  # (an error on the worker: the records from now on)
            failed.failed = True
        if generation != self._generation or not self._waiting or self._job is not None:
            return  # filters, sort or rows changed meanwhile: a newer arrangement is on its way
        if rows is None:  # (the file changed meanwhile, or the columns cannot say): the records
            self._start_job()
            return
        self._made(generation, rows)

    def _wait(self, waiting: bool) -> None:
        if waiting != self._waiting:
            self._waiting = waiting
            self.pendingChanged.emit(waiting)

    def _stop_job(self) -> None:
        self._job = None
        self._timer.stop()
        self._wait(False)

    def _records_ready(self) -> None:
        if self._waiting and self._job is None:
            self._start_job()

    def _step(self) -> None:
        job = self._job
        if job is None:
            self._timer.stop()
            return
        end = time.perf_counter() + SLICE_S
        try:
            while time.perf_counter() < end:
                next(job)
        except StopIteration as made:
            self._timer.stop()
            self._job = None
            generation, rows, keys, cut = made.value
            if keys is None:
                self._made(generation, rows)
            else:
                descending = self._sort_order == Qt.SortOrder.DescendingOrder
                run_off_gui(self, lambda: rows[order_of(keys, descending, cut)],
                            lambda arranged: self._made(generation, arranged), name="cd-links-sort")

    def _made(self, generation: int, rows: np.ndarray) -> None:
        if generation != self._generation or self._job is not None:
            return  # filters, sort or rows changed meanwhile: a newer arrangement is on its way
        if not self.active:
            return
        self._wait(False)
        self._apply(rows)

    def _apply(self, rows: np.ndarray | None) -> None:
        """Show ``rows`` (None: every row as it is), the view's selection following its links."""
        self._save_persistent()
        model = self.source()
        self._rows = rows
        if rows is None or model is None:
            self._rows = self._pos = None
        else:
            self._pos = np.full(model.rowCount(), -1, dtype=np.int64)
            self._pos[rows] = np.arange(len(rows), dtype=np.int64)
        self._restore_persistent(lambda src: src)
        self.arranged.emit()

    def _arrangement(self, model: LinksModel, generation: int) -> Arrangement:
        """The shown rows (and their sort keys), a slice per ``next``; the generator's value is
        (generation, rows, keys or None, the whole text of the keys cut)."""
        n = model.rowCount()
        if self.member is not None:  # its links' rows, in table order, then the other filters
            found = (model.row_of(link.id) for link in model.session.links_of(self.member))
            rows = np.array(sorted(r for r in found if r is not None and self.accepts(model, r)),
                            dtype=np.int64)
            yield
        elif self.filtering:
            kept: list[int] = []
            for lo in range(0, n, CHUNK):
                kept.extend(r for r in range(lo, min(n, lo + CHUNK)) if self.accepts(model, r))
                yield
            rows = np.array(kept, dtype=np.int64)
        else:
            rows = np.arange(n, dtype=np.int64)
        cut: dict[int, str] = {}
        if self._sort_column < 0:
            return generation, rows, None, cut
        column = self._sort_column
        numeric = COLUMNS[column] == "volume"
        parts = []
        listed = rows.tolist()
        for lo in range(0, len(listed), CHUNK):
            keys = [model.sort_key(r, column) for r in listed[lo:lo + CHUNK]]
            if numeric:
                parts.append(np.array(keys, dtype=np.float64))
            else:
                texts = [k or "" for k in keys]
                if texts and max(map(len, texts)) > KEY_CHARS:  # (rare: long names, notes)
                    cut.update((lo + j, t) for j, t in enumerate(texts) if len(t) > KEY_CHARS)
                    texts = [t[:KEY_CHARS] for t in texts]
                parts.append(np.array(texts, dtype=str))
            yield
        return generation, rows, (np.concatenate(parts) if parts else np.zeros(0)), cut

    # ----- persistent indexes (the view's selection and current row follow their links) ---------

    def _save_persistent(self) -> None:
        self.layoutAboutToBeChanged.emit()
        self._saved = [(QPersistentModelIndex(i), self._source_row(i.row()), i.column())
                       for i in self.persistentIndexList() if 0 <= i.row() < self._count()]

    def _restore_persistent(self, source_row: Any) -> None:
        old, new = [], []
        for index, src, col in self._saved:
            row = source_row(src)
            old.append(QModelIndex(index))
            at = self._proxy_row(row) if row >= 0 else -1
            new.append(self.createIndex(at, col) if 0 <= at < self._count() else QModelIndex())
        self._saved = []
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    # ----- following the source ------------------------------------------------------------------

    def _source_reset(self) -> None:
        self._rows = self._pos = None
        self.endResetModel()
        self._rearrange()  # (every row as it is meanwhile)

    def _before_insert(self, _parent: Index, first: int, last: int) -> None:
        if self._rows is None:  # identity: the same rows, as they come
            self.beginInsertRows(QModelIndex(), first, last)
        else:
            self._save_persistent()

    def _before_remove(self, _parent: Index, first: int, last: int) -> None:
        if self._rows is None:
            self.beginRemoveRows(QModelIndex(), first, last)
        else:
            self._save_persistent()

    def _source_rows_inserted(self, _parent: Index, first: int, last: int) -> None:
        if self._job is not None or self._waiting:
            self._generation += 1  # a slice-by-slice arrangement in making: it starts over
            QTimer.singleShot(0, self, self._restart)
        count = last - first + 1
        if self._rows is None:
            self.endInsertRows()
            return
        model = self.source()
        assert model is not None and self._pos is not None
        rows = self._rows.copy()
        rows[rows >= first] += count
        new = [r for r in range(first, last + 1) if not self.filtering or self.accepts(model, r)]
        self._rows = np.concatenate([rows, np.array(new, dtype=np.int64)])  # new links show last
        self._pos = np.full(model.rowCount(), -1, dtype=np.int64)
        self._pos[self._rows] = np.arange(len(self._rows), dtype=np.int64)
        self._restore_persistent(lambda src: src + count if src >= first else src)
        self.arranged.emit()

    def _source_rows_removed(self, _parent: Index, first: int, last: int) -> None:
        if self._job is not None or self._waiting:
            self._generation += 1
            QTimer.singleShot(0, self, self._restart)
        count = last - first + 1
        if self._rows is None:
            self.endRemoveRows()
            return
        model = self.source()
        assert model is not None
        rows = self._rows[(self._rows < first) | (self._rows > last)]
        rows[rows > last] -= count
        self._rows = rows
        self._pos = np.full(model.rowCount(), -1, dtype=np.int64)
        self._pos[rows] = np.arange(len(rows), dtype=np.int64)
        self._restore_persistent(
            lambda src: -1 if first <= src <= last else (src - count if src > last else src))
        self.arranged.emit()

    def _restart(self) -> None:
        if self.active and (self._job is not None or self._waiting):
            self._generation += 1
            self._start_job()

    def _source_data_changed(self, top_left: QModelIndex, bottom_right: QModelIndex,
                             roles: Any = None) -> None:
        if self._job is not None or self._waiting:
            self._generation += 1
            QTimer.singleShot(0, self, self._restart)
        lo, hi = top_left.row(), bottom_right.row()
        c0, c1 = top_left.column(), bottom_right.column()
        if self._rows is None:
            self.dataChanged.emit(self.index(lo, c0), self.index(hi, c1), roles or [])
            return
        model = self.source()
        assert model is not None and self._pos is not None
        if self.filtering and hi - lo < _BIG:  # an edited link: shown or hidden by its new values
            shown = self._pos[lo:hi + 1] >= 0
            passes = np.array([self.accepts(model, r) for r in range(lo, hi + 1)], dtype=bool)
            if not np.array_equal(shown, passes):
                self._save_persistent()
                keep = np.ones(model.rowCount(), dtype=bool)
                keep[lo:hi + 1] = passes
                rows = self._rows[keep[self._rows]]
                added = np.flatnonzero(passes & ~shown) + lo
                self._rows = np.concatenate([rows, added.astype(np.int64)])
                self._pos = np.full(model.rowCount(), -1, dtype=np.int64)
                self._pos[self._rows] = np.arange(len(self._rows), dtype=np.int64)
                self._restore_persistent(lambda src: src)
                self.arranged.emit()
                return
        if len(self._rows):
            shown_rows = self._pos[lo:hi + 1]
            shown_rows = shown_rows[shown_rows >= 0]
            if len(shown_rows):
                self.dataChanged.emit(self.index(int(shown_rows.min()), c0),
                                      self.index(int(shown_rows.max()), c1), roles or [])

