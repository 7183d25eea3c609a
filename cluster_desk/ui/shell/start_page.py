"""What the window shows with no project open: Open / New / Open demo and the recent files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cluster_desk import APP_NAME
from cluster_desk.paths import resource
from cluster_desk.ui.preferences import Preferences
from cluster_desk.ui.widgets.plain_text import plain_tip


class StartPage(QWidget):
    openRequested = Signal(str)

    def __init__(self, actions: Any, prefs: Preferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.prefs = prefs
        self.setObjectName("StartPage")
        self.setAutoFillBackground(True)
        self.setStyleSheet("#StartPage { background: #eef1f5; }"
                           " #StartCard { background: white; border: 1px solid #d9dce1;"
                           " border-radius: 10px; }")
        card = QFrame()
        card.setObjectName("StartCard")
        card.setFixedWidth(460)
        logo = QLabel()
        icon_path = resource("icons", "cluster-desk.svg")
        if icon_path.exists():
            logo.setPixmap(QIcon(str(icon_path)).pixmap(64, 64))
        logo.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        title = QLabel(APP_NAME)
        title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        title.setStyleSheet("font-size: 22px; font-weight: 600; color: #1d2a3a;")
        tagline = QLabel(self.tr("Place the cluster’s members on a map, draw its radius and see "
                                 "how it measures up against cluster research."))
        tagline.setWordWrap(True)
        tagline.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        tagline.setStyleSheet("color: #555;")

        layout = QVBoxLayout(card)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(8)
        layout.addWidget(logo)
        layout.addWidget(title)
        layout.addWidget(tagline)
        layout.addSpacing(10)
        for action in (actions.open, actions.new, actions.open_demo):
            button = QPushButton(action.text().replace("&", ""))
            button.setMinimumHeight(32)
            button.setToolTip(action.toolTip())
            button.clicked.connect(action.trigger)
            layout.addWidget(button)
        self.recent_title = QLabel(self.tr("Recent projects"))
        self.recent_title.setStyleSheet("color: #555; font-weight: 600; margin-top: 10px;")
        self.recent = QListWidget()
        self.recent.setFrameShape(QFrame.Shape.NoFrame)
        self.recent.setMaximumHeight(150)
        self.recent.itemActivated.connect(self._open_item)
        layout.addWidget(self.recent_title)
        layout.addWidget(self.recent)

        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)
        self.refresh()

    def _open_item(self, item: QListWidgetItem) -> None:
        self.openRequested.emit(str(item.data(Qt.ItemDataRole.UserRole)))

    def refresh(self) -> None:
        self.recent.clear()
        for path in self.prefs.recent_files:
            item = QListWidgetItem(f"{Path(path).name}   —   {Path(path).parent}")
            item.setData(Qt.ItemDataRole.UserRole, path)
            item.setToolTip(plain_tip(path))
            self.recent.addItem(item)
        has = self.recent.count() > 0
        self.recent.setVisible(has)
        self.recent_title.setVisible(has)
