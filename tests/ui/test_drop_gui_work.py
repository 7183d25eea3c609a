"""A marker dropped on the map (issue 17): it is assessed on the next turn of the event loop, not
after ASSESS_DELAY_MS (a drop is one edit at the mouse-up, and waiting for more was half of the
time from a typical drop to its checks), while other member edits (undo held down, a bulk edit)
still wait that long, so a burst of them is assessed once; the first drop after an open finds
the roster's id -> row map made (the open's), not made anew on the GUI thread."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer

from cluster_desk.core.model import Member, MemberKind
from cluster_desk.ui.project.commands import MoveMember
from cluster_desk.ui.project.session import ProjectSession


@pytest.fixture
def session(qapp: Any, qtbot: Any, tmp_path: Path) -> Any:
    from cluster_desk.store.project import Project

    path = tmp_path / "d.cdesk"
    project = Project.create(path, name="D")
    project.add_members([Member(name=f"Firm {i}", kind=MemberKind.FIRM, lat=55 + i / 50, lon=49.0 + i / 50)
                         for i in range(40)])
    project.close()
    s = ProjectSession()
    s.open(path)
    qtbot.waitUntil(lambda: bool(s.results) and not s.assessment_pending, timeout=20_000)
    yield s
    s.close(emit=False)


def _waiting_at_half_the_delay(qtbot: Any, s: ProjectSession, origin: str) -> bool:
    """Move a member (as the map's drop does with origin "map"); whether the assessment is still
    waiting when a timer of half ASSESS_DELAY_MS started with it fires (overdue timers fire in
    the order they were due: no wall clock decides this)."""
    m = next(iter(s.members.values()))
    seen: list[bool] = []
    s.undo_stack.push(MoveMember(s, m.id, float(m.lat) + 0.01, float(m.lon), origin=origin))  # type: ignore[arg-type]
    QTimer.singleShot(s.ASSESS_DELAY_MS // 2, lambda: seen.append(s._assess_timer.isActive()))
    qtbot.waitUntil(lambda: bool(seen))
    qtbot.waitUntil(lambda: not s.assessment_pending, timeout=20_000)
    return seen[0]


def test_a_drop_is_assessed_on_the_next_turn(qtbot: Any, session: ProjectSession) -> None:
    assert not _waiting_at_half_the_delay(qtbot, session, origin="map")
    moved = next(iter(session.members.values()))
    assert session.distance(moved.id) is not None  # the new result is in


def test_other_member_edits_still_wait_for_the_burst_to_end(qtbot: Any, session: ProjectSession) -> None:
    assert _waiting_at_half_the_delay(qtbot, session, origin="")
    session.undo_stack.undo()  # (an undo of a drop comes from the stack: it waits too)
    assert session._assess_timer.isActive()
    qtbot.waitUntil(lambda: not session.assessment_pending, timeout=20_000)


def test_the_first_drop_after_an_open_keeps_the_opens_row_map(
        qtbot: Any, session: ProjectSession, monkeypatch: pytest.MonkeyPatch) -> None:
    """The roster's id -> row map is the open's (made on a thread), copied at the first edit,
    not made anew from 100,000 ids on the GUI thread as the session lets the columns go."""
    import cluster_desk.ui.roster.model as roster_model
    from cluster_desk.ui.roster.model import COL, RosterModel

    assert session.opened is not None
    model = RosterModel(session)
    made: list[int] = []
    real = roster_model.row_map
    monkeypatch.setattr(roster_model, "row_map", lambda ids: (made.append(len(ids)), real(ids))[1])
    _waiting_at_half_the_delay(qtbot, session, origin="map")
    assert session.opened is None  # (let go at the edit)
    assert made == []
    moved = next(iter(session.members.values()))
    row = model.row_of(moved.id)
    assert model.index(row, COL["lat"]).data() == f"{moved.lat:.5f}"
    assert all(model.row_of(mid) == i for i, mid in enumerate(session.members))
