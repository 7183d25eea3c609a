"""The assessment off the GUI thread (ui/project/assessor.py): requests coalesce, stale results
are dropped, results arrive on the GUI thread; in the real window an edit ends with the panel
showing the new assessment, a burst of edits with the final state's, "Updating…" shows while a
run takes long, and closing the project or the window during a run is clean.

A run is held at will by queueing a request that waits on a threading.Event in front of it (the
worker runs requests one at a time, oldest first): no sleeps, no timing assumptions."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()  # before pytest-qt creates the QApplication (module import time)

from PySide6.QtCore import QCoreApplication, QEvent, QThread  # noqa: E402
from ui_helpers import TIMEOUT, close_shared, reopen, shared_window  # noqa: E402

from cluster_desk.core.assessment import assess  # noqa: E402
from cluster_desk.core.model import Link, LinkKind  # noqa: E402
from cluster_desk.text.checks import render_check  # noqa: E402
from cluster_desk.ui.i18n import ui_text  # noqa: E402
from cluster_desk.ui.project.assess_engine import counts  # noqa: E402
from cluster_desk.ui.project.assessor import Assessor  # noqa: E402
from cluster_desk.ui.project.commands import MoveMember  # noqa: E402


def held(started: threading.Event, gate: threading.Event, value: Any = "held") -> Callable[[Any], Any]:
    """Work that says it started, then waits for the gate (the test opens it)."""

    def work(_engine: Any) -> Any:
        started.set()
        assert gate.wait(60), "the test never opened the gate"
        return value

    return work


def on_gui_thread() -> bool:
    app = QCoreApplication.instance()
    return app is not None and QThread.currentThread() is app.thread() and \
        threading.current_thread() is threading.main_thread()


# ----- the assessor alone ------------------------------------------------------------------------

def test_a_burst_runs_the_newest_request_and_delivers_it_on_the_gui_thread(qtbot: Any) -> None:
    assessor = Assessor()
    busy: list[bool] = []
    assessor.busyChanged.connect(busy.append)
    started, gate = threading.Event(), threading.Event()
    delivered: list[tuple[Any, bool]] = []
    ran_on: list[str] = []

    def deliver(value: Any) -> None:
        delivered.append((value, on_gui_thread()))

    def work(i: int) -> Callable[[Any], int]:
        def run(_engine: Any) -> int:
            ran_on.append(threading.current_thread().name)
            return i
        return run

    assessor.run("live", held(started, gate), deliver)
    assert started.wait(30)
    for i in range(6):  # a burst while the first one runs
        assessor.run("live", work(i), deliver)
    gate.set()
    qtbot.waitUntil(lambda: not assessor.busy, timeout=TIMEOUT)
    assert delivered == [(5, True)]  # the running one was superseded; 0..4 never ran
    assert assessor.runs == 2
    assert ran_on == ["cluster-desk-assessor"]
    assert busy == [True, False]


def test_lanes_are_independent_and_failures_arrive_as_exceptions(qtbot: Any) -> None:
    assessor = Assessor()
    got: dict[str, Any] = {}

    def boom(_engine: Any) -> None:
        raise ValueError("broken roster")

    assessor.run("live", lambda _e: "today", lambda v: got.__setitem__("live", v))
    assessor.run("as_of", lambda _e: "2021", lambda v: got.__setitem__("as_of", v))
    assessor.run("bad", boom, lambda v: got.__setitem__("bad", v),
                 lambda e: got.__setitem__("failed", (e, on_gui_thread())))
    qtbot.waitUntil(lambda: not assessor.busy, timeout=TIMEOUT)
    assert got["live"] == "today" and got["as_of"] == "2021"
    assert "bad" not in got
    error, gui = got["failed"]
    assert isinstance(error, ValueError) and str(error) == "broken roster" and gui


def test_a_cancelled_run_is_not_delivered(qtbot: Any) -> None:
    assessor = Assessor()
    started, gate = threading.Event(), threading.Event()
    live: list[Any] = []
    probe: list[Any] = []
    assessor.run("live", held(started, gate), live.append)
    assert started.wait(30)
    assessor.cancel("live")
    assert not assessor.busy
    assessor.run("probe", lambda _e: "after", probe.append)  # runs after the held one
    gate.set()
    qtbot.waitUntil(lambda: bool(probe), timeout=TIMEOUT)
    QCoreApplication.sendPostedEvents()
    assert live == [] and probe == ["after"]


def test_shutdown_waits_for_the_run_and_delivers_nothing(qtbot: Any) -> None:
    assessor = Assessor()
    started, gate = threading.Event(), threading.Event()
    live: list[Any] = []
    assessor.run("live", held(started, gate), live.append)
    assessor.run("as_of", lambda _e: "queued", live.append)
    assert started.wait(30)
    worker = assessor._worker
    gate.set()
    assessor.shutdown()
    assert worker.thread is None  # the held run finished; the queued one never ran
    QCoreApplication.sendPostedEvents()
    assert live == [] and assessor.runs == 1
    assessor.run("live", lambda _e: "late", live.append)  # after quitting: ignored
    QCoreApplication.sendPostedEvents()
    assert live == []


# ----- in the window ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_window(qapp: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    window = shared_window(tmp_path_factory.mktemp("assessor"))
    yield window
    close_shared(window)


def _fresh(window: Any) -> list[Any]:
    s = window.session
    return assess(list(s.members.values()), list(s.links.values()), s.settings)


def _settled(window: Any) -> bool:
    return not window.session.assessment_pending and not window.session.assessor.busy


def test_after_a_drop_the_panel_shows_the_new_assessment(qtbot: Any, demo_window: Any) -> None:
    window, s = demo_window, demo_window.session
    qtbot.waitUntil(lambda: _settled(window), timeout=TIMEOUT)
    pending: list[bool] = []
    threads: list[bool] = []
    s.assessmentPending.connect(pending.append)
    s.assessed.connect(lambda _r: threads.append(on_gui_thread()))
    rows: list[tuple[int, int]] = []
    window.links.model.dataChanged.connect(lambda a, b, *_: rows.append((a.row(), b.row())))
    firm = next(m for m in s.members.values() if m.located and m.kind == "firm" and m.status == "member"
                and s.distance(m.id) is not None and s.distance(m.id) < s.settings.radius_km)
    before = s.results
    window.map.memberMoved.emit(firm.id, firm.lat + 6.0, firm.lon)  # what a drop sends: far outside
    qtbot.waitUntil(lambda: _settled(window) and s.results is not before, timeout=TIMEOUT)
    assert pending == [True, False] and threads == [True]
    assert s.results == _fresh(window)
    members, links, settings = reopen(s.path)  # and the file says the same
    assert s.results == assess(list(members.values()), links, settings)
    conc = next(r for r in s.results if r.id == "concentration")
    assert firm.name in conc.details["outside"]
    card = window.assessment.cards["concentration"]
    assert card.figure.text() == render_check(conc, ui_text()).figure
    assert s.distance(firm.id) > s.settings.radius_km
    assert s.counts() == counts(list(s.members.values()))
    assert rows == []  # a drop renames nothing: the links table was not refreshed row by row
    # The links layer finds each member's links from its packed rows (no member -> links index).
    layer = window.links.layer
    by_member: dict[str, set[str]] = {}
    for lk in s.links.values():
        by_member.setdefault(lk.source, set()).add(lk.id)
        by_member.setdefault(lk.target, set()).add(lk.id)
    assert all(layer.links_of_members([mid]) == ids for mid, ids in by_member.items())
    s.undo_stack.undo()
    qtbot.waitUntil(lambda: _settled(window) and s.results == _fresh(window), timeout=TIMEOUT)


def test_the_norm_radius_shows_at_once_after_an_open(qtbot: Any, demo_window: Any, tmp_path: Path) -> None:
    """Not the spin box's minimum (0.1 km) until the first assessment: that can take seconds
    at 100k (the records are built in slices first)."""
    import shutil

    from cluster_desk.store.project import Project

    window, s = demo_window, demo_window.session
    qtbot.waitUntil(lambda: _settled(window), timeout=TIMEOUT)
    home = s.path
    other = tmp_path / "other.cdesk"
    shutil.copy(home, other)
    with Project.open(other) as p:
        p.set_settings(dataclasses.replace(p.settings(), radius_km=137.0))
    assert window.files.open_path(other)
    assert window.assessment.radius.value() == 137.0  # before any event: no assessment yet
    qtbot.waitUntil(lambda: _settled(window), timeout=TIMEOUT)
    assert window.files.open_path(home)
    assert window.assessment.radius.value() == s.settings.radius_km != 137.0
    qtbot.waitUntil(lambda: _settled(window), timeout=TIMEOUT)


def test_a_burst_of_edits_ends_in_the_final_state(qtbot: Any, demo_window: Any) -> None:
    window, s = demo_window, demo_window.session
    qtbot.waitUntil(lambda: _settled(window), timeout=TIMEOUT)
    runs = s.assessor.runs
    located = [m for m in s.members.values() if m.located][:12]
    for i, m in enumerate(located):  # one after another, no event loop in between
        s.undo_stack.push(MoveMember(s, m.id, m.lat + 0.05 * (i + 1), m.lon - 0.5))
    s.apply_settings(dataclasses.replace(s.settings, radius_km=s.settings.radius_km - 40))
    qtbot.waitUntil(lambda: _settled(window), timeout=TIMEOUT)
    assert s.results == _fresh(window)
    assert s.assessor.runs - runs <= 2  # coalesced (one run, or two if the timer fired mid-burst)
    assert window.assessment.results == {r.id: r for r in s.results}
    assert s.circle is not None and s.circle[2] == s.settings.radius_km


def test_assess_as_of_a_day_in_its_own_lane(qtbot: Any, demo_window: Any) -> None:
    """The past view's request (session.assess_on): that day's checks and participants, without
    touching the live ones; a newer day replaces an older one not yet delivered."""
    from cluster_desk.core.checks.context import Arrays

    window, s = demo_window, demo_window.session
    qtbot.waitUntil(lambda: _settled(window), timeout=TIMEOUT)
    live = s.results
    got: list[Any] = []
    started, gate = threading.Event(), threading.Event()
    s.assessor.run("hold", held(started, gate), lambda _v: None)
    assert started.wait(30)
    s.assess_on("2020-06-30", got.append)
    s.assess_on("2022-06-30", got.append)  # the slider moved on before the first one ran
    gate.set()
    qtbot.waitUntil(lambda: bool(got) and not s.assessor.busy, timeout=TIMEOUT)
    assert len(got) == 1 and got[0].request.on == "2022-06-30"
    members, links = list(s.members.values()), list(s.links.values())
    assert got[0].results == assess(members, links, s.settings, on="2022-06-30")
    on_the_day = Arrays(members, links).participants("2022-06-30")
    assert list(got[0].participants) == [m.id for m, p in zip(members, on_the_day, strict=True) if p]
    assert s.results is live and not s.assessment_pending


def test_updating_shows_while_a_run_takes_long(qtbot: Any, demo_window: Any) -> None:
    window, s = demo_window, demo_window.session
    qtbot.waitUntil(lambda: _settled(window), timeout=TIMEOUT)
    label = window.assessment.updating
    assert not label.isVisible()
    started, gate = threading.Event(), threading.Event()
    s.assessor.run("hold", held(started, gate), lambda _v: None)  # the worker is busy
    assert started.wait(30)
    m = next(m for m in s.members.values() if m.located)
    s.undo_stack.push(MoveMember(s, m.id, m.lat + 0.3, m.lon))
    qtbot.waitUntil(label.isVisible, timeout=TIMEOUT)  # after the panel's short delay
    assert label.text() == "Updating…" and window.assessment.pending
    gate.set()
    qtbot.waitUntil(lambda: not label.isVisible() and _settled(window), timeout=TIMEOUT)
    assert s.results == _fresh(window)
    s.undo_stack.undo()
    qtbot.waitUntil(lambda: _settled(window), timeout=TIMEOUT)


def test_closing_the_project_then_the_window_during_a_run(qtbot: Any, tmp_path: Path) -> None:
    from PySide6.QtCore import QSettings
    from ui_helpers import demo_file

    from cluster_desk.ui.preferences import Preferences
    from cluster_desk.ui.shell.main_window import MainWindow

    # Not handed to qtbot: this test deletes the window itself.
    window = MainWindow(Preferences(QSettings(str(tmp_path / "prefs.ini"), QSettings.Format.IniFormat)))
    window.errors = []
    window.report_error = lambda title, text: window.errors.append((title, text))
    window.show()
    qtbot.waitUntil(lambda: window.map.is_ready, timeout=TIMEOUT)
    assert window.files.open_path(demo_file(tmp_path))
    s = window.session
    qtbot.waitUntil(lambda: bool(s.results) and _settled(window), timeout=TIMEOUT)
    assessed: list[Any] = []
    s.assessed.connect(assessed.append)
    started, gate = threading.Event(), threading.Event()
    s.assessor.run("hold", held(started, gate), lambda _v: None)
    assert started.wait(30)
    m = next(m for m in s.members.values() if m.located)
    s.undo_stack.push(MoveMember(s, m.id, m.lat + 1.0, m.lon))
    s.assess_now()  # queued behind the held run
    window.files.close()  # File › Close
    assert not s.is_open and assessed == [[]]
    probe: list[Any] = []
    s.assessor.run("probe", lambda _e: "after", probe.append)
    gate.set()
    qtbot.waitUntil(lambda: bool(probe), timeout=TIMEOUT)
    QCoreApplication.sendPostedEvents()
    assert assessed == [[]] and s.results == [] and not window.assessment.updating.isVisible()
    assert window.errors == []

    # Again with a project open, and the whole window closed while the run is held.
    assert window.files.open_path(demo_file(tmp_path, "again.cdesk"))
    qtbot.waitUntil(lambda: bool(s.results) and _settled(window), timeout=TIMEOUT)
    started, gate = threading.Event(), threading.Event()
    s.assessor.run("hold", held(started, gate), lambda _v: None)
    assert started.wait(30)
    s.undo_stack.push(MoveMember(s, m.id, m.lat + 2.0, m.lon))
    s.assess_now()
    worker = s.assessor._worker
    window.close()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # the window is gone
    gate.set()
    qtbot.waitUntil(lambda: worker.thread is None, timeout=TIMEOUT)  # ran out, nothing to deliver to
    QCoreApplication.sendPostedEvents()


def test_link_edits_are_assessed_from_patched_rows_in_the_window(qtbot: Any, demo_window: Any) -> None:
    """Issue 12: a link added, edited, deleted, undone and redone through its command: the checks
    shown are a fresh assessment's, the worker patched its link rows each time ("link edit"),
    and the links table holds the session's links in its order."""
    from cluster_desk.ui.links.commands import AddLink, DeleteLinks, EditLink

    window, s = demo_window, demo_window.session
    qtbot.waitUntil(lambda: _settled(window), timeout=TIMEOUT)
    hows: list[str] = []
    take = s._take_assessment
    s._take_assessment = lambda done: (hows.append(done.arrays), take(done))  # type: ignore[method-assign]
    try:
        ids = [m.id for m in s.members.values() if m.status == "member"]
        edits: list[Callable[[], None]] = [
            lambda: s.undo_stack.push(AddLink(s, Link(ids[0], ids[5], LinkKind.RND, id="t-new"))),
            lambda: s.undo_stack.push(EditLink(s, dataclasses.replace(s.links["t-new"], volume=2e6,
                                                                      kind=LinkKind.SUPPLY))),
            lambda: s.undo_stack.push(DeleteLinks(s, [next(iter(s.links))])),  # the first row
            s.undo_stack.undo,
            s.undo_stack.undo,
            s.undo_stack.redo,
            lambda: s.undo_stack.push(DeleteLinks(s, ["t-new"])),
        ]
        for edit in edits:
            before = s.results
            edit()
            qtbot.waitUntil(lambda b=before: _settled(window) and s.results is not b, timeout=TIMEOUT)
            assert s.results == _fresh(window)
            assert window.links.model.ids() == list(s.links)
        assert set(hows) == {"link edit"}, hows
        # Several links in one edit reach the worker in the order they were added (its rows
        # follow the session's: sums over links add up as in a fresh assessment).
        two = [Link(ids[2], ids[7], LinkKind.RND, id="t-z"), Link(ids[3], ids[8], LinkKind.RND, id="t-a")]
        s.apply_add_links(two)
        assert [lk.id for lk in s._steps[-1].links] == ["t-z", "t-a"]
        qtbot.waitUntil(lambda: _settled(window) and s.results == _fresh(window), timeout=TIMEOUT)
        s.apply_delete_links(["t-z", "t-a"])
        qtbot.waitUntil(lambda: _settled(window) and s.results == _fresh(window), timeout=TIMEOUT)
    finally:
        s._take_assessment = take  # type: ignore[method-assign]
