"""The charts dock's figures are made on the session's worker with the passport's figures (issue 17:
matplotlib's first import and the sector mix over every firm held the GUI thread ~0.5-1 s when the
dock was shown at 100,000 members), and drawn there too (a chart's draw, ~110-165 ms, held it at
every tab clicked and every resize); the GUI thread shows pictures. Real window, map page and
demo file."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()  # before pytest-qt creates the QApplication

from ui_helpers import TIMEOUT, demo_file, make_window, wait_map_synced  # noqa: E402

from cluster_desk.report import charts  # noqa: E402


def test_the_charts_are_made_off_the_gui_thread(
        qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made_on: list[tuple[str, str]] = []

    def noting(key: str, draw: Any) -> Any:
        def drawn(*args: Any) -> Any:
            made_on.append((key, threading.current_thread().name))
            return draw(*args)
        return drawn

    monkeypatch.setattr(charts, "CHARTS", [(key, noting(key, draw)) for key, draw in charts.CHARTS])
    window = make_window(qtbot, tmp_path)
    assert window.files.open_path(demo_file(tmp_path))
    wait_map_synced(qtbot, window)
    panel = window.charts.panel
    window.charts.dock.show()
    qtbot.waitUntil(lambda: panel.tabs.count() == 6, timeout=TIMEOUT)
    assert [key for key, _ in made_on] == list(panel.figures) == [k for k, _ in charts.CHARTS]
    assert threading.main_thread().name not in {thread for _, thread in made_on}
    # each tab shows its figure, docked under the assessment with room to be read
    assert [panel.tabs.widget(i).figure for i in range(6)] == list(panel.figures.values())
    window.resize(1400, 900)
    window.show()
    qtbot.waitUntil(lambda: panel.tabs.currentWidget().height() >= 200, timeout=TIMEOUT)


def test_the_charts_build_no_record_and_follow_an_edit(
        qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The dock's figures come from the worker's arrays (issue 17: at 100,000 members the window
    built every record first, ~3 s until the charts); an added firm of a new division is in the
    sector chart once assessed, and undone it is gone. The demo is opened as a big project is
    (no record built in the background after the first assessment)."""
    from cluster_desk.core.model import Member, MemberKind, Status
    from cluster_desk.ui.map import sync
    from cluster_desk.ui.project import live_assessment
    from cluster_desk.ui.project.commands import AddMember

    monkeypatch.setattr(live_assessment, "SLICES_UP_TO", 0)
    monkeypatch.setattr(sync, "EXACT_FIRST_FIT", 0)
    window = make_window(qtbot, tmp_path)
    assert window.files.open_path(demo_file(tmp_path))
    wait_map_synced(qtbot, window)
    session, panel = window.session, window.charts.panel
    assert not session.members.loaded and not session.links.loaded
    window.charts.dock.show()
    qtbot.waitUntil(lambda: panel.tabs.count() == 6, timeout=TIMEOUT)
    assert not session.members.loaded and not session.links.loaded

    def sector_labels() -> list[str]:
        return [t.get_text() for t in panel.figures["sectors"].axes[0].get_yticklabels()]

    before = sector_labels()
    assert not any(label.startswith("93") for label in before)
    firms = [Member(f"Спорт {i}", MemberKind.FIRM, Status.MEMBER, id=f"sport{i}", sector="93.11",
                    employees=50, lat=55.79, lon=49.12, joined="2016-01-01") for i in range(40)]
    for firm in firms:
        session.undo_stack.push(AddMember(session, firm))
    qtbot.waitUntil(lambda: any(label.startswith("93") for label in sector_labels()), timeout=TIMEOUT)
    for _ in firms:
        session.undo_stack.undo()
    qtbot.waitUntil(lambda: sector_labels() == before, timeout=TIMEOUT)
    assert not session.links.loaded


def test_the_charts_give_way_to_a_waiting_request(tmp_path: Path) -> None:
    """The charts' job runs in the background (after every assessment while the dock shows):
    when a request waits (an edit's checks) it stops before each step, and is run again later."""
    from cluster_desk.core.checks.context import Arrays
    from cluster_desk.core.demo import demo_cluster
    from cluster_desk.ui.charts.dock import charts_work
    from cluster_desk.ui.project.assess_engine import Engine
    from cluster_desk.ui.project.distance_lane import AGAIN

    members, links, settings = demo_cluster()
    built: list[int] = []

    def roster(_engine: Any) -> Arrays:
        built.append(1)
        return Arrays(members, links)

    work, engine = charts_work(roster, settings, "ru", None), Engine()
    engine.yield_wanted = lambda: True
    assert work(engine) is AGAIN and built == []  # nothing read before giving way
    waiting = [False, True]  # a request comes in while the figures' data is counted
    engine.yield_wanted = lambda: waiting.pop(0)
    assert work(engine) is AGAIN and built == [1]
    engine.yield_wanted = lambda: False
    data, figures = work(engine)
    assert [key for key, _ in figures] == [k for k, _ in charts.CHARTS] and data.participants > 100


def test_the_charts_are_drawn_off_the_gui_thread_once_a_size(
        qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The shown chart is drawn once, at its final size (the dock's layout is final before the
    charts are sized: a "missing" line hidden after them drew the current chart twice), on the
    worker; the other tabs are drawn there ahead at that size, so a tab clicked shows its chart
    at once and draws nothing; a resize draws the shown chart again at the new size."""
    from PySide6.QtWidgets import QApplication

    drawn_on: list[str] = []
    figure_pixels = charts.figure_pixels

    def noting(fig: Any, width: int, height: int, ratio: float = 1.0) -> Any:
        drawn_on.append(threading.current_thread().name)
        return figure_pixels(fig, width, height, ratio)

    monkeypatch.setattr(charts, "figure_pixels", noting)
    window = make_window(qtbot, tmp_path)
    window.resize(1400, 900)
    window.show()
    assert window.files.open_path(demo_file(tmp_path))
    wait_map_synced(qtbot, window)
    panel = window.charts.panel
    window.charts.dock.show()
    qtbot.waitUntil(lambda: panel.tabs.count() == 6, timeout=TIMEOUT)

    def all_drawn() -> bool:
        QApplication.processEvents()  # whatever the layout still has to do, done
        size = panel.tabs.currentWidget().size_wanted()
        return all(chart.drawn_at == size and chart.drawing_at is None for chart in panel.charts())

    qtbot.waitUntil(all_drawn, timeout=TIMEOUT)
    shown = panel.tabs.currentWidget()
    size = shown.size_wanted()
    assert size[1] >= 200 and [s for key, s in panel.draws if key == shown.objectName()] == [size]
    assert sorted(key for key, _ in panel.draws) == sorted(panel.figures)  # one draw each
    assert len(drawn_on) == 6 and threading.main_thread().name not in drawn_on
    picture = shown.grab().toImage()
    assert len({picture.pixel(x, picture.height() // 2) for x in range(0, picture.width(), 3)}) >= 3

    draws = len(panel.draws)
    panel.tabs.setCurrentIndex(3)
    QApplication.processEvents()
    assert panel.tabs.currentWidget().drawn_at == size and len(panel.draws) == draws
    # New figures (after an edit's checks): the shown one is drawn; the others keep their last
    # figure's picture until their tab shows, then draw their own.
    old = dict(panel.figures)
    window.charts.refresh()
    qtbot.waitUntil(lambda: panel.figures["sizes"] is not old["sizes"]
                    and panel.tabs.currentWidget().is_drawn(), timeout=TIMEOUT)
    assert [key for key, _ in panel.draws[draws:]] == ["sizes"]
    panel.tabs.setCurrentIndex(4)
    helix = panel.tabs.currentWidget()
    assert helix.picture_at == size and helix.drawn_at is None  # the old picture, at once
    qtbot.waitUntil(helix.is_drawn, timeout=TIMEOUT)
    assert [key for key, _ in panel.draws[draws:]] == ["sizes", "helix"]
    window.charts.dock.setFloating(True)
    window.charts.dock.resize(700, 460)
    qtbot.waitUntil(lambda: panel.tabs.currentWidget().size_wanted() != size, timeout=TIMEOUT)
    qtbot.waitUntil(all_drawn, timeout=TIMEOUT)
    assert panel.tabs.currentWidget().drawn_at != size
    # Hidden, the dock's draws still waiting are dropped (a day's checks would wait behind them).
    last = panel.charts()[-1]
    last.ask((300, 200, 1.0))
    assert last.drawing_at == (300, 200, 1.0)
    window.charts.dock.hide()
    assert all(chart.drawing_at is None for chart in panel.charts())
    qtbot.waitUntil(lambda: not window.session.assessor.busy, timeout=TIMEOUT)
    assert last.drawn_at != (300, 200, 1.0)


def test_the_dock_says_the_charts_are_coming_and_forgets_a_closed_project(
        qtbot: Any, tmp_path: Path) -> None:
    """Until the first figures come the dock says so (not an empty frame, Copy and Save off);
    a closed project's charts do not stay on show, nor stand in for the next one's."""
    window = make_window(qtbot, tmp_path)
    window.resize(1400, 900)
    window.show()
    panel = window.charts.panel
    window.charts.dock.show()
    assert panel.stack.currentWidget() is panel.waiting and panel.waiting.text()
    assert not panel.copy_button.isEnabled() and not panel.save_button.isEnabled()
    path = demo_file(tmp_path)
    assert window.files.open_path(path)
    wait_map_synced(qtbot, window)
    qtbot.waitUntil(lambda: panel.tabs.count() == 6 and panel.tabs.currentWidget().is_drawn(),
                    timeout=TIMEOUT)
    assert panel.stack.currentWidget() is panel.tabs and panel.copy_button.isEnabled()
    window.files.close()
    assert panel.tabs.count() == 0 and panel.figures == {} and panel.stack.currentWidget() is panel.waiting
    assert window.files.open_path(path)
    qtbot.waitUntil(lambda: panel.tabs.count() == 6, timeout=TIMEOUT)
    assert all(chart.picture_at is None or chart.drawn_at is not None for chart in panel.charts())
