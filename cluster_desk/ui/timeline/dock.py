"""The "as of" dock: a slider over the year-ends the project spans, a date field, "Back to today",
and a banner that says plainly when the window shows the past (and that editing is off)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from cluster_desk.text import dates


class TimelineDock(QWidget):
    #: The day to show (ISO), or "" for today (the live, editable project).
    dayChosen = Signal(str)

    def __init__(self, lang: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self._years: tuple[int, int] = (date.today().year, date.today().year)
        self._day = ""  # the day shown ("" = today)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.slider.setPageStep(1)
        self.slider.setToolTip(self.tr("Drag to see the cluster at the end of each year"))
        self.year_label = QLabel()
        self.year_label.setMinimumWidth(80)
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("dd.MM.yyyy" if lang == "ru" else "yyyy-MM-dd")
        self.date_edit.setToolTip(self.tr("Any date: the cluster as it was on that day"))
        self.today_button = QPushButton(self.tr("Back to Today"))
        self.today_button.setToolTip(self.tr("Show the project as it is now; editing is on again"))
        self.banner = QLabel()
        self.banner.setObjectName("asOfBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("#asOfBanner { background: #fff3c4; color: #222; border: 1px solid #c9a400;"
                                  " padding: 4px 8px; font-weight: bold; }")
        self._set_banner(date.today())  # (its text while hidden too: the stack's height is the shown one's)
        # In the banner's place while today is shown, stacked with it (a stack is as high as its
        # highest page): the dock keeps one height, so going to the past and back never resizes
        # the map (each resize redraws every member and link).
        self.today_note = QLabel(self.tr("Today: the project as it is now. Drag the slider or pick "
                                         "a date to see the cluster as it was."))
        self.today_note.setObjectName("asOfTodayNote")
        self.today_note.setWordWrap(True)
        self.today_note.setStyleSheet("#asOfTodayNote { color: #555; border: 1px solid transparent;"
                                      " padding: 4px 8px; font-weight: bold; }")
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("As of:")))
        row.addWidget(self.slider, 1)
        row.addWidget(self.year_label)
        row.addWidget(self.date_edit)
        row.addWidget(self.today_button)
        box = QVBoxLayout(self)
        box.setContentsMargins(6, 4, 6, 4)
        box.addLayout(row)
        notes = QWidget()
        self._notes = QStackedLayout(notes)
        self._notes.addWidget(self.today_note)
        self._notes.addWidget(self.banner)
        box.addWidget(notes)
        # Slider moves coalesce: the newest position wins once the event queue is empty.
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(0)
        self._pending.timeout.connect(self._slider_settled)
        self.slider.valueChanged.connect(lambda _v: self._pending.start())
        self.date_edit.dateChanged.connect(self._date_edited)
        self.today_button.clicked.connect(lambda: self.show_day(""))
        self.set_years(*self._years)

    def set_years(self, first: int, last: int) -> None:
        """The slider's span: one step per year-end from ``first``, the last step is today. The
        day shown stays (the span may arrive, or move after an edit, while the past is shown)."""
        self._years = (first, max(first, last))
        with QSignalBlocker(self.slider):
            self.slider.setRange(first, self._years[1])
        self._place(self._day)

    def _place(self, day: str) -> None:
        """The controls at ``day`` ("" = today), announcing nothing."""
        shown = date.fromisoformat(day) if day else date.today()
        with QSignalBlocker(self.slider), QSignalBlocker(self.date_edit):
            self.slider.setValue(min(max(shown.year, self._years[0]), self._years[1]))
            self.date_edit.setDate(QDate(shown.year, shown.month, shown.day))
        self._show_label(shown.year, today=not day)

    def year_ends(self) -> list[str]:
        """The past days the slider can show: 31 December of each year before the current one."""
        return [f"{y}-12-31" for y in range(self._years[0], self._years[1])]

    def _slider_settled(self) -> None:
        year = self.slider.value()
        if year >= self._years[1]:
            self.show_day("")
        else:
            self.show_day(f"{year}-12-31")

    def _date_edited(self, value: QDate) -> None:
        day = value.toString("yyyy-MM-dd")
        self.show_day("" if day >= date.today().isoformat() else day)

    def show_day(self, day: str) -> None:
        """Move the controls to ``day`` ("" = today) and announce it."""
        self._day = day
        self._place(day)
        self.today_button.setEnabled(bool(day))
        if day:
            self._set_banner(date.fromisoformat(day))
        self._notes.setCurrentWidget(self.banner if day else self.today_note)
        self.dayChosen.emit(day)

    def _set_banner(self, shown: date) -> None:
        when = dates.day(shown.isoformat(), self.lang)
        self.banner.setText(self.tr("Viewing the cluster as of %1: editing is off. "
                                    "Press “Back to Today” to edit.").replace("%1", when))

    def _show_label(self, year: int, today: bool) -> None:
        self.year_label.setText(self.tr("today") if today else self.tr("end of %1").replace("%1", str(year)))
