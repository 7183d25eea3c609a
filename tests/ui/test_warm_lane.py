"""Issue 17 (the GUI thread's stalls between the paint and the first checks): the warm-ups an
open starts (the roster's name key and federal subjects at the paint, its stored columns' keys
and the filter's haystack at the first assessment) run one at a time (``warm_lane``), so the GUI
thread waits for the interpreter lock behind at most one of them; one that someone waits for
(``join``, a sort waiting for the regions) runs at once."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from cluster_desk.core.model import Member, MemberKind
from cluster_desk.store.project import Project
from cluster_desk.ui.project.session import ProjectSession
from cluster_desk.ui.project.warm_lane import LaneThread, WarmLane
from cluster_desk.ui.roster import model as roster_model
from cluster_desk.ui.roster import subject_column
from cluster_desk.ui.roster.panel import RosterPanel

ROWS = 60
#: The threads of the open's warm-ups (names as the roster gives them).
WARM_UPS = ("roster-name-key", "subjects-index", "roster-stored-keys", "roster-haystack")


class _Bodies:
    """Which warm-up bodies run at once: each, once begun, waits until the next warm-up has
    been started too (so two that may run together do), then runs."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.running = 0
        self.most = 0
        self.begun: list[str] = []
        self.started: list[str] = []


def _probe(monkeypatch: Any) -> _Bodies:
    bodies = _Bodies()
    run, start = threading.Thread.run, threading.Thread.start

    def started(self: threading.Thread) -> None:
        if self.name in WARM_UPS:
            with bodies.cond:
                bodies.started.append(self.name)
                bodies.cond.notify_all()
        start(self)

    def body(self: threading.Thread) -> None:
        if self.name not in WARM_UPS:
            run(self)
            return
        with bodies.cond:
            bodies.running += 1
            bodies.most = max(bodies.most, bodies.running)
            bodies.begun.append(self.name)
            # (a safety net only: in both cases the next warm-up is started within the open)
            bodies.cond.wait_for(lambda: len(bodies.started) > len(bodies.begun)
                                 or len(bodies.begun) >= len(WARM_UPS), timeout=30)
        try:
            run(self)
        finally:
            with bodies.cond:
                bodies.running -= 1
                bodies.cond.notify_all()

    monkeypatch.setattr(threading.Thread, "start", started)
    monkeypatch.setattr(threading.Thread, "run", body)
    return bodies


def test_an_opens_warm_ups_run_one_at_a_time(qapp: Any, qtbot: Any, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setattr(roster_model, "PREWARM_ROWS", 10)
    monkeypatch.setattr(subject_column, "_ONE_BY_ONE", 10)
    path = tmp_path / "w.cdesk"
    project = Project.create(path, name="W")
    project.add_members([Member(name=f"Firm {i:02d}", kind=MemberKind.FIRM, lat=55 + i / 50, lon=49 + i / 50,
                                notes=f"note {i}") for i in range(ROWS)])
    project.close()
    session = ProjectSession()

    def held(change: Any) -> None:
        if change.reset and session.is_open:
            session.hold_assessment()  # (as the map does while it paints an open)

    session.changed.connect(held)
    model = roster_model.RosterModel(session)
    panel = RosterPanel(model)  # its rows show and ask for their regions
    qtbot.addWidget(panel)
    panel.resize(900, 400)
    panel.show()
    bodies = _probe(monkeypatch)
    session.open(path)
    qtbot.waitExposed(panel)
    with qtbot.waitSignal(session.assessed, timeout=20_000):
        session.release_assessment()  # painted: the warm-ups start, then the first checks
    qtbot.waitUntil(lambda: set(bodies.begun) >= set(WARM_UPS) and bodies.running == 0, timeout=20_000)
    assert sorted(bodies.started) == sorted(WARM_UPS)
    assert bodies.most == 1  # (the old code: 2, the name key and the regions at once)
    session.close()


def test_a_warm_up_waited_for_skips_the_queue() -> None:
    lane = WarmLane()
    first_in, first_go, ran = threading.Event(), threading.Event(), []

    def first() -> None:
        first_in.set()
        first_go.wait()
        ran.append("first")

    a = LaneThread(target=first, daemon=True, lane=lane, name="a")
    b = LaneThread(target=lambda: ran.append("second"), daemon=True, lane=lane, name="b")
    a.start()
    first_in.wait()
    b.start()
    b.join()  # (waits for the first's turn to end without the join's hurry: it never would)
    assert ran == ["second"] and lane.most == 2
    first_go.set()
    a.join()
    assert ran == ["second", "first"]


def test_warm_ups_not_waited_for_run_one_at_a_time() -> None:
    lane = WarmLane()
    gate, done, ran = threading.Event(), threading.Event(), []

    def work(i: int) -> None:
        ran.append(i)
        if len(ran) == 5:
            done.set()

    threads = [LaneThread(target=gate.wait, daemon=True, lane=lane, name="gate")]
    threads += [LaneThread(target=work, args=(i,), daemon=True, lane=lane, name=f"w{i}") for i in range(5)]
    for t in threads:
        t.start()
    gate.set()
    done.wait()
    assert sorted(ran) == [0, 1, 2, 3, 4] and lane.most == 1
