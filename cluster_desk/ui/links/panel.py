"""The Links dock: filter by kind, member and date, sort, edit in place, delete."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cluster_desk.core.model import LinkKind
from cluster_desk.ui.links.labels import link_kind_labels
from cluster_desk.ui.links.model import COLUMNS, LINK_ID_ROLE, LinksFilter, LinksModel


class _KindDelegate(QStyledItemDelegate):
    """A kind cell edits with a combo box of translated kinds."""

    def createEditor(self, parent: QWidget, option: Any, index: QModelIndex) -> QWidget:
        if COLUMNS[index.column()] != "kind":
            return super().createEditor(parent, option, index)
        box = QComboBox(parent)
        for kind, text in link_kind_labels().items():
            box.addItem(text, kind.value)
        return box

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: Any, index: QModelIndex) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)


class LinksPanel(QWidget):
    selectionChanged = Signal(list)  # link ids
    deleteRequested = Signal(list)  # link ids
    addRequested = Signal()

    def __init__(self, model: LinksModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.proxy = LinksFilter(self)
        #: The proxy gets its source when the table is first shown or used: filtering 300k rows
        #: (a Python call each) is not on the open path while the Links tab lies behind the roster.
        self._attached = False
        self.kind = QComboBox()
        self.kind.addItem(self.tr("All kinds"), "")
        for kind, text in link_kind_labels().items():
            self.kind.addItem(text, kind.value)
        self.text = QLineEdit()
        self.text.setPlaceholderText(self.tr("Filter by member, contract, notes"))
        self.text.setClearButtonEnabled(True)
        self.day = QLineEdit()
        self.day.setPlaceholderText(self.tr("active on YYYY-MM-DD"))
        self.day.setMaximumWidth(150)
        self.add_button = QPushButton(self.tr("Add link"))
        self.delete_button = QPushButton(self.tr("Delete"))
        self.count = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.kind)
        top.addWidget(self.text, 1)
        top.addWidget(self.day)
        top.addWidget(self.add_button)
        top.addWidget(self.delete_button)
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
        layout.addLayout(top)
        layout.addWidget(self.view)
        layout.addWidget(self.count)
        self.kind.currentIndexChanged.connect(lambda _i: self._filter())
        self.text.textChanged.connect(lambda _t: self._filter())
        self.day.textChanged.connect(lambda _t: self._filter())
        self.view.selectionModel().selectionChanged.connect(
            lambda *_a: self.selectionChanged.emit(self.selected_ids())
        )
        self.delete_button.clicked.connect(lambda: self.deleteRequested.emit(self.selected_ids()))
        self.add_button.clicked.connect(self.addRequested)
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset):
            signal.connect(lambda *_a: self._update_count())
        self._update_count()

    def attach(self) -> None:
        """Connect the table to the links (when its tab is shown, or it is used)."""
        if not self._attached:
            self._attached = True
            self.proxy.setSourceModel(self.model)
            self._update_count()

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
            day=self.day.text(),
            member=self.proxy.member,
        )
        self._update_count()

    def show_member(self, member_id: str | None) -> None:
        """Only this member's links (None: all)."""
        self.proxy.member = member_id
        self._filter()

    def _update_count(self) -> None:
        total = self.model.rowCount()
        shown = self.proxy.rowCount() if self._attached else total
        text = self.tr("%1 links") if shown == total else self.tr("%1 of %2 links")
        self.count.setText(
            text.replace("%1", f"{shown:,}".replace(",", " ")).replace("%2", f"{total:,}".replace(",", " "))
        )
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
