"""The roster model on a real project file: incremental updates, validation, sorting, filtering,
and that 100,000-row operations stay quick (no per-row Python in the hot paths)."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from cluster_desk.core.model import Member, MemberKind, Status
from cluster_desk.ui.project.commands import AddMember, DeleteMembers, EditMembers
from cluster_desk.ui.project.session import ChangeSet, ProjectSession
from cluster_desk.ui.roster.model import COL, ID_ROLE, RosterModel, RosterProxy


def roster(n: int, seed: int = 3) -> list[Member]:
    rnd = random.Random(seed)
    kinds = list(MemberKind)
    return [
        Member(name=f"Firm {i:06d}", kind=kinds[i % len(kinds)],
               status=(Status.MEMBER, Status.CANDIDATE, Status.FORMER)[i % 3],
               employees=rnd.randint(1, 5000), lat=55 + rnd.uniform(-2, 2), lon=50 + rnd.uniform(-3, 3),
               inn=f"{1650000000 + i}")
        for i in range(n)
    ]


@pytest.fixture
def session(qapp: Any, tmp_path: Path) -> ProjectSession:
    from cluster_desk.store.project import Project

    path = tmp_path / "r.cdesk"
    project = Project.create(path, name="R")
    project.add_members(roster(300))
    project.close()
    s = ProjectSession()
    s.open(path)
    return s


def test_rows_follow_edits_incrementally(session: ProjectSession) -> None:
    model = RosterModel(session)
    assert model.rowCount() == 300
    events: list[str] = []
    model.rowsInserted.connect(lambda *a: events.append("insert"))
    model.rowsRemoved.connect(lambda *a: events.append("remove"))
    model.modelReset.connect(lambda *a: events.append("reset"))
    model.dataChanged.connect(lambda *a: events.append("changed"))
    new = Member(name="New", lat=55.0, lon=50.0)
    session.undo_stack.push(AddMember(session, new))
    assert model.rowCount() == 301 and model.row_of(new.id) == 300
    session.undo_stack.push(DeleteMembers(session, [new.id]))
    assert model.rowCount() == 300 and model.row_of(new.id) == -1
    first = model.member_at(0)
    session.undo_stack.push(EditMembers(session, [Member(**{**_fields(first), "name": "Renamed"})]))
    assert model.index(0, COL["name"]).data() == "Renamed"
    assert "reset" not in events and {"insert", "remove", "changed"} <= set(events)


def _fields(m: Member) -> dict[str, Any]:
    return {f: getattr(m, f) for f in m.__dataclass_fields__}


def test_in_place_edits_are_validated(session: ProjectSession) -> None:
    model = RosterModel(session)
    asked: list[Member] = []
    model.editRequested.connect(asked.append)
    assert not model.setData(model.index(0, COL["name"]), "  ")
    assert not model.setData(model.index(0, COL["employees"]), "-3")
    assert not model.setData(model.index(0, COL["employees"]), "many")
    assert not model.setData(model.index(0, COL["lat"]), "91")
    assert not model.setData(model.index(0, COL["inn"]), "123")
    assert asked == []
    assert model.setData(model.index(0, COL["employees"]), "12")
    assert model.setData(model.index(0, COL["lat"]), "55,5")  # a decimal comma is fine
    assert [m.employees for m in asked[:1]] == [12] and asked[1].lat == 55.5


def test_filters_and_sort(session: ProjectSession) -> None:
    model = RosterModel(session)
    proxy = RosterProxy()
    proxy.setSourceModel(model)
    proxy.set_kind(MemberKind.FIRM)
    assert 0 < proxy.rowCount() < 300
    proxy.set_kind(None)
    proxy.set_text("firm 00001")
    shown = {proxy.index(r, 0).data() for r in range(proxy.rowCount())}
    assert shown == {f"Firm {i:06d}" for i in range(10, 20)}
    proxy.set_text("")
    proxy.set_status(Status.CANDIDATE)
    assert proxy.rowCount() == 100
    proxy.set_status(None)
    ids = [model.member_id(i) for i in range(5)]
    proxy.set_ids(ids)
    assert sorted(proxy.index(r, 0).data(ID_ROLE) for r in range(proxy.rowCount())) == sorted(ids)
    proxy.set_ids(None)
    proxy.sort(COL["employees"])
    values = [session.members[proxy.index(r, 0).data(ID_ROLE)].employees for r in range(proxy.rowCount())]
    assert values == sorted(values)


def test_hundred_thousand_rows_sort_and_filter(qapp: Any, tmp_path: Path) -> None:
    """Correct at scale (the timings are in bench/bench_app.py, not asserted here): the distance
    column is the session's (computed once by core.geodesy), sorted and filtered over 100k rows."""
    from cluster_desk.core.geodesy import distances_km

    session = ProjectSession()
    members = roster(100_000)
    session.members = {m.id: m for m in members}  # the views' side only: no file needed
    session.project = object()  # "open" for the model; no edits go to a store in this test
    model = RosterModel(session)
    model.apply_change(ChangeSet(reset=True))
    changed: list[Any] = []
    model.dataChanged.connect(lambda a, b, *_: changed.append((a.column(), b.row())))
    session.centre = (55.0, 50.0)
    session._measure(list(session.members))
    session.geometryChanged.emit(None)
    assert (COL["distance"], 99_999) in changed  # the whole column was refreshed
    proxy = RosterProxy()
    proxy.setSourceModel(model)
    proxy.sort(COL["distance"])
    ids = [proxy.index(r, 0).data(ID_ROLE) for r in range(0, 100_000, 997)]
    shown = [model.distance(i) for i in ids]
    assert shown == sorted(shown)
    expected = distances_km(55.0, 50.0, np.array([session.members[i].lat for i in ids]),
                            np.array([session.members[i].lon for i in ids]))
    assert np.allclose(shown, expected)
    proxy.set_text("firm 09")
    assert proxy.rowCount() == 10_000
    session.project = None
