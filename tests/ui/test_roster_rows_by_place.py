"""The roster's rows find an opened project's records by their place in its column
(``LazyRecords.at``), not by id: the first rows shown make no id -> row map of the members and
wait for none (issue 17: at a million members the GUI thread made that whole map, ~0.2-0.3 s,
between the map's paint and the checks shown); the map is made once, on its thread at the
paint, for who needs it. Edits, deletes, undo and redo of an opened project with records not
built yet show the right record in every row, sorted too."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from row_map_spy import RowMapBuilds
from ui_helpers import chain_project

from cluster_desk.store.project import Project
from cluster_desk.ui.project.commands import DeleteMembers, EditMembers
from cluster_desk.ui.project.loading import wait_for_snapshots
from cluster_desk.ui.project.session import ProjectSession
from cluster_desk.ui.roster.model import COL, RosterModel
from cluster_desk.ui.roster.panel import RosterPanel


@pytest.fixture
def opened(qapp: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ProjectSession]:
    """A project opened as the window opens one: the map holds the session while it paints."""
    monkeypatch.setenv("CLUSTER_DESK_CACHE", str(tmp_path / "cache"))
    path = chain_project(tmp_path / "p.cdesk")
    session = ProjectSession()
    session.changed.connect(lambda change: change.reset and session.is_open and session.hold_assessment())
    session.open(path)
    assert session.painting and session.opened is not None
    yield session
    session.close()
    wait_for_snapshots()


def _shown(qtbot: Any, session: ProjectSession) -> RosterPanel:
    panel = RosterPanel(RosterModel(session))
    qtbot.addWidget(panel)
    panel.resize(700, 400)
    panel.show()
    qtbot.waitExposed(panel)
    panel.view.viewport().repaint()  # the first rows painted now (their data asked for)
    return panel


def _names(panel: RosterPanel, rows: int) -> list[str]:
    proxy = panel.proxy
    return [proxy.index(r, COL["name"]).data() for r in range(rows)]


@pytest.mark.parametrize("when", ["before the paint", "while the thread makes it"])
def test_first_rows_shown_ask_no_id_map(qtbot: Any, opened: ProjectSession, builds: RowMapBuilds,
                                        when: str) -> None:
    members = opened.opened.members  # type: ignore[union-attr]
    if when == "while the thread makes it":
        builds.hold = True
        opened.release_assessment()  # the map's paint done: the map starts on its thread
        assert builds.started.wait(60)
    panel = _shown(qtbot, opened)
    assert _names(panel, 10) == [f"M{i}" for i in range(10)]
    assert panel.model.member_at(7).id == "m7"
    # Nobody on this thread made the map or waited for it: before the paint it is not made at
    # all; while the thread makes it, this thread got its rows with that build still held.
    assert "MainThread" not in builds.threads
    assert members.index_made() is None
    builds.go.set()
    if when == "before the paint":
        opened.release_assessment()
    qtbot.waitUntil(lambda: members.index_made() is not None, timeout=20_000)
    assert builds.threads == ["members-index"]  # made once, on its thread, for who needs it
    assert members.index["m39"] == 39 and _names(panel, 3) == ["M0", "M1", "M2"]


def test_edits_deletes_and_undo_show_in_their_rows(qtbot: Any, opened: ProjectSession) -> None:
    panel = _shown(qtbot, opened)
    model = panel.model
    file = Project.open(opened.path)  # type: ignore[arg-type]
    try:
        def rows_right() -> bool:
            want = {m.id: m for m in file.members()}  # what the file holds now
            ids = [model.member_id(r) for r in range(model.rowCount())]
            return (sorted(ids) == sorted(want)
                    and all(model.member_at(r) == want[i] for r, i in enumerate(ids))
                    and all(model.index(r, COL["name"]).data() == want[i].name for r, i in enumerate(ids)))

        stack = opened.undo_stack
        renamed = dataclasses.replace(opened.members["m3"], name="Renamed")
        stack.push(EditMembers(opened, [renamed]))
        assert model.index(3, COL["name"]).data() == "Renamed" and rows_right()
        stack.push(DeleteMembers(opened, ["m5", "m12"]))  # the rows after them move up
        assert model.rowCount() == 38 and model.member_id(5) == "m6" and rows_right()
        stack.undo()  # put back: after the others
        assert model.rowCount() == 40 and rows_right()
        stack.undo()
        assert model.index(model.row_of("m3"), COL["name"]).data() == "M3" and rows_right()
        stack.redo()
        stack.redo()
        assert model.rowCount() == 38 and model.row_of("m5") == -1 and rows_right()
        panel.proxy.sort(COL["name"], Qt.SortOrder.DescendingOrder)
        want = sorted((m.name for m in file.members()), key=str.casefold, reverse=True)
        assert _names(panel, model.rowCount()) == want
        opened.release_assessment()
        qtbot.waitUntil(lambda: bool(opened.results), timeout=20_000)
        assert rows_right()
    finally:
        file.close()
