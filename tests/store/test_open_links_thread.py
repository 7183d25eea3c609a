"""A cold open's links thread (store.column_read._LinkTexts) and the caller's side of it: what each
does while the other works (issue 17: QGIS's load-and-render of the same members, the open's
peer). The columns they give are checked against the row-by-row reads in test_column_read.py."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest

from cluster_desk.core import text_blobs
from cluster_desk.core.model import Link, LinkKind, Member, MemberKind, Status
from cluster_desk.store import column_read, snapshot
from cluster_desk.store.project import Project


def _project(path: Path, n: int = 60) -> Path:
    ids = [f"m{i:04d}" for i in range(n)]
    with Project.create(path) as p:
        p.add_members([Member(f"Firm {i}", MemberKind.FIRM, Status.MEMBER, id=ids[i], lat=55.0 + i / 1000,
                              lon=49.0 + i / 1000) for i in range(n)])
        p.add_links([Link(ids[i], ids[(i * 7 + 1) % n], list(LinkKind)[i % len(LinkKind)]) for i in range(n)])
    return path


def _statements_on_the_links_thread(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The SQL the open's links thread runs from now on (its connections traced)."""
    on_thread: list[str] = []
    real_connect = sqlite3.connect

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn = real_connect(*args, **kwargs)
        if threading.current_thread().name == "open-links":
            conn.set_trace_callback(on_thread.append)
        return conn

    monkeypatch.setattr(column_read.sqlite3, "connect", connect)
    return on_thread


def test_the_member_ids_are_made_a_table_while_the_links_are_still_scanned(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The members' scan ends before the links' (300,000 links: ~90 ms against ~70): the table
    the ends are matched in is made in that wait, not after it. The thread is held before its
    scan until the table is made; made only after the ends came, the thread would have given up
    waiting (as the open before this change did), and the test fails."""
    path = _project(tmp_path / "held.cdesk")
    monkeypatch.setattr(column_read, "LINKS_ON_A_THREAD", 1)
    table_made = threading.Event()
    held_until_made: list[bool] = []
    real_key, real_of = snapshot.file_key, text_blobs.Table.of.__func__  # type: ignore[attr-defined]

    def key(conn: sqlite3.Connection, at: Path, counts: bool = True) -> dict[str, Any]:
        if threading.current_thread().name == "open-links":  # (the thread, before its scan)
            held_until_made.append(table_made.wait(30))  # (a guard: the old order never sets it)
        return real_key(conn, at) if counts else real_key(conn, at, counts)

    def table_of(cls: type, blob: bytes, count: int) -> text_blobs.Table | None:
        table_made.set()
        return real_of(cls, blob, count)  # type: ignore[no-any-return]

    monkeypatch.setattr(snapshot, "file_key", key)
    monkeypatch.setattr(text_blobs.Table, "of", classmethod(table_of))
    with Project.open(path) as p:
        read = column_read.open_columns(p)
        by_rows = p.link_columns()
    assert held_until_made == [True]
    assert list(read.links.ids) == list(by_rows.ids) and read.links.sources == by_rows.sources
    assert read.links.targets == by_rows.targets


def test_the_links_thread_counts_no_rows_to_know_the_state(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The thread's check that it reads the caller's state of the file counts neither table
    (two scans, ~7 ms at 300,000 links before its own scan): the links' count comes from that
    scan. Another count, or another state, and the caller reads the links itself."""
    path = _project(tmp_path / "counts.cdesk")
    on_thread = _statements_on_the_links_thread(monkeypatch)
    with Project.open(path) as p:
        conn = p._c()
        conn.execute("BEGIN")
        try:
            key = snapshot.file_key(conn, path)
            texts = column_read._LinkTexts(path, key)
            ends = texts.ends()
            assert texts.later_ids() is not None
            others = [column_read._LinkTexts(path, {**key, "links": key["links"] + 1}),
                      column_read._LinkTexts(path, {**key, "counter": key["counter"] + 1})]
            assert [t.ends() for t in others] == [None, None]
        finally:
            conn.execute("COMMIT")
    assert ends is not None and int(ends[0]) == key["links"] == 60
    assert on_thread and not [s for s in on_thread if "count(*)" in s.replace(" ", "") and "GROUP" not in s
                              and "group_concat" not in s]


def test_a_key_without_counts_is_the_key_less_its_counts(tmp_path: Path) -> None:
    path = _project(tmp_path / "key.cdesk")
    conn = sqlite3.connect(path)
    try:
        full, cheap = snapshot.file_key(conn, path), snapshot.file_key(conn, path, counts=False)
    finally:
        conn.close()
    assert cheap == snapshot.without_counts(full) and set(full) - set(cheap) == {"members", "links"}
    assert full["members"] == full["links"] == 60


def test_the_links_values_are_counted_after_the_open_and_asked_for_then(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The values the first assessment counts on the links (volume, start, end) are not in the
    scan the open waits for: the links thread counts them after the ids, and the open returns
    meanwhile; ``links_with_values`` of that state waits for them (it never answers "not counted"
    while they are being counted)."""
    n = 60
    ids = [f"m{i:04d}" for i in range(n)]
    path = tmp_path / "values.cdesk"
    with Project.create(path) as p:
        p.add_members([Member(f"Firm {i}", MemberKind.FIRM, Status.MEMBER, id=ids[i]) for i in range(n)])
        p.add_links([Link(ids[i], ids[(i + 1) % n], LinkKind.SUPPLY, volume=1e6 if i % 3 == 0 else None,
                          start="2020-01-01" if i % 5 == 0 else None) for i in range(n)])
    monkeypatch.setattr(column_read, "LINKS_ON_A_THREAD", 1)
    release, counted_on = threading.Event(), []
    real = column_read._counted

    def held(key: dict[str, Any], count: int) -> None:
        counted_on.append(threading.current_thread().name)
        if threading.current_thread().name == "open-links":
            assert release.wait(30)
        real(key, count)

    monkeypatch.setattr(column_read, "_counted", held)
    answers: list[object] = []
    with Project.open(path) as p:
        read = column_read.open_columns(p)  # (returns while the thread's count is held)
        asker = threading.Thread(target=lambda: answers.append(column_read.links_with_values(read.key)))
        asker.start()
        release.set()
        asker.join()
        assert len(read.links) == n
    assert counted_on == ["open-links"]
    assert answers == [28]  # (a volume: 20, a start: 12, both: 4)


def test_stop_ends_a_held_thread_without_reading_the_ids(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An open cancelled while its links thread waits to read the ids (``stop``, through
    ``Project.interrupt``): the thread reads no more and ends."""
    path = _project(tmp_path / "stopped.cdesk")
    monkeypatch.setattr(column_read, "LINKS_ON_A_THREAD", 1)
    on_thread = _statements_on_the_links_thread(monkeypatch)
    with Project.open(path) as p:
        read = column_read.open_columns(p, ids_after_paint=True)  # (the window's: held after the ends)
        assert p.stop_reading is not None and len(read.links) == 60
        p.interrupt()
        for thread in [t for t in threading.enumerate() if t.name == "open-links"]:
            thread.join()
    assert any("group_concat" in s for s in on_thread)  # the ends were read, not the ids or values
    assert column_read._LINK_IDS not in on_thread and column_read._LINK_VALUES_COUNTED not in on_thread
