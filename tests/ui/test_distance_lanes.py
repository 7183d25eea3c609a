"""The roster's distances as a second lane after the checks (issue 17: a million members'
distances took ~0.9 s of the worker that the checks' result waited for).

The result (facts, circles, rings) goes out first; every located member's exact distance to its
centre follows from the worker's background (ui/project/distance_lane.py over
core.roster_distances), taking the exact distances the concentration rule measured from the
same centre; until it comes the roster keeps its distances and the centre they are measured
from (session.distances_centre). A lane measured before an edit that moved, added or removed
members, or for a centre that is no longer the last result's, is dropped. No sleeps: the worker
is ordered with events, the session's lanes fed by hand where the order must be exact."""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from cluster_desk.core import roster_distances
from cluster_desk.core.checks import geography
from cluster_desk.core.checks.context import Arrays
from cluster_desk.core.geodesy import distances_km
from cluster_desk.core.model import ClusterSettings, Member, MemberKind, Status
from cluster_desk.core.roster_distances import all_distances
from cluster_desk.ui.project.assess_engine import AssessRequest, Engine
from cluster_desk.ui.project.distance_lane import AGAIN, Measured, MeasureDistances, lane_after

TIMEOUT = 20_000


def _roster(n: int = 600) -> tuple[Member, ...]:
    """Firms in a spiral around Kazan out to ~330 km (some beyond the 200 km radius), a few
    candidates (measured by the roster, not by the concentration rule) and two unplaced."""
    out = []
    for i in range(n):
        r, a = 3.0 * (i / n) ** 0.5, i * 2.399963
        out.append(Member(f"Firm {i}", id=f"m{i:04d}", kind=MemberKind.FIRM,
                          status=Status.CANDIDATE if i % 7 == 0 else Status.MEMBER,
                          lat=55.8 + r * np.sin(a), lon=49.1 + 1.7 * r * np.cos(a)))
    out += [Member("Nowhere", id="x1"), Member("Nowhere 2", id="x2", kind=MemberKind.RESEARCH)]
    return tuple(out)


def _exact(members: Any, centre: tuple[float, float]) -> dict[str, float]:
    placed = [m for m in members if m.lat is not None and m.lon is not None]
    lats, lons = np.array([m.lat for m in placed]), np.array([m.lon for m in placed])
    d = distances_km(centre[0], centre[1], lats, lons)
    return dict(zip([m.id for m in placed], d.tolist(), strict=True))


# ----- the engine (Qt-free) ------------------------------------------------------------------------

def test_the_result_comes_without_distances_and_the_lane_measures_them_exactly() -> None:
    members = _roster()
    settings = ClusterSettings(radius_km=200.0)
    engine = Engine()
    done = engine.assess(AssessRequest(members, (), settings, distances=True, distances_later=True, tag=7))
    lane = lane_after(done)
    assert done.distances is None and lane is not None and done.centre is not None
    measured = lane(engine)
    assert isinstance(measured, Measured) and measured.tag == 7 and measured.centre == done.centre
    # Bit for bit what measuring every member gives (those of the rule's taken, not estimated):
    fresh = all_distances(done.centre, Arrays(members, ()))
    assert dict(measured.distances) == dict(fresh) == pytest.approx(_exact(members, done.centre), abs=0)
    assert "x1" not in measured.distances and len(measured.distances) == len(members) - 2
    # The concentration rule's exact distances (participants at and beyond the radius) were taken.
    beyond = sum(1 for m in members if m.status is Status.MEMBER and fresh.get(m.id, 0) >= 0.99 * 200.0)
    assert 0 < beyond <= measured.shared < len(members) - 2
    # The same centre again (known to the caller): no lane.
    again = engine.assess(AssessRequest(members, (), settings, distances=True, distances_later=True,
                                        known_centre=done.centre))
    assert lane_after(again) is None and again.distances is None


def test_a_lane_gives_way_between_chunks_and_goes_stale_when_members_move(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(roster_distances, "MEASURE_CHUNK", 100)
    members = _roster()
    settings = ClusterSettings(radius_km=200.0, centre_lat=55.8, centre_lon=49.1)
    engine = Engine()
    request = AssessRequest(members, (), settings, distances=True, distances_later=True)
    first = lane_after(engine.assess(request))
    assert first is not None
    waiting = [True, False]  # another lane's request waits at the first chunk's end, then not
    engine.yield_wanted = lambda: waiting.pop(0) if waiting else False
    assert first(engine) is AGAIN
    measured = first(engine)  # goes on where it stopped
    assert isinstance(measured, Measured)
    assert dict(measured.distances) == pytest.approx(_exact(members, (55.8, 49.1)), abs=0)
    # A lane that gave way, then found a member moved by the request that ran meanwhile: stale.
    lane = lane_after(engine.assess(AssessRequest(members, (), dataclasses.replace(settings, centre_lat=56.0),
                                                  distances=True, distances_later=True)))
    assert lane is not None
    engine.yield_wanted = lambda: True
    assert lane(engine) is AGAIN
    moved = (dataclasses.replace(members[0], lat=57.0), *members[1:])
    engine.assess(AssessRequest(moved, (), dataclasses.replace(settings, centre_lat=56.0)))
    assert lane(engine) is None


def test_the_rules_exact_distances_follow_a_drag() -> None:
    """A drag rewrites the moved points' distances in the rule's cache: they are exact there."""
    members = list(_roster())
    settings = ClusterSettings(radius_km=200.0, centre_lat=55.8, centre_lon=49.1)
    engine = Engine()
    engine.assess(AssessRequest(tuple(members), (), settings))
    members[5] = dataclasses.replace(members[5], lat=55.81, lon=49.12)  # well inside
    done = engine.assess(AssessRequest(tuple(members), (), settings, distances=True, distances_later=True))
    lane = lane_after(done)
    assert done.arrays == "positions" and lane is not None
    last = geography._last_dist[0]
    assert last.exact.sum() > 0
    measured = lane(engine)
    assert isinstance(measured, Measured)
    assert measured.distances["m0005"] == _exact([members[5]], (55.8, 49.1))["m0005"]
    assert dict(measured.distances) == pytest.approx(_exact(members, (55.8, 49.1)), abs=0)


# ----- the assessor's background (real Qt) ------------------------------------------------------------

def test_a_background_lane_gives_way_to_a_request_and_resumes(qtbot: Any) -> None:
    from cluster_desk.ui.project.assessor import Assessor

    assessor = Assessor()
    order: list[str] = []
    delivered: list[tuple[str, Any]] = []
    started, queued = threading.Event(), threading.Event()
    calls = [0]

    def lane(engine: Engine) -> Any:
        calls[0] += 1
        if calls[0] == 1:
            order.append("lane starts")
            started.set()
            assert queued.wait(30)
            assert engine.yield_wanted()  # the live request below waits
            return AGAIN
        order.append("lane ends")
        return "distances"

    def live(_engine: Engine) -> str:
        order.append("live")
        return "facts"

    assessor.run("distances", lane, lambda v: delivered.append(("distances", v)), background=True)
    assert started.wait(30)
    assessor.run("live", live, lambda v: delivered.append(("live", v)))
    queued.set()
    qtbot.waitUntil(lambda: not assessor.busy, timeout=TIMEOUT)
    assert order == ["lane starts", "live", "lane ends"]
    assert delivered == [("live", "facts"), ("distances", "distances")]


def test_a_lane_replaced_while_it_gave_way_is_not_run_again(qtbot: Any) -> None:
    from cluster_desk.ui.project.assessor import Assessor

    assessor = Assessor()
    started, queued = threading.Event(), threading.Event()
    runs: list[str] = []
    delivered: list[Any] = []

    def old(engine: Engine) -> Any:
        runs.append("old")
        started.set()
        assert queued.wait(30)
        return AGAIN if engine.yield_wanted() else "old"

    def new(_engine: Engine) -> str:
        runs.append("new")
        return "new"

    assessor.run("distances", old, delivered.append, background=True)
    assert started.wait(30)
    assessor.run("live", lambda _e: runs.append("live"), lambda _v: None)
    assessor.run("distances", new, delivered.append, background=True)
    queued.set()
    qtbot.waitUntil(lambda: not assessor.busy, timeout=TIMEOUT)
    assert runs == ["old", "live", "new"] and delivered == ["new"]


def test_a_follow_up_lane_comes_after_its_result_and_only_for_the_newest_request(qtbot: Any) -> None:
    """The live result first, then its follow-up (the distances) from the same worker, before
    any tidying; no follow-up work: the lane is done without a delivery; a newer request that
    names the lane drops the follow-up of the one before it."""
    from cluster_desk.ui.project.assessor import Assessor

    assessor = Assessor()
    got: list[tuple[str, Any]] = []
    started, gate = threading.Event(), threading.Event()

    def result(value: str, wait: bool = False) -> Any:
        def work(_engine: Engine) -> str:
            if wait:
                started.set()
                assert gate.wait(30)
            return value
        return work

    def then(pick: Any) -> Any:
        return ("distances", pick, lambda v: got.append(("distances", v)))

    def measure(value: str) -> Any:
        return lambda _engine: f"{value}: measured"

    assessor.run("live", result("r1"), lambda v: got.append(("live", v)), then=then(measure))
    qtbot.waitUntil(lambda: not assessor.busy, timeout=TIMEOUT)
    assert got == [("live", "r1"), ("distances", "r1: measured")]
    got.clear()
    assessor.run("live", result("r2"), lambda v: got.append(("live", v)), then=then(lambda _v: None))
    qtbot.waitUntil(lambda: not assessor.busy, timeout=TIMEOUT)
    assert got == [("live", "r2")]
    got.clear()
    assessor.run("live", result("r3", wait=True), lambda v: got.append(("live", v)), then=then(measure))
    assert started.wait(30)
    assessor.run("live", result("r4"), lambda v: got.append(("live", v)), then=then(measure))
    gate.set()
    qtbot.waitUntil(lambda: not assessor.busy, timeout=TIMEOUT)
    assert got == [("live", "r4"), ("distances", "r4: measured")]


# ----- the session and the roster (real Qt, a real project file) --------------------------------------

@pytest.fixture
def session(qapp: Any, qtbot: Any, tmp_path: Path) -> Any:
    from cluster_desk.store.project import Project
    from cluster_desk.ui.project.session import ProjectSession

    path = tmp_path / "lanes.cdesk"
    with Project.create(path, name="Lanes") as p:
        p.add_members(list(_roster()))
    s = ProjectSession()
    s.open(path)
    qtbot.waitUntil(lambda: _settled(s), timeout=TIMEOUT)
    yield s
    s.close(emit=False)


def _settled(s: Any) -> bool:
    """Assessed, the distances' lane in and the roster told (a frame after)."""
    return (bool(s.results) and not s.assessment_pending and not s.assessor.busy
            and not s._all_distances_changed.isActive())


def _check_exact(s: Any) -> None:
    """Every located member's distance, from the centre the distances say they are measured from."""
    assert s.distances_centre == s.centre
    assert dict(s.distances) == pytest.approx(_exact(s.members.values(), s.centre), abs=0)


def test_the_checks_come_before_the_distances_which_follow_a_centre_move_and_its_undo(
        qtbot: Any, session: Any) -> None:
    from cluster_desk.ui.project.commands import SetSettings
    from cluster_desk.ui.roster.model import COL, RosterModel

    s = session
    _check_exact(s)
    first = s.centre
    model = RosterModel(s)
    far = next(m for m in s.members.values() if m.located and s.distance(m.id) > 150)
    row = model.row_of(far.id)
    seen: list[tuple[str, Any, Any]] = []
    s.assessed.connect(lambda _r: seen.append(("facts", s.centre, s.distances_centre)))
    s.geometryChanged.connect(lambda ids: ids is None and seen.append(
        ("distances", s.centre, s.distances_centre)))
    columns: list[tuple[int, int, int]] = []
    model.dataChanged.connect(lambda a, b, *_: columns.append((a.column(), a.row(), b.row())))

    moved = (first[0] + 1.0, first[1] - 1.0)
    s.undo_stack.push(SetSettings(s, dataclasses.replace(s.settings, centre_lat=moved[0],
                                                         centre_lon=moved[1])))
    qtbot.waitUntil(lambda: _settled(s) and s.distances_centre == moved, timeout=TIMEOUT)
    # The checks were shown with the old distances still standing (and saying so), then the lane.
    assert seen[0] == ("facts", moved, first) and seen[-1] == ("distances", moved, moved)
    _check_exact(s)
    assert (COL["distance"], 0, len(s.members) - 1) in columns  # the whole column repainted
    assert model.index(row, COL["distance"]).data() == f"{_exact([far], moved)[far.id]:.1f}"

    seen.clear()
    s.undo_stack.undo()
    qtbot.waitUntil(lambda: _settled(s) and s.distances_centre == first, timeout=TIMEOUT)
    assert seen[0] == ("facts", first, moved) and seen[-1] == ("distances", first, first)
    _check_exact(s)
    assert model.index(row, COL["distance"]).data() == f"{_exact([far], first)[far.id]:.1f}"


def test_an_edit_while_the_distances_are_measured_leaves_them_right(qtbot: Any, session: Any) -> None:
    """A member moved as soon as the centre's result is shown (its lane queued or running): the
    lane measured before the move never stands; the distances end exact from the last centre,
    the moved member's from its new place."""
    from cluster_desk.ui.project.commands import MoveMember, SetSettings

    s = session
    m = next(m for m in s.members.values() if m.located)
    moved_to = (float(m.lat) + 0.7, float(m.lon) + 0.4)
    edits: list[bool] = []

    def move_once(_results: Any) -> None:
        if not edits:
            edits.append(s.assessor.busy)  # the distances' lane is queued or running
            s.undo_stack.push(MoveMember(s, m.id, *moved_to, origin="map"))

    s.assessed.connect(move_once)
    centre = (s.centre[0] - 0.5, s.centre[1] + 0.5)
    s.undo_stack.push(SetSettings(s, dataclasses.replace(s.settings, centre_lat=centre[0],
                                                         centre_lon=centre[1])))
    qtbot.waitUntil(lambda: _settled(s) and bool(edits) and s.distances_centre == centre, timeout=TIMEOUT)
    assert edits == [True]
    assert (s.members[m.id].lat, s.members[m.id].lon) == moved_to
    _check_exact(s)


def test_a_stale_lane_never_overwrites_newer_distances(qtbot: Any, session: Any) -> None:
    """Lanes fed by hand in the order that matters: one measured before a member moved, and one
    for a centre that is no longer the last result's, are both dropped."""
    from cluster_desk.ui.project.commands import MoveMember

    s = session
    engine = Engine()  # the session's request, measured on this thread
    done = engine.assess(s._request())
    assert lane_after(done) is None  # (the session's distances are from this centre already)
    other = (s.centre[0] + 0.3, s.centre[1])
    lane = MeasureDistances(other, date_today(), engine._rows_state, s._edit_generation)
    measured = lane(engine)
    assert isinstance(measured, Measured)
    held = s.distances
    s._take_distances(measured)  # a centre that is not the last result's
    assert s.distances is held
    current = MeasureDistances(s.centre, date_today(), engine._rows_state, s._edit_generation)
    before_move = current(engine)
    m = next(m for m in s.members.values() if m.located)
    s.undo_stack.push(MoveMember(s, m.id, float(m.lat) + 1.0, float(m.lon), origin="map"))
    s._take_distances(before_move)  # measured before the move
    assert s.distances is held
    assert s.distance(m.id) == _exact([s.members[m.id]], s.distances_centre)[m.id]  # measured at the move
    qtbot.waitUntil(lambda: _settled(s), timeout=TIMEOUT)
    _check_exact(s)


def date_today() -> str:
    from datetime import date

    return date.today().isoformat()
