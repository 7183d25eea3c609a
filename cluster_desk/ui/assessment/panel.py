"""The assessment dock: the norm radius/centre header, one card per check (a click shows its
members and "how this is computed"), and the what-if planner tab."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cluster_desk.core.check_facts import CHECK_IDS, CheckResult
from cluster_desk.text.check_explain import explain_check
from cluster_desk.text.checks import render_check
from cluster_desk.ui.assessment.planner import PlannerPanel
from cluster_desk.ui.i18n import ui_text

STATUS_COLOURS = {"ok": "#2e9d4f", "warning": "#e0a000", "failing": "#d23a2f",
                  "not_applicable": "#a0a4aa"}


FOCUS_BLUE = "#1565c0"


class CheckCard(QFrame):
    """One check: status dot, title, headline figure, threshold, message, remedy, source."""

    clicked = Signal(str)

    def __init__(self, check_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check_id = check_id
        self.setObjectName("CheckCard")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.dot = QLabel()
        self.dot.setFixedSize(12, 12)
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: 600;")
        self.figure = QLabel()
        self.figure.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.figure.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.threshold = QLabel()
        self.threshold.setStyleSheet("color: #555;")
        self.message = QLabel()
        self.remedy = QLabel()
        self.source = QLabel()
        self.source.setStyleSheet("color: #8a8f98; font-size: 11px;")
        self.how_title = QLabel(self.tr("How this is computed"))
        self.how_title.setStyleSheet("font-weight: 600; margin-top: 4px;")
        self.how = QLabel()
        self.how.setStyleSheet("color: #333; font-size: 11px;")
        for label in (self.threshold, self.message, self.remedy, self.source, self.title, self.how):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)  # names in messages are text, not HTML
        grid = QGridLayout(self)
        grid.setContentsMargins(10, 8, 10, 8)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        grid.addWidget(self.dot, 0, 0, Qt.AlignmentFlag.AlignVCenter)
        grid.addWidget(self.title, 0, 1)
        grid.addWidget(self.figure, 0, 2)
        grid.addWidget(self.threshold, 1, 1, 1, 2)
        grid.addWidget(self.message, 2, 1, 1, 2)
        grid.addWidget(self.remedy, 3, 1, 1, 2)
        grid.addWidget(self.source, 4, 1, 1, 2)
        grid.addWidget(self.how_title, 5, 1, 1, 2)
        grid.addWidget(self.how, 6, 1, 1, 2)
        grid.setColumnStretch(1, 1)
        self.result: CheckResult | None = None
        self._explained: CheckResult | None = None  # the result "how" was written for
        self._styles: dict[str, str] = {}  # per part, the style sheet set last
        # Both looks in one sheet, picked by the "selected" property: a click re-polishes the card
        # alone (a sheet set on each click re-polished its labels too: ~3 ms a card, two a click).
        # A visible keyboard focus (Tab through the cards): a thicker blue frame.
        self._selected = False
        self.setProperty("selected", False)
        self.setStyleSheet(
            "#CheckCard { background: #ffffff; border: 1px solid #d9dce1; border-radius: 6px; }"
            ' #CheckCard[selected="true"] { background: #f2f6fe; border: 1px solid #3b6fd8; }'
            f" #CheckCard:focus {{ border: 2px solid {FOCUS_BLUE}; }}")
        self.how_title.setVisible(False)
        self.how.setVisible(False)

    def _style(self, part: str, widget: QWidget, sheet: str) -> None:
        """Set a style sheet only when it differs (each set re-polishes the widget: after every
        marker drop the cards would cost several milliseconds of the GUI thread)."""
        if self._styles.get(part) != sheet:
            self._styles[part] = sheet
            widget.setStyleSheet(sheet)

    def set_result(self, result: CheckResult) -> None:
        if result is self.result:
            return  # the same result (the worker re-ran only the geographic checks)
        self.result = result
        text = render_check(result, ui_text())
        status = str(result.status)
        colour = STATUS_COLOURS.get(status, "#a0a4aa")
        self._style("dot", self.dot, f"background: {colour}; border-radius: 6px;")
        self.dot.setToolTip(text.status)
        self.title.setText(text.title)
        self.figure.setText(text.figure)
        self.threshold.setText(text.threshold_line)
        self.threshold.setVisible(bool(text.threshold_line))
        self.message.setText(text.message)
        self.remedy.setText(text.remedy)
        self.remedy.setVisible(bool(text.remedy))
        self._style("remedy", self.remedy, f"color: {'#b3261e' if status == 'failing' else '#8a5a00'};")
        self.source.setText(text.source)
        self.source.setVisible(bool(text.source))
        if self._selected:
            self._explain()
        n = len(result.member_ids)
        self.setToolTip(self.tr("Click to show the %1 member(s) this check is about", "", n)
                        .replace("%1", ui_text().number(n)) if n else "")

    def _explain(self) -> None:
        """"How this is computed", written when the card is opened (hidden until then: after a
        drop that moved the centre, writing it for each changed card held the GUI thread a few
        tenths of a millisecond a card)."""
        if self.result is not None and self._explained is not self.result:
            self._explained = self.result
            self.how.setText("\n".join(f"• {line}" for line in explain_check(self.result, ui_text())))

    def set_selected(self, selected: bool) -> None:
        if selected == self._selected:
            return
        self._selected = selected
        if selected:
            self._explain()
        self.how_title.setVisible(selected)
        self.how.setVisible(selected)
        self._restyle(selected)

    def _restyle(self, selected: bool) -> None:
        self.setProperty("selected", selected)
        self.style().unpolish(self)
        self.style().polish(self)
        self.update()

    def warm_style(self) -> None:
        """Restyle once as selected and back: the process's first restyle of a card costs
        ~15-25 ms (Qt's style sheet rules for the property), then ~0.5 ms; paid here, at
        ``prepare_cards``' idle time, not on the first card clicked."""
        self._restyle(True)
        self._restyle(self._selected)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(self.check_id)
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit(self.check_id)
        else:
            super().keyPressEvent(event)


class AssessmentPanel(QWidget):
    radiusEdited = Signal(float)  # the user typed or stepped the radius (km)
    checkClicked = Signal(str)  # a card was clicked (again: deselected -> "")
    cardsApproached = Signal()  # the pointer came over the cards: a click may follow
    UPDATING_DELAY_MS = 150  # "Updating…" shows only for a run that takes longer than this

    def __init__(self, fit_action: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.radius = QDoubleSpinBox()
        self.radius.setRange(0.1, 20000.0)
        self.radius.setDecimals(1)
        self.radius.setSingleStep(5.0)
        self.radius.setSuffix(self.tr(" km"))
        self.radius.setKeyboardTracking(False)  # one edit when typing is done, not per digit
        self.radius.setAccelerated(True)
        self.radius.setToolTip(self.tr("Norm radius of geographic concentration (geodesic, WGS84). "
                                       "OECD: ≤ 200 km"))
        self.radius.setMinimumWidth(110)
        self.radius.valueChanged.connect(self._radius_changed)
        self.centre = QLabel()
        self.centre.setStyleSheet("color: #555;")
        self.centre.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        radius_label = QLabel(self.tr("Norm radius:"))
        radius_label.setBuddy(self.radius)

        header = QGridLayout()
        header.setContentsMargins(8, 6, 8, 6)
        header.addWidget(radius_label, 0, 0)
        header.addWidget(self.radius, 0, 1)
        if fit_action is not None:
            fit = QPushButton(fit_action.text().replace("&", ""))
            fit.setToolTip(fit_action.toolTip())
            fit.clicked.connect(fit_action.trigger)
            header.addWidget(fit, 0, 2)
        header.addWidget(self.centre, 1, 0, 1, 4)
        # While the checks of an edited state are computed (off the GUI thread): shown only when
        # that takes long enough to notice, so quick ones do not flicker.
        self.updating = QLabel(self.tr("Updating…"))
        self.updating.setObjectName("AssessmentUpdating")
        self.updating.setStyleSheet("color: #8a5a00; font-style: italic;")
        self.updating.setToolTip(self.tr("The checks are being computed for your latest changes"))
        self.updating.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.updating.hide()
        self._updating_delay = QTimer(self, singleShot=True, interval=self.UPDATING_DELAY_MS)
        self._updating_delay.timeout.connect(self.updating.show)
        header.addWidget(self.updating, 0, 3)
        self.circles = QLabel()
        self.circles.setStyleSheet("color: #555;")
        self.circles.setWordWrap(True)
        header.addWidget(self.circles, 2, 0, 1, 4)
        header.setColumnStretch(3, 1)

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setContentsMargins(10, 0, 10, 4)
        self.summary.setStyleSheet("color: #333;")

        self.cards_box = QWidget()
        self.cards_box.setObjectName("CardsBox")
        self.cards_box.setStyleSheet("#CardsBox { background: #f4f5f7; }")
        self.cards_layout = QVBoxLayout(self.cards_box)
        self.cards_layout.setContentsMargins(8, 8, 8, 8)
        self.cards_layout.setSpacing(6)
        self.cards_layout.addStretch(1)
        scroll = self.scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.cards_box)
        scroll.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        scroll.viewport().installEventFilter(self)

        checks = QWidget()
        checks_layout = QVBoxLayout(checks)
        checks_layout.setContentsMargins(0, 0, 0, 0)
        checks_layout.setSpacing(0)
        checks_layout.addWidget(self.summary)
        checks_layout.addWidget(scroll, 1)
        self.planner = PlannerPanel()
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(checks, self.tr("Checks"))
        self.tabs.addTab(self.planner, self.tr("Plan"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)
        self.cards: dict[str, CheckCard] = {}
        self.results: dict[str, Any] = {}
        self.selected = ""
        self._updating = False
        self.pending = False  # an assessment of a newer state is on its way (set_updating)
        #: Cards built ahead of their first result (prepare_cards), hidden, by check id; a card
        #: moves to ``cards`` when a result first shows in it.
        self._spare: dict[str, CheckCard] = {}
        self._prepare = QTimer(self, singleShot=True, interval=0)
        self._prepare.timeout.connect(self._prepare_next)

    # ----- header -------------------------------------------------------------------------------

    def set_settings(self, settings: Any, centre: tuple[float, float] | None) -> None:
        self._updating = True  # programmatic: must not push a command
        self.radius.setValue(float(settings.radius_km))
        self._updating = False
        if centre is None:
            self.centre.setText(self.tr("Centre: not set (no located members)"))
        else:
            text = (self.tr("Centre: %1, %2") if settings.centre_lat is not None
                    else self.tr("Centre: %1, %2 (the smallest circle's, until you set one)"))
            number = ui_text().number
            self.centre.setText(text.replace("%1", number(centre[0], 4)).replace("%2", number(centre[1], 4)))

    def show_norm(self, settings: Any, opened: bool) -> None:
        """The radius as set, at once (an open, a settings edit): not the spin box's minimum until
        the first assessment arrives. After an open the centre line waits for that assessment
        (it knows the smallest circle's centre when none is set)."""
        self._updating = True  # programmatic: must not push a command
        self.radius.setValue(float(settings.radius_km))
        self._updating = False
        if opened:
            self.centre.setText("")

    def set_updating(self, pending: bool) -> None:
        """The cards are about to change (session.assessmentPending)."""
        self.pending = pending
        if pending:
            if not self.updating.isVisible() and not self._updating_delay.isActive():
                self._updating_delay.start()
            self.prepare_cards()
        else:
            self._updating_delay.stop()
            self.updating.hide()
        if not self.results:  # (an open's first checks: at a million members ~2 s after the paint)
            self.summary.setText(self.tr("Checking the cluster…") if pending else "")

    def _radius_changed(self, value: float) -> None:
        if not self._updating:
            self.radiusEdited.emit(float(value))

    # ----- cards --------------------------------------------------------------------------------

    def prepare_cards(self) -> None:
        """Build the cards not built yet, hidden and polished, one per turn of the event loop:
        the first assessment of an open then only fills them (issue 17: building and polishing
        eight cards held the GUI thread ~60 ms when a big project's first result arrived, while
        it had idled for seconds before, waiting for it)."""
        if not self._prepare.isActive() and self._unbuilt():
            self._prepare.start()

    def _unbuilt(self) -> list[str]:
        return [cid for cid in CHECK_IDS if cid not in self.cards and cid not in self._spare]

    def _prepare_next(self) -> None:
        missing = self._unbuilt()
        if missing:
            card = self._spare[missing[0]] = self._new_card(missing[0])
            card.hide()
            self.cards_layout.insertWidget(self.cards_layout.count() - 1, card)  # (before the stretch)
            card.ensurePolished()
        if len(missing) > 1:
            self._prepare.start()
        elif missing:
            self._spare[missing[0]].warm_style()  # (the last one built: cards are ready)

    def _new_card(self, check_id: str) -> CheckCard:
        card = CheckCard(check_id)
        card.clicked.connect(self._card_clicked)
        return card

    def _card(self, check_id: str) -> CheckCard:
        card = self.cards.get(check_id)
        if card is None:
            card = self.cards[check_id] = self._spare.pop(check_id, None) or self._new_card(check_id)
        return card

    def set_results(self, results: list[Any], settings: Any = None) -> None:
        """``settings`` is not needed any more (the facts carry the thresholds); kept for callers."""
        seen = set()
        for i, result in enumerate(results):
            card = self._card(result.id)
            if self.cards_layout.indexOf(card) != i:
                self.cards_layout.insertWidget(i, card)
            card.set_result(result)
            card.set_selected(result.id == self.selected)
            card.show()
            seen.add(result.id)
        for cid, card in list(self.cards.items()):
            if cid not in seen:
                card.hide()
        self.results = {r.id: r for r in results}
        conc = self.results.get("concentration")
        facts = getattr(conc, "facts", None)
        smallest, ninety = getattr(facts, "smallest", None), getattr(facts, "smallest90", None)
        if smallest is not None and ninety is not None:
            number = ui_text().number
            self.circles.setText(self.tr("Smallest circle: %1 km (all), %2 km (90 %); the norm stays as set")
                                 .replace("%1", number(smallest[2])).replace("%2", number(ninety[2])))
        else:
            self.circles.setText("")
        counts: dict[str, int] = {}
        for r in results:
            counts[str(r.status)] = counts.get(str(r.status), 0) + 1
        ok, warnings, failing = (counts.get(k, 0) for k in ("ok", "warning", "failing"))
        parts = (self.tr("%1 ok", "summary").replace("%1", str(ok)),  # (each in its plural)
                 self.tr("%1 warning(s)", "summary", warnings).replace("%1", str(warnings)),
                 self.tr("%1 failing", "summary").replace("%1", str(failing)))
        self.summary.setText(" · ".join(parts) if results else "")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Enter and watched is self.scroll.viewport():
            self.cardsApproached.emit()
        return super().eventFilter(watched, event)

    def _card_clicked(self, check_id: str) -> None:
        self.select(check_id if check_id != self.selected else "")
        self.checkClicked.emit(self.selected)

    def select(self, check_id: str) -> None:
        self.selected = check_id
        for cid, card in self.cards.items():
            card.set_selected(cid == check_id)
        card = self.cards.get(check_id)
        if card is not None:  # its explanation opened: keep the card in view once laid out
            QTimer.singleShot(0, lambda: self.scroll.ensureWidgetVisible(card, 0, 0))
