"""The Links table's rows (ui/links/model.py: table rows of packed ids, no id -> row dict) kept
across removals: after random adds, edits, deletes (some in bursts) and restores of deleted links
under their own ids, every link's row is where the table shows it: the links left, in their
order, then the new and restored ones."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cluster_desk.core.model import Link, LinkKind, Member
from cluster_desk.store.project import Project
from cluster_desk.ui.links.model import LinksModel
from cluster_desk.ui.project.session import ProjectSession


@pytest.fixture
def session(qapp: Any, tmp_path: Path) -> Iterator[ProjectSession]:
    rng = random.Random(5)
    path = tmp_path / "p.cdesk"
    members = [Member(f"Firm {i}", lat=55 + i / 100, lon=49.0) for i in range(40)]
    with Project.create(path) as p:
        p.add_members(members)
        p.add_links([Link(*(m.id for m in rng.sample(members, 2)), LinkKind.SUPPLY, id=f"l{i}")
                     for i in range(120)])
    s = ProjectSession()
    s.open(path)
    yield s
    s.close()


def _rows_match(model: LinksModel, expected: list[str]) -> None:
    assert model.rowCount() == len(expected)
    assert [model.link_at(r).id for r in range(len(expected))] == expected  # type: ignore[union-attr]
    assert [model.row_of(lid) for lid in expected] == list(range(len(expected)))


def test_rows_follow_random_adds_edits_and_deletes(session: ProjectSession) -> None:
    model = LinksModel(session)
    rng = random.Random(11)
    member_ids = list(session.members)
    expected = list(session.links)
    deleted: list[Link] = []
    _rows_match(model, expected)
    for step in range(150):
        what = rng.choice(["add", "add", "edit", "delete", "delete", "burst", "restore"])
        if what == "restore" and deleted:  # as an undo of a delete: the same id again, last
            back = deleted.pop(rng.randrange(len(deleted)))
            session.apply_add_links([back])
            expected.append(back.id)
        elif what in ("add", "burst"):
            new = [Link(*rng.sample(member_ids, 2), LinkKind.RND, id=f"n{step}-{k}")
                   for k in range(4 if what == "burst" else 1)]
            session.apply_add_links(new)
            tail = [model.link_at(r).id for r in range(len(expected), model.rowCount())]  # type: ignore[union-attr]
            assert sorted(tail) == sorted(lk.id for lk in new)  # appended (a burst in any order)
            expected += tail
        elif what == "edit" and expected:
            old = session.links[rng.choice(expected)]
            session.apply_update_link(dataclasses.replace(old, volume=float(step)))
        elif expected:
            gone = rng.sample(expected, min(len(expected), rng.choice([1, 1, 3, 9])))
            deleted += [session.links[lid] for lid in gone]
            session.apply_delete_links(gone)
            expected = [lid for lid in expected if lid not in gone]
        assert model.row_of("absent") is None
        _rows_match(model, expected)


def test_the_id_lookup_comes_from_the_worker(qtbot: Any, session: ProjectSession) -> None:
    """Once assessed, the link id lookup is made on the session's worker (not by the first edit
    on the GUI thread); an edit before it arrives does not make it wrong (it is of the column
    read, which nothing changes); a reset drops it."""
    model = LinksModel(session)
    assert not model._table.indexed
    model._rows_ahead()
    qtbot.waitUntil(lambda: model._table.indexed, timeout=10_000)
    _rows_match(model, list(session.links))
    model._reset()  # as after an import: the lookup is gone, and asked for again
    assert not model._table.indexed
    model._rows_ahead()
    first = next(iter(session.links))
    session.apply_delete_links([first])  # before the worker's lookup arrives: made here
    assert model._table.indexed
    qtbot.waitUntil(lambda: not session.assessor.busy, timeout=10_000)
    _rows_match(model, list(session.links))
