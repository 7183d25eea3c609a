"""The import, merge and history dialogs, driven offscreen with pytest-qt."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

pytest.importorskip("PySide6")

from PySide6.QtWidgets import QListWidget, QMessageBox

from cluster_desk.core.model import Member, MemberKind
from cluster_desk.store.merge import make_field_copy, plan_merge
from cluster_desk.store.project import Project
from cluster_desk.ui.exchange.import_dialog import ImportDialog
from cluster_desk.ui.exchange.merge_dialog import MergeDialog
from cluster_desk.ui.project.history_dialog import history_rows, show_history_dialog


@pytest.fixture
def project(tmp_path):
    p = Project.create(tmp_path / "p.cdesk")
    p.add_members([Member("ООО «А»", id="a")])
    yield p
    p.close()


def test_import_dialog_preview_and_import(qtbot, project, tmp_path, monkeypatch):
    f = tmp_path / "r.csv"
    f.write_text("Название;Координаты\nООО «Б»;55,7 49,1\nООО «В»;95,1 49,1\n", encoding="cp1251")
    d = ImportDialog(None, project, f)
    qtbot.addWidget(d)
    assert "CSV, cp1251" in d.info.text() and d.preview.rowCount() == 2
    assert d.problems.count() >= 1
    assert not d.report.sample[1].located  # the unreadable position: imported unlocated
    d.swap.setChecked(True)  # the flagged row comes in swapped
    qtbot.waitUntil(lambda: d.report.sample[1].located)
    assert d.report.sample[1].lat == 49.1
    monkeypatch.setattr(QMessageBox, "information", lambda *a: None)
    d.run_import()
    assert d.report is not None and d.report.added == 2 and len(project.members()) == 3


def test_merge_dialog_needs_every_choice(qtbot, project, tmp_path):
    copy_path = tmp_path / "copy.cdesk"
    make_field_copy(project, copy_path)
    with Project.open(copy_path) as c:
        c.update_member(replace(c.member("a"), notes="field"))
    project.update_member(replace(project.member("a"), notes="office"))
    d = MergeDialog(None, plan_merge(project, copy_path))
    qtbot.addWidget(d)
    assert d.table.rowCount() == 1 and not d.ok.isEnabled()
    assert {d.table.item(0, 2).text(), d.table.item(0, 3).text()} == {"office", "field"}
    d.combo(0).setCurrentIndex(1)
    assert d.ok.isEnabled() and d.plan.conflicts[0].choice == "theirs"


def test_history(qtbot, project):
    project.update_member(replace(project.member("a"), employees=5, notes="n"))
    project.update_member(replace(project.member("a"), lat=55.123456789012345, lon=49.1,
                                  kind=MemberKind.RESEARCH))
    rows = history_rows(project.history("a"))
    # Field labels, not codes; coordinates to 5 decimals; kinds in words.
    assert [(r[2], r[3], r[4], r[5]) for r in rows[:5]] == [
        ("changed", "Kind", "Firm", "Research centre"),
        ("changed", "Latitude", "—", "55.12346"),
        ("changed", "Longitude", "—", "49.10000"),
        ("changed", "Employees", "—", "5"),
        ("changed", "Notes", "—", "n"),
    ]
    assert rows[-1][2] == "added"
    d = show_history_dialog(None, project, "a")
    qtbot.addWidget(d)
    assert d.table.rowCount() == 6


def test_history_names_a_link_by_its_kind_and_the_member_at_its_other_end(qtbot, project):
    """A link added or removed reads as the member form lists it, not as "—"; a deleted
    member at its other end is named as its delete logged it."""
    from cluster_desk.core.model import Link, LinkKind

    project.add_members([Member("ООО «Б»", id="b"), Member("ООО «В»", id="c")])
    project.add_links([Link("a", "b", LinkKind.SUPPLY, id="l1"), Link("c", "a", LinkKind.RND, id="l2")])
    project.update_link(replace(project.link("l1"), share=0.4))
    project.delete_members(["c"])
    d = show_history_dialog(None, project, "a")
    qtbot.addWidget(d)
    cells = [[d.table.item(r, c).text() for c in (2, 3, 4, 5)] for r in range(d.table.rowCount())]
    assert ["link deleted", "", "", "← ООО «В»: Joint R&D"] in cells
    assert ["link changed", "Share", "—", "0.4"] in cells
    assert ["link added", "", "", "→ ООО «Б»: Supply of industrial products"] in cells


def test_history_speaks_russian(qtbot, project, qapp):
    """Its operations and field names come from the catalogue (under another name than
    translate(...) lupdate had never seen them: "связь: added", "Employees" in Russian)."""
    from cluster_desk.ui.i18n import install_translators, remove_translators

    project.update_member(replace(project.member("a"), joined="2016-09-01"))
    project.update_member(replace(project.member("a"), employees=5, organising_production=True))
    translators = install_translators(qapp, "ru")
    try:
        rows = history_rows(project.history("a"))
    finally:
        remove_translators(qapp, translators)
        install_translators(qapp, "en")
    assert [(r[2], r[3], r[5]) for r in rows[:2]] == [
        ("изменение", "Работников", "5"), ("изменение", "Организует производство", "да")]
    assert rows[-1][2] == "добавление"
    # Days and times as Russians write them (they were ISO in both languages)
    assert any(r[5] == "01.09.2016" for r in rows)
    assert all(re.fullmatch(r"\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}", r[0]) for r in rows), rows[0][0]


def test_every_translate_call_is_one_lupdate_finds() -> None:
    """lupdate extracts the texts of calls named translate(...) or tr(...) only: an alias of
    QCoreApplication.translate under another name leaves its texts untranslated."""
    import ast
    from pathlib import Path

    import cluster_desk

    aliases = []
    for path in sorted(Path(cluster_desk.__file__).parent.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Attribute)
                    and node.value.attr == "translate" and isinstance(node.value.value, ast.Name)
                    and node.value.value.id == "QCoreApplication"):
                aliases += [f"{path.name}: {t.id}" for t in node.targets
                            if isinstance(t, ast.Name) and t.id != "translate"]
    assert aliases == []


def test_merge_dialog_lists_members_by_name(qtbot, project, tmp_path):
    """19: an incoming edit names the member, not its id; fields are labels, not codes."""
    copy_path = tmp_path / "copy.cdesk"
    make_field_copy(project, copy_path)
    with Project.open(copy_path) as c:
        c.update_member(replace(c.member("a"), employees=12))
    d = MergeDialog(None, plan_merge(project, copy_path), {m.id: m.name for m in project.members()})
    qtbot.addWidget(d)
    lists = d.findChildren(QListWidget)
    texts = [lists[0].item(i).text() for i in range(lists[0].count())]
    assert texts == ["change member «ООО «А»»: Employees"]


def _wheel(widget, dy=-120):
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    pos = QPointF(widget.rect().center())
    event = QWheelEvent(pos, QPointF(widget.mapToGlobal(pos.toPoint())), QPoint(0, 0), QPoint(0, dy),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
                        False)
    QApplication.sendEvent(widget, event)


def test_import_dialog_wheel_live_preview_columns_and_conflicts(qtbot, project, tmp_path, monkeypatch):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QComboBox

    from cluster_desk.ui.exchange import import_dialog

    project.update_member(replace(project.member("a"), inn="7707083893"))
    f = tmp_path / "r.csv"
    rows = "".join(f"Фирма {i};{i}\n" for i in range(20))
    f.write_text("Название;ИНН;Телефон\nООО А;1655000003;+7\n" + rows.replace(";", ";;", 0), encoding="utf-8")
    monkeypatch.setattr(import_dialog, "PREVIEW_ROWS", 5)
    d = ImportDialog(None, project, f)
    qtbot.addWidget(d)
    d.show()
    # Which columns were matched and which ignored.
    assert "Название → Name" in d.columns_label.text()
    assert "Ignored columns: Телефон" in d.columns_label.text()
    assert [d.mapping.item(r, 2).text() for r in range(3)] == ["matched", "matched", "ignored"]
    # A sample, not the whole file.
    assert d.report.partial and d.report.rows_read == 5 and "first 5 rows" in d.info.text()
    # The conflict is listed with both values and left out until decided.
    assert d.conflicts.rowCount() == 1
    assert [d.conflicts.item(0, c).text() for c in (0, 3, 4)] == ["2", "7707083893", "1655000003"]
    assert d.report.conflicts_open == 1
    # The wheel over an unfocused mapping combo changes nothing...
    combo = d.mapping.cellWidget(2, 1)
    assert not combo.hasFocus()
    _wheel(combo)
    assert combo.currentData() == ""
    # ...a chosen mapping updates the preview by itself (no button).
    combo.setCurrentIndex(combo.findData("contact"))
    qtbot.waitUntil(lambda: "Телефон → Contact" in d.columns_label.text())
    assert d.report.columns["Телефон"] == "contact"
    # Deciding the conflict: take theirs, then import (the whole file is checked first).
    # (on the Conflicts tab the Decision cell opens its combo when it becomes current; two keys
    # down: "Take theirs")
    cell = d.conflicts.model().index(0, 5)
    assert cell.data() == "Leave the row out"
    d.tabs.setCurrentWidget(d.conflicts_page)
    d.conflicts.setFocus()
    d.conflicts.setCurrentIndex(cell)
    editor = d.conflicts.indexWidget(cell)
    assert isinstance(editor, QComboBox)
    QTest.keyClick(editor, Qt.Key.Key_Down)
    QTest.keyClick(editor, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: d.report.conflicts_open == 0)
    assert d.resolutions == {2: "theirs"} and cell.data() == "Take theirs"
    d.run_import()
    assert project.member("a").inn == "1655000003" and len(project.members()) == 21
    assert d.report.old_records[0].inn == "7707083893" and len(d.report.added_ids) == 20
