"""The roster as a table: a thin QAbstractTableModel over the session's members.

Rows are kept in a list of ids with an id -> row cache (Anki's browser table idea), so an edit
touches only its rows (dataChanged / insert / remove). The rows never move here: sorting and
filtering are the proxy's (proxy.py), done with numpy over the column arrays this model keeps
(columns.py), patched row by row after an edit.

Why ~870 lines: Qt's model interface (data, edits, flags, the as-of view's statuses) and the
whole-column sort values each column needs at 100,000 rows (issue 17: the Region key that sorts
again when the thread's lookup comes, an opened project's kind/status keys from its codes and
its stored columns ranked ahead) belong to the one model; the key arrays themselves are
columns.py's, the region lookup subject_column.py's, the file reads file_columns.py's.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from operator import attrgetter
from typing import Any

import numpy as np
from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPixmap

from cluster_desk.core.id_index import IdRows, RowMap, row_map
from cluster_desk.core.model import Industry, Member, MemberKind, Status, size_class
from cluster_desk.core.palette import KIND_COLOURS  # the page's palette: one source
from cluster_desk.core.tables import (
    MEMBER_KIND_VALUES,
    STATUS_VALUES,
    LazyRecords,
    MemberColumns,
    TextColumn,
)
from cluster_desk.core.timeline import DayStatus
from cluster_desk.io.coords import parse_coordinate
from cluster_desk.ui import labels
from cluster_desk.ui.i18n import ui_text
from cluster_desk.ui.project.session import ChangeSet, ProjectSession
from cluster_desk.ui.roster import file_columns
from cluster_desk.ui.roster.columns import RosterColumns
from cluster_desk.ui.roster.folding import PART_ROWS, casefolded, casefolded_parts
from cluster_desk.ui.roster.nearest_place import NearestPlaces
from cluster_desk.ui.roster.ranks import Key, codes_key, folded_key
from cluster_desk.ui.roster.subject_column import SubjectColumn
from cluster_desk.ui.thread_answers import gui_caller
from cluster_desk.ui.widgets.plain_text import plain_tip

Index = QModelIndex | QPersistentModelIndex

ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the member id of a row
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
KIND_CODE = {k: i for i, k in enumerate(MemberKind)}
STATUS_CODE = {s: i for i, s in enumerate(Status)}
_KIND_BY_TEXT = {k.value: i for k, i in KIND_CODE.items()}  # the stored text -> code
_STATUS_BY_TEXT = {s.value: i for s, i in STATUS_CODE.items()}
#: A member's status on the day the as-of view shows; None: it had not joined yet.
DAY_STATUS: dict[DayStatus, Status | None] = {
    DayStatus.MEMBER: Status.MEMBER, DayStatus.CANDIDATE: Status.CANDIDATE, DayStatus.FORMER: Status.FORMER,
    DayStatus.NOT_YET: None, DayStatus.DRAFT: Status.DRAFT,
}  # fmt: skip

# The most read columns first (the nearest town shows where a member is: a misplaced one stands
# out); the coordinates last (they are edited on the map).
COLUMNS = ("name", "kind", "status", "nearest", "region", "sector", "industry", "employees", "size",
           "distance", "inn", "lat", "lon")
COL = {name: i for i, name in enumerate(COLUMNS)}
EDITABLE = {"name", "kind", "status", "sector", "industry", "employees", "lat", "lon", "inn"}
NUMERIC = {"employees", "lat", "lon", "distance"}
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
#: The roles a cell answers (RosterModel.cell), as the ints Qt passes.
CELL_ROLES = frozenset(int(role) for role in (
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, Qt.ItemDataRole.TextAlignmentRole,
    Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.FontRole, Qt.ItemDataRole.ForegroundRole,
    Qt.ItemDataRole.ToolTipRole, ID_ROLE))
# (QAbstractTableModel's own flags of a cell)
_SHOWN = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren
COLUMN_FLAGS = tuple(_SHOWN | Qt.ItemFlag.ItemIsEditable if c in EDITABLE else _SHOWN for c in COLUMNS)
#: The stored field each column sorts by when read from the file (file_columns.py).
_STORED_FIELD = {"kind": "kind", "status": "status", "industry": "industry", "sector": "sector", "inn": "inn",
                 "employees": "employees", "size": "employees", "lat": "lat", "lon": "lon"}
#: An opened project's stored columns ranked ahead once it is assessed (``prewarm_stored``).
_STORED_AHEAD = ("inn", "sector", "employees", "size")
#: What the text filter looks in, in this order.
_GROUPING = str.maketrans("", "", " \u00a0\u202f,")  # thousands separators a count may be typed with
_HAYSTACK_FIELDS = ("name", "sector", "inn", "address", "notes")
#: From this many rows, the name key is ranked on a thread after a reset (see _prewarm_names): from
#: 1,000 on, so the reset costs the same per row at every size (it was 20,000: a 10,000-row reset
#: ranked nothing, a 100,000-row one ranked every name, growth exponent 1.97; issue 17).
PREWARM_ROWS = 1000
#: Up to this many rows, the text filter's haystack is read ahead once an open is assessed
#: (~16 MB of text at 100,000 rows; above, it is read when the pointer nears the filter box).
HAYSTACK_AHEAD_ROWS = 200_000
#: From this many rows, an opened project's name key and regions' lookup start on their threads
#: once its first assessment is shown and the worker has done what was queued by then (the
#: result's arrays cache and heap trim, the links' maps), not at the paint: at a million rows
#: the name key peaks at ~0.15 GB (~0.3 GB before ranks.folded_key) and the regions' map holds
#: ~30 MB, and both ran beside the worker's read and rules (issue 17: 1M under 1 GB).
WARM_AFTER_ASSESSED_ROWS = 250_000


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
        "nearest": translate("Roster", "Nearest place"), "region": translate("Roster", "Region"),
        "inn": translate("Roster", "INN"), "lat": translate("Roster", "Lat"),
        "lon": translate("Roster", "Lon"),
    }
    return [titles[c] for c in COLUMNS]


class RosterModel(QAbstractTableModel):
    #: A valid in-place edit: the window turns it into an EditMember command.
    editRequested = Signal(object)  # Member
    #: True: the Region column's sort key was built from the regions known so far (the others
    #: are looked up on a thread; the rows sort again when they arrive); False: it is whole.
    regionsPending = Signal(bool)
    #: The regions' lookup on its thread has answered (the Region filter box lists them all).
    regionsLoaded = Signal()

    def __init__(self, session: ProjectSession, parent: Any = None, lang: str = "en") -> None:
        super().__init__(parent)
        self.session = session
        #: "Nearest place" column: filled lazily for the rows a view shows (see nearest_place.py).
        self.nearest = NearestPlaces(lang, self)
        self.nearest.filled.connect(self._nearest_filled)
        #: "Region" column: the federal subject from the coordinates (subject_column.py).
        self.subjects = SubjectColumn(lang)
        self.subjects.on_loaded = gui_caller(self, self._subjects_loaded)  # from its loader thread
        self.subjects.on_codes = gui_caller(self, self._region_codes_known)  # (before on_loaded)
        self._ids: list[str] = []
        #: Bumped whenever rows are added, taken out or renumbered (a reset): a row looked up
        #: before holds while this is the same (ui.assessment.check_marks keeps a check's rows).
        self.rows_version = 0
        self._row_map: RowMap | None = {}  # member id -> row; see _row
        self._open_rows: MemberColumns | None = None  # the open's columns while the rows are theirs
        #: The columns as arrays in row order, for the proxy's filters and sorts.
        self.columns = RosterColumns(
            self._members_in_order, self._sort_value, lambda col: col in NUMERIC, self.haystack,
            lambda m: (KIND_CODE[m.kind], STATUS_CODE.get(self.shown_status(m), len(STATUS_CODE))),
            self._column_values, self._codes_all, self.haystacks_from_file, member_at=self.member_at)
        self._day_status: Callable[[str], DayStatus | None] | None = None
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
        session.openPainted.connect(self._after_open_paint)
        session.assessed.connect(self._after_assessed)
        self._warm_after_paint = False  # a name key put off until the open has painted (or is assessed)
        #: A big open's warm-up threads wait for its first assessment (WARM_AFTER_ASSESSED_ROWS).
        self._warm_after_assessed = False
        self._region_key_partial = False  # the Region key handed out knows only some regions
        #: The session's members dict whose order the rows have (set by a reset, cleared when a
        #: row is added or removed): its values are the rows' members, no lookup by id needed.
        self._rows_of_dict: dict[str, Member] | None = None
        self._hay_after_assessed = False  # the filter's haystack put off until the open is assessed
        session.geometryChanged.connect(self._distances_changed)
        if session.members:  # created after the project was opened: show it now
            self.apply_change(ChangeSet(reset=True))

    # ----- structure ----------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._ids)

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        # Checked here: Qt's own check calls back into Python twice (rowCount, columnCount),
        # and the proxy asks for an index for every cell it paints.
        if parent.isValid() or not (0 <= row < len(self._ids) and 0 <= column < len(COLUMNS)):
            return QModelIndex()
        return self.createIndex(row, column)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            if section == COL["region"] and self._region_key_partial:  # sorted when they come
                return self._titles[section] + "…"
            return self._titles[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return COLUMN_FLAGS[index.column()] if index.isValid() else Qt.ItemFlag.NoItemFlags

    def member_id(self, row: int) -> str:
        return self._ids[row]

    def row_of(self, member_id: str) -> int:
        return self._row.get(member_id, -1)

    def member_at(self, row: int) -> Member:
        """The member of a row. An opened project's records are asked by their place in its
        column too (``LazyRecords.at``): while the rows are the open's, the first rows shown
        need no id -> row map (a million members': ~0.3 s of the GUI thread, made on a thread
        at the paint instead; issue 17); a row elsewhere is found by its id."""
        members = self.session.members
        if type(members) is LazyRecords:
            return members.at(row, self._ids[row])
        return members[self._ids[row]]

    def distance(self, member_id: str) -> float | None:
        return self.session.distances.get(member_id)  # the session owns them (core.geodesy)

    # ----- data ---------------------------------------------------------------------------------

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return self.cell(index.row(), index.column(), role) if index.isValid() else None

    def cell(self, row: int, column: int, role: int) -> Any:
        """``data`` of a valid cell, by row and column (the proxy asks so: no index to map). A
        painted cell is asked ~6 roles, most of which say nothing here: those go first, before
        the member is looked up (a roster 38 rows tall took ~50 ms to paint, issue 17)."""
        if role not in CELL_ROLES:
            return None
        col = COLUMNS[column]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if col in NUMERIC else None
        if role == Qt.ItemDataRole.DecorationRole and col != "kind":
            return None
        members = self.session.members  # (member_at's, inline: every cell)
        m = members.at(row, self._ids[row]) if type(members) is LazyRecords else members[self._ids[row]]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(m, col)
        if role == Qt.ItemDataRole.EditRole:
            return self._edit_value(m, col)
        if role == ID_ROLE:
            return m.id
        if role == Qt.ItemDataRole.DecorationRole:  # (the kind's column: the others went above)
            return self._icons.get(m.kind)
        if role == Qt.ItemDataRole.FontRole and self.shown_status(m) in (Status.CANDIDATE, Status.DRAFT):
            return self._italic
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == "lat" and m.lat is None:
                return self._amber
            if self.shown_status(m) in (Status.FORMER, None):
                return self._grey
        if role == Qt.ItemDataRole.ToolTipRole and col in ("name", "nearest"):
            near = self.nearest.cached(m)
            lines = [m.address] if m.address and col == "name" else []
            if near:
                lines.append(self.tr("Nearest place: %1").replace("%1", near))
            return plain_tip("\n".join(lines)) or None
        return None

    def _display(self, m: Member, col: str) -> str:
        if col == "name":
            return m.name
        if col == "kind":
            return self._kinds.get(m.kind, m.kind.value)
        if col == "status":
            status = self.shown_status(m)
            if status is None:
                return self.tr("Not yet joined")
            return self._statuses.get(status, status.value)
        if col == "sector":
            return m.sector
        if col == "industry":
            return self._industries.get(m.industry, "")
        if col == "employees":
            return "" if m.employees is None else ui_text().number(m.employees)
        if col == "size":
            return self._sizes.get(m.size_class, "")
        # (numbers as the language writes them, as the assessment's: "55,74000" in Russian)
        if col == "lat":
            return self.tr("not placed") if m.lat is None else ui_text().number(m.lat, 5)
        if col == "lon":
            return "" if m.lon is None else ui_text().number(m.lon, 5)
        if col == "distance":
            d = self.session.distances.get(m.id)
            return "" if d is None else ui_text().number(d, 1)
        if col == "nearest":  # looked up once the map has painted an opened project (GUI time)
            return (self.nearest.cached(m) if self.session.painting else self.nearest.lookup(m)) or ""
        if col == "region":
            return self.subjects.name(m.id, start_lookup=self._warm_ups_may_start())
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
        m = self.member_at(index.row())
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
        if col == "employees":  # ("38 700" as the Russian roster shows it: grouped)
            return dataclasses.replace(m, employees=int(text.translate(_GROUPING)) if text else None)
        if col in ("lat", "lon"):  # (55,5; 55°47′24″ с. ш.: io.coords, as the importers read them)
            return dataclasses.replace(m, **{col: parse_coordinate(text, col) if text else None})
        raise ValueError(f"{col} is not editable")

    # ----- incremental updates ------------------------------------------------------------------

    def apply_change(self, change: ChangeSet) -> None:
        if change.reset:
            self.beginResetModel()
            self.rows_version += 1
            self._ids = list(self.session.members)
            self._rows_of_dict = None
            self._reindex()
            self.columns.drop()
            self.nearest.forget()
            self.subjects.forget()
            opened = self.session.opened
            # The open's id -> row map (made on a thread) serves the rows until they change,
            # even once the session has let the columns go (it does at the first edit, just
            # before the views hear of it: the first drop made the map anew, 10-35 ms of the
            # GUI thread at 100,000 members; issue 17).
            self._open_rows = None if opened is None else opened.members
            self._warm_after_assessed = opened is not None and len(self._ids) >= WARM_AFTER_ASSESSED_ROWS
            records = None
            if opened is not None:  # just opened: from the columns, no records built
                self.subjects.update_points(opened.members.ids, opened.members.lat, opened.members.lon)
            else:
                records = self._reset_records()
                self.subjects.update_records(self._ids, records)
            self.endResetModel()
            self._prewarm_names(records)
            self._hay_after_assessed = True
            return
        if change.removed:
            self._remove(change.removed)
        if change.upserted:
            new = [i for i in change.upserted if i not in self._row and i in self.session.members]
            changed_rows = [self._row[i] for i in change.upserted if i in self._row]
            members = self.session.members
            self.subjects.update(members[i] for i in {*new, *change.moved} if i in members)
            if changed_rows:  # after the subjects: the region column's key reads them
                self.columns.patch(changed_rows, [self.member_at(r) for r in changed_rows])
            if new:
                first = len(self._ids)
                self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
                self.rows_version += 1
                self._rows_of_dict = None
                for i, mid in enumerate(new):
                    self._ids.append(mid)
                    self._row[mid] = first + i
                self.columns.drop()
                self.endInsertRows()
            for lo, hi in ranges(changed_rows):
                self.dataChanged.emit(self.index(lo, 0), self.index(hi, len(COLUMNS) - 1))

    def _remove(self, ids: Iterable[str]) -> None:
        self.rows_version += 1
        self._rows_of_dict = None
        rows = sorted((self._row[i] for i in ids if i in self._row), reverse=True)
        if len(rows) > 200:  # one reset is cheaper than hundreds of row removals
            self.beginResetModel()
            gone = set(ids)
            self._ids = [i for i in self._ids if i not in gone]
            self._reindex()
            self.columns.drop()
            self.endResetModel()
        else:
            for hi, lo in _ranges_desc(rows):
                self.beginRemoveRows(QModelIndex(), lo, hi)
                del self._ids[lo:hi + 1]
                self.columns.drop()
                self.endRemoveRows()
            self._reindex()
        self.nearest.forget(list(ids))
        self.subjects.forget(list(ids))

    def _nearest_filled(self, ids: list[str]) -> None:
        self.columns.drop("nearest")
        col = COL["nearest"]
        if self._row_map is None and self._ids:
            # The id -> row map is not made yet (a reset's rows): the whole column in one signal
            # (no filter reads it, no sort moves by it), not the map of every row made now for
            # a screenful (issue 17: 40-60 ms of the GUI thread at 100,000 after a reset's paint).
            self.dataChanged.emit(self.index(0, col), self.index(len(self._ids) - 1, col))
            return
        rows = [self._row[i] for i in ids if i in self._row]
        for lo, hi in ranges(rows):
            self.dataChanged.emit(self.index(lo, col), self.index(hi, col))

    def _subjects_loaded(self) -> None:
        self.subjects.adopt()  # the lookup done on the thread (or a new one if it went stale)
        if self._region_key_partial and not self.subjects.looking_up(start=False):
            # A Region key built from the regions known before goes: the proxy, sorted by it,
            # sorts again on the dataChanged below.
            self.columns.drop("region")
            self._set_region_partial(False)
        if self._ids:
            col = COL["region"]
            self.dataChanged.emit(self.index(0, col), self.index(len(self._ids) - 1, col))
        self.regionsLoaded.emit()

    def _region_codes_known(self) -> None:
        """The lookup's thread knows every row's region (its id -> region map comes next): a
        sort by Region waiting for it sorts now (cells fill in on ``_subjects_loaded``). The
        thread makes its id map once the rows sorted here have painted (a zero timer)."""
        QTimer.singleShot(0, self.subjects.codes_taken)
        if self._region_key_partial and self.subjects.rows_codes(len(self._ids)) is not None:
            self.columns.drop("region")
            self._set_region_partial(False)
            if self._ids:  # (the proxy, sorted by Region, sorts again by the new key)
                col = COL["region"]
                self.dataChanged.emit(self.index(0, col), self.index(len(self._ids) - 1, col))

    def _set_region_partial(self, partial: bool) -> None:
        """The Region key knows only some regions (or all again): its title says so with an
        ellipsis (the panel shows a busy pointer over the rows)."""
        if partial == self._region_key_partial:
            return
        self._region_key_partial = self.subjects.codes_awaited = partial
        col = COL["region"]
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, col, col)
        self.regionsPending.emit(partial)

    def _reindex(self) -> None:
        self._row_map = None  # built on first need (an open of 100,000 members does not wait)
        self._open_rows = None

    @property
    def _row(self) -> RowMap:
        if self._row_map is None:  # (a million members': an IdRows, ~12 MB, not a ~60 MB dict)
            columns, self._open_rows = self._open_rows, None
            shared = None if columns is None else columns.index
            if shared is not None and columns is not None and columns.ids == self._ids:
                # The open's (made on the worker), copied: rows added go beside it. (A dict up to
                # 250,000 ids: copied, not made again from the ids on the GUI thread, ~80 ms of
                # the first rows' nearest places at 100,000; issue 17.)
                self._row_map = shared.copy() if isinstance(shared, IdRows) else dict(shared)
            else:
                self._row_map = row_map(self._ids)
        return self._row_map

    # ----- distance to the centre (computed and owned by the session) ---------------------------

    def _distances_changed(self, ids: list[str] | None) -> None:
        col = COL["distance"]
        self.columns.drop("distance")
        if ids is None:
            if self._ids:
                self.dataChanged.emit(self.index(0, col), self.index(len(self._ids) - 1, col))
            return
        for lo, hi in ranges([self._row[i] for i in ids if i in self._row]):
            self.dataChanged.emit(self.index(lo, col), self.index(hi, col))

    # ----- column arrays for the proxy's filters and sorts (columns.py) ------------------------

    def _sort_value(self, m: Member, col: str) -> Any:
        """What a column sorts by for one member (None = blank). Numbers for NUMERIC columns;
        otherwise the shown text, casefolded, so a new column sorts with no extra code."""
        if col == "distance":
            return self.session.distances.get(m.id)
        if col in NUMERIC:
            return getattr(m, col, None)
        if col == "name":
            return m.name.casefold() or None
        if col == "nearest":  # what is known so far (the column fills in as rows are shown)
            return (self.nearest.cached(m) or "").casefold() or None
        return self._display(m, col).casefold() or None

    def _column_values(self, col: str) -> list[Any] | np.ndarray | Key:
        """A whole column's sort values (as _sort_value gives them), with a tight loop for the
        columns that have one; any other column falls back to one member at a time."""
        if col == "distance":
            column = getattr(self.session.distances, "column", None)  # (core.row_values: one numpy take)
            if column is not None:
                return column(self._ids)  # type: ignore[no-any-return]
            get = self.session.distances.get
            return [get(mid) for mid in self._ids]
        if col == "region":  # every waiting member in one vectorised lookup, not one per row
            # Many waiting (a big project just opened): looked up on the thread; the rows sort
            # by what is known now and again when the answer comes (_subjects_loaded).
            partial = self.subjects.looking_up(start=not self.session.painting)
            # (every row's code known: one take; a lookup of up to SORT_WAITS_ROWS running: its
            # codes waited for, briefly, rather than two sorts and paints)
            key = self.subjects.sort_key(len(self._ids), wait=partial)
            self._set_region_partial(partial and key is None)
            if key is None and partial and not self.subjects.known():  # none yet: every row blank
                key = [], np.full(len(self._ids), np.nan), None
            return key if key is not None else self.subjects.sort_names(self._ids, wait=not partial)
        if col == "nearest":  # what is known so far (the column fills in as rows are shown)
            return self.nearest.sort_texts(self._ids, self.member_at)
        if col in ("kind", "status"):
            opened_key = self._opened_codes_key(col)
            if opened_key is not None:
                return opened_key
        from_file = self._values_from_file(col)
        if from_file is not None:
            return from_file
        if col == "name" and not getattr(self.session.members, "loaded", True):
            names = self._opened_names()  # (a big roster's were ranked on a thread already)
            if names is not None:
                return names()  # type: ignore[return-value]
        members = self._members_in_order()  # (an opened project's records: built here if not yet)
        if col == "name":  # C-level loops; "" (no name) ranks as blank, as None does
            return list(map(str.casefold, map(attrgetter("name"), members)))
        if col == "status" and self._day_status is not None:
            return [self._display(m, col).casefold() or None for m in members]
        if col in ("kind", "status", "industry"):
            folded = self._folded_labels(col)
            return [folded[getattr(m, col)] for m in members]
        if col in ("employees", "lat", "lon"):
            return [getattr(m, col) for m in members]
        if col in ("sector", "inn"):
            return [getattr(m, col).casefold() or None for m in members]
        if col == "size":  # a function of the head count alone: one label per distinct count
            counts = [m.employees for m in members]
            folded = {e: self._display_size(e) for e in set(counts)}
            return [folded[e] for e in counts]
        return [self._sort_value(m, col) for m in members]

    def _folded_labels(self, col: str) -> dict[Any, str | None]:
        """kind, status or industry: each value's shown label, casefolded (None: blank)."""
        enum: Any = {"kind": MemberKind, "status": Status, "industry": Industry}[col]
        shown = {"kind": self._kinds, "status": self._statuses, "industry": self._industries}[col]
        blank = "" if col == "industry" else None  # as _display: a kind without a label shows its value
        return {e: (shown.get(e, e.value if blank is None else blank).casefold() or None) for e in enum}

    def _opened_codes_key(self, col: str) -> Key | None:
        """An opened project's kind or status key from the codes its open read (the rows are the
        file's and nothing changed since: the session drops ``opened`` on any change): one numpy
        take, no file read and no text per row (issue 17: the first sort by kind read the column
        from the file and looked each row's label up, 75-150 ms of the GUI thread at 100,000).
        None: not so (a stored text that is no kind or status, the as-of view's statuses)."""
        opened = self.session.opened
        if opened is None or (col == "status" and self._day_status is not None):
            return None
        members = opened.members
        codes = members.kind_codes if col == "kind" else members.status_codes
        values = MEMBER_KIND_VALUES if col == "kind" else STATUS_VALUES
        if codes is None or len(codes) != len(self._ids) or members.ids != self._ids:
            return None
        if len(codes) and int(codes.max()) >= len(values):  # (a text the open could not place)
            return None
        labels = {e.value: label for e, label in self._folded_labels(col).items()}
        return codes_key(codes, [labels[v] for v in values])

    def _values_from_file(self, col: str) -> list[Any] | np.ndarray | None:
        """A column's sort values read from the file while the records are not built
        (file_columns.py); None: from the records."""
        convert = self._file_values(col)
        if convert is None:
            return None
        got = file_columns.read_rows(self.session, self._ids, [_STORED_FIELD[col]])
        return None if got is None else convert(got[0])

    def _file_values(self, col: str) -> Callable[[Any], list[Any] | np.ndarray | None] | None:
        """How a stored column, as read from the file, becomes its sort values: a call that may
        run on a thread (the labels it needs are taken now), giving None for a stored text that
        is no value of its kind (then from the records). None: the column is not read."""
        field = _STORED_FIELD.get(col)
        if field is None or (col == "status" and self._day_status is not None):
            return None
        if col in NUMERIC:
            return lambda values: values  # a float array, NaN: blank
        if col == "size":  # one label per distinct head count
            size_labels = dict(self._sizes)

            def sizes(values: np.ndarray) -> list[Any]:
                counts, rows = np.unique(values, return_inverse=True)
                shown = [_size_label(size_labels, None if np.isnan(c) else int(c)) for c in counts.tolist()]
                return list(map(shown.__getitem__, rows.reshape(-1).tolist()))
            return sizes
        if col in ("sector", "inn"):
            return casefolded  # ("" is blank, as None)
        by_text = {e.value: label for e, label in self._folded_labels(col).items()}

        def labelled(values: list[str]) -> list[Any] | None:
            try:
                return list(map(by_text.__getitem__, values))
            except KeyError:
                return None
        return labelled

    def haystacks_from_file(self) -> list[str] | None:
        """Every row's text filter haystack (as ``haystack``, not casefolded yet) read from the
        file while the records are not built; None: from the records."""
        read = file_columns.read_rows(self.session, self._ids, [], list(_HAYSTACK_FIELDS))
        return None if read is None else read[0]  # type: ignore[no-any-return]

    def prewarm_haystacks(self) -> None:
        """Read the text filter's haystack from the file on a thread, ahead of the filter (the
        filter box calls this when the pointer enters it, on focus and on the first keystroke:
        the read overlaps the pause the filter waits for; issue 17). Nothing when the records
        are built: they are read from memory."""
        if not self.columns.wants_haystacks():
            return
        read = file_columns.reader(self.session, self._ids, [], list(_HAYSTACK_FIELDS))
        if read is not None:
            self.columns.prewarm_haystacks(lambda: None if (got := read()) is None else got[0])

    def prewarm_sort(self, column: int) -> None:
        """The pointer is on a column's title: an opened project's stored column (INN, sector,
        kind, head count...) is read from the file and ranked on a thread, so the click that
        usually follows finds its key built (issue 17: first sort <= 100 ms; reading and ranking
        the INN column takes ~90-135 ms at 100,000 rows)."""
        col = COLUMNS[column] if 0 <= column < len(COLUMNS) else ""
        convert = self._file_values(col)
        if convert is None or self.session.painting or not self.columns.wants(col):
            return
        read = file_columns.reader(self.session, self._ids, [_STORED_FIELD[col]])
        if read is not None:
            self.columns.prewarm(col, lambda: None if (got := read()) is None else convert(got[0]))

    def prewarm_stored(self) -> None:
        """An opened project's stored columns of a costly first sort (INN, sector, head count and
        size: read from the file, then ranked: 60-180 ms of the GUI thread each at 100,000 rows,
        issue 17) read in one pass and ranked on a thread, once the open is assessed (kind and
        status need no read: ``_opened_codes_key``; latitude and longitude are in memory)."""
        wanted = [c for c in _STORED_AHEAD if self.columns.wants(c) and self._file_values(c) is not None]
        if not wanted or self.session.painting:
            return
        fields = list(dict.fromkeys(_STORED_FIELD[c] for c in wanted))  # (size is employees too)
        read = file_columns.reader(self.session, self._ids, fields)
        if read is None:
            return
        converts = {c: self._file_values(c) for c in wanted}

        def values() -> dict[str, Any] | None:
            got = read()
            if got is None:
                return None
            by_field = dict(zip(fields, got, strict=True))
            return {c: convert(by_field[_STORED_FIELD[c]]) for c, convert in converts.items()
                    if convert is not None}

        self.columns.prewarm_columns(wanted, values)

    def _prewarm_names(self, records: list[Member] | None = None) -> None:
        """A big roster's name key, ranked on a thread (~50-80 ms of CPU at 100,000 names): the
        first sort by name finds it built (a sort before it is done waits for it)."""
        if len(self._ids) < PREWARM_ROWS or self.columns.has_key("name"):
            return  # (sorted by name: the reset ranked them already)
        if not self._warm_ups_may_start():  # (the GIL the paint needs, the memory the worker's)
            self._warm_after_paint = True
            return
        names = self._opened_names()
        if names is None:
            if self.session.opened is not None:  # rows no longer the open's: wait for a sort
                return
            in_order = self._members_in_order() if records is None else records
            members = list(map(attrgetter("name"), in_order))  # str: safe to share
            names = lambda: list(map(str.casefold, members))  # noqa: E731
        self.columns.prewarm("name", names)

    def _opened_names(self) -> Callable[[], list[str] | Key] | None:
        """Every row's name casefolded from the open's names column (no record built), as a call
        that may run on a thread (it reads a copy); None when the rows are not the open's."""
        opened = self.session.opened
        if opened is None or opened.members.ids != self._ids or len(opened.members.names) != len(self._ids):
            return None
        if isinstance(opened.members.names, TextColumn):  # a snapshot's blob: split where called
            blob = opened.members.names.copy()
            return lambda: folded_key(blob.chunks(PART_ROWS), len(blob)) or _casefolded(blob)
        names = list(opened.members.names)  # file order: the rows' order (a copy to share)
        return lambda: casefolded(names)

    def _warm_ups_may_start(self) -> bool:
        """Whether the name key and the regions' lookup may start on their threads now: not
        while the map paints an opened project, nor before a big one is first assessed."""
        return not self.session.painting and not self._warm_after_assessed

    def _after_open_paint(self) -> None:
        """The map has painted the opened project: the warm-ups put off for it start (a big
        project's name key and regions once it is assessed: ``_start_warm_ups``)."""
        self._start_warm_ups(("region", "nearest") if self._warm_ups_may_start() else ("nearest",))

    def _start_warm_ups(self, blank: tuple[str, ...]) -> None:
        if self._warm_after_paint and self._warm_ups_may_start():
            self._warm_after_paint = False
            self._prewarm_names()
        if self._region_key_partial:  # a sort by Region waits for the lookup: it may start now
            self.subjects.looking_up()
        if self._ids:  # the cells shown blank meanwhile start their lookups
            for col in (COL[c] for c in blank):
                self.dataChanged.emit(self.index(0, col), self.index(len(self._ids) - 1, col))

    def _after_assessed(self) -> None:
        """The opened project's first assessment has arrived: a big one's name key and regions
        start on their threads (once painted), and the text filter's haystack is read on a
        thread now, while the user looks, so the first filter does not wait for it (a
        keystroke with no pointer near the box first: 320 ms keystroke -> rows at 100,000)."""
        if self._warm_after_assessed:  # once the worker has done what is queued now
            self.session.assessor.run(WARM_UPS_LANE, _nothing, self._worker_caught_up)
        if self._hay_after_assessed:
            self._hay_after_assessed = False
            if len(self._ids) <= HAYSTACK_AHEAD_ROWS:
                self.prewarm_haystacks()
                self.prewarm_stored()

    def _worker_caught_up(self, _nothing: object) -> None:
        if not self._warm_after_assessed:
            return
        self._warm_after_assessed = False
        if self.session.opened is None:  # edited meanwhile: no records built for a key now
            self._warm_after_paint = False  # (a sort by name ranks them when asked)
        if not self.session.painting:  # (else the paint's end starts them)
            self._start_warm_ups(("region",))

    def _display_size(self, employees: int | None) -> str | None:
        return _size_label(self._sizes, employees)

    def _codes_all(self) -> tuple[list[int], list[int]]:
        """Every row's (kind, status) codes (as the codes lambda gives them), in tight loops;
        right after an open from the columns it read (no records built)."""
        opened = self.session.opened
        if opened is not None and self._day_status is None and len(opened.members.kinds) == len(self._ids):
            try:
                return (list(map(_KIND_BY_TEXT.__getitem__, opened.members.kinds)),
                        list(map(_STATUS_BY_TEXT.__getitem__, opened.members.statuses)))
            except KeyError:  # a stored text that is no kind or status: from the records
                pass
        members = self._members_in_order()
        kinds = list(map(KIND_CODE.__getitem__, [m.kind for m in members]))
        other = len(STATUS_CODE)
        if self._day_status is None:
            code = STATUS_CODE.get
            return kinds, [code(m.status, other) for m in members]
        shown = self.shown_status
        return kinds, [STATUS_CODE.get(shown(m), other) for m in members]  # type: ignore[arg-type]

    # ----- the as-of view (ui.timeline): the Status column says what each member was that day --

    def show_day_status(self, status_of: Callable[[str], DayStatus | None] | None) -> None:
        """Show each member's status on the day the window shows (``status_of``: member id ->
        DayStatus, None for an id it does not know), or today's again (None)."""
        if status_of is None and self._day_status is None:
            return
        self._day_status = status_of
        self.columns.drop_status()
        if self._ids:  # the status column, italics and greys: every row may change
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(COLUMNS) - 1))

    def shown_status(self, m: Member) -> Status | None:
        """Today's status, or the day's in the as-of view (None: had not joined yet then)."""
        if self._day_status is None:
            return m.status
        code = self._day_status(m.id)
        return m.status if code is None else DAY_STATUS[code]

    @staticmethod
    def haystack(m: Member) -> str:
        """The text filter looks in the name, sector, INN, address and notes."""
        return "\x01".join((m.name, m.sector, m.inn, m.address, m.notes)).casefold()  # _HAYSTACK_FIELDS

    def _reset_records(self) -> list[Member]:
        """The members of the rows a reset just made (``_ids``: the session's order)."""
        members: Any = self.session.members  # (a plain dict, or an opened project's LazyRecords)
        self._rows_of_dict = members if type(members) is dict else None
        return self._members_in_order()

    def _members_in_order(self) -> list[Member]:
        members: Any = self.session.members
        in_order = self._rows_of_dict
        if in_order is not None and members is in_order and len(in_order) == len(self._ids):
            # A plain dict in the rows' order: its values, no lookup by id (at 100,000 members
            # each lookup is a cache miss: the reset grew faster than the roster; issue 17).
            return list(in_order.values())
        load_all = getattr(members, "load_all", None)  # an opened project's LazyRecords:
        if load_all is not None and not members.loaded:  # type: ignore[attr-defined]
            load_all()  # one pass over the file, not one query per row
        return list(map(members.__getitem__, self._ids))



def ranges(rows: Iterable[int]) -> list[tuple[int, int]]:
    """Contiguous (lo, hi) runs of row numbers, ascending."""
    out: list[tuple[int, int]] = []
    for r in sorted(set(rows)):
        if out and r == out[-1][1] + 1:
            out[-1] = (out[-1][0], r)
        else:
            out.append((r, r))
    return out


def _ranges_desc(rows: list[int]) -> list[tuple[int, int]]:
    return [(hi, lo) for lo, hi in reversed(ranges(rows))]


#: The assessor's lane of the no-op that tells when its worker has caught up (_after_assessed).
WARM_UPS_LANE = "roster-warm-ups"


def _nothing(_engine: object) -> None:
    return None


def _casefolded(names: TextColumn) -> list[str]:
    """Every name casefolded, from the blob a part at a time (folding.py: the GIL let go between
    parts; one call over a million names held it ~0.5 s while the GUI thread waited)."""
    return casefolded_parts(names.chunks(PART_ROWS))


def _size_label(labels: dict[Any, str], employees: int | None) -> str | None:
    """A head count's size class as the Size column shows it, casefolded (None: blank)."""
    return labels.get(size_class(employees), "").casefold() or None
