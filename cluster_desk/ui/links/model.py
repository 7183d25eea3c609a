"""The links table: a thin model over the session's links (row = link id), edits as commands,
and a filter proxy (kind, member name, active on a date)."""

from __future__ import annotations

import bisect
import dataclasses
import math
import re
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from cluster_desk.core.model import DIRECTED_KINDS, Link, LinkKind
from cluster_desk.core.tables import TextColumn
from cluster_desk.ui.links.commands import EditLink
from cluster_desk.ui.links.labels import link_kind_labels
from cluster_desk.ui.project.session import ChangeSet, ProjectSession

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("source", "target", "kind", "start", "end", "volume", "contract", "notes")
EDITABLE = frozenset({"kind", "start", "end", "volume", "contract", "notes"})
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
#: Rows removed before the id -> row index is rebuilt (each removal costs a sorted insert).
MAX_GONE_ROWS = 4_096
LINK_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2


def format_roubles(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.2f}".replace(",", "\u202f").replace(".", ",").removesuffix(",00")


def parse_volume(text: str) -> float | None:
    from cluster_desk.io.values import parse_roubles

    return parse_roubles(text)


class LinksModel(QAbstractTableModel):
    def __init__(self, session: ProjectSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._ids: list[str] = []
        #: Link id -> its row's stamp, built on first need (or on the worker after an open). A
        #: row's stamp is its row when the index was built, or its number when appended after;
        #: removing a row records its stamp in ``_gone`` (sorted) instead of renumbering the rows
        #: after it (~60 ms at 300,000): a row is its stamp less the stamps gone before it.
        self._rows: dict[str, int] | None = {}
        self._gone: list[int] = []
        self._stamps = 0  # the next appended row's stamp
        self._version = 0  # bumped by every change of the ids
        self._labels = link_kind_labels()
        session.changed.connect(self._changed)
        session.assessed.connect(self._rows_ahead)
        self._reset()

    def headers(self) -> list[str]:
        return [
            self.tr("Member 1 (supplier)"),
            self.tr("Member 2 (buyer)"),
            self.tr("Kind"),
            self.tr("Start"),
            self.tr("End"),
            self.tr("Volume, roubles a year"),
            self.tr("Contract"),
            self.tr("Notes"),
        ]

    # ---- keeping in step ----

    def _index(self) -> dict[str, int]:
        if self._rows is None or len(self._gone) > MAX_GONE_ROWS:
            self._rows = dict(zip(self._ids, range(len(self._ids)), strict=True))
            self._gone, self._stamps = [], len(self._ids)
        return self._rows

    def _position(self, link_id: str) -> int | None:
        """The row of ``link_id`` (None: not in the table)."""
        stamp = self._index().get(link_id)
        return None if stamp is None else stamp - bisect.bisect_left(self._gone, stamp)

    def _rows_ahead(self, _results: Any = None) -> None:
        """Once assessed (so painted), make the row index on the session's worker (and after an
        open, the ids from a snapshot's text column), so the first link edit does not build it
        on the GUI thread (300,000 links: 80-130 ms). A change before it arrives drops it."""
        ids = self._ids
        if self._rows is not None or not self.session.is_open or not ids:
            return
        column = isinstance(ids, TextColumn)
        frozen: Any = ids if column else tuple(ids)  # a list is copied (~1 ms): edits change it
        version = self._version

        def build(_engine: Any) -> tuple[list[str], dict[str, int]]:
            as_list = frozen.tolist() if column else frozen
            return as_list, dict(zip(as_list, range(len(as_list)), strict=True))

        def arrived(made: tuple[list[str], dict[str, int]]) -> None:
            if self._ids is ids and self._rows is None and self._version == version:
                if column:
                    self._ids = made[0]
                self._rows = made[1]
                self._gone, self._stamps = [], len(made[1])

        self.session.assessor.run("links-table-rows", build, arrived)

    def _reset(self) -> None:
        self._version += 1
        self.beginResetModel()
        opened = self.session.opened  # its link ids as read (a snapshot's: no str per link yet)
        self._ids = opened.links.ids.copy() if opened is not None else list(self.session.links)
        self._rows = None  # built on first need (not on the open path: 300,000 links)
        self.endResetModel()

    def _changed(self, change: ChangeSet) -> None:
        self._version += 1  # a row index being built on the worker is of the ids before
        if change.reset or (change.links and not (change.link_upserted or change.link_removed)):
            self._reset()
            return
        position = self._position
        gone = sorted({r for lid in change.link_removed if (r := position(lid)) is not None}, reverse=True)
        for row in gone:  # the last first: the rows before it stay where they are
            self.beginRemoveRows(QModelIndex(), row, row)
            stamp = self._index().pop(self._ids[row])  # (may rebuild the index and clear _gone)
            bisect.insort(self._gone, stamp)
            del self._ids[row]
            self.endRemoveRows()
        new = [lid for lid in change.link_upserted if lid in self.session.links and position(lid) is None]
        if new:
            first = len(self._ids)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            rows = self._index()
            for lid in new:
                rows[lid] = self._stamps
                self._stamps += 1
                self._ids.append(lid)
            self.endInsertRows()
        changed = [row for lid in change.link_upserted if (row := position(lid)) is not None]
        renamed = change.upserted if change.renamed is None else change.renamed
        if renamed or change.removed:  # a member renamed or gone: its links' names
            changed = list(range(len(self._ids)))
        if changed:
            self.dataChanged.emit(self.index(min(changed), 0), self.index(max(changed), len(COLUMNS) - 1))

    # ---- Qt model API ----

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers()[section]
        return None

    def link_at(self, row: int) -> Link | None:
        if 0 <= row < len(self._ids):
            return self.session.links.get(self._ids[row])
        return None

    def row_of(self, link_id: str) -> int | None:
        return self._position(link_id)

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid() and COLUMNS[index.column()] in EDITABLE:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def _name(self, member_id: str) -> str:
        m = self.session.members.get(member_id)
        return m.name if m is not None else member_id

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        link = self.link_at(index.row()) if index.isValid() else None
        if link is None:
            return None
        col = COLUMNS[index.column()]
        if role == LINK_ID_ROLE:
            return link.id
        if role == Qt.ItemDataRole.EditRole:
            if col == "kind":
                return link.kind.value
            if col == "volume":
                return "" if link.volume is None else format_roubles(link.volume)
            value = getattr(link, col)
            return "" if value is None else str(value)
        if role == SORT_ROLE:
            if col == "volume":
                return -1.0 if link.volume is None else link.volume
            return self.data(index, Qt.ItemDataRole.DisplayRole)
        if role == Qt.ItemDataRole.DisplayRole:
            if col in ("source", "target"):
                return self._name(getattr(link, col))
            if col == "kind":
                arrow = " →" if link.kind in DIRECTED_KINDS else ""
                return self._labels[link.kind] + arrow
            if col == "volume":
                return format_roubles(link.volume)
            value = getattr(link, col)
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == "volume":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        link = self.link_at(index.row()) if index.isValid() else None
        if link is None or role != Qt.ItemDataRole.EditRole:
            return False
        col = COLUMNS[index.column()]
        text = str(value).strip()
        try:
            if col == "kind":
                new = dataclasses.replace(link, kind=LinkKind(text))
            elif col in ("start", "end"):
                if text and not _DATE.match(text):
                    return False
                new = dataclasses.replace(link, **{col: text or None})
                if new.start and new.end and new.end < new.start:
                    return False
            elif col == "volume":
                volume = parse_volume(text)
                if volume is not None and not math.isfinite(volume):
                    return False
                new = dataclasses.replace(link, volume=volume)
            else:
                new = dataclasses.replace(link, **{col: text})
        except ValueError:
            return False
        if new == link:
            return False
        self.session.undo_stack.push(EditLink(self.session, new))
        return True


class LinksFilter(QSortFilterProxyModel):
    """Kind, a member name fragment, links active on a date (started by it, not ended)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.kind: LinkKind | None = None
        self.text = ""
        self.day = ""
        self.member: str | None = None  # only the links of this member
        self.setSortRole(SORT_ROLE)

    def set_filter(
        self, *, kind: LinkKind | None = None, text: str = "", day: str = "", member: str | None = None
    ) -> None:
        self.kind, self.text, self.day, self.member = kind, text.strip().casefold(), day.strip(), member
        self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:
        if self.kind is None and self.member is None and not self.day and not self.text:
            return True  # no filter: no record built (opening 300k links calls this 300k times)
        model = self.sourceModel()
        assert isinstance(model, LinksModel)
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
