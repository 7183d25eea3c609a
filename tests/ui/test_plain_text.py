"""Untrusted text stays text where Qt would take it for HTML (rule 3): message boxes and tooltips
render any text that looks like HTML; names, addresses and file names reach both."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()  # before pytest-qt creates the QApplication (module import time)

from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtGui import Qt as GuiQt  # noqa: E402
from PySide6.QtGui import QTextDocument  # noqa: E402
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox  # noqa: E402
from ui_helpers import TIMEOUT, make_window  # noqa: E402

from cluster_desk.core.model import Member, MemberKind  # noqa: E402
from cluster_desk.store import Project  # noqa: E402
from cluster_desk.ui.widgets.plain_text import plain_box, plain_tip  # noqa: E402

HOSTILE = '<b>ООО «Х»</b> & <img src="file:///etc/passwd"> <a href="x">y</a>'
STATIC = {"warning", "information", "critical", "question"}  # (not "about": our own text)


def _shown(rich: str) -> str:
    """What a tooltip of ``rich`` shows (Qt renders it as rich text: it looks like HTML)."""
    doc = QTextDocument()
    doc.setHtml(rich)
    return doc.toPlainText()


def test_no_part_uses_qmessageboxs_static_functions() -> None:
    """They take text that looks like HTML as rich text; ui.widgets.plain_text's do not."""
    root = Path(__file__).resolve().parents[2] / "cluster_desk"
    found = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Attribute) and node.attr in STATIC and isinstance(node.value, ast.Name)
                    and node.value.id == "QMessageBox"):
                found.append(f"{path.relative_to(root)}:{node.lineno}")
    assert found == []


def test_a_box_and_a_tip_show_hostile_text_as_it_is(qapp: Any) -> None:
    box = plain_box(QMessageBox.Icon.Warning, None, "t", HOSTILE)
    assert box.textFormat() == Qt.TextFormat.PlainText and box.text() == HOSTILE
    labels = [w for w in box.findChildren(QLabel) if w.text() == HOSTILE]
    assert labels and all(w.textFormat() == Qt.TextFormat.PlainText for w in labels)
    box.deleteLater()
    two_lines = HOSTILE + "\nул. Ленина, 1"
    assert GuiQt.mightBeRichText(two_lines)  # (what Qt would do with it as it is)
    assert _shown(plain_tip(two_lines) or "") == two_lines
    assert plain_tip("") == "" and plain_tip(None) is None


def test_the_windows_error_box_and_a_roster_tooltip_keep_text(qtbot: Any, tmp_path: Path) -> None:
    path = tmp_path / "p.cdesk"
    with Project.create(path) as p:
        p.add_member(Member("ООО <b>Х</b>", MemberKind.FIRM, lat=55.8, lon=49.1, address=HOSTILE))
    window = make_window(qtbot, tmp_path)
    assert window.files.open_path(path)
    model = window.roster_model
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == "ООО <b>Х</b>")
    tip = model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert _shown(tip).startswith(HOSTILE)

    seen: list[tuple[Qt.TextFormat, str]] = []

    def look() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, look)
            return
        seen.append((box.textFormat(), box.text()))
        box.accept()

    QTimer.singleShot(0, look)
    window._message_box("Edit failed", HOSTILE)  # (the window's own, not the tests' collector)
    qtbot.waitUntil(lambda: bool(seen), timeout=TIMEOUT)
    assert seen == [(Qt.TextFormat.PlainText, HOSTILE)]


def test_an_import_preview_shows_a_files_column_names_as_text(qtbot: Any, tmp_path: Path) -> None:
    from cluster_desk.ui.exchange.import_dialog import ImportDialog

    project_path = tmp_path / "p.cdesk"
    Project.create(project_path).close()
    csv_path = tmp_path / "<img src=x><b>roster.csv"  # (a "/" would be a folder)
    csv_path.write_text(f'name,kind,<img src="x">notes\n"{HOSTILE}",firm,n\n', encoding="utf-8")
    with Project.open(project_path) as project:
        dialog = ImportDialog(None, project, csv_path)
        qtbot.addWidget(dialog)
        for label in (dialog.info, dialog.columns_label):
            assert label.textFormat() == Qt.TextFormat.PlainText, label.text()
        assert '<img src="x">notes' in dialog.columns_label.text()
        dialog.reject()


def test_a_recent_files_ampersand_is_shown(qtbot: Any, tmp_path: Path) -> None:
    path = tmp_path / "R&D cluster.cdesk"
    Project.create(path).close()
    window = make_window(qtbot, tmp_path)
    assert window.files.open_path(path)
    window.files.recent_menu.aboutToShow.emit()
    first = window.files.recent_menu.actions()[0]
    assert first.text() == "&1 R&&D cluster.cdesk"  # (shown: "1 R&D cluster.cdesk", 1 underlined)


def test_a_title_keeps_its_brackets(qtbot: Any, tmp_path: Path) -> None:
    path = tmp_path / "Kama [*].cdesk"
    Project.create(path, name="Кластер [*]").close()
    window = make_window(qtbot, tmp_path)
    assert window.files.open_path(path)
    assert window.windowHandle().title().startswith("Кластер [*] — Kama [*].cdesk — ")
