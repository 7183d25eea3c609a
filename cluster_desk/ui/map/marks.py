"""A check's marks on the map as rows of the page's members, not ids (issue 17).

The page numbers its members by the rows of the last full member set it was sent (an open's
blob, or the JSON columns of a reset or a reload) and knows each row's id (map.js ``rowIds``).
A check card clicked at 100,000 members highlights ~80,000 of them and fades the rest: sent as
ids, that was ~1.3 MB of JSON built, encoded and parsed twice, and three lookups of every id.
As rows it is one int32 per highlighted member (the check's order: highlighted members are drawn
on top in it) and one bit per row for the fade, made in numpy from the roster's rows; members
with no row (added or placed since) still go by id.

``PageRows``: that numbering as MapView keeps it. ``RosterRows``: the roster model's rows as page
rows, made once per state of the model and of the page's rows (the model's signals drop it).
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import Any

import numpy as np
from PySide6.QtCore import QObject

from cluster_desk.core.id_index import RowMap, row_map, rows_of
from cluster_desk.core.tables import MemberColumns


class PageRows:
    """The page's member rows: those of the members message ``seq``, ``count`` of them, either
    rows ``keep`` of an open's columns ``cols`` (all of them when None), or the ids sent."""

    def __init__(self, seq: int, count: int, *, cols: MemberColumns | None = None,
                 keep: np.ndarray | None = None, ids: Sequence[str] | None = None) -> None:
        self.seq, self.count, self._cols, self._keep = seq, count, cols, keep
        self._ids = ids
        self._index: RowMap | None = None
        self._inverse: np.ndarray | None = None  # column row -> page row (-1: not sent)

    @property
    def ids(self) -> Sequence[str]:
        """Each row's member id."""
        if self._ids is None:
            assert self._cols is not None
            ids = self._cols.ids
            keep = self._keep
            if keep is not None and len(keep) > 1:  # (one C-level pass)
                self._ids = list(operator.itemgetter(*keep.tolist())(ids))
            else:
                self._ids = ids if keep is None else [ids[int(r)] for r in keep]
        return self._ids

    def _column_rows(self) -> np.ndarray:
        if self._inverse is None:
            assert self._cols is not None
            inverse = np.full(len(self._cols) + 1, -1, dtype=np.int32)  # (a last -1 for "none")
            rows = np.arange(self.count, dtype=np.int32)
            inverse[rows if self._keep is None else self._keep] = rows
            self._inverse = inverse
        return self._inverse

    def of(self, ids: list[str]) -> np.ndarray:
        """The page row of each of ``ids`` (int32; -1: none): no lookup when they are the open's
        columns' ids as they were (the roster model's rows until its first change)."""
        cols = self._cols
        if cols is not None:
            inverse = self._column_rows()
            if ids is cols.ids or (len(ids) == len(cols) and ids == cols.ids):
                return inverse[:-1].copy()
            rows: np.ndarray = inverse[rows_of(cols.index, ids)]  # (-1 indexes the last: none)
            return rows
        if self._index is None:
            self._index = row_map(list(self.ids))
        return rows_of(self._index, ids).astype(np.int32)

    def row_of(self, member_id: str) -> int:
        """The page row of one member (-1: none)."""
        return int(self.of([member_id])[0])


class RosterRows(QObject):
    """The roster model's rows as rows of the map's page (-1: no such row), made on first need
    and kept until the model's rows or the page's change."""

    def __init__(self, model: Any, map_view: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model, self.map = model, map_view
        self._made: tuple[PageRows, np.ndarray] | None = None
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved, model.layoutChanged):
            signal.connect(self.forget)

    def forget(self, *_args: Any) -> None:
        self._made = None

    def rows(self) -> tuple[PageRows, np.ndarray] | None:
        """The page's rows and each model row's page row, or None when the page has none."""
        page = self.map.page_rows
        if page is None:
            return None
        made = self._made
        if made is None or made[0] is not page:
            made = self._made = (page, page.of(self.model._ids))
        return made
