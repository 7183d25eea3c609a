"""The charts dock's figures are made on the session's worker with the passport's figures (issue 17:
matplotlib's first import and the sector mix over every firm held the GUI thread ~0.5-1 s when the
dock was shown at 100,000 members); the GUI thread only puts them in Qt canvases. Real window, map
page and demo file."""

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
    # each tab is the figure's own Qt canvas, docked under the assessment with room to be read
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


def test_the_shown_chart_is_drawn_once_when_it_comes(
        qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The dock's layout is final before the canvases are sized: the "missing" line hidden after
    them resized the current chart and drew it twice (~60 ms each at 100,000 members)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PySide6.QtWidgets import QApplication

    draws: list[tuple[int, int]] = []
    draw = FigureCanvasAgg.draw

    def counted(canvas: Any, *args: Any, **kwargs: Any) -> Any:
        draws.append((canvas.width(), canvas.height()))
        return draw(canvas, *args, **kwargs)

    window = make_window(qtbot, tmp_path)
    window.resize(1400, 900)
    window.show()
    assert window.files.open_path(demo_file(tmp_path))
    wait_map_synced(qtbot, window)
    monkeypatch.setattr(FigureCanvasAgg, "draw", counted)
    panel = window.charts.panel
    window.charts.dock.show()
    qtbot.waitUntil(lambda: panel.tabs.count() == 6 and bool(draws), timeout=TIMEOUT)
    canvas = panel.tabs.currentWidget()
    for _ in range(5):  # whatever the layout still has to do, done
        QApplication.processEvents()
        qtbot.waitUntil(lambda: not canvas._draw_pending, timeout=TIMEOUT)
    assert draws == [(canvas.width(), canvas.height())]
