"""One chart of the charts dock: a matplotlib figure drawn to pixels off the GUI thread, shown as
an image.

Why not matplotlib's own Qt canvas: it draws the figure on the GUI thread whenever the widget is
shown or resized, ~110-165 ms a chart on this 2-core machine (bench_actions: every chart tab
clicked froze the window that long, and dragging a dock's edge redrew at every step). Here the
figure is drawn by ``report.charts.figure_pixels`` on the session's worker at the widget's size
in device pixels; until the picture for a new size arrives, the last one is shown stretched.
The mouse is read against the figure as it was last drawn, and only when no draw of it runs
(matplotlib is not thread-safe).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QImage, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

#: A size in device pixels and the device pixel ratio it was asked for.
Size = tuple[int, int, float]


class ChartImage(QWidget):
    """Shows ``figure`` drawn at its own size; ``wants_drawing(self, size)`` is called when the
    picture on show is not of that size and none is on its way; ``hovered(event)`` gets a
    matplotlib MouseEvent over the figure as drawn."""

    def __init__(self, figure: Any, wants_drawing: Callable[[ChartImage, Size], None],
                 hovered: Callable[[Any], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.figure = figure
        self._wants_drawing = wants_drawing
        self._hovered = hovered
        self._image: QImage | None = None
        #: The size of the picture shown: this figure's (``drawn_at``) or a stand-in's.
        self.picture_at: Size | None = None
        self.drawn_at: Size | None = None
        #: The size a draw is on its way for (None: none is).
        self.drawing_at: Size | None = None
        self.setMouseTracking(True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def sizeHint(self) -> QSize:
        return QSize(480, 300)

    def minimumSizeHint(self) -> QSize:
        return QSize(120, 80)

    def size_wanted(self) -> Size:
        ratio = self.devicePixelRatioF()
        return round(self.width() * ratio), round(self.height() * ratio), ratio

    def is_drawn(self) -> bool:
        """Whether the picture shown is the figure drawn at the widget's size, none on its way."""
        return self.drawn_at == self.size_wanted() and self.drawing_at is None

    def ask(self, size: Size | None = None) -> None:
        """Ask for a draw at ``size`` (the widget's own by default) unless it is shown or coming."""
        size = size or self.size_wanted()
        if size[0] > 0 and size[1] > 0 and size not in (self.drawn_at, self.drawing_at):
            self.drawing_at = size
            self._wants_drawing(self, size)

    def show_pixels(self, size: Size, drawn: tuple[bytes, int, int]) -> None:
        """The figure's pixels asked for at ``size``: ``figure_pixels``' (RGBA, width, height).
        Asks again if the widget has been resized since."""
        if self.drawing_at == size:
            self.drawing_at = None
        rgba, width, height = drawn
        image = QImage(rgba, width, height, 4 * width, QImage.Format.Format_RGBA8888).copy()
        image.setDevicePixelRatio(size[2])
        self._image, self.drawn_at = image, size
        self.picture_at = size
        self.update()
        if self.isVisible():
            self.ask()

    def stand_in(self, other: ChartImage) -> None:
        """Show ``other``'s picture until this figure's own is drawn."""
        self._image, self.picture_at = other._image, other.picture_at

    def draw_dropped(self) -> None:
        """The draw on its way failed or was called off: the next paint asks again."""
        self.drawing_at = None

    def paintEvent(self, event: QPaintEvent) -> None:
        # Asked here, as matplotlib's Qt canvas draws: by the first paint at a size the layout
        # is done (a resize or show may be followed by another before anything is painted).
        self.ask()
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.GlobalColor.white)  # the figures' own background
        if self._image is not None:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(QRectF(self.rect()), self._image)
        elif self.drawing_at is not None:  # the first picture is on its way
            painter.setPen(Qt.GlobalColor.gray)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("Drawing the chart…"))
        painter.end()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        super().mouseMoveEvent(event)
        if not self.is_drawn():
            return  # the figure is being drawn, or what is shown is stretched
        from matplotlib.backend_bases import MouseEvent

        ratio = self.devicePixelRatioF()
        at = event.position()
        x, y = at.x() * ratio, (self.height() - at.y()) * ratio  # matplotlib's y runs upwards
        self._hovered(MouseEvent("motion_notify_event", self.figure.canvas, x, y))
