"""Map legend: member kinds (colours from core.palette.KIND_COLOURS) and the marker styles of the
page (status, outside the radius, highlighted, selected, the circle)."""

from __future__ import annotations

from PySide6.QtCore import QLocale, QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from cluster_desk.core.model import MemberKind
from cluster_desk.core.palette import FORMER_GREY, KIND_COLOURS, OUTSIDE_RED
from cluster_desk.ui import labels

# The page's marker styles (resources/web/map.js: styleFor, selection ring, circle).
HIGHLIGHT_INK = "#212121"
SELECTION_ORANGE = "#ff6f00"
CIRCLE_BLUE = "#1565c0"
# resources/web/fitcircles.js: the circles Fit Smallest Circle shows (never the norm circle).
SMALLEST_PURPLE = "#7b1fa2"
SMALLEST90_TEAL = "#00897b"
SAMPLE = "#1f77b4"


def swatch(style: str, colour: str = SAMPLE, size: int = 16) -> QPixmap:
    """A small picture of one marker style, drawn like the page draws it."""
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    c = QPointF(size / 2, size / 2)
    r = size / 2 - 3
    fill = QColor(colour)
    pen = QPen(QColor("white"), 1)
    if style == "candidate":
        fill.setAlphaF(0.15)
        pen = QPen(QColor(colour), 2, Qt.PenStyle.DashLine)
    elif style == "former":
        fill = QColor(FORMER_GREY)
        fill.setAlphaF(0.35)
        pen = QPen(QColor(FORMER_GREY), 1)
    elif style == "outside":
        pen = QPen(QColor(OUTSIDE_RED), 2.5)
    elif style == "highlight":
        pen = QPen(QColor(HIGHLIGHT_INK), 2.5)
        r += 1
    elif style == "selected":
        p.setPen(QPen(QColor(SELECTION_ORANGE), 2.5))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(c, r + 1, r + 1)
        p.setPen(QPen(QColor("white"), 1))
        p.setBrush(QColor(colour))
        p.drawEllipse(c, r - 2.5, r - 2.5)
        p.end()
        return pix
    elif style in ("circle", "smallest", "smallest90"):
        ink = {"circle": CIRCLE_BLUE, "smallest": SMALLEST_PURPLE, "smallest90": SMALLEST90_TEAL}[style]
        line = QPen(QColor(ink), 2)
        if style != "circle":
            line.setDashPattern([4, 2] if style == "smallest" else [1, 2])
        p.setPen(line)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawLine(2, size // 2, size - 2, size // 2)
        p.end()
        return pix
    p.setPen(pen)
    p.setBrush(fill)
    p.drawEllipse(c, r, r)
    p.end()
    return pix


class Legend(QFrame):
    """A compact two-column legend that floats over the map; its header collapses it. On a
    small map it starts collapsed (it would cover a large part of it) until the user opens it."""

    #: Largest share of the map the open legend may cover before it collapses by itself.
    MAX_COVER = 0.2

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Legend")
        self.setStyleSheet("#Legend { background: rgba(255, 255, 255, 235); border: 1px solid #c8ccd2;"
                           " border-radius: 6px; } #Legend QLabel { font-size: 11px; color: #333; }")
        self.toggle = QToolButton()
        self.toggle.setText(self.tr("Legend"))
        self.toggle.setCheckable(True)
        self.toggle.setChecked(True)
        self.toggle.setAutoRaise(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow)
        self.toggle.setStyleSheet("QToolButton { font-weight: 600; border: none; }")
        self.body = QWidget()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 2, 6, 4)
        outer.setSpacing(0)
        outer.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignLeft)
        outer.addWidget(self.body)
        self.toggle.toggled.connect(self._expand)
        #: The user's own choice (header clicked); None: sized to the map.
        self.user_expanded: bool | None = None
        self.toggle.clicked.connect(lambda on: setattr(self, "user_expanded", on))
        grid = QGridLayout(self.body)
        grid.setContentsMargins(4, 2, 4, 4)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(3)
        colours = KIND_COLOURS
        kinds = list(labels.kind_labels().items())
        statuses = labels.status_labels()
        styles = [
            ("member", statuses[next(iter(statuses))]),
            ("candidate", self.tr("Candidate or draft (not joined)")),
            ("former", self.tr("Former member")),
            ("outside", self.tr("Outside the radius")),
            ("highlight", self.tr("Members of the chosen check")),
            ("selected", self.tr("Selected")),
            ("circle", self.tr("Cluster radius (geodesic)")),
        ]
        # Two columns: kinds on the left, marker styles on the right.
        for row, (kind, text) in enumerate(kinds):
            self._add(grid, row, 0, swatch("member", colours.get(MemberKind(kind).value, SAMPLE)), text)
        for row, (style, text) in enumerate(styles):
            self._add(grid, row, 2, swatch(style), text)
        grid.setColumnMinimumWidth(2, 18)
        # Shown only while Fit Smallest Circle's circles are on the map (ui.map.fit_circles).
        self._fit_rows: list[tuple[QLabel, QLabel]] = []
        for i, style in enumerate(("smallest", "smallest90")):
            icon, label = QLabel(), QLabel()
            icon.setPixmap(swatch(style))
            grid.addWidget(icon, len(styles) + i, 2)
            grid.addWidget(label, len(styles) + i, 3)
            icon.hide()
            label.hide()
            self._fit_rows.append((icon, label))
        # Under the links section while the map thins lines at a low zoom (show_links_note).
        self.links_note = QLabel()
        self.links_note.setObjectName("LinksNote")
        self.links_note.setWordWrap(True)
        self.links_note.setStyleSheet("#LinksNote { color: #5f6368; font-style: italic; }")
        self.links_note.hide()
        outer.addWidget(self.links_note)

    def show_links_note(self, shown: int, in_view: int) -> None:
        """Say that only ``shown`` of the ``in_view`` lines in view are drawn (the map thins them
        at a low zoom: links.js LINE_BUDGET); ``shown == in_view`` (or 0, 0) hides the note."""
        if shown >= in_view:
            self.links_note.hide()
            self.adjustSize()
            return
        # The plural form is picked by in_view; both numbers are grouped as the language groups them.
        text = self.tr("Showing %1 of %2 link(s) in view; zoom in to see all", "", in_view)
        text = text.replace("(s)", "" if in_view == 1 else "s")  # English without a translation
        locale = QLocale()
        text = text.replace("%1", locale.toString(shown)).replace("%2", locale.toString(in_view))
        self.links_note.setText(text)
        # Wrapped to the legend's width: the note never widens it (the map's fit keeps clear of it).
        self.links_note.setMaximumWidth(max(160, self.body.sizeHint().width()))
        self.links_note.show()
        self.adjustSize()

    def show_fit_circles(self, smallest_km: float | None, smallest90_km: float | None) -> None:
        """The entries of the smallest circle and the 90 % one, with their radii; None hides them."""
        texts = (self.tr("Smallest circle, all members: %1 km"), self.tr("Circle of 90 % of members: %1 km"))
        for (icon, label), text, km in zip(self._fit_rows, texts, (smallest_km, smallest90_km), strict=True):
            shown = km is not None
            if km is not None:
                label.setText(text.replace("%1", f"{km:,.0f}".replace(",", "\u00a0")))
            icon.setVisible(shown)
            label.setVisible(shown)
        self.adjustSize()

    def fit_to(self, width: int, height: int) -> None:
        """Open or collapse by the map's size, unless the user chose."""
        if self.user_expanded is not None:
            return
        body = self.body.sizeHint()
        cover = (body.width() + 12) * (body.height() + self.toggle.sizeHint().height() + 6)
        want = cover <= self.MAX_COVER * max(1, width * height)
        if want != self.toggle.isChecked():
            self.toggle.setChecked(want)

    def add_section(self, title: str, items: list[tuple[QPixmap, str]],
                    expanded: bool = False) -> QToolButton:
        """A collapsible section under the entries (the links' colours, ui.links), two columns.

        Collapsed by default: one line, so the legend keeps its width and the map's fit around it.
        """
        toggle = QToolButton()
        toggle.setText(title)
        toggle.setCheckable(True)
        toggle.setAutoRaise(True)
        toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toggle.setStyleSheet("QToolButton { font-weight: 600; border: none; }")
        section = QWidget()
        grid = QGridLayout(section)
        grid.setContentsMargins(4, 0, 4, 2)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(3)
        half = (len(items) + 1) // 2
        for i, (pix, text) in enumerate(items):
            self._add(grid, i % half, 0 if i < half else 2, pix, text)
        grid.setColumnMinimumWidth(2, 18)
        body = self.body.layout()
        outer = self.layout()
        assert body is not None and outer is not None
        outer.addWidget(toggle, 0, Qt.AlignmentFlag.AlignLeft)
        outer.addWidget(section)
        outer.removeWidget(self.links_note)  # the note stays last, under the links' section
        outer.addWidget(self.links_note)

        def expand(on: bool) -> None:
            section.setVisible(on)
            toggle.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
            self.adjustSize()

        toggle.toggled.connect(expand)
        self.toggle.toggled.connect(lambda on: toggle.setVisible(on))
        self.toggle.toggled.connect(lambda on: section.setVisible(on and toggle.isChecked()))
        toggle.setChecked(expanded)
        expand(expanded)
        return toggle

    def _expand(self, on: bool) -> None:
        self.body.setVisible(on)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        self.adjustSize()

    @staticmethod
    def _add(grid: QGridLayout, row: int, col: int, pix: QPixmap, text: str) -> None:
        icon = QLabel()
        icon.setPixmap(pix)
        label = QLabel(text)
        grid.addWidget(icon, row, col)
        grid.addWidget(label, row, col + 1)
