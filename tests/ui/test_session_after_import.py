"""After an import, a merge or another process's write, the session reads only the records the
change log names since it last looked (issue 17: the import re-opened the whole project)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cluster_desk.core.model import Link, LinkKind, Member
from cluster_desk.io.roster import import_into
from cluster_desk.store.project import Project
from cluster_desk.ui.project.commands import record_bulk_change
from cluster_desk.ui.project.session import ProjectSession


@pytest.fixture
def session(qapp: Any, tmp_path: Path) -> Iterator[ProjectSession]:
    path = tmp_path / "p.cdesk"
    with Project.create(path) as p:
        members = [Member(f"ООО «Фирма {i}»", inn="", lat=55.0 + i / 100, lon=49.0) for i in range(50)]
        p.add_members(members)
        p.add_links([Link(members[0].id, members[1].id, LinkKind.SUPPLY)])
    s = ProjectSession()
    s.open(path)
    yield s
    s.close()  # no assessment of this project may still be due when the next test runs


def _no_whole_reads(project: Project, monkeypatch: Any) -> None:
    def refuse() -> None:
        raise AssertionError("the whole project was read again")

    monkeypatch.setattr(project, "members", refuse)
    monkeypatch.setattr(project, "links", refuse)


def test_an_import_reads_back_only_what_it_wrote_and_is_one_undo_step(session, tmp_path, monkeypatch):
    before = dict(session.members)
    first = next(iter(before.values()))
    csv = tmp_path / "r.csv"
    csv.write_text(f"name,employees\nНовая,5\n{first.name},7\n", encoding="utf-8")
    import_into(session.project, csv)
    _no_whole_reads(session.project, monkeypatch)
    change = record_bulk_change(session, "Import")
    assert change is not None and len(change.members_after) == 2 and not change.links_after
    assert session.members[first.id].employees == 7 and len(session.members) == len(before) + 1
    session.undo_stack.undo()
    assert session.members == before
    session.undo_stack.redo()
    assert session.members[first.id].employees == 7


def test_another_process_edit_and_delete_are_picked_up(session, monkeypatch):
    ids = list(session.members)
    with Project.open(session.project.path) as other:
        other.update_member(dataclasses.replace(other.member(ids[3]), notes="theirs"))
        other.delete_member(ids[0])  # takes its link with it
    _no_whole_reads(session.project, monkeypatch)
    assert session.check_external_changes()
    assert session.members[ids[3]].notes == "theirs"
    assert ids[0] not in session.members and session.links == {}
    assert not session.check_external_changes()
