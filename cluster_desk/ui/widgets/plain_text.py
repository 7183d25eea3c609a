"""Untrusted text shown as text where Qt would take it for HTML. Message boxes and tooltips
render any text that merely looks like HTML (a tag before its first line break) as rich text, and
theirs carry member names, addresses, notes and file names (the user's, an imported file's, a
colleague's: untrusted): a name such as ``<b>ООО</b>`` or ``<img src=…>`` would be rendered, not
shown. Use ``warn``/``inform``/``plain_box`` instead of QMessageBox's static functions, and
``plain_tip`` for a tooltip made of such text (tests/ui/test_plain_text.py keeps it so); and
``menu_text`` for a menu item named by a file (Qt takes its "&" for a shortcut's mark), and
``title_text`` for a window title (Qt takes "[*]" for its unsaved-changes mark)."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def plain_box(icon: QMessageBox.Icon, parent: QWidget | None, title: str, text: str) -> QMessageBox:
    """An OK box showing ``text`` as it is (for ``setDetailedText`` and the like before ``exec``)."""
    box = QMessageBox(icon, title, "", QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    return box


def warn(parent: QWidget | None, title: str, text: str) -> None:
    plain_box(QMessageBox.Icon.Warning, parent, title, text).exec()


def inform(parent: QWidget | None, title: str, text: str) -> None:
    plain_box(QMessageBox.Icon.Information, parent, title, text).exec()


def plain_tip(text: str | None) -> str | None:
    """A tooltip showing ``text`` as it is, its lines as they are: escaped inside rich text (a
    tooltip has no plain-text setting); None or "" as given (no tooltip)."""
    if not text:
        return text
    return '<p style="white-space:pre">' + html.escape(text, quote=False) + "</p>"


def menu_text(text: str) -> str:
    """``text`` as a menu item's: its "&" shown, not taken for a shortcut's mark ("R&D.cdesk")."""
    return text.replace("&", "&&")


def title_text(text: str) -> str:
    """``text`` in a window title: a "[*]" in it shown, not taken for the unsaved-changes mark."""
    return text.replace("[*]", "[*][*]")
