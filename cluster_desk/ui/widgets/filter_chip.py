"""A removable filter's chip in a filter row ("Critical mass: 15,711 members ✕"), its text cut
in the middle when the row is short of room.

A plain QToolButton is never narrower than its whole text, so a long chip widened the row, the
dock and the whole window: in Russian a check clicked made the window 1,388-1,497 px wide
(1,219 before it), past a 1,366 px laptop screen. The chip asks for its whole text and shrinks:
to a shorter wording first, then with the filter's name cut ("Кри…: 15 711 ✕") down to
NAME_CHARS of it; the count and the ✕ are always shown, the whole text is in the tooltip.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QSizePolicy, QToolButton, QWidget

#: The least of the filter's name the chip keeps (with its "…"), in average characters of its font.
NAME_CHARS = 4


class FilterChip(QToolButton):
    """``set_text`` the chip's text; ``hint`` (the tooltip's second line) says what a click does."""

    def __init__(self, hint: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hint = hint
        self.whole = ""
        self._forms: tuple[str, ...] = ()
        self._name = ""
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def set_text(self, forms: tuple[str, ...], name: str) -> None:
        """The first of ``forms`` (wordings, the longest first) that fits, with ``name`` (the
        filter's) for its %1; the last one with the name cut when none does."""
        self._forms, self._name = forms, name
        self.whole = forms[0].replace("%1", name)
        self.setToolTip(f"{self.whole}\n{self.hint}" if self.hint else self.whole)
        self.setText(self.whole)
        self.updateGeometry()
        self._fit()

    def _frame(self) -> int:
        """What the button adds round its text (padding, border) as its style sizes it."""
        return super().sizeHint().width() - self.fontMetrics().horizontalAdvance(self.text())

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(self._frame() + self.fontMetrics().horizontalAdvance(self.whole), hint.height())

    def minimumSizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        rest = self._forms[-1].replace("%1", "") if self._forms else ""
        narrow = self._frame() + metrics.horizontalAdvance(rest) + metrics.averageCharWidth() * NAME_CHARS
        return QSize(min(narrow, self.sizeHint().width()), super().minimumSizeHint().height())

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        metrics = self.fontMetrics()
        room = max(self.width() - self._frame(), 0)
        texts = [form.replace("%1", self._name) for form in self._forms]
        shown = next((text for text in texts if metrics.horizontalAdvance(text) <= room), "")
        if not shown and texts:
            last = self._forms[-1]
            name_room = room - metrics.horizontalAdvance(last.replace("%1", ""))
            cut = metrics.elidedText(self._name, Qt.TextElideMode.ElideRight, name_room)
            enough = metrics.horizontalAdvance("…") + metrics.averageCharWidth()  # (a letter and "…")
            shown = (last.replace("%1", cut) if name_room >= enough
                     else metrics.elidedText(texts[-1], Qt.TextElideMode.ElideMiddle, room))
        if shown != self.text():
            self.setText(shown)
