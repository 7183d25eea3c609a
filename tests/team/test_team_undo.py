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


def test_link_conflicts_resolved_as_mine_are_undoable_edits_that_sync(qtbot, team_db, tmp_path):
    """Alice deleted link l01 and changed link l12's contract; Mary edited both. Mary keeps hers:
    l01 comes back and l12 gets her contract, as one undoable step that syncs."""
    from cluster_desk.core.model import Link, LinkKind
    from cluster_desk.team.workcopy import conflicts, save_conflicts
    from cluster_desk.ui.links.commands import EditLink
    from cluster_desk.ui.project.session import ProjectSession
    from cluster_desk.ui.team.conflicts import resolve

    mary = published(team_db, tmp_path)
    with Project.open(mary) as p:
        p.add_links([Link("m1", "m2", LinkKind.SUPPLY, id="l12")])
        sync(p)
    alice = cloned(team_db, tmp_path, "alice")
    with Project.open(alice) as p:
        p.delete_link("l01")
        p.update_link(replace(p.link("l12"), contract="A-1"))
        sync(p)
    session = ProjectSession()
    session.open(mary)
    session.undo_stack.push(EditLink(session, replace(session.links["l01"], notes="mary's")))
    session.undo_stack.push(EditLink(session, replace(session.links["l12"], contract="M-1")))
    _sync_session(session)
    items = conflicts(session.project)
    assert sorted((c["entity_id"], c["field"]) for c in items) == [("l01", ""), ("l12", "contract")]
    assert "l01" not in session.links and session.links["l12"].contract == "A-1"

    resolved = resolve(session, session.project, items, dict.fromkeys(range(len(items)), "mine"))
    save_conflicts(session.project, [c for i, c in enumerate(items) if i not in resolved])
    assert session.links["l01"].notes == "mary's" and session.links["l12"].contract == "M-1"
    session.undo_stack.undo()
    assert "l01" not in session.links and session.links["l12"].contract == "A-1"
    session.undo_stack.redo()
    assert not _sync_session(session)
    with team_db.admin() as conn:
        rows = conn.execute("SELECT id, deleted, notes, contract FROM cdesk.links ORDER BY id").fetchall()
    assert rows == [("l01", False, "mary's", ""), ("l12", False, "", "M-1")]
    session.close()
