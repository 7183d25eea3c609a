"""File > Import / Export and Edit > Member History from the main window (real page and files)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox  # noqa: E402
from ui_helpers import (  # noqa: E402
    TIMEOUT,
    close_shared,
    demo_file,
    exported,
    make_window,
    reopen,
    shared_window,
    wait_map_synced,
)

from cluster_desk.core.model import Member  # noqa: E402
from cluster_desk.io import read_roster  # noqa: E402
from cluster_desk.ui.project.history_dialog import HistoryDialog  # noqa: E402


@pytest.fixture
def opened(qtbot: Any, tmp_path: Path) -> Any:
    window = make_window(qtbot, tmp_path)
    assert window.files.open_path(demo_file(tmp_path))
    wait_map_synced(qtbot, window)
    return window


@pytest.fixture(scope="module")
def exporting(qapp: Any, tmp_path_factory: Any) -> Any:
    """One window with the demo open for the export tests: an export only reads the project
    (the tests write into their own tmp_path); a test may add to ``errors``, nothing else."""
    window = shared_window(tmp_path_factory.mktemp("exporting"))
    yield window
    close_shared(window)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".geojson", ".kml", ".gpkg"])
def test_export_then_read_back_every_member(exporting: Any, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"roster{suffix}"
    assert exported(exporting.exchange.export_to(out)) == len(exporting.session.members)
    names = sorted(m.name for m in read_roster(out).members)
    assert names == sorted(m.name for m in exporting.session.members.values())
    assert not exporting.session.undo_stack.count()  # the project is as the next test expects


def test_export_failure_is_reported_with_the_file(exporting: Any, tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "roster.csv"
    errors = len(exporting.errors)
    assert exported(exporting.exchange.export_to(target)) is None
    assert len(exporting.errors) == errors + 1 and str(target) in exporting.errors[-1][1]


def _accept_modals() -> None:
    """Press OK on whatever modal the import shows (its preview, then the summary box)."""
    widget = QApplication.activeModalWidget()
    if isinstance(widget, QMessageBox):
        widget.accept()
    elif isinstance(widget, QDialog):
        widget.accept() if not hasattr(widget, "run_import") else widget.run_import()


def test_import_from_the_file_menu_adds_rows_and_refreshes_the_views(qtbot: Any, opened: Any,
                                                                       tmp_path: Path) -> None:
    roster = tmp_path / "new.csv"
    with roster.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["Наименование", "Тип участника", "Широта", "Долгота", "Численность"])
        w.writerow(["ООО «Новый поставщик»", "предприятие", "55,80", "49,10", "40"])
        w.writerow(["ООО «Без координат»", "предприятие", "", "", "12"])
        w.writerow(["", "предприятие", "55,8", "49,1", "5"])  # no name: reported, not imported
    before = len(opened.session.members)
    timer = QTimer()
    timer.timeout.connect(_accept_modals)
    timer.start(200)
    from cluster_desk.ui.exchange.import_run import run_import_dialog

    report = run_import_dialog(opened, opened.session, roster)
    timer.stop()
    assert report is not None
    assert len(opened.session.members) == before + 2
    assert opened.roster_model.rowCount() == before + 2
    assert any(p.row == 4 for p in report.problems)


def test_member_history_lists_the_edit(qtbot: Any, opened: Any) -> None:
    import dataclasses

    from cluster_desk.ui.project.history_dialog import history_rows

    member = next(iter(opened.session.members.values()))
    opened.session.apply_update([dataclasses.replace(member, employees=4321)])
    dialog = opened.exchange.show_history(member.id)
    assert isinstance(dialog, HistoryDialog)
    qtbot.addWidget(dialog)
    rows = history_rows(opened.session.project.history(member.id))
    assert any("4321" in " ".join(r) for r in rows)
    dialog.close()


def test_import_is_one_undo_step_and_redo_brings_it_back(qtbot: Any, opened: Any, tmp_path: Path) -> None:
    """Issue 10.1: after an import Undo and Redo were disabled (the project was re-opened)."""
    existing = next(m for m in opened.session.members.values() if m.located and m.employees)
    roster = tmp_path / "update.csv"
    with roster.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["Наименование", "Тип участника", "Широта", "Долгота", "Численность"])
        w.writerow(["ООО «Новый поставщик»", "предприятие", "55,80", "49,10", "40"])
        w.writerow([existing.name, "", "", "", str(existing.employees + 1)])
    path = opened.session.path
    before_members = dict(opened.session.members)
    opened.actions.undo.setEnabled(False)
    timer = QTimer()
    timer.timeout.connect(_accept_modals)
    timer.start(200)
    from cluster_desk.ui.exchange.import_run import run_import_dialog

    report = run_import_dialog(opened, opened.session, roster)
    timer.stop()
    assert report is not None
    assert len(opened.session.members) == len(before_members) + 1
    assert opened.session.members[existing.id].employees == existing.employees + 1
    assert opened.actions.undo.isEnabled() and opened.session.undo_stack.count() == 1

    opened.actions.undo.trigger()  # one step: the added member goes, the update is reverted
    assert opened.session.members == before_members
    members, _links, _settings = reopen(path)
    assert members == before_members
    assert opened.roster_model.rowCount() == len(before_members)

    opened.actions.redo.trigger()
    members, _links, _settings = reopen(path)
    assert len(members) == len(before_members) + 1
    assert members[existing.id].employees == existing.employees + 1
    assert opened.session.members == members
    new = next(m for m in members.values() if m.name == "ООО «Новый поставщик»")
    qtbot.waitUntil(lambda: opened.map.has_member(new.id), timeout=TIMEOUT)


def test_merge_is_one_undo_step_and_can_be_merged_again(qtbot: Any, opened: Any, tmp_path: Path) -> None:
    import dataclasses

    from cluster_desk.store.merge import make_field_copy
    from cluster_desk.store.project import Project
    from cluster_desk.ui.exchange.merge_dialog import MergeDialog, run_merge_dialog

    copy_path = tmp_path / "field.cdesk"
    make_field_copy(opened.session.project, copy_path)
    member = next(iter(opened.session.members.values()))
    with Project.open(copy_path) as c:
        c.update_member(dataclasses.replace(c.member(member.id), notes="seen in the field"))
        c.add_member(Member(name="ООО «Из поля»", lat=55.7, lon=49.2))
    before = dict(opened.session.members)

    def take_the_field_copy() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, MergeDialog):
            widget._all(1)  # "All: field copy" for whatever conflicts there are
        _accept_modals()

    timer = QTimer()
    timer.timeout.connect(take_the_field_copy)
    timer.start(200)
    try:
        assert run_merge_dialog(opened, opened.session, copy_path) is not None
        assert opened.session.members[member.id].notes == "seen in the field"
        assert len(opened.session.members) == len(before) + 1
        assert opened.session.undo_stack.count() == 1
        opened.actions.undo.trigger()
        assert opened.session.members == before
        assert reopen(opened.session.path)[0] == before
        # Undone, the copy's edits are not "already merged": merging again offers them (the
        # undo's own edits meet them as conflicts; the user takes the field copy's values).
        assert run_merge_dialog(opened, opened.session, copy_path) is not None
        assert opened.session.members[member.id].notes == "seen in the field"
    finally:
        timer.stop()
