"""Imports into an opened project, then undone and redone (issue 17): each batch names the stored
records it updates, and only those are built before it writes (the first import of a session used
to build every record of the project: ~2 s of the GUI thread at 100,000 members and 300,000
links). What they were is what the undo puts back: the session and the file agree with the state
before, then after. Members by CSV, links by CSV, and both from one workbook."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from ui_helpers import linked_project

from cluster_desk.core.model import Link, LinkKind, Member
from cluster_desk.io import export_roster, import_into
from cluster_desk.io.links import export_links_csv
from cluster_desk.io.with_links import import_links_only, import_members_and_links
from cluster_desk.store.project import Project
from cluster_desk.ui.project import live_assessment
from cluster_desk.ui.project import session as session_module
from cluster_desk.ui.project.commands import record_bulk_change
from cluster_desk.ui.project.session import ProjectSession

State = tuple[dict[str, Member], dict[str, Link]]


@pytest.fixture
def session(qapp: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ProjectSession]:
    monkeypatch.setattr(live_assessment, "SLICES_UP_TO", 0)  # records stay unbuilt until asked for
    # Both ways of building them: 10 named records one query each, 120 in batches.
    monkeypatch.setattr(session_module, "_BUILD_ONE_BY_ONE", 64)
    s = ProjectSession()
    s.open(linked_project(tmp_path / "master.cdesk", seed=4))
    yield s
    s.close()


def _state(path: Path) -> State:
    with Project.open(path) as p:
        return {m.id: m for m in p.members()}, {lk.id: lk for lk in p.links()}


def _undone_and_redone(session: ProjectSession, write: Callable[[Project], object]) -> State:
    """``write`` into the session's project; the records built before it are the ones it
    named; then undo and redo match the file. Returns the state after."""
    project = session.project
    assert project is not None
    before = _state(session.path)
    write(project)
    assert not session.members.loaded and not session.links.loaded  # only what the import named
    assert record_bulk_change(session, "Import") is not None
    after = _state(session.path)
    assert after != before
    assert (dict(session.members), dict(session.links)) == after
    session.undo_stack.undo()
    assert _state(session.path) == before
    assert (dict(session.members), dict(session.links)) == before
    session.undo_stack.redo()
    assert _state(session.path) == after
    assert (dict(session.members), dict(session.links)) == after
    return after


def _edited(session: ProjectSession, n: int) -> tuple[list[Member], list[Link]]:
    members, links = _state(session.path)
    changed = [dataclasses.replace(m, notes="seen in the field", employees=7)
               for m in list(members.values())[:n]]
    new = [Member(f"Новая {i}", id=f"new{i}", lat=55.5, lon=49.5) for i in range(3)]
    return changed + new, list(links.values())


@pytest.mark.parametrize("n", [10, 120])  # built one by one, and in batches
def test_a_members_import_builds_only_the_members_it_updates(session, tmp_path, n):
    rows, _ = _edited(session, n)
    path = tmp_path / "visits.csv"
    export_roster(rows, None, path)
    after = _undone_and_redone(session, lambda p: import_into(p, path))
    assert after[0]["m005"].notes == "seen in the field" and "new2" in after[0]


@pytest.mark.parametrize("n", [10, 120])
def test_a_links_import_builds_only_the_links_it_updates(session, tmp_path, n):
    members, links = _state(session.path)
    changed = [dataclasses.replace(lk, notes="a contract since spring") for lk in list(links.values())[:n]]
    new = [Link("m001", "m002", LinkKind.RND, id="new-link")]
    path = tmp_path / "links.csv"
    export_links_csv(list(members.values()), changed + new, path)
    after = _undone_and_redone(session, lambda p: import_links_only(p, path))
    assert after[1]["l0003"].notes == "a contract since spring" and "new-link" in after[1]


def test_a_workbook_of_members_and_links_builds_only_what_it_updates(session, tmp_path):
    rows, links = _edited(session, 100)
    changed = [dataclasses.replace(lk, notes="renewed") for lk in links[:90]]
    path = tmp_path / "roster.xlsx"
    export_roster(rows, [*changed, Link("new0", "m003", LinkKind.SUPPLY, id="new-link")], path)
    after = _undone_and_redone(session, lambda p: import_members_and_links(p, path))
    assert after[0]["m050"].notes == "seen in the field" and after[1]["l0050"].notes == "renewed"
    assert after[1]["new-link"].source == "new0"
