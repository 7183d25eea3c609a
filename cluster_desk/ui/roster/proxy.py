"""The roster's filters and sort: a proxy that maps view rows to model rows through an index array.

QSortFilterProxyModel calls Python once per row on every filter change (1.3 s to show the members
of a check at 100,000 rows). Here a filter or sort change is a few numpy calls over the model's
column arrays (columns.py) and one layoutChanged; the view's selection and current row follow
their members (persistent indexes are moved, not dropped). A single edit stays a dataChanged for
its row unless it moves the row (its sort key changed) or hides or shows it (the filter).
With no sort and no filter the proxy holds no row arrays (its rows are the model's); else they are
int32 (a million rows: 4 MB each, issue 17).

Why ~515 lines: Qt's proxy interface (cells asked of the model by row), the filters' masks, the
sort, the persistent-index bookkeeping and the shown rows' views (ids, set, mask) all work on the
same index arrays.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal

from cluster_desk.core.id_index import rows_of
from cluster_desk.core.model import MemberKind, Status
from cluster_desk.ui.roster.columns import clean_needle
from cluster_desk.ui.roster.model import (
    COL,
    COLUMN_FLAGS,
    COLUMNS,
    KIND_CODE,
    STATUS_CODE,
    RosterModel,
    ranges,
)
from cluster_desk.ui.widgets.flat_proxy import FlatProxy, Index

#: Columns that change on their own (the centre moved, a place was looked up): their updates
#: never hide or show a row, and the lazily filled "nearest" never moves one either.
_BIG = 2000  # above this many changed rows, recompute the whole mask at once


class RosterProxy(FlatProxy):
    """Text, kind, status and "members of a check" filters and the sort, over a RosterModel."""

    columns = len(COLUMNS)

    #: A filter changed (the map fades the members it hides).
    filterChanged = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._model: RosterModel | None = None  # (sourceModel(), kept: asked for every cell)
        self._text = ""
        self._kind: MemberKind | None = None
        self._status: Status | None = None
        self._subject: str | None = None  # ISO code of a federal subject
        # The "members of a check" filter (the as-of view's participants too): the ids as given
        # (None: off), their set built on first need (an edit's row test), and optionally the
        # same ids as a mask over an id array the caller passes again and again (see set_ids).
        self._id_list: Sequence[str] | None = None
        self._id_set: frozenset[str] | None = None
        self._among: tuple[np.ndarray, np.ndarray] | None = None
        self._id_rows: np.ndarray | None = None  # the same ids' model rows, while the rows stay
        self._ids_off_map = False  # the members the id filter hides are not on the map (fade_set)
        self._universe_rows: tuple[np.ndarray, np.ndarray] | None = None  # (universe, its model rows)
        #: What the filters let through, built once per filter state and shared by the map's two
        #: fades (members, links): (the mask it was built from, ids, their set or None yet).
        self._shown_cache: tuple[np.ndarray, list[str], frozenset[str] | None] | None = None
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        # Each None when it would say nothing (no sort; no filter; neither: the model's rows).
        self._order: np.ndarray | None = None  # every source row, in sort order
        self._mask: np.ndarray | None = None  # source row -> passes the filters
        self._rows: np.ndarray | None = None  # proxy row -> source row
        self._pos: np.ndarray | None = None  # source row -> proxy row, -1 when hidden
        self._n = 0  # the source rows the arrays know
        self._saved: list[tuple[QPersistentModelIndex, int, int]] = []
        #: The sort key as last sorted by (a copy) and the model's array it came from: an edit
        #: moves its row only when its key changed, or the model had to rank the column again.
        self._key = np.zeros(0)
        self._key_source: np.ndarray | None = None

    # ----- the source ----------------------------------------------------------------------------

    def setSourceModel(self, model: Any) -> None:
        assert isinstance(model, RosterModel)
        self.beginResetModel()
        super().setSourceModel(model)
        self._model = model
        model.modelAboutToBeReset.connect(self.beginResetModel)
        model.modelReset.connect(self._source_reset)
        model.dataChanged.connect(self._source_data_changed)
        model.headerDataChanged.connect(self.headerDataChanged)
        model.rowsAboutToBeInserted.connect(self._save_persistent)
        model.rowsAboutToBeRemoved.connect(self._save_persistent)
        model.rowsInserted.connect(self._source_rows_inserted)
        model.rowsRemoved.connect(self._source_rows_removed)
        model.layoutAboutToBeChanged.connect(self._save_persistent)
        model.layoutChanged.connect(self._source_layout_changed)
        self._order = None
        self._mask = self._full_mask()
        self._arrange()
        self.endResetModel()

    def source(self) -> RosterModel:
        assert self._model is not None, "no source model yet"
        return self._model

    # ----- structure -----------------------------------------------------------------------------

    def _count(self) -> int:
        return self._n if self._rows is None else len(self._rows)

    def _source_row(self, row: int) -> int:
        """The source row of a shown row (in range)."""
        return row if self._rows is None else int(self._rows[row])

    def _shown_row(self, source_row: int) -> int:
        """Where a source row (in range) shows, -1: hidden."""
        return source_row if self._pos is None else int(self._pos[source_row])

    # ----- cells: asked of the model by row, not through mapToSource (every painted cell asks
    # ~6 roles; an index mapped and made for each was half the Python of a paint) -------------------

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row, rows, model = index.row(), self._rows, self._model  # (inline: ~3,000 calls a paint)
        if rows is None:
            if not 0 <= row < self._n:  # (an invalid index's row is -1)
                return None
        elif 0 <= row < len(rows):
            row = int(rows[row])
        else:
            return None
        return None if model is None else model.cell(row, index.column(), role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        return COLUMN_FLAGS[index.column()] if index.isValid() else Qt.ItemFlag.NoItemFlags

    def mapToSource(self, proxy_index: Index) -> QModelIndex:
        if not proxy_index.isValid() or proxy_index.row() >= self._count():
            return QModelIndex()
        return self.source().index(self._source_row(proxy_index.row()), proxy_index.column())

    def mapFromSource(self, source_index: Index) -> QModelIndex:
        if not source_index.isValid() or source_index.row() >= self._n:
            return QModelIndex()
        row = self._shown_row(source_index.row())
        return QModelIndex() if row < 0 else self.createIndex(row, source_index.column())

    # ----- filters -------------------------------------------------------------------------------

    @property
    def active(self) -> bool:
        return bool(self._text) or any(
            x is not None for x in (self._kind, self._status, self._subject, self._id_list))

    def shown_ids(self) -> list[str] | None:
        """The ids of the rows the filters let through, or None when no filter is on (built once
        per filter state: the map's member and link fades both ask)."""
        if not self.active:
            return None
        return self._shown()[1]

    def shown_set(self) -> frozenset[str] | None:
        """``shown_ids`` as a set (built once per filter state), or None when no filter is on."""
        if not self.active:
            return None
        mask, ids, as_set = self._shown()
        if as_set is None:
            as_set = frozenset(ids)
            self._shown_cache = (mask, ids, as_set)
        return as_set

    def fade_set(self) -> frozenset[str] | None:
        """What the map fades by (``shown_set``), or None when the members the filters hide are
        off the map anyway (``set_ids(..., off_map=True)`` the one filter: the as-of day's)."""
        return None if self._fades_nothing else self.shown_set()

    def fade_rows(self) -> tuple[np.ndarray, Sequence[str]] | None:
        """``shown_rows`` for the map's fade, None as ``fade_set`` says."""
        return None if self._fades_nothing else self.shown_rows()

    @property
    def _fades_nothing(self) -> bool:
        return (self._ids_off_map and not self._text
                and self._kind is None and self._status is None and self._subject is None)

    def shown_rows(self) -> tuple[np.ndarray, Sequence[str]] | None:
        """The filters' mask over the model's rows and the model's ids by row (the same list
        while its rows are), or None when no filter is on: what ``shown_set`` says, for a caller
        that maps rows once and each mask after in numpy (the links' fade at a date step)."""
        if not self.active:
            return None
        mask = self._mask
        assert mask is not None
        return mask, self.source()._ids

    def _shown(self) -> tuple[np.ndarray, list[str], frozenset[str] | None]:
        cache = self._shown_cache
        mask = self._mask
        assert mask is not None  # (asked only while a filter is on)
        if cache is None or cache[0] is not mask:  # a change of the filters or rows: a new mask
            ids = self.source()._ids
            cache = self._shown_cache = (mask, [ids[r] for r in np.flatnonzero(mask).tolist()], None)
        return cache

    def set_text(self, text: str) -> None:
        self._refilter(text=clean_needle(text))

    def set_kind(self, kind: MemberKind | None) -> None:
        self._refilter(kind=kind)

    def set_status(self, status: Status | None) -> None:
        self._refilter(status=status)

    def set_subject(self, code: str | None) -> None:
        self._refilter(subject=code or None)

    def set_ids(self, ids: Iterable[str] | None, among: tuple[np.ndarray, np.ndarray] | None = None,
                off_map: bool = False, rows: np.ndarray | None = None) -> None:
        """Show only these members (None: no such filter). ``among`` = (universe, mask) names the
        same ids as ``universe[mask]``, where ``universe`` is an id array the caller keeps and
        passes again (the as-of view's, one per state of the project): its model rows are looked
        up once, and each later call is a vectorised pass instead of 100,000 lookups.
        ``off_map``: the members these leave out are off the map (the as-of day's): nothing to fade.
        ``rows``: the model rows of these ids (the caller looked them up already: a check card's
        members, ui/assessment/check_marks.py), used until the model's rows change."""
        id_list = None if ids is None else ids if isinstance(ids, list | tuple) else list(ids)
        if among is not None and (id_list is None or len(among[0]) != len(among[1])):
            among = None
        if rows is not None and (id_list is None or len(rows) != len(id_list)):
            rows = None
        self._refilter(id_list=id_list, id_set=None, among=among, ids_off_map=off_map and id_list is not None,
                       id_rows=rows)

    @property
    def id_filter(self) -> frozenset[str] | None:
        return self._ids

    @property
    def has_id_filter(self) -> bool:
        return self._id_list is not None

    @property
    def _ids(self) -> frozenset[str] | None:
        if self._id_set is None and self._id_list is not None:
            self._id_set = frozenset(self._id_list)
        return self._id_set

    def _refilter(self, **state: Any) -> None:
        for key, value in state.items():
            setattr(self, f"_{key}", value)
        self._relayout(lambda: setattr(self, "_mask", self._full_mask()))
        self.filterChanged.emit()

    def _full_mask(self) -> np.ndarray | None:
        """What the filters let through (None: no filter on)."""
        if not self.active:
            return None
        model = self.source()
        n = model.rowCount()
        mask = np.ones(n, dtype=bool)
        if n == 0:
            return mask
        if self._kind is not None or self._status is not None:
            kinds, statuses = model.columns.codes()
            if self._kind is not None:
                mask &= kinds == KIND_CODE[self._kind]
            if self._status is not None:
                mask &= statuses == STATUS_CODE[self._status]
        if self._id_list is not None:
            if self._id_rows is not None:
                rows = self._id_rows
            elif self._among is not None:
                universe, part = self._among
                rows = self._rows_of(model, universe)[part]
            else:  # one pass: 100,000 ids (a check's members)
                rows = rows_of(model._row, self._id_list)
            in_ids = np.zeros(n, dtype=bool)
            in_ids[rows[rows >= 0]] = True
            mask &= in_ids
        if self._subject is not None:  # (every region looked up at once, compared in C-level loops)
            mask &= model.subjects.in_subject(model._ids, self._subject)
        if self._text:
            mask &= model.columns.text_mask(self._text)
        return mask

    def _rows_of(self, model: RosterModel, universe: np.ndarray) -> np.ndarray:
        """The model row of each id of ``universe`` (-1: none), kept while the rows stay."""
        cache = self._universe_rows
        if cache is None or cache[0] is not universe:
            # In the model's own order (the as-of arrays after edits follow it as the roster
            # does) the rows are taken as they are: no lookup, ~45 ms of the GUI thread at
            # 100,000. Else all at once: above 250,000 members the map is an IdRows, whose lookup
            # one by one took ~5 s for a million on the first day shown as of a date (issue 17).
            ids = universe.tolist()
            rows = np.arange(len(ids), dtype=np.int64) if ids == model._ids else rows_of(model._row, ids)
            cache = self._universe_rows = (universe, rows)
        return cache[1]

    def _filtered_columns(self) -> set[int]:
        """Columns whose values the filters on now read (the id filter reads none: a change of
        the as-of view's Status column alone need not filter 100,000 rows again)."""
        cols: set[int] = set()
        if self._text:  # the haystack: name, sector, INN (and address, notes: edits send whole rows)
            cols |= {COL["name"], COL["sector"], COL["inn"]}
        if self._kind is not None:
            cols.add(COL["kind"])
        if self._status is not None:
            cols.add(COL["status"])
        if self._subject is not None:
            cols |= {COL["region"], COL["lat"], COL["lon"]}
        return cols

    def _in_subject(self, model: RosterModel, member_id: str) -> bool:
        subject = model.subjects.subject(member_id)
        return subject is not None and subject.code == self._subject

    def _row_mask(self, rows: list[int]) -> np.ndarray:
        """The filters for a few rows (after an edit), without building the text haystack anew."""
        model = self.source()
        if not self.active:
            return np.ones(len(rows), dtype=bool)
        kind = -1 if self._kind is None else KIND_CODE[self._kind]
        status = -1 if self._status is None else STATUS_CODE[self._status]
        members = [model.member_at(r) for r in rows]
        return np.array([
            kind in (-1, KIND_CODE[m.kind]) and status in (-1, STATUS_CODE.get(model.shown_status(m), -2))
            and (self._ids is None or m.id in self._ids)
            and (self._subject is None or self._in_subject(model, m.id))
            and (not self._text or self._text in model.haystack(m))
            for m in members], dtype=bool)

    # ----- sorting -------------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not (-1 <= column < len(COLUMNS)):
            return
        self._sort_column, self._sort_order = column, order
        self._relayout(self._resort)

    def sortColumn(self) -> int:
        return self._sort_column

    def sortOrder(self) -> Qt.SortOrder:
        return self._sort_order

    def _resort(self) -> None:
        model = self.source()
        n = model.rowCount()
        if self._sort_column < 0 or n == 0:
            self._order = None
            self._key_source = None
            return
        column = COLUMNS[self._sort_column]
        key = model.columns.key(column)
        self._key_source, self._key = key, key.copy()
        descending = self._sort_order == Qt.SortOrder.DescendingOrder
        ranked = model.columns.sorted_rows(column)
        if ranked is not None and len(ranked) == n:  # the column's own rank order: no sort
            order = descending_of(ranked, key) if descending else ranked.copy()
        else:
            order = stable_order(-key if descending else key)
        self._order = order.astype(_index_type(n), copy=False)

    def _key_moved(self, lo: int, hi: int) -> bool:
        key = self.source().columns.key(COLUMNS[self._sort_column])
        if key is not self._key_source or len(key) != len(self._key):
            return True
        old, new = self._key[lo:hi + 1], key[lo:hi + 1]
        return not np.array_equal(old, new, equal_nan=True)

    # ----- the shown rows ------------------------------------------------------------------------

    def _arrange(self) -> None:
        """Shown rows from the order and the mask (and the inverse map); none with neither."""
        n = self._n = self.source().rowCount()
        order, mask = self._order, self._mask
        if order is None and mask is None:
            self._rows = self._pos = None
            return
        kind = _index_type(n)
        if order is None:
            assert mask is not None
            self._rows = np.flatnonzero(mask).astype(kind)
        else:
            self._rows = order if mask is None else order[mask[order]]
        self._pos = np.full(n, -1, dtype=kind)
        self._pos[self._rows] = np.arange(len(self._rows), dtype=kind)

    def _save_persistent(self, *_args: Any) -> None:
        """Before the rows change: where every persistent index points, in source rows."""
        self.layoutAboutToBeChanged.emit()
        count = self._count()
        self._saved = [(QPersistentModelIndex(i), self._source_row(i.row()), i.column())
                       for i in self.persistentIndexList() if i.row() < count]

    def _restore_persistent(self, source_row: Any) -> None:
        """After: move each persistent index to its source row's new place (or drop it)."""
        old, new = [], []
        for index, src, col in self._saved:
            row = source_row(src)
            shown = self._shown_row(row) if 0 <= row < self._n else -1
            old.append(QModelIndex(index))
            new.append(self.createIndex(shown, col) if shown >= 0 else QModelIndex())
        self._saved = []
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    def _relayout(self, change: Any) -> None:
        self._save_persistent()
        change()
        self._arrange()
        self._restore_persistent(lambda src: src)

    # ----- following the source ------------------------------------------------------------------

    def _source_reset(self) -> None:
        self._universe_rows = self._id_rows = None  # the rows moved
        self._order = None
        self._mask = self._full_mask()
        self._resort()
        self._arrange()
        self.endResetModel()

    def _source_layout_changed(self, *_args: Any) -> None:  # the model never reorders; be safe
        self._universe_rows = self._id_rows = None  # the rows moved
        self._mask = self._full_mask()
        self._resort()
        self._arrange()
        self._saved = []
        self.layoutChanged.emit()

    def _source_rows_inserted(self, _parent: Index, first: int, last: int) -> None:
        self._universe_rows = self._id_rows = None  # the rows moved
        count = last - first + 1
        if self._order is not None:
            kind = _index_type(self.source().rowCount())
            order = self._order.astype(kind)  # (a copy)
            order[order >= first] += count
            new = np.arange(first, last + 1, dtype=kind)
            self._order = np.concatenate([order, new])  # new rows show last, as they were added
        if self._mask is not None:
            self._mask = np.insert(self._mask, first, self._row_mask(list(range(first, last + 1))))
        self._arrange()
        self._restore_persistent(lambda src: src + count if src >= first else src)

    def _source_rows_removed(self, _parent: Index, first: int, last: int) -> None:
        self._universe_rows = self._id_rows = None  # the rows moved
        count = last - first + 1
        if self._order is not None:
            order = self._order[(self._order < first) | (self._order > last)]
            order[order > last] -= count
            self._order = order
        if self._mask is not None:
            self._mask = np.delete(self._mask, np.s_[first:last + 1])
        self._arrange()
        self._restore_persistent(
            lambda src: -1 if first <= src <= last else (src - count if src > last else src))

    def _source_data_changed(self, top_left: QModelIndex, bottom_right: QModelIndex,
                             roles: Any = None) -> None:
        lo, hi = top_left.row(), bottom_right.row()
        c0, c1 = top_left.column(), bottom_right.column()
        rows = range(lo, hi + 1)  # (not a list: a whole column of a million rows changes at once)
        refilter = self.active and bool(set(range(c0, c1 + 1)) & self._filtered_columns())
        moved = (c0 <= self._sort_column <= c1 and self._sort_column != COL["nearest"]
                 and self._key_moved(lo, hi))
        mask_changed = False
        if refilter:
            assert self._mask is not None  # (a filter is on)
            if len(rows) > _BIG:
                new_mask = self._full_mask()
                mask_changed = not np.array_equal(new_mask, self._mask)
            else:
                part = self._row_mask(list(rows))
                mask_changed = not np.array_equal(part, self._mask[lo:hi + 1])
                new_mask = self._mask.copy()
                new_mask[lo:hi + 1] = part
            if mask_changed:
                self._mask = new_mask
        if moved or mask_changed:
            self._relayout(self._resort if moved else (lambda: None))
            return
        if len(rows) > _BIG:
            if self._count():
                self.dataChanged.emit(self.index(0, c0), self.index(self._count() - 1, c1),
                                      roles or [])
            return
        shown = rows if self._pos is None else [p for p in self._pos[lo:hi + 1].tolist() if p >= 0]
        for a, b in ranges(shown):
            self.dataChanged.emit(self.index(a, c0), self.index(b, c1), roles or [])


def _index_type(n: int) -> type[np.signedinteger[Any]]:
    """Row numbers of a table of ``n`` rows: int32 (half of int64's memory) while they fit."""
    return np.int32 if n < 2**31 else np.int64


def stable_order(key: np.ndarray) -> np.ndarray:
    """The rows by ``key``, ties in row order, NaN (blank) last (also of a negated key)."""
    return np.argsort(key, kind="stable")


def descending_of(ascending: np.ndarray, key: np.ndarray) -> np.ndarray:
    """``stable_order(-key)`` from ``ascending`` (``stable_order(key)``) in linear time: the runs
    of equal keys in reverse, each run's rows kept in row order, the blanks (NaN, at the end of
    both) where they were."""
    filled = len(ascending) - int(np.count_nonzero(np.isnan(key)))
    rows, ks = ascending[:filled], key[ascending[:filled]]
    starts = np.flatnonzero(np.concatenate(([True], ks[1:] != ks[:-1]))) if filled else rows[:0]
    sizes = np.diff(np.append(starts, filled))
    starts, sizes = starts[::-1], sizes[::-1]  # the runs, highest key first
    begin = np.repeat(np.cumsum(sizes) - sizes, sizes)  # each place's run's first place
    at = np.repeat(starts, sizes) + (np.arange(filled) - begin)
    return np.concatenate((rows[at], ascending[filled:]))
