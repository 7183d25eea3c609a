"""The checks' arrays read from odd project files (store.assess_columns, issue 17) equal
``Arrays(records)`` of the same rows, and the assessment on them the records' assessment: files
edited by another tool (links to members that are not there, one link stored twice), members
with no coordinates, values holding the separator, rowid gaps across read windows, an empty
project. And what makes the read cheap is pinned: no search of the members' id index per link
end, no function evaluated per row for the separator (SQLite's own step count, not a clock),
no collection of the cycle collector during the read."""

from __future__ import annotations

import gc
import random
import re
import sqlite3
import sys
from pathlib import Path

import pytest

from cluster_desk.core.assessment import assess, assess_arrays
from cluster_desk.core.checks.context import Arrays
from cluster_desk.core.model import ClusterSettings, Link, LinkKind, Member, MemberKind, Status
from cluster_desk.store import assess_columns
from cluster_desk.store.assess_columns import arrays_of, read_arrays, reading
from cluster_desk.store.errors import ProjectError
from cluster_desk.store.project import Project
from tests.store.test_assess_columns import random_roster, same_arrays, stored


def raw_links(path: Path, rows: list[tuple[str, str, str, str]]) -> None:
    """Links written as another tool would (no foreign-key check): (id, source, target, kind)."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA foreign_keys = OFF")
        with conn:
            conn.executemany("INSERT INTO links (id, source, target, kind, notes, contract) "
                             "VALUES (?, ?, ?, ?, '', '')", rows)
    finally:
        conn.close()


def equal_to_records(path: Path) -> Arrays:
    with Project.open(path) as p:
        members, links = p.members(), p.links()
    got = read_arrays(path)
    same_arrays(got, Arrays(members, links))
    for cluster, day in ((ClusterSettings(radius_km=150.0), "2025-05-05"), (ClusterSettings(), None)):
        assert assess_arrays(got, cluster, on=day) == assess(members, links, cluster, on=day)
    return got


def test_links_to_missing_members_and_a_link_stored_twice(tmp_path: Path) -> None:
    members, links = random_roster(random.Random(5), 20, 40)
    path = stored(tmp_path, members, links)
    a, b = members[0].id, members[1].id
    raw_links(path, [("gone-1", a, "no such member", "supply"), ("gone-2", "nobody", b, "rnd"),
                     ("gone-3", "nobody", "nobody else", "supply"), ("twice-1", a, b, "supply"),
                     ("twice-2", a, b, "supply")])
    got = equal_to_records(path)
    rows = {lk.id: j for j, lk in enumerate(got.links)}
    assert got.dst[rows["gone-1"]] == -1 and got.src[rows["gone-1"]] == 0
    assert got.src[rows["gone-2"]] == -1 and got.dst[rows["gone-2"]] == 1
    assert got.src[rows["gone-3"]] == got.dst[rows["gone-3"]] == -1
    assert (got.src[rows["twice-1"]], got.dst[rows["twice-1"]]) == (got.src[rows["twice-2"]],
                                                                    got.dst[rows["twice-2"]]) == (0, 1)


def test_members_with_no_coordinates(tmp_path: Path) -> None:
    members = [Member(f"Org {i}", MemberKind.FIRM, Status.MEMBER, id=f"m{i}",
                      lat=None if i % 2 else 55.0 + i / 100, lon=None if i % 2 else 49.0) for i in range(12)]
    links = [Link(f"m{i}", f"m{i + 1}", LinkKind.SUPPLY, id=f"l{i}") for i in range(11)]
    got = equal_to_records(stored(tmp_path, members, links))
    assert int(got.located.sum()) == 6


def test_values_holding_the_separator_and_windows_with_gaps(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rowid windows of 7 with deleted rows between them; a window whose texts hold the
    separator is read row by row (and only that window)."""
    monkeypatch.setattr(assess_columns, "WINDOW", 7)
    members, links = random_roster(random.Random(9), 40, 90)
    members[3] = Member("name\x1fwith a separator", members[3].kind, members[3].status, members[3].id)
    links = [lk for lk in links if members[3].id not in (lk.source, lk.target)]
    path = stored(tmp_path, members, links)
    with Project.open(path) as p:
        p.delete_members([members[k].id for k in (8, 9, 10, 20)])
        for lk in p.links()[10:25]:
            p.delete_link(lk.id)
    raw_links(path, [("id\x1fsep", members[0].id, members[1].id, "supply")])
    equal_to_records(path)


def test_an_empty_project(tmp_path: Path) -> None:
    got = equal_to_records(stored(tmp_path, [], []))
    assert len(got.names) == len(got.links) == 0


def test_an_unknown_kind_is_a_clear_error(tmp_path: Path) -> None:
    members, links = random_roster(random.Random(2), 4, 3)
    path = stored(tmp_path, members, links)
    raw_links(path, [("odd", members[0].id, members[1].id, "smuggling")])
    with pytest.raises(ProjectError, match="smuggling"):
        read_arrays(path)


def test_the_read_searches_no_index_per_link_and_evaluates_no_function_per_row(tmp_path: Path) -> None:
    """What the first assessment of a never-cached file costs in SQLite (issue 17), counted in
    SQLite's own virtual-machine steps: the links' ends are matched in Python, not searched in
    the members' id index (two joins: ~8 steps more per link), and the separator is a literal
    (``char(31)`` was evaluated again for every value: ~9 steps more per row). 733bf13: ~52
    steps a row; now ~36."""
    members, links = random_roster(random.Random(3), 500, 1500)
    path = stored(tmp_path, members, links)
    plans: list[str] = []
    steps = [0]

    def step() -> int:
        steps[0] += 1
        return 0

    with reading(path) as conn:
        queries: list[str] = []
        conn.set_trace_callback(queries.append)
        conn.set_progress_handler(step, 10)
        arrays_of(conn, path)
        conn.set_progress_handler(None, 0)
        conn.set_trace_callback(None)
        for q in queries:
            if q.lstrip().upper().startswith("SELECT"):
                plans += [r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + re.sub(r"\b\d+\b", "1", q))]
    assert plans and not [p for p in plans if "members_id" in p], plans  # the id index, per link
    assert not [q for q in queries if "char(" in q]
    assert steps[0] * 10 / (500 + 1500) < 42


def test_no_collection_runs_during_the_read(tmp_path: Path) -> None:
    """The collector is paused while the rows become columns (a collection owed is run after)."""
    members, links = random_roster(random.Random(4), 300, 900)
    path = stored(tmp_path, members, links)
    inside: list[bool] = []

    def collected(phase: str, info: dict[str, int]) -> None:
        frame = sys._getframe()
        names = set()
        while frame is not None:
            names.add(frame.f_code.co_name)
            frame = frame.f_back  # type: ignore[assignment]
        inside.append("from_columns" in names)

    assert gc.isenabled()
    gc.collect()  # (the counts from zero: the read's 900 volume rows alone are past the threshold)
    gc.callbacks.append(collected)
    try:
        read_arrays(path)
    finally:
        gc.callbacks.remove(collected)
    assert inside.count(True) == 0 and gc.isenabled()


def test_the_open_and_the_roster_reads_evaluate_no_function_per_row(tmp_path: Path) -> None:
    """(The same ``char(31)`` in the open's and the roster's reads of the tables: 300,000 links'
    texts 0.30-0.41 -> 0.13-0.19 s of SQLite CPU with the separator as a literal.)"""
    from cluster_desk.store import member_fields

    members, links = random_roster(random.Random(6), 30, 60)
    path = stored(tmp_path, members, links)
    queries: list[str] = []
    with Project.open(path) as p:
        conn = p._c()
        conn.set_trace_callback(queries.append)
        read = p.open_columns()
        member_fields.read(conn, ("name", "inn"), joined=("name", "inn"))
        conn.set_trace_callback(None)
    assert not read.from_snapshot and read.members.names == [m.name for m in members]
    aggregates = [q for q in queries if "group_concat" in q]
    assert len(aggregates) >= 3 and not [q for q in aggregates if "char(" in q], aggregates
