"""File > Import of a file of links alone (issue 17): a progress dialog with Cancel, as the members
import has; Cancel rolls the whole import back (nothing half imported, no undo step, the file as it
was), and the window says so; an import run to its end is one undo step and its summary says what
happened. A links CSV into a project with no members gets one hint, not a line per row, and
nothing to import."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from cluster_desk.core.model import Link, LinkKind, Member
from cluster_desk.io.linkbatch import BATCH_ROWS
from cluster_desk.io.links import export_links_csv
from cluster_desk.store.project import Project
from cluster_desk.ui.exchange.import_dialog import ImportDialog
from cluster_desk.ui.exchange.import_run import run_import_dialog
from cluster_desk.ui.project.session import ProjectSession

MEMBERS = [Member(f"ООО «Звено {i}»", inn=f"16{i:08d}", id=f"m{i}", lat=55.0 + i / 100, lon=49.0)
           for i in range(60)]  # fmt: skip
ROWS = 2 * BATCH_ROWS + 100  # three batches: Cancel lands after the first has been written


@pytest.fixture(scope="module")
def links_csv(tmp_path_factory: Any) -> Path:
    """A links table of ROWS links between MEMBERS, as File > Export writes it."""
    links = [Link(f"m{i % 60}", f"m{(i % 60 + 1 + i // 60 % 59) % 60}", LinkKind.SUPPLY,
                  start=f"{2000 + i // 3540}-01-01", contract=f"№ {i}") for i in range(ROWS)]  # fmt: skip
    path = tmp_path_factory.mktemp("links") / "связи.csv"
    export_links_csv(MEMBERS, links, path, lang="ru")
    return path


@pytest.fixture
def session(qapp: Any, tmp_path: Path) -> Iterator[ProjectSession]:
    path = tmp_path / "p.cdesk"
    with Project.create(path) as p:
        p.add_members(MEMBERS)
    s = ProjectSession()
    s.open(path)
    yield s
    s.close()


def _stored_links(path: Path) -> int:
    with Project.open(path) as p:
        return len(p.links())


class _Answering:
    """Two timers that hand the modal widget shown to ``act`` (the tests' user). Two: a timer does
    not fire again while its own slot runs, and the dialog's Import runs inside one."""

    def __init__(self, act: Any) -> None:
        self.timers = [QTimer(), QTimer()]
        for timer in self.timers:
            timer.timeout.connect(lambda: act(QApplication.activeModalWidget()))
            timer.start(0)

    def stop(self) -> None:
        for timer in self.timers:
            timer.stop()


def test_cancel_rolls_the_links_import_back_and_says_so(session: ProjectSession, links_csv: Path) -> None:
    told: list[str] = []
    progress_seen: list[str] = []
    dialogs: list[ImportDialog] = []
    step = session.undo_stack.index()

    def act(widget: Any) -> None:
        if isinstance(widget, ImportDialog) and not dialogs:
            dialogs.append(widget)
            assert widget.links_only and widget.import_button.isEnabled()
            widget.run_import()  # the other timer answers what it shows
            widget.reject()
        elif isinstance(widget, QMessageBox):
            told.append(widget.text())
            widget.accept()
        bar = dialogs[0].findChild(QProgressDialog) if dialogs else None
        if bar is not None and not bar.wasCanceled() and "rows read" in bar.labelText():
            progress_seen.append(bar.labelText())
            bar.cancel()  # the user presses Cancel once the first batch is in

    timer = _Answering(act)
    try:
        report = run_import_dialog(None, session, links_csv)
    finally:
        timer.stop()
    assert report is None and dialogs
    assert progress_seen and progress_seen[0].startswith("Importing links…")
    assert told == ["Import cancelled; nothing was changed."]
    assert not session.links and session.undo_stack.index() == step
    assert _stored_links(session.path) == 0  # the first batch was written, and rolled back
    with Project.open(session.path) as p:  # the indexes the import dropped are back as they were
        assert p._c().execute("SELECT count(*) FROM changes WHERE entity = 'link'").fetchone()[0] == 0
        assert p._c().execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_a_links_import_run_to_its_end_shows_progress_and_one_summary(session: ProjectSession,
                                                                     links_csv: Path) -> None:
    told: list[str] = []
    ticks: list[str] = []
    step = session.undo_stack.index()

    def act(widget: Any) -> None:
        if isinstance(widget, ImportDialog) and not ticks:
            ticks.append("")
            widget.run_import()
        elif isinstance(widget, QMessageBox):
            told.append(widget.text())
            widget.accept()
        for top in QApplication.topLevelWidgets():
            ticks.extend(found.labelText() for found in top.findChildren(QProgressDialog))

    timer = _Answering(act)
    try:
        report = run_import_dialog(None, session, links_csv)
    finally:
        timer.stop()
    added = _stored_links(session.path)
    assert report is not None and report.added == added == ROWS and not report.problems
    assert any("rows read" in t for t in ticks), ticks
    assert told == [f"Imported {added:,} links from связи.csv ({added:,} added, 0 updated, 0 unchanged)."]
    assert len(session.links) == added and session.undo_stack.index() == step + 1
    session.undo_stack.undo()
    assert not session.links and _stored_links(session.path) == 0


def test_links_into_a_project_with_no_members_get_one_hint(qtbot: Any, tmp_path: Path,
                                                            links_csv: Path) -> None:
    path = tmp_path / "empty.cdesk"
    Project.create(path).close()
    with Project.open(path) as project:
        d = ImportDialog(None, project, links_csv)
        qtbot.addWidget(d)
        assert d.links is not None and d.links.report is not None
        assert d.links.report.rows_read == 2000 and d.links.report.members_known == 0
        assert "The project has no members yet" in d.links.info.text()
        lines = [d.links.problems.item(i).text() for i in range(d.links.problems.count())]
        assert not any("matches no member" in line for line in lines), lines[:3]
        assert not d.links.problems.isVisible() and not d.import_button.isEnabled()
