"""The open path's reads: columns in one query per table, the timeline's span, and the integrity
check that runs on a thread until the first write."""

from __future__ import annotations

import math
import sqlite3
from pathlib import Path

import pytest

from cluster_desk.core.model import Link, LinkKind, Member
from cluster_desk.core.timeline import dated_years
from cluster_desk.store.edits import read_dated_years
from cluster_desk.store.project import Project, ProjectError


def test_columns_hold_what_the_records_say_in_file_order(demo: Path) -> None:
    with Project.open(demo) as p:
        members, links = p.members(), p.links()
        mc, lc = p.member_columns(), p.link_columns()
        assert mc.ids == [m.id for m in members] and mc.names == [m.name for m in members]
        assert mc.kinds == [m.kind.value for m in members]
        assert mc.statuses == [m.status.value for m in members]
        for m, lat, lon in zip(members, mc.lat.tolist(), mc.lon.tolist(), strict=True):
            assert (math.isnan(lat) and m.lat is None) or lat == pytest.approx(m.lat, abs=1e-9)
            assert (math.isnan(lon) and m.lon is None) or lon == pytest.approx(m.lon, abs=1e-9)
        assert mc.located.tolist() == [m.located for m in members]
        assert (lc.ids, lc.sources, lc.targets) == ([x.id for x in links], [x.source for x in links],
                                                     [x.target for x in links])  # fmt: skip
        assert lc.kinds == [x.kind.value for x in links]
        assert p.dated_years() == dated_years(members, links)
        # the window's reader: its own read-only connection, beside the open project's
        assert read_dated_years(demo) == dated_years(members, links) is not None


def test_a_separator_inside_a_value_is_read_row_by_row(tmp_path: Path) -> None:
    path = tmp_path / "odd.cdesk"
    a = Member("ООО \x1f «Странное»", id="a\x1fb", lat=55.0, lon=50.0)
    b = Member("B", id="b", notes="x")
    with Project.create(path) as p:
        p.add_members([a, b])
        p.add_links([Link(a.id, b.id, LinkKind.RND, id="l\x1f1")])
    with Project.open(path) as p:
        mc, lc = p.member_columns(), p.link_columns()
    assert mc.ids == [a.id, b.id] and mc.names == [a.name, "B"]
    assert mc.located.tolist() == [True, False]
    assert lc.ids == ["l\x1f1"] and lc.sources == [a.id]
    empty = tmp_path / "empty.cdesk"
    Project.create(empty).close()
    with Project.open(empty) as p:
        assert len(p.member_columns()) == 0 and len(p.link_columns()) == 0 and p.dated_years() is None
    assert read_dated_years(empty) is None
    with pytest.raises(sqlite3.Error):  # a file that cannot be read says so (the window keeps its span)
        read_dated_years(tmp_path / "gone.cdesk")


def _damage(path: Path) -> None:
    """A coordinate out of range, written past the CHECKs (a crafted file)."""
    c = sqlite3.connect(path)
    c.execute("PRAGMA ignore_check_constraints = ON")
    c.execute("UPDATE members SET lat = 123.0 "
              "WHERE rowid = (SELECT min(rowid) FROM members WHERE lat IS NOT NULL)")
    c.commit()
    c.close()


def test_a_damaged_file_opened_with_a_later_check_refuses_every_write(demo: Path) -> None:
    _damage(demo)
    with pytest.raises(ProjectError, match="damaged"):
        Project.open(demo).close()  # checked first by default
    before = demo.read_bytes()
    p = Project.open(demo, check_later=True)
    try:
        assert p.integrity is not None
        with pytest.raises(ProjectError, match="damaged"):
            p.add_member(Member("new"))
        assert p.integrity.problem is not None
    finally:
        p.close()
    assert demo.read_bytes() == before  # refused: left byte for byte as it was


def test_a_check_not_started_yet_is_started_by_the_first_write(demo: Path) -> None:
    """A window starts the check after the open's first paint (issue 17); a write before then
    starts it and waits for its verdict: a damaged file is still refused untouched."""
    _damage(demo)
    before = demo.read_bytes()
    p = Project.open(demo, check_later=True, start_check=False)
    try:
        assert p.integrity is not None and not p.integrity.started and not p.integrity.done
        with pytest.raises(ProjectError, match="damaged"):
            p.add_member(Member("new"))
        assert p.integrity.started and p.integrity.done and p.integrity.problem is not None
    finally:
        p.close()
    assert demo.read_bytes() == before


def test_a_sound_file_checked_later_takes_writes_and_bulk_writes_call_the_hook(demo: Path) -> None:
    calls: list[int] = []
    with Project.open(demo, check_later=True) as p:
        p.before_bulk_write = lambda: calls.append(len(p.members()))
        p.add_member(Member("one"))  # a single edit: no hook
        assert calls == [] and p.integrity is None  # the check passed and is done with
        with p.transaction():
            p.add_member(Member("two"))
        with p.transaction():
            p.add_member(Member("three"))
        assert len(calls) == 1  # once, before the first bulk write, with the file as it was


def test_closing_a_project_cancels_its_integrity_check_without_a_verdict(demo: Path) -> None:
    """A check not started yet never runs once its project is closed, and says nothing."""
    p = Project.open(demo, check_later=True, start_check=False)
    check = p.integrity
    assert check is not None
    p.close()
    check.start()  # as a window's timer might, just after the close
    check._thread.join()
    assert check.cancelled and check.done and check.problem is None
    with pytest.raises(ProjectError, match="closed"):
        check.wait()  # no verdict is no licence to write


def test_a_running_integrity_check_stops_when_its_project_closes(tmp_path: Path) -> None:
    """cancel() interrupts SQLite mid-check (at 1M members the check holds a core for seconds):
    the thread ends, and the interruption is not reported as damage."""
    path = tmp_path / "big.cdesk"
    with Project.create(path) as p:
        p.add_members([Member(f"firm {i}", lat=55.0 + i * 1e-5, lon=49.0) for i in range(20_000)])
    p = Project.open(path, check_later=True, start_check=False)
    check = p.integrity
    assert check is not None
    check.start()
    while check._conn is None and not check.done:  # wait for the check to be under way
        pass
    p.close()
    check._thread.join()
    assert check.cancelled and check.error is None and check.problem is None
