"""A colleague's edits pulled into a lazily opened session (issue 17): the sync builds only the
records the pull writes (it built every member and link, then read every link again: ~4 s of the
GUI thread at 100,000 members and 300,000 links for a pull of ~100 rows), the views are told
which links changed, and undo/redo of the user's own edits still keeps the colleague's."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()  # before pytest-qt creates the QApplication (the window tests need it)

from team_helpers import CLUSTER, cloned  # noqa: E402
from ui_helpers import linked_project  # noqa: E402

from cluster_desk.core.model import Link, LinkKind, Member  # noqa: E402
from cluster_desk.store.project import Project  # noqa: E402
from cluster_desk.team.onboard import publish  # noqa: E402
from cluster_desk.team.sync import exchange_with_server, prepare, record_push, sync  # noqa: E402
from cluster_desk.ui.project import live_assessment  # noqa: E402


def _built(records: Any) -> int:
    return len(records) - len(records.unbuilt())


def _state(path) -> tuple[dict[str, Member], dict[str, Link]]:
    with Project.open(path) as p:
        return {m.id: m for m in p.members()}, {lk.id: lk for lk in p.links()}


def _session_state(session) -> tuple[dict[str, Member], dict[str, Link]]:
    return dict(session.members), dict(session.links)


def test_a_pull_builds_only_its_records_and_undo_keeps_the_colleagues_edits(
        qtbot, team_db, tmp_path, monkeypatch):
    from cluster_desk.ui.links.commands import EditLink
    from cluster_desk.ui.project.commands import EditMember
    from cluster_desk.ui.project.session import ProjectSession
    from cluster_desk.ui.team.rebase import pull_keeping_undo

    monkeypatch.setattr(live_assessment, "SLICES_UP_TO", 0)  # records stay unbuilt until asked for
    mary = linked_project(tmp_path / "mary.cdesk", seed=5)  # 200 members, 600 links
    with Project.open(mary) as p:
        publish(p, team_db.dsn("mary"), CLUSTER)
        gone_links = set(p.link_ids_of("m010"))
        free = [lk for lk in p.links() if "m010" not in (lk.source, lk.target)]
    team_db.assign(CLUSTER, "alice", "officer")
    alice = cloned(team_db, tmp_path, "alice")
    edited, noted, deleted = free[0].id, free[1].id, free[2].id
    assert gone_links  # (the member's delete takes them)
    with Project.open(alice) as p:
        p.update_member(replace(p.member("m001"), employees=5))
        p.update_link(replace(p.link(edited), contract="A-1"))
        p.update_link(replace(p.link(noted), notes="alice's"))
        p.delete_link(deleted)
        p.delete_member("m010")
        p.add_members([Member("Новая фирма", id="new", lat=55.5, lon=49.5)])
        p.add_links([Link("new", "m002", LinkKind.SUPPLY, id="new-link")])
        sync(p)

    session = ProjectSession()
    session.open(mary)
    errors: list[str] = []
    session.errorOccurred.connect(errors.append)
    changes: list[Any] = []
    session.changed.connect(changes.append)
    stack = session.undo_stack
    stack.push(EditMember(session, replace(session.members["m001"], notes="mary's")))
    stack.push(EditLink(session, replace(session.links[edited], notes="mary's")))
    changes.clear()

    # What the window's sync does on the GUI thread once the exchange (on a thread) is done.
    project = session.project
    batch = prepare(project)
    result = exchange_with_server(batch)
    record_push(project, batch, result.outcome)
    applied = pull_keeping_undo(session, project, result.data)

    # Only the pulled records (and the links going with the deleted member) were built.
    assert not session.members.loaded and not session.links.loaded
    assert _built(session.members) <= 5, _built(session.members)
    assert _built(session.links) <= 4 + len(gone_links), _built(session.links)
    assert applied.link_upserted == {edited, noted, "new-link"}
    assert applied.link_removed == {deleted} | gone_links
    assert len(changes) == 1
    change = changes[0]
    assert (change.upserted, change.removed) == ({"m001", "new"}, {"m010"})
    assert change.links and change.link_upserted == {edited, noted, "new-link"}
    assert change.link_removed == {deleted} | gone_links

    pulled = _state(mary)
    assert pulled[0]["m001"].employees == 5 and pulled[0]["m001"].notes == "mary's"
    assert pulled[1][edited].contract == "A-1" and pulled[1][edited].notes == "mary's"
    assert _session_state(session) == pulled
    assert list(session.members) == list(pulled[0]) and list(session.links) == list(pulled[1])

    stack.undo()  # mary's link note goes; alice's contract stays
    stack.undo()  # mary's member note goes; alice's employees stay
    before_own = _state(mary)
    assert before_own[1][edited].notes == "" and before_own[1][edited].contract == "A-1"
    assert before_own[0]["m001"].notes == "" and before_own[0]["m001"].employees == 5
    assert _session_state(session) == before_own
    stack.redo()
    stack.redo()
    assert _state(mary) == pulled
    assert _session_state(session) == pulled
    assert not errors
    session.close()
