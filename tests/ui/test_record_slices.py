"""An opened project's records built a slice at a time between frames (ui/project/record_slices.py,
issue 17): the records equal what one whole read gives; edits, deletes and undos made while the
slices still run keep their records; the first assessment needs no record (it reads the file's
columns) and equals a fresh one, and a small project's slices start once it is shown; and a
caller that needs every record at once (``load_all``) gets the rest built.

A real project file in a tmp dir and a real ProjectSession; slices are made small (a few dozen
rows) so that a few hundred members take many of them. The event loop is not run between the
open and the test's edits, so the test decides what happens while the slices are under way."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cluster_desk.core.assessment import assess
from cluster_desk.core.model import Link, LinkKind, Member, Status
from cluster_desk.store.project import Project
from cluster_desk.ui.links.commands import DeleteLinks, EditLink
from cluster_desk.ui.project.commands import DeleteMembers, EditMembers
from cluster_desk.ui.project.session import ProjectSession

TIMEOUT = 30_000
N = 300


@pytest.fixture
def path(tmp_path: Path) -> Path:
    path = tmp_path / "p.cdesk"
    with Project.create(path) as p:
        members = [Member(f"ООО «Фирма {i}»", status=Status.MEMBER if i % 7 else Status.CANDIDATE,
                          employees=10 + i, lat=55.0 + i / 1000 if i % 11 else None,
                          lon=49.0 + i / 500 if i % 11 else None)
                   for i in range(N)]
        p.add_members(members)
        p.add_links([Link(members[i].id, members[(i * 7 + 1) % N].id, LinkKind.SUPPLY, share=0.1)
                     for i in range(N)] +
                    [Link(members[i].id, members[(i + 3) % N].id, LinkKind.RND) for i in range(N)])
    return path


@pytest.fixture
def session(qapp: Any, path: Path) -> Iterator[ProjectSession]:
    s = ProjectSession()
    s.record_slices.max_rows = 25
    s.open(path)
    s._slices_after_assessment = False  # started here, not after the first assessment
    s.record_slices.start(s.project, s.members, s.links, s.check_external_changes)
    yield s
    s.close()


def as_stored(path: Path) -> tuple[dict[str, Member], dict[str, Link]]:
    """The records one whole read of the file gives now (what load_all builds)."""
    with Project.open(path) as p:
        return {m.id: m for m in p.members()}, {li.id: li for li in p.links()}


def step(session: ProjectSession, times: int) -> None:
    for _ in range(times):
        session.record_slices._step()


def test_records_built_in_slices_equal_one_whole_read(
        qtbot: Any, session: ProjectSession, path: Path) -> None:
    assert not session.members.loaded and session.record_slices.active
    qtbot.waitUntil(lambda: not session.record_slices.active, timeout=TIMEOUT)
    assert session.members.loaded and session.links.loaded
    assert session.record_slices.slices >= (N + 2 * N) // 25  # built in many slices, not at once
    members, links = as_stored(path)
    assert dict(session.members.items()) == members and list(session.members) == list(members)
    assert dict(session.links.items()) == links and list(session.links) == list(links)


def test_edits_deletes_and_undos_made_while_slicing_keep_their_records(
        qtbot: Any, session: ProjectSession, path: Path) -> None:
    step(session, 2)  # some members built, most not
    ids = list(session.members)
    link_ids = list(session.links)
    edited = dataclasses.replace(session.members[ids[-1]], name="Новое имя", employees=999)
    session.undo_stack.push(EditMembers(session, [edited]))
    session.undo_stack.push(DeleteMembers(session, [ids[-2]]))  # with its links
    session.undo_stack.push(DeleteMembers(session, [ids[-3]]))
    session.undo_stack.undo()  # the third one comes back
    edited_link = dataclasses.replace(session.links[link_ids[-1]], notes="правка")
    session.undo_stack.push(EditLink(session, edited_link))
    assert session.record_slices.active and not session.links.loaded  # all of it while the slices run
    # (a links delete is a store transaction, which builds every record first: load_all midway)
    session.undo_stack.push(DeleteLinks(session, [link_ids[-5]]))
    qtbot.waitUntil(lambda: not session.record_slices.active, timeout=TIMEOUT)

    assert session.members[ids[-1]] == edited  # the edit wins
    assert ids[-2] not in session.members and ids[-3] in session.members  # deleted stays deleted
    assert link_ids[-5] not in session.links and session.links[link_ids[-1]].notes == "правка"
    assert not any(ids[-2] in (li.source, li.target) for li in session.links.values())
    members, links = as_stored(path)
    assert dict(session.members.items()) == members
    assert dict(session.links.items()) == links


def test_the_first_assessment_needs_no_record_and_the_slices_follow_it(qtbot: Any, path: Path) -> None:
    s = ProjectSession()
    try:
        s.open(path)
        got: list[Any] = []
        s.assessed.connect(lambda results: got.append((results, s.record_slices.active, s.members.loaded)))
        assert not s.record_slices.active  # nothing built for the assessment
        s.assess_now()
        qtbot.waitUntil(lambda: bool(got), timeout=TIMEOUT)
        members, links = as_stored(path)
        results, slicing, loaded = got[0]
        assert results == assess(list(members.values()), list(links.values()), s.settings)
        assert not s.assessment_pending
        assert slicing and not loaded  # a small project: its records are built from then on
        qtbot.waitUntil(lambda: s.members.loaded and s.links.loaded, timeout=TIMEOUT)
    finally:
        s.close()


def test_load_all_midway_builds_the_rest_at_once(qtbot: Any, session: ProjectSession, path: Path) -> None:
    step(session, 3)
    session.undo_stack.push(DeleteMembers(session, [list(session.members)[-1]]))
    slices = session.record_slices.slices
    members_now, links_now = session.members_snapshot(), session.links_snapshot()  # the Plan tab's way
    assert session.members.loaded and session.links.loaded
    qtbot.waitUntil(lambda: not session.record_slices.active, timeout=TIMEOUT)
    assert session.record_slices.slices == slices  # nothing was left for the slices
    members, links = as_stored(path)
    assert {m.id: m for m in members_now} == members and links_now is not None
    assert {li.id: li for li in links_now} == links


def test_closing_while_slicing_stops_them(qtbot: Any, session: ProjectSession, path: Path) -> None:
    step(session, 1)
    session.close()
    assert not session.record_slices.active
    session.open(path)  # a second open starts over
    qtbot.waitUntil(lambda: not session.record_slices.active, timeout=TIMEOUT)
    assert dict(session.members.items()) == as_stored(path)[0]


def test_another_process_writing_while_slicing_is_shown_and_the_slices_start_over(
        qtbot: Any, session: ProjectSession, path: Path) -> None:
    step(session, 2)
    ids = list(session.members)
    resets: list[Any] = []
    session.changed.connect(lambda change: resets.append(change) if change.reset else None)
    with Project.open(path) as other:  # renames one not built yet, deletes another
        other.update_member(dataclasses.replace(other.member(ids[-1]), name="Их имя"))
        other.delete_member(ids[-2])
    step(session, 1)  # the next slice notices before it reads: the file is read again, as an open
    assert len(resets) == 1 and not session.record_slices.active and not session.members.loaded
    slices = session.record_slices.slices
    # Once assessed, the slices start over and build every record.
    qtbot.waitUntil(lambda: session.members.loaded and session.links.loaded
                    and not session.record_slices.active, timeout=TIMEOUT)
    assert session.record_slices.slices != slices  # (start() counts from 0 again)
    assert session.members[ids[-1]].name == "Их имя" and ids[-2] not in session.members
    members, links = as_stored(path)
    assert dict(session.members.items()) == members and dict(session.links.items()) == links


def test_a_members_links_are_read_without_building_the_others(qtbot: Any, path: Path) -> None:
    """The member form's link lines (session.links_of): only that member's link records."""
    s = ProjectSession()
    try:
        s.open(path)
        mid = list(s.members)[7]
        missing = s.links._missing
        got = s.links_of(mid)
        _members, links = as_stored(path)
        assert got == [lk for lk in links.values() if mid in (lk.source, lk.target)] and got
        assert s.links._missing == missing - len(got)  # no other record built
        s.links.load_all()
        assert s.links_of(mid) == got
    finally:
        s.close()


def test_a_view_that_needs_every_record_gets_them_built_between_frames(qtbot: Any, path: Path) -> None:
    """``when_records_built``: records not built yet (a big project's are not, after its first
    assessment) are built in slices, and the view's call follows; once built, it goes on at once."""
    s = ProjectSession()
    s.record_slices.max_rows = 25
    s.open(path)
    s._slices_after_assessment = False  # as a big project: nothing builds them unasked
    try:
        calls: list[bool] = []
        assert not s.when_records_built(lambda: calls.append(True))
        assert not s.members.loaded and s.record_slices.active  # not in one go on this call
        qtbot.waitUntil(lambda: bool(calls), timeout=TIMEOUT)
        assert calls == [True] and s.members.loaded and s.links.loaded
        members, links = as_stored(path)
        assert dict(s.members.items()) == members and dict(s.links.items()) == links
        assert s.when_records_built(lambda: calls.append(False)) and calls == [True]
    finally:
        s.close()


def test_the_plan_ranks_on_the_engines_arrays_with_no_record_built(qtbot: Any, path: Path) -> None:
    """The Plan tab on an opened project: ranked on the worker from the file's arrays (opening the
    tab built every record on the GUI thread: ~2 s at 100,000 members), as the records rank."""
    from cluster_desk.core.planner import rank_candidates
    from cluster_desk.ui.assessment.planner import PlannerPanel

    s = ProjectSession()
    s.open(path)
    s._slices_after_assessment = False
    planner = PlannerPanel()
    qtbot.addWidget(planner)
    try:
        planner.attach(s)
        planner.refresh()
        qtbot.waitUntil(lambda: bool(planner.ranked), timeout=TIMEOUT)
        assert not s.members.loaded and not s.links.loaded
        members, links = as_stored(path)
        assert planner.ranked == rank_candidates(list(members.values()), list(links.values()), s.settings)
    finally:
        s.close()
