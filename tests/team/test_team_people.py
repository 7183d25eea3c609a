"""Assigning people to a cluster: a manager only, backed by the server's roles and RLS."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()  # before pytest-qt creates the QApplication (the window tests need it)

from team_helpers import CLUSTER, published  # noqa: E402

from cluster_desk.team.people import assign, load  # noqa: E402
from cluster_desk.team.server import NotAllowed, TeamError  # noqa: E402
from cluster_desk.team.sync import sync  # noqa: E402


def test_manager_assigns_and_others_may_not(team_db, tmp_path):
    published(team_db, tmp_path)
    roster = load(team_db.dsn("mary"), CLUSTER)
    assert roster.manages
    assert roster.assigned == {"alice": "officer", "ann": "analyst", "bob": "officer", "mary": "manager"}
    assert roster.people["eve"] == "officer" and roster.people["mary"] == "manager"
    assign(team_db.dsn("mary"), CLUSTER, "eve", "officer")
    assign(team_db.dsn("mary"), CLUSTER, "bob", None)
    assert load(team_db.dsn("alice"), CLUSTER).assigned == {
        "alice": "officer", "ann": "analyst", "eve": "officer", "mary": "manager"}
    assert not load(team_db.dsn("alice"), CLUSTER).manages
    with pytest.raises(NotAllowed, match="not allowed"):
        assign(team_db.dsn("alice"), CLUSTER, "bob", "officer")
    with pytest.raises(NotAllowed, match="not allowed"):
        assign(team_db.dsn("alice"), CLUSTER, "eve", None)
    with pytest.raises(TeamError, match="ann cannot be officer here: their server role is analyst"):
        assign(team_db.dsn("mary"), CLUSTER, "ann", "officer")
    # The assignment is what RLS uses: eve may now edit, bob no longer.
    from team_helpers import cloned, edit

    from cluster_desk.store.project import Project

    eve = cloned(team_db, tmp_path, "eve")
    edit(eve, "m0", notes="eve was here")
    with Project.open(eve) as p:
        assert sync(p).outcome.applied == 1


def test_people_dialog_lists_assigns_and_is_read_only_for_officers(qtbot, team_db, tmp_path):
    from cluster_desk.ui.team.people_dialog import PeopleDialog

    published(team_db, tmp_path)
    dialog = PeopleDialog(None, team_db.dsn("mary"), CLUSTER)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.roster is not None)
    logins = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    assert logins == ["alice", "ann", "bob", "mary"] and dialog.assign_button.isEnabled()
    dialog.person.setCurrentIndex(dialog.person.findData("ann"))  # an analyst login: analyst only
    assert [dialog.role.model().item(i).isEnabled() for i in range(3)] == [False, False, True]
    assert dialog.role.currentData() == "analyst"
    dialog.person.setCurrentIndex(dialog.person.findData("eve"))
    dialog.role.setCurrentIndex(dialog.role.findData("analyst"))
    with qtbot.waitSignal(dialog.loaded):
        dialog.assign_button.click()
    qtbot.waitUntil(lambda: "eve" in dialog.roster.assigned)
    assert dialog.roster.assigned["eve"] == "analyst"
    dialog.table.selectRow(logins.index("bob"))
    with qtbot.waitSignal(dialog.loaded):
        dialog.remove_button.click()
    qtbot.waitUntil(lambda: "bob" not in dialog.roster.assigned)
    dialog.grab().save(str(tmp_path / "people.png"))

    officer = PeopleDialog(None, team_db.dsn("alice"), CLUSTER)
    qtbot.addWidget(officer)
    qtbot.waitUntil(lambda: officer.roster is not None)
    assert not officer.assign_button.isEnabled() and "Only a manager" in officer.note.text()
