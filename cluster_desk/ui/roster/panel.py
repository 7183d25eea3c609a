"""The roster dock: filter bar (text, kind, status, "members of a check") over a table view."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from cluster_desk.core.model import MemberKind, Status
from cluster_desk.ui import labels
from cluster_desk.ui.i18n import ui_text
from cluster_desk.ui.roster.model import COL, COLUMNS, ID_ROLE, RosterModel
from cluster_desk.ui.roster.proxy import RosterProxy
from cluster_desk.ui.roster.subject_column import SubjectFilterCombo
from cluster_desk.ui.roster.table_view import RosterTable
from cluster_desk.ui.widgets.choice_delegate import ChoiceDelegate
from cluster_desk.ui.widgets.filter_bar import FilterBar, show_count
from cluster_desk.ui.widgets.filter_chip import FilterChip

#: Sensible starting widths (px) so nothing important is cut at 1400 px.
_WIDTHS = {"name": 250, "kind": 135, "status": 95, "sector": 60, "industry": 85, "employees": 80,
           "size": 70, "distance": 100, "nearest": 220, "region": 190, "inn": 100, "lat": 85, "lon": 85}


class EnumDelegate(ChoiceDelegate):
    """A combo box editor for the kind, status and core/related columns."""

    def choices(self, column: int) -> Mapping[Any, str] | None:
        col = COLUMNS[column]
        if col == "kind":
            return labels.kind_labels()
        if col == "status":
            return labels.status_labels()
        if col == "industry":
            return {k: (v or "—") for k, v in labels.industry_labels().items()}
        return None


class RosterPanel(QWidget):
    selectionChanged = Signal(list)  # member ids selected in the table (user or program)
    editRequested = Signal()  # double-click on a non-editable cell or Enter: open the form
    checkFilterCleared = Signal()

    def __init__(self, model: RosterModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.proxy = RosterProxy(self)
        self.proxy.setSourceModel(model)

        self.filters = FilterBar(self.tr("Filter by name, sector, INN, address…"))
        self.filters.row.setContentsMargins(6, 4, 6, 2)
        self.filters.row.setSpacing(0)  # as when the bar was a layout in the panel's (spacing 0)
        self.filter_edit = self.filters.text
        # The combos may shrink (long Russian kinds) so the row count is never cut off.
        self.kind_combo = self.filters.choice(self.tr("All kinds"), labels.kind_labels(), shrink=True)
        self.status_combo = self.filters.choice(self.tr("All statuses"), labels.status_labels(), shrink=True)
        # Federal subject (its lookup on a thread, as a sort by Region's, not while the map paints)
        self.region_combo = SubjectFilterCombo(model.subjects, may_start=lambda: not model.session.painting)
        self.check_chip = FilterChip(self.tr("Show all members again"))
        self.check_chip.setAutoRaise(True)
        self.check_chip.setStyleSheet(
            "QToolButton { background: #e8f0fe; border: 1px solid #a8c2ef; border-radius: 9px;"
            " padding: 1px 8px; color: #1a3f7a; }")
        self.check_chip.hide()
        self.check_chip.clicked.connect(self.clear_check_filter)
        self.count_label = QLabel()
        self.count_label.setStyleSheet("color: #666;")
        self.filter_edit.setMinimumWidth(120)
        for widget, stretch in ((self.filter_edit, 3), (self.kind_combo, 1), (self.status_combo, 1),
                                (self.region_combo, 1), (self.check_chip, 0)):
            self.filters.add(widget, stretch)
        self.filters.row.addStretch(0)
        self.filters.add(self.count_label)

        self.view = RosterTable()
        self.view.setModel(self.proxy)
        self.view.setItemDelegate(EnumDelegate(self.view))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.view.setAlternatingRowColors(True)
        self.view.setSortingEnabled(True)
        self.view.setWordWrap(False)
        self.view.setShowGrid(False)
        self.view.setCornerButtonEnabled(False)
        vh = self.view.verticalHeader()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # 100,000 rows: never measure rows
        vh.setDefaultSectionSize(self.fontMetrics().height() + 8)
        vh.hide()
        hh = self.view.horizontalHeader()
        hh.setHighlightSections(False)
        hh.setStretchLastSection(True)
        hh.setSortIndicatorShown(True)
        hh.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        for name, width in _WIDTHS.items():
            self.view.setColumnWidth(COL[name], width)
        # Long translated titles (e.g. "Ближайший населённый пункт") are not cut off.
        title = str(model.headerData(COL["nearest"], Qt.Orientation.Horizontal) or "")
        self.view.setColumnWidth(COL["nearest"],
                                 max(_WIDTHS["nearest"], hh.fontMetrics().horizontalAdvance(title) + 28))
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        hh.viewport().setMouseTracking(True)  # (the pointer over a title: see eventFilter)
        hh.viewport().installEventFilter(self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.filters)
        layout.addWidget(self.view)

        # The text filter runs over every row: wait until typing pauses.
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(150)
        self._filter_timer.timeout.connect(lambda: self.proxy.set_text(self.filter_edit.text()))
        self.filter_edit.textChanged.connect(self._filter_typed)
        self.filter_edit.installEventFilter(self)  # (its focus: see eventFilter)
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.status_combo.currentIndexChanged.connect(self._status_changed)
        self.region_combo.currentIndexChanged.connect(self._region_changed)
        self.view.selectionModel().selectionChanged.connect(self._emit_selection)
        self.view.doubleClicked.connect(self._double_clicked)
        for signal in (self.proxy.rowsInserted, self.proxy.rowsRemoved, self.proxy.modelReset,
                       self.proxy.layoutChanged):
            signal.connect(self._update_count)
        model.regionsPending.connect(self._regions_pending)
        model.regionsLoaded.connect(self.region_combo.regions_loaded)
        model.session.openPainted.connect(self.region_combo.regions_loaded)  # (may start it now)
        self._update_count()

    # ----- filters --------------------------------------------------------------------------------

    def focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.filter_edit and event.type() in (QEvent.Type.Enter, QEvent.Type.FocusIn):
            self.model.prewarm_haystacks()  # the pointer on the box: the rows' texts start loading
        elif isinstance(event, QMouseEvent) and watched is self.view.horizontalHeader().viewport():
            # The pointer on a column's title: its sort key starts building before the click.
            self.model.prewarm_sort(self.view.horizontalHeader().logicalIndexAt(event.position().toPoint()))
        return super().eventFilter(watched, event)

    def _filter_typed(self) -> None:
        if self.filter_edit.text():  # the rows' texts start loading while typing pauses
            self.model.prewarm_haystacks()
        self._filter_timer.start()

    def _kind_changed(self) -> None:
        data = self.kind_combo.currentData()
        self.proxy.set_kind(MemberKind(data) if data else None)
        self._update_count()

    def _status_changed(self) -> None:
        data = self.status_combo.currentData()
        self.proxy.set_status(Status(data) if data else None)
        self._update_count()

    def _region_changed(self) -> None:
        self.proxy.set_subject(self.region_combo.currentData())
        self._update_count()

    def set_check_filter(self, title: str, ids: list[str], among: Any = None, off_map: bool = False,
                         rows: Any = None) -> None:
        """Show only the members a check is about (a removable chip says which check);
        ``among``, ``off_map``, ``rows``: see RosterProxy.set_ids."""
        self.proxy.set_ids(ids, among, off_map, rows)
        count = ui_text().number(len(ids))
        forms = (self.tr("%1: %2 member(s)  ✕", "", len(ids)),
                 self.tr("%1: %2  ✕", "a check's members, short of room"))
        self.check_chip.set_text(tuple(f.replace("%2", count) for f in forms), title)
        self.check_chip.show()
        self._update_count()

    def clear_check_filter(self) -> None:
        if not self.proxy.has_id_filter:
            return
        self.proxy.set_ids(None)
        self.check_chip.hide()
        self._update_count()
        self.checkFilterCleared.emit()

    def _regions_pending(self, pending: bool) -> None:
        """Sorted by Region while the regions are looked up on a thread: a busy pointer over the
        rows until they arrive and the rows sort (the title shows an ellipsis meanwhile)."""
        if pending:
            self.view.viewport().setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.view.viewport().unsetCursor()

    def _update_count(self, *_args: Any) -> None:
        total = self.model.rowCount()
        show_count(self.count_label, self.proxy.rowCount(), total, self.tr("%1 row(s)", "", total),
                   self.tr("%1 of %2 row(s)", "", total))

    # ----- selection ------------------------------------------------------------------------------

    def selected_ids(self) -> list[str]:
        rows = self.view.selectionModel().selectedRows()
        return [str(i.data(ID_ROLE)) for i in rows]

    def _emit_selection(self, *_args: Any) -> None:
        self.selectionChanged.emit(self.selected_ids())

    def select_ids(self, ids: list[str], scroll: bool = True) -> None:
        """Select members by id (e.g. a marker clicked on the map); hidden rows are skipped."""
        selection = QItemSelection()
        first: QModelIndex | None = None
        last_col = len(COLUMNS) - 1
        for mid in ids:
            row = self.model.row_of(mid)
            if row < 0:
                continue
            proxy_index = self.proxy.mapFromSource(self.model.index(row, 0))
            if not proxy_index.isValid():
                continue
            selection.select(proxy_index, proxy_index.siblingAtColumn(last_col))
            first = first or proxy_index
        flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                 | QItemSelectionModel.SelectionFlag.Rows)
        self.view.selectionModel().select(selection, flags)
        if first is not None:
            self.view.selectionModel().setCurrentIndex(first, QItemSelectionModel.SelectionFlag.NoUpdate)
            if scroll:
                self.view.scrollTo(first, QAbstractItemView.ScrollHint.EnsureVisible)

    def _double_clicked(self, index: QModelIndex) -> None:
        if not (self.proxy.flags(index) & Qt.ItemFlag.ItemIsEditable):
            self.editRequested.emit()
