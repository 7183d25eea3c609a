"""The links table: a thin model over the session's links (row = link id), edits as commands
(the filters and sort: proxy.py)."""

from __future__ import annotations

import dataclasses
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from cluster_desk.core.days import iso_day
from cluster_desk.core.id_index import IdTable
from cluster_desk.core.model import DIRECTED_KINDS, Link, LinkKind
from cluster_desk.ui.i18n import ui_text
from cluster_desk.ui.links.commands import EditLink
from cluster_desk.ui.links.labels import link_kind_labels
from cluster_desk.ui.links.opened_order import Edits, OpenedOrder
from cluster_desk.ui.project.session import ChangeSet, ProjectSession

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("source", "target", "kind", "start", "end", "volume", "contract", "notes")
EDITABLE = frozenset({"kind", "start", "end", "volume", "contract", "notes"})
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_SHOWN = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
COLUMN_FLAGS = tuple(_SHOWN | Qt.ItemFlag.ItemIsEditable if c in EDITABLE else _SHOWN for c in COLUMNS)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
LINK_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
#: The roles a cell answers (LinksModel.cell), as the ints Qt passes.
CELL_ROLES = frozenset(int(role) for role in (
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, Qt.ItemDataRole.TextAlignmentRole,
    LINK_ID_ROLE, SORT_ROLE))


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
        # Rows as positions in an IdTable (the opened link ids column, packed, and the ids added
        # since; issue 17: no list of three million str, no id -> row dict): ``_order`` holds the
        # table row of each row, ascending (a row added gets a new table row, at the end); None
        # while that is every table row in turn (no row removed since the reset).
        self._table = IdTable([])
        self._order: np.ndarray | None = None
        self._count = 0
        # Until the first change after an open, rows are read from the file (the session's
        # records of an opened project are built on first use, and its first get makes a
        # {id: record} map of every link: ~1 s of the GUI thread at 300,000 links under load,
        # issue 17): each shown row is one SQL read, kept here; the ends' names come from the
        # open's columns. The file holds every acknowledged edit, so it says what the session does.
        self._opened: Any = None  # the session's OpenedColumns while nothing changed since
        self._read: dict[int, Link | None] = {}  # table row -> record read from the file
        # The proxy's filters and sort from the open's columns (opened_order.py), with the links
        # edited or added since (table row -> record) and the members renamed or added since.
        self._arranger: OpenedOrder | None = None
        self._edited_links: dict[int, Link] = {}
        self._edited_names: dict[str, str] = {}
        self._names_version = 0
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

    def _position(self, link_id: str) -> int | None:
        """The row of ``link_id`` (None: not in the table)."""
        at = self._table.find(link_id)
        if at < 0:
            return None
        if self._order is None:
            return at if at < self._count else None
        row = int(np.searchsorted(self._order[: self._count], at))
        return row if row < self._count and self._order[row] == at else None

    def _table_row(self, row: int) -> int:
        return row if self._order is None else int(self._order[row])

    def ids(self) -> list[str]:
        """Every row's link id, in order (for tests and small tables: builds a list)."""
        table = self._table
        return [table[self._table_row(row)] for row in range(self._count)]

    def _rows_ahead(self, _results: Any = None) -> None:
        """Once assessed (so painted), make the link id lookup on the session's worker (after an
        open it is the one the links layer asks for: made once), so the first link edit does
        not on the GUI thread (3,000,000 links: ~1 s). A reset meanwhile drops it."""
        table = self._table
        if table.indexed or not self.session.is_open or not len(table.base):
            return
        make = table.make_index
        self.session.assessor.run("links-table-rows", lambda _engine: make(), table.take_index)

    def _reset(self) -> None:
        self.beginResetModel()
        opened = self.session.opened  # its link ids as read (a snapshot's: no str per link)
        if opened is not None:
            links = opened.links
            # (shared with the map; its ids as read: maybe still on the open's links thread)
            self._table = IdTable(links.ids_as_read, make_index=lambda: links.id_index)
        else:
            self._table = IdTable(list(self.session.links))
        self._opened, self._read = opened, {}
        project = self.session.project
        self._arranger = (OpenedOrder(opened, Path(project.path), self._labels)
                          if opened is not None and opened.key is not None and project is not None else None)
        self._edited_links, self._edited_names = {}, {}
        self._order, self._count = None, len(self._table)
        self.endResetModel()

    def _remove_row(self, row: int) -> None:
        if self._order is None:
            self._order = np.arange(self._count, dtype=np.int64)
        self._order[row:self._count - 1] = self._order[row + 1:self._count]
        self._count -= 1

    def _append_row(self, at: int) -> None:
        if self._order is None and at == self._count:
            self._count += 1
            return
        if self._order is None:
            self._order = np.arange(self._count, dtype=np.int64)
        if self._count >= len(self._order):
            grown = np.empty(max(64, 2 * self._count + 1), dtype=np.int64)
            grown[: self._count] = self._order[: self._count]
            self._order = grown
        self._order[self._count] = at
        self._count += 1

    def _changed(self, change: ChangeSet) -> None:
        if change.reset or (change.links and not (change.link_upserted or change.link_removed)):
            self._reset()
            return
        self._opened, self._read = None, {}  # the session's records from now on
        position = self._position
        gone = sorted({r for lid in change.link_removed if (r := position(lid)) is not None}, reverse=True)
        for row in gone:  # the last first: the rows before it stay where they are
            self.beginRemoveRows(QModelIndex(), row, row)
            self._remove_row(row)
            self.endRemoveRows()
        links = self.session.links
        new = frozenset(lid for lid in change.link_upserted if lid in links and position(lid) is None)
        if new:  # in the session's order (a restored burst as it was added back)
            order = self.session._in_file_order(new, links) if len(new) > 1 else list(new)
            first = self._count
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            for lid in order:
                self._append_row(self._table.append(lid))
            self.endInsertRows()
        renamed = change.upserted if change.renamed is None else change.renamed
        self._note_edits(change.link_upserted, renamed)
        if renamed or change.removed:  # a member renamed or gone: its links' names
            changed = [0, self._count - 1] if self._count else []
        else:
            changed = [row for lid in change.link_upserted if (row := position(lid)) is not None]
        if changed:
            self.dataChanged.emit(self.index(min(changed), 0), self.index(max(changed), len(COLUMNS) - 1))

    # ---- Qt model API ----

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers()[section]
        return None

    def link_at(self, row: int) -> Link | None:
        if not 0 <= row < self._count:
            return None
        at = self._table_row(row)
        if self._opened is None or self.session.links.loaded:
            return self.session.links.get(self._table[at])
        if at in self._read:
            return self._read[at]
        if len(self._read) >= 4096:  # (a table scrolled through: keep what is near)
            self._read.clear()
        try:
            link = self.session.project.link(self._table[at])
        except KeyError:  # gone from the file behind our back
            link = None
        self._read[at] = link
        return link

    def _note_edits(self, links: frozenset[str], members: frozenset[str]) -> None:
        """The records of the links edited or added and the names of the members renamed or
        added (what the open's columns no longer say; a few an edit)."""
        if self._arranger is None:
            return
        for lid in links:
            at, record = self._table.find(lid), self.session.links.get(lid)
            if at >= 0 and record is not None:
                self._edited_links[at] = record
        named = {mid: m.name for mid in members if (m := self.session.members.get(mid)) is not None}
        if named:
            self._edited_names.update(named)
            self._names_version += 1

    def opened_order(self) -> tuple[OpenedOrder, Edits] | None:
        """The filters and sort made from the open's columns on a worker, with the edits since
        (None: from the records: a reset since, or the columns could not say)."""
        arranger = self._arranger
        if arranger is None or arranger.failed or self.session.project is None:
            return None
        edits = Edits(None if self._order is None and self._count == len(arranger.opened.links)
                      else (self._order[: self._count].copy() if self._order is not None
                            else np.arange(self._count, dtype=np.int64)),
                      dict(self._edited_links), dict(self._edited_names), self._names_version)
        return arranger, edits

    def _end_name(self, row: int, col: str, member_id: str) -> str:
        """The name of a shown link's end: from the open's columns while nothing changed."""
        opened = self._opened
        if opened is not None and not self.session.members.loaded:
            at = self._table_row(row)
            ends = opened.links.source_index if col == "source" else opened.links.target_index
            if at < len(ends) and (where := int(ends[at])) >= 0:
                return str(opened.members.names[where])
        return self._name(member_id)

    def row_of(self, link_id: str) -> int | None:
        return self._position(link_id)

    def flags(self, index: Index) -> Qt.ItemFlag:
        return COLUMN_FLAGS[index.column()] if index.isValid() else _SHOWN

    def _name(self, member_id: str) -> str:
        m = self.session.members.get(member_id)
        return m.name if m is not None else member_id

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return self.cell(index.row(), index.column(), role) if index.isValid() else None

    def cell(self, row: int, column: int, role: int) -> Any:
        """``data`` of a valid cell, by row and column (the proxy asks so: no index to map); the
        roles a painted cell is asked that say nothing here return before the link is found."""
        if role not in CELL_ROLES:
            return None
        col = COLUMNS[column]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if col == "volume" else None
        link = self.link_at(row)
        if link is None:
            return None
        if role == LINK_ID_ROLE:
            return link.id
        if role == Qt.ItemDataRole.EditRole:
            if col == "kind":
                return link.kind.value
            if col == "volume":
                return "" if link.volume is None else format_roubles(link.volume)
            if col in ("start", "end"):  # edited as the language writes it ("01.09.2016")
                return ui_text().day(getattr(link, col))
            value = getattr(link, col)
            return "" if value is None else str(value)
        if role == SORT_ROLE:
            return self._sort_key(link, col)
        if role == Qt.ItemDataRole.DisplayRole:
            if col in ("source", "target"):
                return self._end_name(row, col, getattr(link, col))
            if col == "kind":
                arrow = " →" if link.kind in DIRECTED_KINDS else ""
                return self._labels[link.kind] + arrow
            if col == "volume":
                return format_roubles(link.volume)
            if col in ("start", "end"):
                return ui_text().day(getattr(link, col))
            value = getattr(link, col)
            return "" if value is None else str(value)
        return None

    def sort_key(self, row: int, column: int) -> Any:
        """What ``row`` sorts by in ``column`` (the proxy's sort: one key per row)."""
        link = self.link_at(row)
        return None if link is None else self._sort_key(link, COLUMNS[column])

    def _sort_key(self, link: Link, col: str) -> Any:
        if col == "volume":
            return -1.0 if link.volume is None else link.volume
        if col in ("source", "target"):
            return self._name(getattr(link, col))
        if col == "kind":
            return self._labels[link.kind]
        value = getattr(link, col)
        return "" if value is None else str(value)

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
                day = iso_day(text) if text else None
                if text and day is None:
                    return False
                new = dataclasses.replace(link, **{col: day})
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

