"""The import, merge and history dialogs, driven offscreen with pytest-qt."""

from __future__ import annotations

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
    assert "CSV, cp1251" in d.info.text() and d.preview.rowCount() == 1
    assert d.problems.count() >= 1
    d.swap.setChecked(True)  # the flagged row comes in swapped
    assert d.preview.rowCount() == 2
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
