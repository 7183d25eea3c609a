"""A pull keeps the user's undo stack (ui/team/rebase.py), on a real session and server."""

from __future__ import annotations

from dataclasses import replace

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()  # before pytest-qt creates the QApplication (the window tests need it)

from team_helpers import cloned, edit, published  # noqa: E402

from cluster_desk.store.project import Project  # noqa: E402
from cluster_desk.team.sync import exchange_with_server, prepare, record_push, sync  # noqa: E402


def _sync_session(session):
    """What the window's sync does: push and pull, the pull through the session."""
    from cluster_desk.ui.team.rebase import pull_keeping_undo

    project = session.project
    batch = prepare(project)
    result = exchange_with_server(batch)
    new = record_push(project, batch, result.outcome)
    pull_keeping_undo(session, project, result.data)
    return new


def test_undoing_a_delete_that_lost_to_a_colleagues_edit_does_not_restore_it_twice(qtbot, team_db, tmp_path):
    from cluster_desk.ui.project.commands import DeleteMembers, EditMember
    from cluster_desk.ui.project.session import ProjectSession

    mary = published(team_db, tmp_path)
    alice = cloned(team_db, tmp_path, "alice")
    session = ProjectSession()
    session.open(mary)
    errors: list[str] = []
    session.errorOccurred.connect(errors.append)
    stack = session.undo_stack
    stack.push(EditMember(session, replace(session.members["m2"], notes="mary's note")))
    stack.push(DeleteMembers(session, ["m0"]))
    edit(alice, "m0", notes="alice was here")
    edit(alice, "m2", employees=5)
    with Project.open(alice) as p:
        sync(p)

    conflicts = _sync_session(session)
    assert [(c["entity_id"], c["field"]) for c in conflicts] == [("m0", "")]  # delete against edit
    assert session.members["m0"].notes == "alice was here"  # the server kept it: back here too
    assert session.members["m2"].employees == 5 and stack.count() == 2

    stack.undo()  # the delete: m0 is here already, nothing to restore twice
    stack.undo()  # mary's note goes; alice's employees stay
    assert not errors
    assert session.members["m0"].notes == "alice was here"
    assert (session.members["m2"].notes, session.members["m2"].employees) == ("", 5)
    stack.redo()
    stack.redo()  # the delete again, as mary meant it
    assert "m0" not in session.members and session.members["m2"].notes == "mary's note"
    assert not errors
    session.close()
