"""The roster as a table: a thin QAbstractTableModel over the session's members + a filter proxy.

Rows are kept in a list of ids with an id -> row cache (Anki's browser table idea), so an edit
touches only its rows (dataChanged / insert / remove). Sorting happens here in Python on the
whole list at once: QSortFilterProxyModel's own sort would call back into Python per comparison,
which takes seconds at 100,000 rows; the proxy only filters.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPixmap

from cluster_desk.core.model import Industry, Member, MemberKind, Status
from cluster_desk.core.palette import KIND_COLOURS  # the page's palette: one source
from cluster_desk.ui import labels
from cluster_desk.ui.project.session import ChangeSet, ProjectSession
from cluster_desk.ui.roster.nearest_place import NearestPlaces

Index = QModelIndex | QPersistentModelIndex

ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the member id of a row
SORT_ROLE = Qt.ItemDataRole.UserRole + 2

# The most read columns first (the nearest town shows where a member is: a misplaced one stands
# out); the coordinates last (they are edited on the map).
COLUMNS = ("name", "kind", "status", "nearest", "sector", "industry", "employees", "size", "distance",
           "inn", "lat", "lon")
COL = {name: i for i, name in enumerate(COLUMNS)}
EDITABLE = {"name", "kind", "status", "sector", "industry", "employees", "lat", "lon", "inn"}
NUMERIC = {"employees", "lat", "lon", "distance"}


def dot_icon(colour: str, size: int = 12, hollow: bool = False) -> QIcon:
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QColor(colour).darker(130))
    p.setBrush(QColor("white") if hollow else QColor(colour))
    p.drawEllipse(1, 1, size - 2, size - 2)
    p.end()
    return QIcon(pix)


def column_titles() -> list[str]:
    translate = QCoreApplication.translate  # literal translate("Context", "text"): lupdate finds it
    titles = {
        "name": translate("Roster", "Name"), "kind": translate("Roster", "Kind"),
        "status": translate("Roster", "Status"), "sector": translate("Roster", "Sector"),
        "industry": translate("Roster", "Core/related"), "employees": translate("Roster", "Employees"),
        "size": translate("Roster", "Size"), "distance": translate("Roster", "Distance, km"),
        "nearest": translate("Roster", "Nearest place"),
        "inn": translate("Roster", "INN"), "lat": translate("Roster", "Lat"),
        "lon": translate("Roster", "Lon"),
    }
    return [titles[c] for c in COLUMNS]


class RosterModel(QAbstractTableModel):
    #: A valid in-place edit: the window turns it into an EditMember command.
    editRequested = Signal(object)  # Member

    def __init__(self, session: ProjectSession, parent: Any = None, lang: str = "en") -> None:
        super().__init__(parent)
        self.session = session
        #: "Nearest place" column: filled lazily for the rows a view shows (see nearest_place.py).
        self.nearest = NearestPlaces(lang, self)
        self.nearest.filled.connect(self._nearest_filled)
        self._ids: list[str] = []
        self._row: dict[str, int] = {}
        self._titles = column_titles()
        self._kinds = labels.kind_labels()
        self._statuses = labels.status_labels()
        self._industries = labels.industry_labels()
        self._sizes = labels.size_labels()
        colours = KIND_COLOURS
        self._icons = {k: dot_icon(colours.get(k.value, "#888888")) for k in MemberKind}
        self._italic = QFont()
        self._italic.setItalic(True)
        self._grey = QBrush(QColor("#8a8f98"))
        self._amber = QBrush(QColor("#b26a00"))
        session.changed.connect(self.apply_change)
        session.geometryChanged.connect(self._distances_changed)
        if session.members:  # created after the project was opened: show it now
            self.apply_change(ChangeSet(reset=True))

    # ----- structure ----------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._titles[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        f = super().flags(index)
        if index.isValid() and COLUMNS[index.column()] in EDITABLE:
            f |= Qt.ItemFlag.ItemIsEditable
        return f

    def member_id(self, row: int) -> str:
        return self._ids[row]

    def row_of(self, member_id: str) -> int:
        return self._row.get(member_id, -1)

    def member_at(self, row: int) -> Member:
        return self.session.members[self._ids[row]]

    def distance(self, member_id: str) -> float | None:
        return self.session.distances.get(member_id)  # the session owns them (core.geodesy)

    # ----- data ---------------------------------------------------------------------------------

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        m = self.session.members[self._ids[index.row()]]
        col = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(m, col)
        if role == Qt.ItemDataRole.EditRole:
            return self._edit_value(m, col)
        if role == ID_ROLE:
            return m.id
        if role == Qt.ItemDataRole.TextAlignmentRole and col in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.DecorationRole and col == "kind":
            return self._icons.get(m.kind)
        if role == Qt.ItemDataRole.FontRole and m.status is Status.CANDIDATE:
            return self._italic
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == "lat" and m.lat is None:
                return self._amber
            if m.status is Status.FORMER:
                return self._grey
        if role == Qt.ItemDataRole.ToolTipRole and col in ("name", "nearest"):
            near = self.nearest.cached(m)
            lines = [m.address] if m.address and col == "name" else []
            if near:
                lines.append(self.tr("Nearest place: %1").replace("%1", near))
            return "\n".join(lines) or None
        return None

    def _display(self, m: Member, col: str) -> str:
        if col == "name":
            return m.name
        if col == "kind":
            return self._kinds.get(m.kind, m.kind.value)
        if col == "status":
            return self._statuses.get(m.status, m.status.value)
        if col == "sector":
            return m.sector
        if col == "industry":
            return self._industries.get(m.industry, "")
        if col == "employees":
            return "" if m.employees is None else str(m.employees)
        if col == "size":
            return self._sizes.get(m.size_class, "")
        if col == "lat":
            return self.tr("not placed") if m.lat is None else f"{m.lat:.5f}"
        if col == "lon":
            return "" if m.lon is None else f"{m.lon:.5f}"
        if col == "distance":
            d = self.session.distances.get(m.id)
            return "" if d is None else f"{d:.1f}"
        if col == "nearest":
            return self.nearest.lookup(m) or ""
        if col == "inn":
            return m.inn
        return ""

    def _edit_value(self, m: Member, col: str) -> Any:
        if col in ("kind", "status", "industry"):
            return getattr(m, col).value
        if col in ("lat", "lon", "employees"):
            value = getattr(m, col)
            return "" if value is None else str(value)
        return self._display(m, col)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Validate an in-place edit and ask for an EditMember command (the model changes when
        the session reports the edit, so undo and the file stay the single truth)."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        m = self.session.members[self._ids[index.row()]]
        col = COLUMNS[index.column()]
        try:
            new = self.edited(m, col, value)
        except ValueError:
            return False
        if new != m:
            self.editRequested.emit(new)
        return True

    @classmethod
    def edited(cls, m: Member, col: str, value: Any) -> Member:
        """The member with one field set from user input; ValueError when the input is invalid
        (the field rules are the core's: core.validation)."""
        from cluster_desk.core.validation import member_errors

        new = cls._parsed(m, col, value)
        bad = [p for p in member_errors(new) if p.field == col]
        if bad:
            raise ValueError(bad[0].message)
        return new

    @staticmethod
    def _parsed(m: Member, col: str, value: Any) -> Member:
        text = "" if value is None else str(value).strip()
        if col == "name":
            if not text:
                raise ValueError("name is required")
            return dataclasses.replace(m, name=text)
        if col == "kind":
            return dataclasses.replace(m, kind=MemberKind(text))
        if col == "status":
            return dataclasses.replace(m, status=Status(text))
        if col == "industry":
            return dataclasses.replace(m, industry=Industry(text))
        if col in ("sector", "inn"):
            return dataclasses.replace(m, **{col: text})
        if col == "employees":
            return dataclasses.replace(m, employees=int(text) if text else None)
        if col in ("lat", "lon"):
            return dataclasses.replace(m, **{col: float(text.replace(",", ".")) if text else None})
        raise ValueError(f"{col} is not editable")

    # ----- incremental updates ------------------------------------------------------------------

    def apply_change(self, change: ChangeSet) -> None:
        if change.reset:
            self.beginResetModel()
            self._ids = list(self.session.members)
            self._reindex()
            self.nearest.forget()
            self.endResetModel()
            return
        if change.removed:
            self._remove(change.removed)
        if change.upserted:
            new = [i for i in change.upserted if i not in self._row and i in self.session.members]
            changed_rows = [self._row[i] for i in change.upserted if i in self._row]
            if new:
                first = len(self._ids)
                self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
                for i, mid in enumerate(new):
                    self._ids.append(mid)
                    self._row[mid] = first + i
                self.endInsertRows()
            for lo, hi in _ranges(changed_rows):
                self.dataChanged.emit(self.index(lo, 0), self.index(hi, len(COLUMNS) - 1))

    def _remove(self, ids: Iterable[str]) -> None:
        rows = sorted((self._row[i] for i in ids if i in self._row), reverse=True)
        if len(rows) > 200:  # one reset is cheaper than hundreds of row removals
            self.beginResetModel()
            gone = set(ids)
            self._ids = [i for i in self._ids if i not in gone]
            self._reindex()
            self.endResetModel()
        else:
            for hi, lo in _ranges_desc(rows):
                self.beginRemoveRows(QModelIndex(), lo, hi)
                del self._ids[lo:hi + 1]
                self.endRemoveRows()
            self._reindex()
        self.nearest.forget(list(ids))

    def _nearest_filled(self, ids: list[str]) -> None:
        col = COL["nearest"]
        rows = [self._row[i] for i in ids if i in self._row]
        for lo, hi in _ranges(rows):
            self.dataChanged.emit(self.index(lo, col), self.index(hi, col))

    def _reindex(self) -> None:
        self._row = {mid: r for r, mid in enumerate(self._ids)}

    # ----- distance to the centre (computed and owned by the session) ---------------------------

    def _distances_changed(self, ids: list[str] | None) -> None:
        col = COL["distance"]
        if ids is None:
            if self._ids:
                self.dataChanged.emit(self.index(0, col), self.index(len(self._ids) - 1, col))
            return
        for lo, hi in _ranges([self._row[i] for i in ids if i in self._row]):
            self.dataChanged.emit(self.index(lo, col), self.index(hi, col))

    # ----- sorting (whole list in Python; see module docstring) ---------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not (0 <= column < len(COLUMNS)):
            return
        col = COLUMNS[column]
        members = self.session.members
        key = self._sort_key(col)
        self.layoutAboutToBeChanged.emit()
        old_persistent = self.persistentIndexList()
        old_ids = [(self._ids[i.row()], i.column()) for i in old_persistent]
        missing = [mid for mid in self._ids if key(members[mid]) is None]
        present = [mid for mid in self._ids if key(members[mid]) is not None]
        present.sort(key=lambda mid: key(members[mid]),
                     reverse=order == Qt.SortOrder.DescendingOrder)
        self._ids = present + missing  # blanks last in both orders
        self._reindex()
        self.changePersistentIndexList(
            old_persistent, [self.index(self._row[mid], c) for mid, c in old_ids])
        self.layoutChanged.emit()

    def _sort_key(self, col: str) -> Any:
        if col == "name":
            return lambda m: m.name.casefold()
        if col in ("kind", "status", "industry", "size"):
            texts = {"kind": self._kinds, "status": self._statuses, "industry": self._industries,
                     "size": self._sizes}[col]
            attr = "size_class" if col == "size" else col
            return lambda m: texts.get(getattr(m, attr), "").casefold() or None
        if col == "distance":
            return lambda m: self.session.distances.get(m.id)
        if col == "nearest":  # what is known so far (the column fills in as rows are shown)
            return lambda m: (self.nearest.cached(m) or "").casefold() or None
        if col in ("employees", "lat", "lon"):
            return lambda m: getattr(m, col)
        return lambda m: getattr(m, col) or None


def _ranges(rows: Iterable[int]) -> list[tuple[int, int]]:
    """Contiguous (lo, hi) runs of row numbers, ascending."""
    out: list[tuple[int, int]] = []
    for r in sorted(set(rows)):
        if out and r == out[-1][1] + 1:
            out[-1] = (out[-1][0], r)
        else:
            out.append((r, r))
    return out


def _ranges_desc(rows: list[int]) -> list[tuple[int, int]]:
    return [(hi, lo) for lo, hi in reversed(_ranges(rows))]


class RosterProxy(QSortFilterProxyModel):
    """Text, kind, status and "members of a check" filters; sorting is delegated to the source."""

    #: A filter changed (the map fades the members it hides).
    filterChanged = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._kind: MemberKind | None = None
        self._status: Status | None = None
        self._ids: frozenset[str] | None = None
        self._active = False
        self._model: RosterModel | None = None
        self.setDynamicSortFilter(True)

    def source(self) -> RosterModel:
        model = self.sourceModel()
        assert isinstance(model, RosterModel)
        return model

    def _refilter(self, **state: Any) -> None:
        self.beginFilterChange()  # Qt 6.10+: replaces the deprecated invalidateRowsFilter()
        for key, value in state.items():
            setattr(self, f"_{key}", value)
        self._active = bool(self._text) or any(x is not None for x in (self._kind, self._status, self._ids))
        self._model = self.source()  # plain attribute: the per-row path avoids a C++ round trip
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        self.filterChanged.emit()

    @property
    def active(self) -> bool:
        return self._active

    def shown_ids(self) -> list[str] | None:
        """The ids of the rows the filters let through, or None when no filter is on."""
        if not self._active:
            return None
        return [mid for mid in self.source()._ids if self._accepts(mid)]

    def set_text(self, text: str) -> None:
        self._refilter(text=text.strip().casefold())

    def set_kind(self, kind: MemberKind | None) -> None:
        self._refilter(kind=kind)

    def set_status(self, status: Status | None) -> None:
        self._refilter(status=status)

    def set_ids(self, ids: Iterable[str] | None) -> None:
        self._refilter(ids=None if ids is None else frozenset(ids))

    @property
    def id_filter(self) -> frozenset[str] | None:
        return self._ids

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        # Called once per row on every filter change: keep it to plain Python lookups.
        if not self._active:
            return True
        return self._accepts(self._model._ids[source_row])

    def _accepts(self, mid: str) -> bool:
        model = self._model
        if self._ids is not None and mid not in self._ids:
            return False
        m = model.session.members[mid]
        if self._kind is not None and m.kind is not self._kind:
            return False
        if self._status is not None and m.status is not self._status:
            return False
        if self._text:
            t = self._text
            return (t in m.name.casefold() or t in m.sector or t in m.inn
                    or t in m.address.casefold() or t in m.notes.casefold())
        return True

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.source().sort(column, order)
