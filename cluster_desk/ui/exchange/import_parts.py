"""Small parts the import and merge dialogs share: the project behind a session, the undo step
after a bulk write, and a combo the mouse wheel leaves alone."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QComboBox, QWidget

__all__ = ["NoWheelComboBox", "project_of", "reload_views"]


def project_of(session_or_project: Any) -> Any:
    return getattr(session_or_project, "project", session_or_project)


def reload_views(session_or_project: Any, text: str = "") -> None:
    # A ProjectSession adopts what the import wrote as one undo step (the views follow what
    # changed); a bare Project needs nothing.
    if hasattr(session_or_project, "project") and hasattr(session_or_project, "take_bulk_change"):
        from cluster_desk.ui.project.commands import record_bulk_change

        record_bulk_change(session_or_project, text or QApplication.translate("import", "Import roster"))


class NoWheelComboBox(QComboBox):
    """A combo the mouse wheel changes only when it has focus (click it first)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()  # the table under it scrolls instead
