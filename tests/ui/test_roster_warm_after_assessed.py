"""Issue 17 (a million members under 1 GB through the first assessment): a big opened project's
roster warm-ups (the name key ranked on a thread, the regions looked up on a thread) start once
its first assessment is shown and the worker has done what was queued by then, not at the
paint, so their memory is not added to the worker's read, rules and tidy; a smaller one's still
start at the paint. The thresholds are lowered here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cluster_desk.core.model import Member, MemberKind
from cluster_desk.store.project import Project
from cluster_desk.ui.project.session import ProjectSession
from cluster_desk.ui.roster import model as roster_model
from cluster_desk.ui.roster import subject_column
from cluster_desk.ui.roster.model import COL, RosterModel
from cluster_desk.ui.roster.panel import RosterPanel

ROWS = 60


def _open(qapp: Any, qtbot: Any, tmp_path: Path, monkeypatch: Any,
          big_from: int) -> tuple[ProjectSession, RosterModel]:
    """A session that opens a project of ROWS members while the map "paints" it (held at the
    reset, as ui/map/sync.py does), the real roster dock over it, warm-ups deferred from
    ``big_from`` rows; the assessment is not run until the test asks."""
    monkeypatch.setattr(roster_model, "WARM_AFTER_ASSESSED_ROWS", big_from, raising=False)
    monkeypatch.setattr(roster_model, "PREWARM_ROWS", 10)
    monkeypatch.setattr(subject_column, "_ONE_BY_ONE", 10)
    path = tmp_path / "w.cdesk"
    project = Project.create(path, name="W")
    project.add_members([Member(name=f"Firm {i:02d}", kind=MemberKind.FIRM, lat=55 + i / 50, lon=49 + i / 50)
                         for i in range(ROWS)])
    project.close()
    session = ProjectSession()
    def held(change: Any) -> None:
        if change.reset and session.is_open:
            session.hold_assessment()

    session.changed.connect(held)
    session._assess_timer.timeout.disconnect()  # assessed when the test says
    model = RosterModel(session)
    panel = RosterPanel(model)  # its rows show and ask for their regions
    qtbot.addWidget(panel)
    panel.resize(900, 400)
    panel.show()
    session.open(path)
    qtbot.waitExposed(panel)
    qapp.processEvents()  # the rows are painted, their region cells asked for
    assert session.painting and not model.columns._warming and model.subjects._loader is None
    return session, model


def _warming(model: RosterModel) -> bool:
    names = "name" in model.columns._warming or "name" in model.columns._warm
    return names and model.subjects._loader is not None


def test_a_big_opens_name_key_and_regions_wait_for_its_first_assessment(
        qapp: Any, qtbot: Any, tmp_path: Path, monkeypatch: Any) -> None:
    session, model = _open(qapp, qtbot, tmp_path, monkeypatch, big_from=ROWS)
    with qtbot.waitSignal(session.openPainted):
        session.release_assessment()  # the paint is done; the assessment not shown yet
    qapp.processEvents()
    assert not session.results
    assert model.index(0, COL["region"]).data() == ""  # (a cell read meanwhile starts no lookup)
    assert not model.columns._warming and model.subjects._loader is None  # (the old code: both)
    with qtbot.waitSignal(session.assessed, timeout=20_000):
        session.assess_now()
    # Not yet: once the worker has done what is queued (the result's tidy: a big project's
    # arrays cache written, the heap trimmed), answered through the event loop.
    assert model._warm_after_assessed
    assert "name" not in model.columns._warming and model.subjects._loader is None
    qtbot.waitUntil(lambda: _warming(model), timeout=20_000)  # (the region cells read again)
    qtbot.waitUntil(lambda: model.index(0, COL["region"]).data() != "", timeout=20_000)
    session.close()


def test_an_assessment_before_the_paint_leaves_them_to_the_paint(
        qapp: Any, qtbot: Any, tmp_path: Path, monkeypatch: Any) -> None:
    session, model = _open(qapp, qtbot, tmp_path, monkeypatch, big_from=ROWS)
    with qtbot.waitSignal(session.assessed, timeout=20_000):
        session.assess_now()
    qtbot.waitUntil(lambda: not model._warm_after_assessed, timeout=20_000)  # the worker caught up
    qapp.processEvents()
    assert not model.columns._warming and model.subjects._loader is None  # still painting
    with qtbot.waitSignal(session.openPainted):
        session.release_assessment()
    qapp.processEvents()
    assert _warming(model)
    session.close()


def test_a_smaller_opens_warm_ups_start_at_the_paint(
        qapp: Any, qtbot: Any, tmp_path: Path, monkeypatch: Any) -> None:
    session, model = _open(qapp, qtbot, tmp_path, monkeypatch, big_from=ROWS + 1)
    with qtbot.waitSignal(session.openPainted):
        session.release_assessment()
    qapp.processEvents()
    assert not session.results and _warming(model)
    session.close()
