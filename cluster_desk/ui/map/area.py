"""The central area: the map filling it, the legend floating in its top-right corner, and the
start page over everything when no project is open (the map keeps its size underneath, so the
page never lays itself out at zero size)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Signal
from PySide6.QtWidgets import QWidget

MARGIN = 10


class MapArea(QWidget):
    legendPlaced = Signal()  # the floating legend moved or changed size (the map's fit keeps it clear)

    def __init__(self, map_view: QWidget, legend: QWidget, start_page: QWidget,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.map_view = map_view
        self.legend = legend
        self.start_page = start_page
        for child in (map_view, legend, start_page):
            child.setParent(self)
        legend.raise_()
        start_page.raise_()
        legend.installEventFilter(self)  # re-place it when it collapses or expands

    def sizeHint(self) -> QSize:
        return QSize(900, 600)

    def resizeEvent(self, event: QEvent) -> None:
        super().resizeEvent(event)
        self._place()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.legend and event.type() in (QEvent.Type.LayoutRequest, QEvent.Type.Show):
            self._place()
        return False

    def _place(self) -> None:
        rect = self.rect()
        fit_to = getattr(self.legend, "fit_to", None)
        if fit_to is not None:
            fit_to(rect.width(), rect.height())
        self.map_view.setGeometry(rect)
        self.start_page.setGeometry(rect)
        hint = self.legend.sizeHint()
        before = self.legend.geometry()
        self.legend.setGeometry(rect.width() - hint.width() - MARGIN, MARGIN, hint.width(), hint.height())
        if self.legend.geometry() != before:
            self.legendPlaced.emit()
