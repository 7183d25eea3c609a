"""Team mode in the real window (offscreen): sync status, live updates, conflicts, connect, offline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()  # before pytest-qt creates the QApplication

from PySide6.QtWidgets import QDialog  # noqa: E402
from team_helpers import CLUSTER, cloned, edit, members, published, server_members  # noqa: E402
from ui_helpers import TIMEOUT, make_window, wait_map_synced  # noqa: E402

from cluster_desk.store.project import Project  # noqa: E402
from cluster_desk.team.sync import sync  # noqa: E402
from cluster_desk.ui.team.connect_dialog import ConnectDialog, ConnectRequest  # noqa: E402


def _open_synced(qtbot: Any, window: Any, path: Path) -> None:
    with qtbot.waitSignal(window.team.synced, timeout=TIMEOUT) as first:
        assert window.files.open_path(path)
    assert not isinstance(first.args[0], Exception), first.args[0]
    wait_map_synced(qtbot, window)


def test_colleagues_edit_arrives_live_and_status_shows_it(qtbot, team_db, tmp_path):
    mary = published(team_db, tmp_path)
    alice = cloned(team_db, tmp_path, "alice")
    window = make_window(qtbot, tmp_path)
    _open_synced(qtbot, window, mary)
    team = window.team
    assert team.indicator.isVisible() and "Online" in team.indicator.text()
    assert window.actions.team_sync.isEnabled()
    qtbot.waitUntil(lambda: team.live, timeout=TIMEOUT)
    from dataclasses import replace

    from cluster_desk.ui.project.commands import EditMember, SetSettings

    session = window.session
    # Mary's own undoable steps before the pull: a name and a setting.
    session.undo_stack.push(EditMember(session, replace(session.members["m1"], name="Mary's name")))
    session.undo_stack.push(SetSettings(session, replace(session.settings, mass_min=90)))
    with qtbot.waitSignal(team.synced, timeout=TIMEOUT):
        team.sync_now()

    edit(alice, "m1", lat=55.9, notes="moved by alice")
    with Project.open(alice) as p:
        p.set_settings(replace(p.settings(), radius_km=175.0))
        sync(p)
    # No action here: the NOTIFY makes the window pull, and the map shows the new position.
    qtbot.waitUntil(lambda: window.session.members["m1"].notes == "moved by alice", timeout=TIMEOUT)
    qtbot.waitUntil(lambda: window.map.has_member("m1"), timeout=TIMEOUT)
    assert window.session.project.history("m1")[-1].actor == "alice"
    assert session.settings.radius_km == 175.0

    # The pull kept Mary's undo steps; undoing them reverts only her fields, never Alice's.
    assert session.undo_stack.count() == 2
    session.undo_stack.undo()
    session.undo_stack.undo()
    m1 = session.members["m1"]
    assert (m1.name, m1.notes, m1.lat) == ("Firm 1", "moved by alice", 55.9)
    assert (session.settings.mass_min, session.settings.radius_km) == (100, 175.0)
    with Project.open(mary) as p:  # the file agrees with what the window shows
        assert (p.member("m1").name, p.member("m1").notes) == ("Firm 1", "moved by alice")
    session.undo_stack.redo()
    assert session.members["m1"].name == "Mary's name" and session.members["m1"].notes == "moved by alice"

    # A local edit shows as waiting until synced.
    session.undo_stack.push(EditMember(session, replace(session.members["m2"], notes="x")))
    assert "2 edits waiting" in team.indicator.text()  # m2, and the undone mass_min
    # (A sync already under way, e.g. a live pull, ends first with its own batch and the asked
    # one follows it: wait for the indicator, not for the next `synced`.)
    window.actions.team_sync.trigger()
    indicator = team.indicator
    qtbot.waitUntil(lambda: "waiting" not in indicator.text() and not indicator.busy, timeout=TIMEOUT)
    assert server_members(team_db)["m2"][2] == "x"
    window.close()
    assert not team.live


def test_conflict_resolved_as_mine_is_an_undoable_edit_that_syncs(qtbot, team_db, tmp_path):
    mary = published(team_db, tmp_path)
    alice = cloned(team_db, tmp_path, "alice")
    from dataclasses import replace

    edit(alice, "m0", name="Alice's name")
    with Project.open(alice) as p:
        p.set_settings(replace(p.settings(), radius_km=120.0))
        sync(p)
    edit(mary, "m0", name="Mary's name")
    with Project.open(mary) as p:
        p.set_settings(replace(p.settings(), radius_km=180.0))
    window = make_window(qtbot, tmp_path)
    team = window.team
    shown: list[Any] = []

    def choose_mine(dialog: QDialog) -> int:
        from cluster_desk.ui.exchange.merge_dialog import MergeDialog

        assert isinstance(dialog, MergeDialog)  # the field-copy merge view
        assert dialog.table.rowCount() == 2  # the name and the radius
        shown.extend([dialog.table.item(r, c).text() for c in range(4)] for r in range(2))
        for row in range(2):
            combo = dialog.combo(row)
            assert [combo.itemText(i) for i in range(combo.count())] == ["Server", "Yours", "Decide later"]
            combo.setCurrentIndex(combo.findData("theirs"))  # the right side: yours
        return QDialog.DialogCode.Accepted

    team.run_dialog = choose_mine
    _open_synced(qtbot, window, mary)  # the automatic sync records the conflict quietly
    assert window.session.members["m0"].name == "Alice's name"
    assert window.session.settings.radius_km == 120.0
    assert "2 conflicts" in team.indicator.text()
    team.show_conflicts()
    record, field, server, mine = shown[0]
    assert (record, field) == ("Alice's name", "Name")  # as the roster names them now
    assert server.startswith("Alice's name — alice,") and mine.startswith("Mary's name — mary,")
    assert shown[1][:2] == ["Cluster settings", "radius_km"] and shown[1][3].startswith("180.0 — mary")
    assert window.session.members["m0"].name == "Mary's name"
    assert window.session.settings.radius_km == 180.0
    assert "conflict" not in team.indicator.text()
    window.session.undo_stack.undo()  # one step: "Resolve team conflicts"
    assert window.session.members["m0"].name == "Alice's name"
    assert window.session.settings.radius_km == 120.0
    window.session.undo_stack.redo()
    with qtbot.waitSignal(team.synced, timeout=TIMEOUT):
        team.sync_now()
    assert server_members(team_db)["m0"][0] == "Mary's name"
    with team_db.admin() as conn:
        assert conn.execute("SELECT value FROM cdesk.settings WHERE id = 'radius_km'").fetchone() == (180.0,)
    window.close()


def test_server_stopped_shows_offline_and_keeps_edits(qtbot, team_db, tmp_path):
    mary = published(team_db, tmp_path)
    window = make_window(qtbot, tmp_path)
    _open_synced(qtbot, window, mary)
    team = window.team
    from dataclasses import replace

    from cluster_desk.ui.project.commands import EditMember

    session = window.session
    session.undo_stack.push(EditMember(session, replace(session.members["m3"], notes="kept")))
    team._stop_listener()
    team_db.server.stop()
    try:
        with qtbot.waitSignal(team.synced, timeout=TIMEOUT) as result:
            team.sync_now(manual=True)
        assert isinstance(result.args[0], Exception)
        assert window.errors and "server unreachable" in window.errors[-1][1]
        assert "1 edit waiting to sync" in window.errors[-1][1]
        assert "Offline" in team.indicator.text() and "1 edit waiting" in team.indicator.text()
    finally:
        team_db.server.start()
    with qtbot.waitSignal(team.synced, timeout=TIMEOUT):
        team.sync_now()
    assert "Online" in team.indicator.text()
    assert server_members(team_db)["m3"][2] == "kept"
    window.close()


def test_connect_clones_into_a_new_project_and_opens_it(qtbot, team_db, tmp_path):
    published(team_db, tmp_path)
    window = make_window(qtbot, tmp_path)
    team = window.team
    out = tmp_path / "clone" / "bob.cdesk"
    out.parent.mkdir()
    team.choose_clone_path = lambda cluster: str(out)
    dialog = ConnectDialog(window, can_publish=False)
    from PySide6.QtWidgets import QLabel

    what_syncs = dialog.findChild(QLabel, "team_what_syncs").text()
    assert "cluster settings (centre, radius, thresholds) sync" in what_syncs
    assert not dialog.publish_choice.isEnabled()
    with qtbot.waitSignal(team.synced, timeout=TIMEOUT):
        team.connect_with(ConnectRequest(f"host={team_db.server.base} dbname={team_db.name}", "bob", "",
                                         CLUSTER, publish=False, remember=False))
    assert window.session.path == out and len(window.session.members) == 4
    assert members(out).keys() == {"m0", "m1", "m2", "m3"}
    window.close()


def test_connect_publishes_the_open_project(qtbot, team_db, tmp_path):
    from cluster_desk.ui.project.files import write_demo

    path = tmp_path / "demo.cdesk"
    write_demo(path)
    window = make_window(qtbot, tmp_path)
    assert window.files.open_path(path)
    wait_map_synced(qtbot, window)
    assert not window.team.indicator.isVisible() and not window.actions.team_sync.isEnabled()
    with qtbot.waitSignal(window.team.synced, timeout=TIMEOUT) as first:
        window.team.connect_with(ConnectRequest(team_db.dsn("mary"), "", "", "Demo", publish=True,
                                                remember=False))
    assert not isinstance(first.args[0], Exception)
    assert window.team.indicator.isVisible() and window.actions.team_sync.isEnabled()
    assert len(server_members_of(team_db, "Demo")) == len(window.session.members)
    window.close()


def server_members_of(team_db, cluster: str) -> list[str]:
    with team_db.admin() as conn:
        return [r[0] for r in conn.execute("SELECT id FROM cdesk.members WHERE cluster_id = %s", (cluster,))]


def test_connect_makes_the_open_project_a_working_copy_of_an_existing_cluster(qtbot, team_db, tmp_path):
    from cluster_desk.core.model import Member

    published(team_db, tmp_path)
    path = tmp_path / "local.cdesk"
    with Project.create(path, name="local") as p:
        p.add_member(Member("Local firm", id="local1"))
    window = make_window(qtbot, tmp_path)
    assert window.files.open_path(path)
    wait_map_synced(qtbot, window)
    with qtbot.waitSignal(window.team.synced, timeout=TIMEOUT) as first:
        window.team.connect_with(ConnectRequest(team_db.dsn("alice"), "", "", CLUSTER, publish=False,
                                                remember=False, join=True))
    assert not isinstance(first.args[0], Exception), first.args[0]
    assert set(window.session.members) == {"local1", "m0", "m1", "m2", "m3"}
    assert "local1" in server_members(team_db)
    window.close()


def test_refused_edit_says_not_allowed_and_stays_waiting(qtbot, team_db, tmp_path):
    from dataclasses import replace

    from cluster_desk.ui.project.commands import EditMember

    published(team_db, tmp_path)
    ann = cloned(team_db, tmp_path, "ann")  # an analyst: reads only
    window = make_window(qtbot, tmp_path)
    _open_synced(qtbot, window, ann)
    team, session = window.team, window.session
    session.undo_stack.push(EditMember(session, replace(session.members["m0"], notes="mine")))
    with qtbot.waitSignal(team.synced, timeout=TIMEOUT) as result:
        team.sync_now(manual=True)
    assert isinstance(result.args[0], Exception)
    _title, text = window.errors[-1]
    assert "not allowed" in text and "conflict" not in text and "1 edit waiting to sync" in text
    assert "Online" in team.indicator.text() and "1 edit waiting" in team.indicator.text()
    assert session.members["m0"].notes == "mine"
    window.close()
