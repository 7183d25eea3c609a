"""The engine's arrays read from the project file and patched by the session's edit steps
(ui/project/assess_engine.py, issue 17: no Member or Link record for the assessment): after any
mix of moves, field edits, adds, deletes with their links, restores, link adds, edits and deletes,
settings and day changes, every result equals a fresh core.assessment.assess of what the file
holds; a step chain it cannot follow makes it read the file again."""

from __future__ import annotations

import dataclasses
import functools
import random
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from cluster_desk.core import id_index
from cluster_desk.core.assessment import assess
from cluster_desk.core.demo import demo_cluster
from cluster_desk.core.model import Link, LinkKind, Member, Status
from cluster_desk.core.tables import SharedTexts
from cluster_desk.store import snapshot
from cluster_desk.store.assess_columns import read_for_assessment
from cluster_desk.store.project import Project
from cluster_desk.ui.project import assess_engine
from cluster_desk.ui.project.assess_engine import Assessed, AssessRequest, EditStep, Engine, counts


class Roster:
    """A project file, its engine and the session's versioned steps, as the window keeps them.
    ``texts``: the arrays hold the member ids, names and link ids of an open's columns (issue
    17), as the window's first read does."""

    def __init__(self, path: Path, texts: bool = False) -> None:
        members, links, self.settings = demo_cluster(seed=5)
        self.project = Project.create(path)
        self.project.add_members(members)
        self.project.add_links(links)
        self.engine = Engine()
        self.version = 0
        self.steps: list[EditStep] = []
        self.shared: SharedTexts | None = None
        if texts:
            self.project.open_columns().save_snapshot(path)  # the next open reads the snapshot
            opened = self.project.open_columns()
            assert opened.from_snapshot
            ends = (opened.links.source_index, opened.links.target_index)
            self.shared = SharedTexts(opened.key, opened.members, opened.links.ids, ends)
            self.as_read = (list(opened.members.ids), list(opened.members.names), list(opened.links.ids))
            self.numbers_read = [c.copy() for c in (opened.members.lat, opened.members.lon, *ends)]
        self.read = functools.partial(read_for_assessment, path, self.shared)

    def texts_unchanged(self) -> None:
        """The open's texts, positions and link ends the arrays held are as the open read them
        (the arrays copy first)."""
        if self.shared is not None:
            assert isinstance(self.shared.index(), id_index.IdRows) == (id_index.DICT_UP_TO == 0)
            assert (self.shared.ids, list(self.shared.names), list(self.shared.link_ids)) == self.as_read
            assert self.shared.link_ends is not None
            numbers = (self.shared.members.lat, self.shared.members.lon, *self.shared.link_ends)
            for now, then in zip(numbers, self.numbers_read, strict=True):  # (held read-only, copied)
                np.testing.assert_array_equal(now, then)
            assert self.shared.index() == {mid: i for i, mid in enumerate(self.as_read[0])}

    def step(self, members: list[Member] = (), member_removed: list[str] = (),  # type: ignore[assignment]
             links: list[Link] = (), link_removed: list[str] = ()) -> None:  # type: ignore[assignment]
        self.version += 1
        self.steps.append(EditStep(self.version - 1, self.version, tuple(members), tuple(member_removed),
                                   tuple(links), tuple(link_removed)))
        del self.steps[:-16]

    def check(self, on: str | None = None, **kw: object) -> Assessed:
        done = self.engine.assess(AssessRequest(None, None, self.settings, on=on, read=self.read,
                                                version=self.version, steps=tuple(self.steps),
                                                **kw))  # type: ignore[arg-type]
        members, links = self.project.members(), self.project.links()
        assert done.results == assess(members, links, self.settings, on=on)
        assert done.counts == counts(members)
        return done


TEXTS = ["own texts", "open's texts", "open's texts, links searched", "open's texts, packed id maps"]


@pytest.fixture(params=TEXTS)
def roster(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
           request: pytest.FixtureRequest) -> Iterator[Roster]:
    monkeypatch.setenv("CLUSTER_DESK_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(snapshot, "MIN_ROWS", 10)  # the demo's snapshot and arrays are kept
    if request.param.endswith("searched"):  # no link id -> row map: each edited link is searched for
        monkeypatch.setattr(assess_engine, "PREINDEX_LINKS", 0)
    if request.param.endswith("packed id maps"):  # member id -> row as a million members' (IdRows)
        monkeypatch.setattr(id_index, "DICT_UP_TO", 0)
    r = Roster(tmp_path / "p.cdesk", texts=request.param != "own texts")
    yield r
    r.texts_unchanged()
    r.project.close()


def test_each_kind_of_edit_is_patched_and_assessed_as_a_fresh_read(roster: Roster) -> None:
    r, p = roster, roster.project
    first = r.check()
    assert first.arrays == "read"
    if r.shared is not None:  # the arrays hold the open's texts, not copies
        arrays = r.engine._arrays
        assert arrays is not None and arrays.index is r.shared.index()
        assert arrays.names is r.shared.names or arrays.names.block is r.shared.names.block  # type: ignore[attr-defined]
        assert arrays.links.ids.block is r.shared.link_ids.block  # type: ignore[attr-defined]
        assert arrays.ids[0] is r.shared.ids[0]
    again = r.check()
    assert (again.arrays, again.full) == ("reused", False)
    m = next(m for m in p.members() if m.located)
    moved = dataclasses.replace(m, lat=m.lat + 1.5, lon=m.lon - 2.0)
    p.update_member(moved)
    r.step([moved])
    done = r.check()
    assert (done.arrays, done.full) == ("positions", False)
    renamed = dataclasses.replace(moved, name="Новое имя", employees=(m.employees or 0) + 40)
    p.update_member(renamed)
    r.step([renamed])
    assert r.check().arrays == "members"
    new = Member("Новая фирма", lat=55.7, lon=49.2, joined="2020-01-01")
    p.add_member(new)
    r.step([new])
    assert r.check().arrays == "members"
    ids = [x.id for x in p.members()]
    lk = Link(ids[0], new.id, LinkKind.SUPPLY, volume=3e6)
    p.add_links([lk])
    r.step(links=[lk])
    done = r.check()
    assert (done.arrays, done.full) == ("link edit", True)
    edited = dataclasses.replace(lk, kind=LinkKind.RND, end="2030-01-01")
    p.update_link(edited)
    r.step(links=[edited])
    assert r.check().arrays == "link edit"
    gone, dropped = p.delete_members([ids[3], new.id])
    r.step(member_removed=[ids[3], new.id], link_removed=[x.id for x in dropped])
    assert r.check().arrays == "members, link edit"
    p.restore(gone, dropped)  # an undo
    r.step(list(gone), links=list(dropped))
    assert r.check().arrays == "members, link edit"
    r.settings = dataclasses.replace(r.settings, radius_km=77.0, centre_lat=55.5, centre_lon=49.5)
    r.step()
    assert r.check().full is False  # the circle alone: the geographic checks again
    past = r.check(on="2021-06-30", participant_ids=True)  # a date step of the timeline
    assert past.arrays == "reused" and past.participants
    r.steps.clear()  # a change it cannot follow (another process wrote): read again
    r.version += 1
    assert r.check().arrays == "read"


def test_a_read_after_an_edit_it_will_be_told_of_stays_right(roster: Roster) -> None:
    """The worker's first read of the file can come after an edit the session makes meanwhile:
    the step it is then handed changes nothing twice."""
    r, p = roster, roster.project
    m = p.members()[4]
    p.delete_members([m.id])  # in the file before the read ...
    lk = Link(p.members()[0].id, p.members()[1].id, LinkKind.RND)
    p.add_links([lk])
    r.check()  # ... of version 0
    r.step(member_removed=[m.id], links=[lk])  # ... then told as the step 0 -> 1
    r.check()


@pytest.mark.parametrize(("seed", "roster"), [(1, TEXTS[0]), (2, TEXTS[0]), (3, TEXTS[3]), (4, TEXTS[1]),
                                              (5, TEXTS[2])], indirect=["roster"])
def test_random_edits_match_a_fresh_assessment(roster: Roster, seed: int) -> None:
    rng = random.Random(seed)
    r, p = roster, roster.project
    r.check()
    for i in range(30):
        ms, ls = p.members(), p.links()
        what = rng.choice(["move", "move", "unplace", "field", "add", "delete", "link", "relink", "unlink",
                           "status", "day", "circle"])
        m = rng.choice(ms)
        if what == "move":
            new = dataclasses.replace(m, lat=55.0 + rng.uniform(-3, 3), lon=49.0 + rng.uniform(-5, 5))
            p.update_member(new)
            r.step([new])
        elif what == "unplace":
            new = dataclasses.replace(m, lat=None, lon=None)
            p.update_member(new)
            r.step([new])
        elif what in ("field", "status"):
            new = (dataclasses.replace(m, employees=rng.randrange(1, 3000),
                                       sector=rng.choice(["29.1", "", "62"]))
                   if what == "field" else dataclasses.replace(m, status=rng.choice(list(Status))))
            p.update_member(new)
            r.step([new])
        elif what == "add":
            new_ms = [Member(f"Фирма {i}-{k}", lat=55.0 + k, lon=49.0,
                             joined=rng.choice([None, "2019-05-05"])) for k in range(rng.randrange(1, 3))]
            p.add_members(new_ms)
            r.step(new_ms)
        elif what == "delete":
            _gone, dropped = p.delete_members([m.id])
            r.step(member_removed=[m.id], link_removed=[x.id for x in dropped])
        elif what == "link":
            a, b = rng.sample(ms, 2)
            lk = Link(a.id, b.id, rng.choice(list(LinkKind)), volume=rng.choice([None, 1e6]),
                      start=rng.choice([None, "2020-03-03"]))
            p.add_links([lk])
            r.step(links=[lk])
        elif what == "relink" and ls:
            lk = dataclasses.replace(rng.choice(ls), volume=rng.choice([None, 5e5]),
                                     kind=rng.choice(list(LinkKind)))
            p.update_link(lk)
            r.step(links=[lk])
        elif what == "unlink" and ls:
            lk = rng.choice(ls)
            p.delete_link(lk.id)
            r.step(link_removed=[lk.id])
        elif what == "circle":
            r.settings = dataclasses.replace(r.settings, radius_km=rng.uniform(50, 400))
            r.step()
        r.check(on=rng.choice([None, "2021-06-30"]) if what == "day" else None)


def test_the_outside_members_as_rows_of_the_open(roster: Roster) -> None:
    """``outside_of``: the concentration's outside members as their places among the placed rows
    of the open's columns (the map's members blob), while the arrays' rows are the open's: a
    move keeps them so, an added or removed member does not (None: the map sends ids). A member
    placed since the open has no such row: by id."""
    r, p = roster, roster.project
    cols = r.shared.members if r.shared is not None else p.open_columns().members
    placed = [i for i, ok in zip(cols.ids, cols.located, strict=True) if ok]
    assert len(placed) < len(cols)  # (some not placed: a place among the placed is not the row)

    def outside(done: Assessed) -> tuple[list[str], tuple[str, ...]] | None:
        conc = next(x for x in done.results if x.id == "concentration")
        got = done.outside
        if got is None:
            return None
        assert got.of is cols and got.ids is conc.member_ids and got.rows.dtype == np.int32
        named = [placed[k] for k in got.rows.tolist()]
        assert sorted([*named, *got.by_id]) == sorted(conc.member_ids) and len(conc.member_ids) > 2
        return named, got.by_id

    first = r.check(outside_of=cols)
    if r.shared is None:  # the arrays' own ids and map: not known to be the open's rows
        assert first.outside is None
        return
    assert outside(first) is not None and outside(first)[1] == ()  # type: ignore[index]
    assert r.check().outside is None  # (not asked)
    unplaced = next(m for m in p.members() if m.lat is None)
    far = dataclasses.replace(unplaced, lat=40.0, lon=30.0)  # placed since the open, far away
    p.update_member(far)
    r.step([far])
    got = outside(r.check(outside_of=cols))
    assert got is not None and got[1] == (far.id,)
    _gone, dropped = p.delete_members([cols.ids[0]])
    r.step(member_removed=[cols.ids[0]], link_removed=[x.id for x in dropped])
    assert r.check(outside_of=cols).outside is None  # the rows moved up


@pytest.mark.parametrize("roster", TEXTS[:2], indirect=True)
def test_the_planner_gets_the_last_results_only_while_they_are_of_its_arrays(roster: Roster) -> None:
    """``assessed_of``: the last run's results for the arrays as they are, with the settings and
    day it ran with; none after an edit, for other settings or another day."""
    from datetime import date

    r, p = roster, roster.project
    today = date.today().isoformat()

    def request() -> AssessRequest:
        return AssessRequest(None, None, r.settings, read=r.read, version=r.version, steps=tuple(r.steps))

    first = r.check()
    arrays, results = r.engine.assessed_of(request(), r.settings, today)
    assert arrays is r.engine._arrays and results == first.results
    assert r.engine.assessed_of(request(), dataclasses.replace(r.settings, radius_km=33.0), today)[1] is None
    assert r.engine.assessed_of(request(), r.settings, "2021-06-30")[1] is None
    m = next(m for m in p.members() if m.located)
    moved = dataclasses.replace(m, lat=m.lat + 0.5)
    p.update_member(moved)
    r.step([moved])
    arrays, results = r.engine.assessed_of(request(), r.settings, today)  # (patched: not assessed yet)
    assert results is None and float(arrays.lat[arrays.index[m.id]]) == moved.lat
    again = r.check()
    assert again.arrays == "reused"  # (the planner's read patched them; the edit is not lost)
    assert r.engine.assessed_of(request(), r.settings, today)[1] == again.results
