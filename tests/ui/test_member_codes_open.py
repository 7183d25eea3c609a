"""A first open's member kinds and statuses as codes (core.tables.MemberColumns.kind_codes /
status_codes): read so by store.column_read and a snapshot, and used as they are by the map's
blob (ui.map.view), the opening fit (ui.map.sync.bulk_bounds) and the counts: no pass over a
million strs on the open path. The lists stay what they were for everyone else."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path
from typing import Any

import numpy as np

from cluster_desk.core.model import Member, MemberKind, Status
from cluster_desk.core.tables import MEMBER_KIND_VALUES, STATUS_VALUES, LinkColumns, MemberColumns
from cluster_desk.store import column_read, snapshot
from cluster_desk.store.project import Project
from cluster_desk.ui.map import view
from cluster_desk.ui.map.sync import bulk_bounds
from cluster_desk.ui.project.loading import counts_from_columns


class _NotWalked(list):  # type: ignore[type-arg]
    """A list whose values must not be walked (the codes answer instead)."""

    def __iter__(self) -> Any:
        raise AssertionError("walked the strs")


def _members(n: int) -> list[Member]:
    rng = random.Random(4)
    return [Member(f"M{i}", rng.choice(list(MemberKind)), rng.choice(list(Status)), id=f"m{i:05d}",
                   lat=55.0 + rng.random(), lon=49.0 + rng.random()) for i in range(n)]


def _read(path: Path) -> MemberColumns:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN")
        got = column_read.read_members(conn)
        conn.execute("COMMIT")
    finally:
        conn.close()
    assert got is not None
    return got[0]


def _unwalkable(cols: MemberColumns) -> MemberColumns:
    return MemberColumns(cols.ids, cols.names, _NotWalked(cols.kinds), _NotWalked(cols.statuses), cols.lat,
                         cols.lon, cols.kind_codes, cols.status_codes)


def test_the_open_reads_codes_and_the_paint_uses_them(tmp_path: Path) -> None:
    members = _members(400)
    path = tmp_path / "codes.cdesk"
    with Project.create(path) as p:
        p.add_members(members)
    cols = _read(path)
    assert cols.kind_codes is not None and cols.status_codes is not None
    assert [MEMBER_KIND_VALUES[c] for c in cols.kind_codes.tolist()] == [m.kind.value for m in members]
    assert [STATUS_VALUES[c] for c in cols.status_codes.tolist()] == [m.status.value for m in members]
    assert cols.kinds == [m.kind.value for m in members]  # (the lists as before)
    plain = MemberColumns(cols.ids, cols.names, list(cols.kinds), list(cols.statuses), cols.lat, cols.lon)
    coded = _unwalkable(cols)
    assert bulk_bounds(coded) == bulk_bounds(plain)
    assert counts_from_columns(coded) == counts_from_columns(plain)
    parts = view._code_parts(coded)
    for (table, codes), texts in zip(parts, (cols.kinds, cols.statuses), strict=True):  # type: ignore[misc]
        assert [table[c] for c in codes.tolist()] == texts
    assert np.array_equal(coded.codes("kinds", MEMBER_KIND_VALUES), cols.kind_codes)


def test_a_snapshot_gives_the_codes_too(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("CLUSTER_DESK_CACHE", str(tmp_path / "cache"))
    members = _members(300)
    path = tmp_path / "snap.cdesk"
    with Project.create(path) as p:
        p.add_members(members)
    cols = _read(path)
    with Project.open(path) as p:
        conn = p._c()
        conn.execute("BEGIN")
        key = snapshot.file_key(conn, path)
        conn.execute("COMMIT")
    empty = LinkColumns([], cols.ids, np.zeros(0, np.int32), np.zeros(0, np.int32),
                                    np.zeros(0, np.uint8))
    monkeypatch.setattr(snapshot, "worth_keeping", lambda _key: True)
    assert snapshot.save(path, key, cols, empty)
    got = snapshot.load(path, key)
    assert got is not None
    again = got[0]
    assert again.kind_codes is not None and again.status_codes is not None
    assert np.array_equal(again.kind_codes, cols.kind_codes)
    assert np.array_equal(again.status_codes, cols.status_codes)
    assert bulk_bounds(_unwalkable(again)) == bulk_bounds(cols)
