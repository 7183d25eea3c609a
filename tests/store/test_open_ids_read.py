"""A cold open's ids (store.column_read, issue 17): the member ids decoded once (no UTF-8 check
as a pass of its own), the link ids packed as hex before any UTF-8 check (hex digits are
UTF-8), and the program's own uuid ids matched end to end through the word-by-word confirm
of core.text_blobs. Real files; every answer as the row-by-row reads give it."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import numpy as np

from cluster_desk.core import hex_ids
from cluster_desk.core.model import Link, LinkKind, Member, MemberKind, Status
from cluster_desk.core.tables import TextColumn
from cluster_desk.store import column_read
from cluster_desk.store.project import Project


def _project(path: Path, member_ids: list[str],
             link_ids: list[str] | None = None) -> tuple[list[Member], list[Link]]:
    rng = random.Random(9)
    n = len(member_ids)
    members = [Member(f"Фирма {i}", rng.choice(list(MemberKind)), rng.choice(list(Status)), id=member_ids[i],
                      lat=55.0 + rng.random(), lon=49.0 + rng.random()) for i in range(n)]
    pairs = [rng.sample(range(n), 2) for _ in range(3 * n)]
    links = [Link(member_ids[a], member_ids[b], rng.choice(list(LinkKind)),
                  **({"id": link_ids[k]} if link_ids else {})) for k, (a, b) in enumerate(pairs)]
    with Project.create(path) as p:
        p.add_members(members)
        p.add_links(links)
    return members, links


def _read(path: Path) -> tuple[object, object, object, object]:
    with Project.open(path) as p:
        by_rows = (p.member_columns(), p.link_columns())
        conn = p._c()
        conn.execute("BEGIN")
        try:
            got = column_read.read_members(conn)
            fast = column_read.read_columns(conn, (p.member_columns, p.link_columns))
        finally:
            conn.execute("COMMIT")
    return got, fast[0], fast[1], by_rows


def test_uuid_ids_end_to_end(tmp_path: Path) -> None:
    rng = random.Random(4)
    member_ids = [rng.getrandbits(128).to_bytes(16, "big").hex() for _ in range(3000)]
    _, links = _project(tmp_path / "u.cdesk", member_ids)
    got, fm, fl, (rm, rl) = _read(tmp_path / "u.cdesk")
    assert got is not None  # the blobs held them
    assert fm.ids == rm.ids == member_ids
    assert isinstance(fl.ids, hex_ids.HexIds) and list(fl.ids) == list(rl.ids) == [x.id for x in links]
    where = {m: i for i, m in enumerate(member_ids)}
    assert fl.source_index.tolist() == [where[x.source] for x in links]
    assert fl.target_index.tolist() == [where[x.target] for x in links]
    assert np.array_equal(fl.source_index, rl.source_index)
    assert np.array_equal(fl.target_index, rl.target_index)


def test_link_ids_that_are_not_all_lowercase_hex_stay_text(tmp_path: Path) -> None:
    member_ids = [f"m{i:04d}" for i in range(200)]
    rng = random.Random(2)
    link_ids = [rng.getrandbits(128).to_bytes(16, "big").hex() for _ in range(600)]
    link_ids[17] = link_ids[17].upper()  # one uppercase id: the whole column as text
    _project(tmp_path / "t.cdesk", member_ids, link_ids)
    _, _, fl, (_, rl) = _read(tmp_path / "t.cdesk")
    assert isinstance(fl.ids, TextColumn) and not isinstance(fl.ids, hex_ids.HexIds)
    assert list(fl.ids) == list(rl.ids) == link_ids


def test_ids_that_are_not_utf8_are_left_to_the_rows(tmp_path: Path) -> None:
    path = tmp_path / "bad.cdesk"
    _project(path, [f"m{i:04d}" for i in range(50)])
    with Project.open(path) as p:
        conn = p._c()
        assert column_read.read_members(conn) is not None
        # hex digits but a byte that is no UTF-8 in a link id; then in a member id
        assert column_read.id_column((2, b"ab\x1f\xff")) is None
        assert column_read.id_column((2, b"ab\x1fcd")) == ["ab", "cd"]
        assert column_read.id_column((0, None)) == []
    c = sqlite3.connect(path)
    c.execute("PRAGMA foreign_keys = OFF")
    c.execute("UPDATE members SET id = CAST(x'6dff' AS TEXT) WHERE rowid = 7")
    c.commit()
    c.close()
    with Project.open(path) as p:
        assert column_read.read_members(p._c()) is None
