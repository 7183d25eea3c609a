"""The open columns' snapshot (store.snapshot): used only for the file as it was taken, never
after any write (ours, another process's, or a plain sqlite3 session's); a damaged or stale one
falls back to the tables; what it gives is what the tables say."""

from __future__ import annotations

import dataclasses
import math
import sqlite3
import threading
from pathlib import Path

import numpy as np
import pytest

from cluster_desk.core.model import Link, LinkKind, Member
from cluster_desk.core.tables import LinkColumns, MemberColumns
from cluster_desk.store import snapshot
from cluster_desk.store.assess_columns import read_for_assessment
from cluster_desk.store.project import Project


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLUSTER_DESK_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(snapshot, "MIN_ROWS", 1)  # the demo is small: cache it anyway


def _open(path: Path) -> snapshot.OpenColumns:
    with Project.open(path) as p:
        read = p.open_columns()
    read.save_snapshot(path)
    return read


def _same(a: tuple[MemberColumns, LinkColumns], b: tuple[MemberColumns, LinkColumns]) -> None:
    (am, al), (bm, bl) = a, b
    assert (am.ids, am.names, am.kinds, am.statuses) == (bm.ids, bm.names, bm.kinds, bm.statuses)
    np.testing.assert_array_equal(am.lat, bm.lat)
    np.testing.assert_array_equal(am.lon, bm.lon)
    assert (al.ids, al.sources, al.targets, al.kinds) == (bl.ids, bl.sources, bl.targets, bl.kinds)
    np.testing.assert_array_equal(al.source_index, bl.source_index)
    np.testing.assert_array_equal(al.kind_codes, bl.kind_codes)


def test_the_second_open_reads_the_snapshot_and_gets_what_the_tables_say(demo: Path) -> None:
    first = _open(demo)
    assert not first.from_snapshot and snapshot.cache_file(demo).exists()
    second = _open(demo)
    assert second.from_snapshot
    _same((first.members, first.links), (second.members, second.links))
    with Project.open(demo) as p:
        members, links = p.members(), p.links()
    assert second.members.ids == [m.id for m in members]
    assert second.links.sources == [x.source for x in links]
    assert second.links.kinds == [x.kind.value for x in links]
    assert all(math.isnan(lat) == (m.lat is None) for m, lat in zip(members, second.members.lat.tolist(),
                                                                     strict=True))
    # one shared str per kind, as the tables give
    assert len({id(k) for k in second.members.kinds}) == len(set(second.members.kinds))


def test_an_edit_by_another_process_makes_the_snapshot_stale(demo: Path) -> None:
    _open(demo)
    with Project.open(demo) as other:  # another window or the CLI: logged edits
        m = other.members()[0]
        other.update_member(dataclasses.replace(m, name="Renamed"))
    read = _open(demo)
    assert not read.from_snapshot and read.members.names[0] == "Renamed"
    assert _open(demo).from_snapshot  # and the new one is written for the next open


def test_a_plain_sqlite_write_without_the_change_log_makes_it_stale_too(demo: Path) -> None:
    """Same counts, same change log: only SQLite's file change counter tells."""
    _open(demo)
    conn = sqlite3.connect(demo)
    conn.execute("UPDATE members SET lat = 10.5 WHERE rowid = (SELECT min(rowid) FROM members)")
    conn.commit()
    conn.close()
    read = _open(demo)
    assert not read.from_snapshot and read.members.lat[0] == 10.5


def test_another_file_under_the_same_name_does_not_take_the_snapshot(demo: Path, tmp_path: Path) -> None:
    _open(demo)
    other = tmp_path / "other.cdesk"
    with Project.create(other) as p:
        p.add_members([Member("A", lat=50.0, lon=40.0), Member("B")])
        p.add_links([])
    other.replace(demo)
    read = _open(demo)
    assert not read.from_snapshot and read.members.names == ["A", "B"]


@pytest.mark.parametrize("damage", ["flip", "truncate", "garbage", "empty"])
def test_a_damaged_snapshot_falls_back_to_the_tables(demo: Path, damage: str) -> None:
    tables = _open(demo)
    cached = snapshot.cache_file(demo)
    data = bytearray(cached.read_bytes())
    if damage == "flip":
        data[-5] ^= 0x40  # inside the payload: the CRC tells
    elif damage == "truncate":
        data = data[: len(data) // 2]
    elif damage == "garbage":
        data = bytearray(snapshot.MAGIC + b"{not json\n" + bytes(100))
    else:
        data = bytearray()
    cached.write_bytes(bytes(data))
    read = _open(demo)
    assert not read.from_snapshot
    _same((tables.members, tables.links), (read.members, read.links))
    assert _open(demo).from_snapshot  # rewritten


def test_a_value_holding_the_separator_is_not_cached_and_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "odd.cdesk"
    a = Member("ООО \x1f «Странное»", id="a\x1fb", lat=55.0, lon=50.0)
    b = Member("B", id="b")
    with Project.create(path) as p:
        p.add_members([a, b])
        p.add_links([Link(a.id, b.id, LinkKind.RND, id="l1")])
    read = _open(path)
    assert not snapshot.cache_file(path).exists()
    assert read.members.ids == [a.id, b.id] and read.links.sources == [a.id] and read.links.kinds == ["rnd"]
    assert not _open(path).from_snapshot


def test_small_projects_are_not_cached(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(snapshot, "MIN_ROWS", 10**9)
    assert not _open(demo).from_snapshot and not snapshot.cache_file(demo).exists()


def test_the_cache_keeps_the_most_recent_few(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(snapshot, "KEEP", 2)
    paths = []
    for i in range(4):
        path = tmp_path / f"p{i}.cdesk"
        with Project.create(path) as p:
            p.add_members([Member(f"M{i}")])
        _open(path)
        paths.append(path)
    assert len(list(snapshot.cache_dir().glob("*.columns"))) == 2


def test_the_window_loader_writes_it_off_the_calling_thread(demo: Path) -> None:
    from cluster_desk.ui.project.loading import read_opened

    with Project.open(demo) as p:
        opened = read_opened(p)
        assert opened.links.loaded is False and len(opened.links) == len(opened.columns.links)
    for t in threading.enumerate():
        if t.name == "columns-snapshot":
            t.join()
    assert _open(demo).from_snapshot


def test_refresh_after_edits_brings_it_up_to_date_for_the_next_open(demo: Path) -> None:
    _open(demo)
    with Project.open(demo) as p:  # a window's edits; it closes the project
        p.add_members([Member("New member", lat=55.0, lon=49.0)])
    assert snapshot.refresh(demo) is True
    assert snapshot.refresh(demo) is False  # up to date: nothing read or written
    read = _open(demo)
    assert read.from_snapshot and read.members.names[-1] == "New member"
    # The checks' arrays too (store.arrays_cache): the next open's first assessment reads them.
    arrays, keep = read_for_assessment(demo)
    assert keep is None and arrays.names[-1] == "New member"
    demo.unlink()
    assert snapshot.refresh(demo) is False  # gone: nothing to do, no error
