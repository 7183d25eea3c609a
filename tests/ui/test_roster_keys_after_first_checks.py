"""Issue 17, paint -> first checks at 100,000 members: an opened project of 50,000 rows
(``WARM_AFTER_ASSESSED_ROWS`` now; it was 250,000) ranks its name key and looks up its
regions on their threads only once its first checks are shown, not at the map's paint (their CPU,
holding the interpreter, put the checks' worker later), and a sort by name clicked before then
still sorts every row by its name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from cluster_desk.core.model import Member, MemberKind
from cluster_desk.store.project import Project
from cluster_desk.ui.project.session import ProjectSession
from cluster_desk.ui.roster.model import COL, RosterModel
from cluster_desk.ui.roster.panel import RosterPanel

ROWS = 50_000  # (not the constant: a test of the old code ran at its 250,000)


def _names(rows: int) -> list[str]:
    """Names whose order is not the file's: casefolding and the number's digits decide it."""
    return [("firm " if i % 3 else "Firm ") + f"{(i * 7919) % rows:06d}" + ("b" if i % 2 else "a")
            for i in range(rows)]


def _painted_not_assessed(qapp: Any, qtbot: Any, tmp_path: Path) -> tuple[ProjectSession, RosterModel,
                                                                          RosterPanel, list[str]]:
    """A project of ROWS members opened while the map "paints" it (held at the
    reset, as ui/map/sync.py does), the real roster dock over it, then the paint's end; the
    assessment is run when the test asks."""
    rows = ROWS
    names = _names(rows)
    path = tmp_path / "k.cdesk"
    with Project.create(path, name="K") as project:
        project.add_members([Member(name=n, kind=MemberKind.FIRM, lat=55 + (i % 500) / 100, lon=49 + i / rows)
                             for i, n in enumerate(names)])
    session = ProjectSession()

    def held(change: Any) -> None:
        if change.reset and session.is_open:
            session.hold_assessment()

    session.changed.connect(held)
    session._assess_timer.timeout.disconnect()  # assessed when the test says
    model = RosterModel(session)
    panel = RosterPanel(model)
    qtbot.addWidget(panel)
    panel.resize(900, 400)
    panel.show()
    session.open(path)
    qtbot.waitExposed(panel)
    with qtbot.waitSignal(session.openPainted):
        session.release_assessment()
    qapp.processEvents()  # the rows are painted, their region cells asked for
    assert len(model._ids) == rows and not session.results
    return session, model, panel, names


def test_the_name_key_and_regions_start_after_the_first_checks(qapp: Any, qtbot: Any, tmp_path: Path) -> None:
    session, model, _panel, _ = _painted_not_assessed(qapp, qtbot, tmp_path)
    # (the old code started both at the paint below 250,000 rows)
    assert "name" not in model.columns._warming and model.subjects._loader is None
    with qtbot.waitSignal(session.assessed, timeout=60_000):
        session.assess_now()
    qtbot.waitUntil(lambda: "name" in model.columns._warming or "name" in model.columns._warm, timeout=60_000)
    qtbot.waitUntil(lambda: model.subjects._loader is not None, timeout=60_000)
    qtbot.waitUntil(lambda: model.index(0, COL["region"]).data() != "", timeout=60_000)
    session.close()


def test_a_sort_by_name_before_the_first_checks_sorts_every_row(qapp: Any, qtbot: Any,
                                                                tmp_path: Path) -> None:
    session, model, panel, names = _painted_not_assessed(qapp, qtbot, tmp_path)
    assert not model.columns.has_key("name") and "name" not in model.columns._warming
    panel.view.sortByColumn(COL["name"], Qt.SortOrder.DescendingOrder)  # (a header click)
    proxy = panel.proxy
    shown = [proxy.index(r, COL["name"]).data() for r in range(proxy.rowCount())]
    # descending by the casefolded name; ties (none here) would keep the rows' order
    assert shown == sorted(names, key=str.casefold, reverse=True)
    with qtbot.waitSignal(session.assessed, timeout=60_000):
        session.assess_now()
    qtbot.waitUntil(lambda: not model._warm_after_assessed, timeout=60_000)
    session.close()
