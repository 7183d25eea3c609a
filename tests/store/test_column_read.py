"""A cold open's columns (store.column_read, core.text_blobs): the same columns as the row-by-row
reads, exact, for every shape of file the blobs cannot hold too."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from cluster_desk.core import text_blobs
from cluster_desk.core.model import Link, LinkKind, Member, MemberKind, Status
from cluster_desk.core.tables import LinkColumns, MemberColumns, TextColumn
from cluster_desk.store import column_read
from cluster_desk.store.project import Project, ProjectError


def _same(a: tuple[MemberColumns, LinkColumns], b: tuple[MemberColumns, LinkColumns]) -> None:
    (am, al), (bm, bl) = a, b
    assert am.ids == bm.ids and list(am.names) == list(bm.names)
    assert am.kinds == bm.kinds and am.statuses == bm.statuses
    # (the row-by-row read's coordinates went through SQLite's 15-digit text; ours are exact)
    assert np.allclose(am.lat, bm.lat, rtol=0, atol=1e-12, equal_nan=True)
    assert np.allclose(am.lon, bm.lon, rtol=0, atol=1e-12, equal_nan=True)
    assert list(al.ids) == list(bl.ids) and np.array_equal(al.kind_codes, bl.kind_codes)
    assert np.array_equal(al.source_index, bl.source_index)
    assert np.array_equal(al.target_index, bl.target_index)


def _both(path: Path) -> tuple[tuple[MemberColumns, LinkColumns], tuple[MemberColumns, LinkColumns]]:
    with Project.open(path) as p:
        by_rows = (p.member_columns(), p.link_columns())
        conn = p._c()
        conn.execute("BEGIN")
        try:
            fast = column_read.read_columns(conn, (p.member_columns, p.link_columns))
        finally:
            conn.execute("COMMIT")
    return fast, by_rows


def _roster(n: int, seed: int, ids: list[str]) -> tuple[list[Member], list[Link]]:
    rng = random.Random(seed)
    kinds, statuses = list(MemberKind), list(Status)
    members = [Member(f"Компания «{i}» {'x' * rng.randrange(30)}", rng.choice(kinds), rng.choice(statuses),
                      id=ids[i], lat=None if i % 7 == 0 else 55.0 + rng.random() / 3,
                      lon=None if i % 7 == 0 else 49.0 + rng.random() / 3) for i in range(n)]
    links = [Link(ids[a], ids[b], rng.choice(list(LinkKind))) for a, b in
             (rng.sample(range(n), 2) for _ in range(3 * n))]
    return members, links


@pytest.mark.parametrize("shape", ["same length", "mixed lengths", "unicode"])
def test_the_blobs_give_the_row_by_row_columns(tmp_path: Path, shape: str) -> None:
    n = 500
    ids = {"same length": [f"m{i:06d}" for i in range(n)],
           "mixed lengths": [f"id-{i}" * (1 + i % 3) for i in range(n)],
           "unicode": [f"член-{i}" for i in range(n)]}[shape]
    members, links = _roster(n, 3, ids)
    path = tmp_path / "p.cdesk"
    with Project.create(path) as p:
        p.add_members(members)
        p.add_links(links)
    fast, by_rows = _both(path)
    _same(fast, by_rows)
    assert isinstance(fast[0].names, TextColumn) and isinstance(fast[1].ids, TextColumn)
    assert fast[0].lat.tolist()[1:3] == [m.lat for m in members[1:3]]  # exact, not through text
    assert fast[0].lon.tolist()[1:3] == [m.lon for m in members[1:3]]
    assert fast[1].sources == [x.source for x in links] and fast[1].targets == [x.target for x in links]


def _raw(path: Path, *sql: str) -> None:
    """Rows written past the store (a crafted or damaged file)."""
    c = sqlite3.connect(path)
    c.execute("PRAGMA foreign_keys = OFF")
    for s in sql:
        c.execute(s)
    c.commit()
    c.close()


def test_odd_files_read_as_the_row_by_row_reads_read_them(tmp_path: Path) -> None:
    members, links = _roster(60, 5, [f"m{i}" for i in range(60)])
    path = tmp_path / "odd.cdesk"
    with Project.create(path) as p:
        p.add_members(members)
        p.add_links(links)
    # an end naming no member, ids longer than the blob rows hold
    _raw(path, "UPDATE links SET target = 'nobody' WHERE rowid = 3",
         f"UPDATE members SET id = '{'z' * 150}' WHERE rowid = 9")
    fast, by_rows = _both(path)
    _same(fast, by_rows)
    assert fast[1].target_index[2] == -1
    # a separator inside a name and a link id: those columns row by row
    _raw(path, "UPDATE members SET name = 'a' || char(31) || 'b' WHERE rowid = 2",
         "UPDATE links SET id = 'l' || char(31) WHERE rowid = 5")
    fast, by_rows = _both(path)
    _same(fast, by_rows)
    assert fast[0].names[1] == "a\x1fb"


def test_a_value_the_model_does_not_know_is_named_as_before(tmp_path: Path) -> None:
    members, links = _roster(20, 6, [f"m{i}" for i in range(20)])
    path = tmp_path / "kinds.cdesk"
    with Project.create(path) as p:
        p.add_members(members)
        p.add_links(links)
    _raw(path, "UPDATE links SET kind = 'telepathy' WHERE rowid = 4")
    with Project.open(path) as p, pytest.raises(ProjectError, match="telepathy"):
        column_read.open_columns(p)
    _raw(path, "UPDATE links SET kind = 'rnd'", "UPDATE members SET status = 'ghost' WHERE rowid = 1")
    with Project.open(path) as p, pytest.raises(ProjectError, match="ghost"):
        column_read.open_columns(p)


def test_an_empty_project_and_one_without_links(tmp_path: Path) -> None:
    path = tmp_path / "empty.cdesk"
    Project.create(path).close()
    fast, by_rows = _both(path)
    _same(fast, by_rows)
    with Project.create(tmp_path / "alone.cdesk") as p:
        p.add_members([Member("A", id="a")])
    fast, by_rows = _both(tmp_path / "alone.cdesk")
    _same(fast, by_rows)


def test_text_blobs_find_exactly() -> None:
    table = text_blobs.Table.of_texts(["a", "ab", "abc", "b" * 40, "", "ж"])
    queries = ["ab", "a", "zz", "abc", "b" * 40, "b" * 41, "", "ж", "a\x00", "abd"]
    blob = "\x1f".join(queries).encode()
    found = table.find_joined(blob, len(queries))
    assert found is not None
    assert found.tolist() == [1, 0, -1, 2, 3, -1, 4, 5, -1, -1]
    assert table.find_joined(blob, len(queries) + 1) is None  # does not split into that count
    assert text_blobs.Table.of(b"x\x1fx", 2) is None  # one text twice: no answer from it
    assert text_blobs.Table.of(("y" * 65).encode(), 1) is None  # longer than the rows hold


def test_text_blobs_many_random_texts() -> None:
    rng = random.Random(7)
    texts = list({"".join(rng.choice("abcйz0") for _ in range(rng.randrange(1, 20))) for _ in range(3000)})
    table = text_blobs.Table.of_texts(texts)
    where = {t: i for i, t in enumerate(texts)}
    queries = [rng.choice(texts) if rng.random() < 0.8 else f"{rng.random()}" for _ in range(20_000)]
    found = table.find_joined("\x1f".join(queries).encode(), len(queries))
    assert found is not None and found.tolist() == [where.get(q, -1) for q in queries]


def test_the_links_read_on_a_thread_give_the_same_columns(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    members, links = _roster(200, 9, [f"m{i}" for i in range(200)])
    path = tmp_path / "thread.cdesk"
    with Project.create(path) as p:
        p.add_members(members)
        p.add_links(links)
    monkeypatch.setattr(column_read, "LINKS_ON_A_THREAD", 1)
    statements: list[str] = []
    with Project.open(path) as p:
        p._c().set_trace_callback(statements.append)
        threaded = column_read.open_columns(p)
        p._c().set_trace_callback(None)
        by_rows = (p.member_columns(), p.link_columns())
    assert not [s for s in statements if "group_concat" in s and "FROM links" in s]  # (read there, not here)
    _same((threaded.members, threaded.links), by_rows)
    # a thread that saw the file in another state answers nothing: the caller reads them itself
    assert column_read._LinkTexts(path, {"another": "state"}).ends() is None
    assert column_read._LinkTexts(tmp_path / "gone.cdesk", threaded.key).ends() is None


def test_the_ends_are_matched_while_the_link_ids_are_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The paint needs the links' ends and kinds, not their ids: the thread hands the ends over
    first and reads (and packs) the ids after, in the same read transaction, while the caller
    matches the ends; the caller takes the ids only then."""
    import threading
    import uuid

    ids = [f"m{i}" for i in range(120)]
    members, links = _roster(120, 4, ids)
    links = [Link(lk.source, lk.target, lk.kind, id=uuid.uuid4().hex) for lk in links]
    path = tmp_path / "later.cdesk"
    with Project.create(path) as p:
        p.add_members(members)
        p.add_links(links)
    release, packing = threading.Event(), threading.Event()
    packed_on: list[str] = []
    real = column_read.id_column

    def held(row: tuple[object, ...]) -> object:
        packed_on.append(threading.current_thread().name)
        packing.set()
        assert release.wait(30)
        return real(row)  # type: ignore[arg-type]

    monkeypatch.setattr(column_read, "id_column", held)
    with Project.open(path) as p:
        conn = p._c()
        conn.execute("BEGIN")
        try:
            key = column_read.snapshot.file_key(conn, path)
            texts = column_read._LinkTexts(path, key)
            ends = texts.ends()  # (handed over while the ids are still being read)
            assert ends is not None and packing.wait(30) and not release.is_set()
            got = column_read.read_members(conn)
            assert got is not None
            matched: list[bool] = []

            def ids_now() -> object:
                matched.append(True)
                release.set()
                return texts.later_ids()

            read = column_read.read_links(conn, got[0], got[1], ends, ids_now)  # type: ignore[arg-type]
        finally:
            conn.execute("COMMIT")
    assert read is not None and matched == [True] and packed_on == ["open-links"]
    assert type(read.ids).__name__ == "HexIds" and list(read.ids) == [lk.id for lk in links]
    assert read.sources == [lk.source for lk in links] and read.targets == [lk.target for lk in links]


@pytest.mark.parametrize("threaded", [False, True])
def test_an_open_without_the_link_ids_reads_the_rest_alike(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, threaded: bool) -> None:
    """``open_columns(link_ids=False)`` (cluster-desk check): the same members, ends and kinds as
    a full open; the ids' column has their count and raises when read; a full open still reads
    them (the window's)."""
    from cluster_desk.core.checks.roster_rows import UnreadIds

    members, links = _roster(150, 5, [f"m{i}" for i in range(150)])
    path = tmp_path / "noids.cdesk"
    with Project.create(path) as p:
        p.add_members(members)
        p.add_links(links)
    if threaded:
        monkeypatch.setattr(column_read, "LINKS_ON_A_THREAD", 1)
    with Project.open(path) as p:
        full = p.open_columns()
        without = p.open_columns(link_ids=False)
    assert isinstance(without.links.ids, UnreadIds) and not isinstance(full.links.ids, UnreadIds)
    assert len(without.links.ids) == len(full.links.ids) == len(links)
    assert list(full.links.ids) == [lk.id for lk in links]
    with pytest.raises(LookupError):
        without.links.ids[0]
    with pytest.raises(LookupError):
        list(without.links.ids)
    assert without.members.ids == full.members.ids and list(without.members.names) == list(full.members.names)
    for name in ("source_index", "target_index", "kind_codes"):
        assert np.array_equal(getattr(without.links, name), getattr(full.links, name))
