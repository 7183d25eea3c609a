"""The window as of a date, the passport from the File menu and the year-end snapshot: real map
page, real project file, real PDF read back with poppler."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()  # before pytest-qt creates the QApplication

from PySide6.QtCore import QTimer  # noqa: E402
from ui_helpers import TIMEOUT, demo_file, js, make_window, reopen, wait_map_synced  # noqa: E402

from cluster_desk.core.model import Status  # noqa: E402
from cluster_desk.core.timeline import as_of, assess_on  # noqa: E402
from cluster_desk.store.project import Project  # noqa: E402

DAY = "2019-12-31"


@pytest.fixture
def opened(qtbot: Any, tmp_path: Path) -> tuple[Any, Path]:
    window = make_window(qtbot, tmp_path)
    path = demo_file(tmp_path)
    assert window.files.open_path(path)
    wait_map_synced(qtbot, window)
    return window, path


def test_past_date_shows_the_cluster_then_and_locks_editing(qtbot: Any, opened: tuple[Any, Path]) -> None:
    window, path = opened
    members, links, settings = reopen(path)
    ms, ls = list(members.values()), list(links)
    today_ids = window.map.member_ids()
    window.timeline.show_day(DAY)
    view, _ = as_of(ms, ls, DAY)
    then = {m.id for m in view if m.status == Status.MEMBER}
    located_then = {m.id for m in view if m.status == Status.MEMBER and m.located}
    qtbot.waitUntil(lambda: window.map.member_ids() == located_then, timeout=TIMEOUT)
    assert len(located_then) < len(today_ids)
    assert js(qtbot, window, "window.__clusterDesk.stats().members") == len(located_then)
    want = assess_on(ms, ls, settings, DAY)
    qtbot.waitUntil(lambda: [(r.id, r.value) for r in window.assessment.results.values()]
                    == [(r.id, r.value) for r in want], timeout=TIMEOUT)  # (the day's checks follow)
    assert window.roster.proxy.rowCount() == len(then)
    banner = window.timeline.widget.banner
    assert banner.isVisible() and DAY in banner.text() and "editing is off" in banner.text()
    for action in window.timeline.editing_actions:
        assert not action.isEnabled(), action.text()
    # Selecting a row (which re-enables the member actions live) keeps them off in the past.
    window.roster.view.selectRow(0)
    assert not window.actions.edit_member.isEnabled() and not window.actions.delete_members.isEnabled()
    # A drag on the map edits nothing while viewing the past.
    some = next(iter(located_then))
    window.map.memberMoved.emit(some, 10.0, 10.0)
    assert window.session.members[some] == members[some] and reopen(path)[0][some] == members[some]
    # Another process edits the file meanwhile: the window shows it, and editing stays off.
    other = Project.open(path)
    try:
        other.update_member(dataclasses.replace(other.member(some), notes="from another process"))
    finally:
        other.close()
    qtbot.waitUntil(lambda: window.session.members[some].notes == "from another process", timeout=TIMEOUT)
    for action in window.timeline.editing_actions:
        assert not action.isEnabled(), action.text()
    # Back to today: everything as before, editing on.
    window.timeline.show_day("")
    qtbot.waitUntil(lambda: window.map.member_ids() == today_ids, timeout=TIMEOUT)
    assert not banner.isVisible() and window.actions.add_member.isEnabled()
    a = window.actions
    for action in (a.fit_circle, a.draw_radius, a.settings, a.import_roster, a.merge_copy,
                   window.links.link_mode, window.timeline.freeze):  # (those an open project enables)
        assert action.isEnabled(), action.text()
    assert window.roster.proxy.rowCount() == len(members)
    qtbot.waitUntil(lambda: [r.value for r in window.assessment.results.values()]
                    == [r.value for r in window.session.results], timeout=TIMEOUT)
    window.map.memberMoved.emit(some, 55.5, 49.5)  # and gestures edit again
    assert window.session.members[some].lat == 55.5


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_export_passport_of_the_date_shown_and_freeze(qtbot: Any, opened: tuple[Any, Path], tmp_path) -> None:
    from cluster_desk.report.snapshots import checks_of, snapshots

    window, path = opened
    ticks: list[bool] = []
    job = window.timeline.freeze_year_end("2018-12-31")  # assessed off the GUI thread
    QTimer.singleShot(0, lambda: ticks.append(job.finished))  # the window runs meanwhile
    qtbot.waitUntil(lambda: job.finished, timeout=TIMEOUT)
    assert job.error is None and ticks == [False]
    members, links, settings = reopen(path)
    kept = [s for s in snapshots(window.session.project) if s.day == "2018-12-31"]
    assert [s.checks for s in kept] == [checks_of(assess_on(list(members.values()), links, settings,
                                                            "2018-12-31"))]  # = the records' assessment
    window.timeline.show_day(DAY)
    assert window.timeline.freeze_year_end("2019-12-31") is None  # not from the past view
    out = tmp_path / "passport.pdf"
    job = window.timeline.export_to(out)
    qtbot.waitUntil(lambda: job.finished, timeout=TIMEOUT)
    assert job.error is None, job.error
    text = subprocess.run(["pdftotext", "-raw", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "As of: 2019-12-31" in text and "Snapshot of 2018-12-31" in text
    assert window.timeline.day == DAY  # exporting did not leave the past view
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".passport")] == []  # no temp file
    assert str(out) in window.statusBar().currentMessage()
    # A passport that cannot be written is said, and leaves no file (the HTML: the worker writes it).
    target = tmp_path / "out" / "no-such-folder" / "passport.html"
    target.parent.parent.mkdir()
    job = window.timeline.export_to(target)
    qtbot.waitUntil(lambda: job.finished, timeout=TIMEOUT)
    assert window.errors[-1][0] == "Export failed" and str(target) in window.errors[-1][1]
    assert list(target.parent.parent.iterdir()) == []


def test_a_snapshot_the_file_cannot_take_is_said(qtbot: Any, opened: tuple[Any, Path]) -> None:
    """Another program holds the file while the year-end snapshot is written: the window says
    so in one line naming the file (the store's error escaped the job's slot before)."""
    import sqlite3

    from cluster_desk.report.snapshots import snapshots

    window, path = opened
    window.session.project._c().execute("PRAGMA busy_timeout = 100")  # (the real wait: 5 s)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program's write, under way
    try:
        job = window.timeline.freeze_year_end("2018-12-31")
        qtbot.waitUntil(lambda: bool(window.errors) and job.finished, timeout=TIMEOUT)
    finally:
        other.execute("ROLLBACK")
        other.close()
    title, line = window.errors[-1]
    assert title == "Snapshot failed" and str(path) in line and "\n" not in line, line
    assert [s.day for s in snapshots(window.session.project)] == []  # nothing half kept


def test_charts_dock_draws_saves_and_follows_the_date(qtbot: Any, opened: tuple[Any, Path], tmp_path) -> None:
    window, _path = opened
    panel = window.charts.panel
    window.charts.dock.show()
    qtbot.waitUntil(lambda: panel.tabs.count() == 6, timeout=TIMEOUT)
    assert list(panel.figures) == ["growth", "network", "sectors", "sizes", "helix", "gaps"]
    years_now = [t.get_text() for t in panel.figures["growth"].axes[0].get_xticklabels()]
    for suffix in (".png", ".svg"):  # drawn off the GUI thread, then written
        out = tmp_path / f"chart{suffix}"
        with qtbot.waitSignal(panel.saved, timeout=TIMEOUT) as saved:
            panel.save(out)
        assert saved.args == [str(out)]
        head = out.read_bytes()[:200]
        assert head.startswith(b"\x89PNG") if suffix == ".png" else b"<svg" in head or b"<?xml" in head
    # A folder that is not there: the user is told, naming the file, and nothing is written.
    errors = len(window.errors)
    nowhere = tmp_path / "gone" / "chart.png"
    with qtbot.waitSignal(panel.saveFailed, timeout=TIMEOUT):
        panel.save(nowhere)
    assert window.errors[errors:] and str(nowhere) in window.errors[-1][1] and not nowhere.parent.exists()
    from PySide6.QtWidgets import QApplication

    QApplication.clipboard().clear()
    with qtbot.waitSignal(panel.copied, timeout=TIMEOUT):
        panel.copy_current()
    assert QApplication.clipboard().image().width() > 500
    window.timeline.show_day("2018-12-31")
    qtbot.waitUntil(lambda: [t.get_text() for t in panel.figures["growth"].axes[0].get_xticklabels()]
                    != years_now, timeout=TIMEOUT)
    assert [t.get_text() for t in panel.figures["growth"].axes[0].get_xticklabels()][-1] == "2018"


def test_the_dock_keeps_its_height_so_the_map_is_not_resized(qtbot: Any, opened: tuple[Any, Path]) -> None:
    """Today a plain note stands where the past's banner ("editing is off") stands: the dock keeps
    one height, going to the past and back never resizes the map (each resize redraws every
    member and link; before, the dock grew with the banner and kept an empty band after it)."""
    window, _path = opened
    t = window.timeline
    t.dock.show()
    qtbot.waitUntil(lambda: t.dock.isVisible() and t.widget.today_note.isVisible(), timeout=TIMEOUT)
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    dock, map_height = t.dock.height(), window.map.height()
    past, today = t.widget.banner, t.widget.today_note

    def laid_out() -> tuple[int, int]:  # (the layouts a show or hide asked for, applied now)
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        return t.dock.height(), window.map.height()

    t.show_day("2019-12-31")
    qtbot.waitUntil(lambda: past.isVisible() and not today.isVisible(), timeout=TIMEOUT)
    assert laid_out() == (dock, map_height)
    t.show_day("")
    qtbot.waitUntil(lambda: today.isVisible() and not past.isVisible(), timeout=TIMEOUT)
    assert laid_out() == (dock, map_height)
