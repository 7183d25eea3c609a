"""The Links dock: filter by kind, text, date and the selected member, sort, edit in place, delete."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cluster_desk.core.days import iso_day
from cluster_desk.core.model import LinkKind
from cluster_desk.ui.links.labels import link_kind_labels
from cluster_desk.ui.links.model import COLUMNS, LINK_ID_ROLE, LinksModel
from cluster_desk.ui.links.proxy import LinksProxy
from cluster_desk.ui.thread_answers import run_off_gui
from cluster_desk.ui.widgets.choice_delegate import ChoiceDelegate
from cluster_desk.ui.widgets.filter_bar import FilterBar, show_count


class _KindDelegate(ChoiceDelegate):
    """A kind cell edits with a combo box of translated kinds."""

    def choices(self, column: int) -> dict[LinkKind, str] | None:
        return link_kind_labels() if COLUMNS[column] == "kind" else None


class LinksPanel(QWidget):
    selectionChanged = Signal(list)  # link ids
    deleteRequested = Signal(list)  # link ids
    addRequested = Signal()

    def __init__(self, model: LinksModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.proxy = LinksProxy(self)
        # The proxy gets its source when the table is first shown or used: an open with a filter
        # on does not build the records for a table nobody sees.
        self._attached = False
        self.filters = FilterBar(self.tr("Filter by member, contract, notes"))
        self.kind = self.filters.choice(self.tr("All kinds"), link_kind_labels(), shrink=True)
        self.text = self.filters.text
        self.text.setMinimumWidth(120)  # (the boxes beside it must not squeeze it out of sight)
        self.day = QLineEdit()
        self.day.setPlaceholderText(self.tr("active on YYYY-MM-DD"))  # (either way: core.days)
        self.day.setMaximumWidth(150)
        # Only the links of the member selected in the roster or on the map (``follow_selection``).
        self.only_selected = QCheckBox(self.tr("Selected member only"))
        self.only_selected.setToolTip(self.tr("Show only the links of the member selected in the roster "
                                              "or on the map"))
        self._selected_member: str | None = None
        self.add_button = QPushButton(self.tr("Add link"))
        self.delete_button = QPushButton(self.tr("Delete"))
        self.count = QLabel()
        for widget, stretch in ((self.kind, 0), (self.text, 1), (self.day, 0), (self.only_selected, 0),
                               (self.add_button, 0), (self.delete_button, 0)):
            self.filters.add(widget, stretch)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.view.setItemDelegate(_KindDelegate(self.view))
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setWordWrap(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.filters)
        layout.addWidget(self.view)
        layout.addWidget(self.count)
        self.kind.currentIndexChanged.connect(lambda _i: self._filter())
        self.text.textChanged.connect(lambda _t: self._filter())
        self.day.textChanged.connect(lambda _t: self._filter())
        self.only_selected.toggled.connect(lambda _on: self._filter())
        self.view.selectionModel().selectionChanged.connect(
            lambda *_a: self.selectionChanged.emit(self.selected_ids())
        )
        self.delete_button.clicked.connect(lambda: self.deleteRequested.emit(self.selected_ids()))
        self.add_button.clicked.connect(self.addRequested)
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset):
            signal.connect(lambda *_a: self._update_count())
        self.proxy.arranged.connect(self._update_count)
        self.proxy.modelReset.connect(self._fit_titles)  # (a reset gives the columns their default width)
        self._fit_titles()
        self.proxy.pendingChanged.connect(self._pending)
        self._update_count()

    def attach(self) -> None:
        """Connect the table to the links (when its tab is shown, or it is used)."""
        if not self._attached:
            self._attached = True
            self.proxy.setSourceModel(self.model)
            self._update_count()
            # (what a first sort or filter by a value waits for: counted while the user reads)
            made = self.model.opened_order()
            if made is not None:
                run_off_gui(self, made[0].prepare, lambda _none: None, name="cd-links-prepare")

    def set_active(self, shown: bool) -> None:
        """The Links tab came to the front (attach) or went behind the roster (detach: a
        project opened meanwhile is not filtered row by row for a table nobody sees)."""
        if shown:
            self.attach()
        elif self._attached and not (self.proxy.member or self.proxy.kind
                                     or self.proxy.text or self.proxy.day):
            self._attached = False
            self.proxy.setSourceModel(None)  # type: ignore[arg-type]

    def _filter(self) -> None:
        self.attach()
        data = self.kind.currentData()
        self.proxy.set_filter(
            kind=LinkKind(data) if data else None,
            text=self.text.text(),
            day=iso_day(self.day.text()) or "",  # ("01.09.2016" or "2016-09-01"; not a day yet: none)
            member=self._selected_member if self.only_selected.isChecked() else None,
        )
        self._update_count()

    def follow_selection(self, member_id: str | None) -> None:
        """The member selected now (None: none, or several); with "Selected member only" on, the
        table shows that member's links (all links while no single member is selected)."""
        if member_id == self._selected_member:
            return
        self._selected_member = member_id
        if self.only_selected.isChecked():
            self._filter()

    def _pending(self, pending: bool) -> None:
        """A sort or filter being made (a million members: ~1-2 s on a worker): a busy pointer
        over the rows, which stay as they were until it comes."""
        if pending:
            self.view.viewport().setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.view.viewport().unsetCursor()

    def _fit_titles(self) -> None:
        """Every column at least as wide as its title («Объём, руб. в год» was cut at the default)."""
        header = self.view.horizontalHeader()
        for column in range(header.count()):
            header.resizeSection(column, max(header.sectionSize(column), header.sectionSizeHint(column)))

    def _update_count(self) -> None:
        total = self.model.rowCount()
        shown = self.proxy.rowCount() if self._attached else total
        show_count(self.count, shown, total, self.tr("%1 link(s)", "", total),
                   self.tr("%1 of %2 link(s)", "", total))
        self.delete_button.setEnabled(bool(self.selected_ids()))

    def selected_ids(self) -> list[str]:
        rows = self.view.selectionModel().selectedRows()
        return [str(r.data(LINK_ID_ROLE)) for r in rows if r.data(LINK_ID_ROLE)]

    def select_link(self, link_id: str | None) -> None:
        self.attach()
        self.view.clearSelection()
        row = self.model.row_of(link_id) if link_id else None
        if row is None:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if index.isValid():
            self.view.selectRow(index.row())
            self.view.scrollTo(index)
