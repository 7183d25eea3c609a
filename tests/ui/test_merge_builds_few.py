"""A field copy merged into an opened project, then undone and redone (issue 17): the merge names
the records it writes, and only those are built before it writes (the first bulk write used to
build every record of the project: ~2 s of the GUI thread at 100,000 members). What they were is
what the undo puts back: the session and the file agree with the state before, then after."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ui_helpers import linked_project

from cluster_desk.core.model import Link, LinkKind, Member
from cluster_desk.store.merge import apply_merge, make_field_copy, plan_merge
from cluster_desk.store.project import Project
from cluster_desk.ui.project import live_assessment
from cluster_desk.ui.project.commands import record_bulk_change
from cluster_desk.ui.project.session import ProjectSession


@pytest.fixture
def paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A master of 200 members and 600 links, its field copy edited, the master edited since."""
    monkeypatch.setattr(live_assessment, "SLICES_UP_TO", 0)  # records stay unbuilt until asked for
    path = linked_project(tmp_path / "master.cdesk", seed=3)
    copy_path = tmp_path / "field.cdesk"
    with Project.open(path) as master:
        make_field_copy(master, copy_path)
        master.update_member(dataclasses.replace(master.member("m002"), notes="called"))  # a conflict
        # A link the copy never saw, to a member the copy deletes: the delete is a conflict, and
        # taking the copy's side takes that link with the member.
        master.add_links([Link("m006", "m005", LinkKind.JOINT_PROJECT, id="master-link")])
    with Project.open(copy_path) as copy:
        copy.update_members([dataclasses.replace(m, notes="visited", employees=12)
                             for m in copy.members_with_ids(["m001", "m002"])])
        assert copy.link_ids_of("m005")  # (the member's delete takes them: the merge must say so)
        copy.delete_member("m005")
        copy.add_members([Member("Новая фирма", id="new", lat=55.5, lon=49.5)])
        copy.add_links([Link("new", "m003", LinkKind.SUPPLY, id="new-link")])
        copy.update_link(dataclasses.replace(copy.link("l0010"), notes="in the field"))
        copy.delete_link("l0011")
    return path, copy_path


@pytest.fixture
def session(qapp: Any, paths: tuple[Path, Path]) -> Iterator[ProjectSession]:
    s = ProjectSession()
    s.open(paths[0])
    yield s
    s.close()


def _state(path: Path) -> tuple[dict[str, Member], dict[str, Link]]:
    with Project.open(path) as p:
        return {m.id: m for m in p.members()}, {lk.id: lk for lk in p.links()}


def _session_state(s: ProjectSession) -> tuple[dict[str, Member], dict[str, Link]]:
    return dict(s.members), dict(s.links)


def test_a_merge_builds_only_its_records_and_undoes_and_redoes_exactly(session, paths):
    master = session.project
    assert master is not None
    before = _state(paths[0])
    gone_links = master.link_ids_of("m005")

    plan = plan_merge(master, paths[1])
    assert {c.entity_id for c in plan.conflicts} == {"m002", "m005"}
    apply_merge(master, plan, take="theirs")
    assert not session.members.loaded and not session.links.loaded  # only the merge's records built
    change = record_bulk_change(session, "Merge")
    assert change is not None
    after = _state(session.path)
    assert after[0]["m002"].notes == "visited" and "m005" not in after[0] and "new-link" in after[1]
    assert "master-link" in gone_links and not set(gone_links) & set(after[1])
    assert _session_state(session) == after

    session.undo_stack.undo()
    assert _state(session.path) == before
    assert _session_state(session) == before
    session.undo_stack.redo()
    assert _state(session.path) == after
    assert _session_state(session) == after
