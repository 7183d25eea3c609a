"""The window's first open (``open_columns(ids_after_paint=True)``, issue 17): its links thread
reads the link ids and counts the values only once let go, holding its read transaction
meanwhile; whatever needs them lets it go (an id asked for, the values asked for, a write on the
project, the close), and they are always of the state the ends were read of."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from cluster_desk.core.later_texts import LaterTexts
from cluster_desk.core.model import Link, LinkKind, Member
from cluster_desk.store import column_read
from cluster_desk.store.project import Project


def _project(path: Path) -> list[Link]:
    members = [Member(f"M{i}", id=f"m{i}", lat=55 + i / 100, lon=49.0) for i in range(40)]
    links = [Link(f"m{i % 40}", f"m{(i * 7 + 1) % 40}", LinkKind.SUPPLY, id=uuid.uuid4().hex)
             for i in range(90)]
    with Project.create(path) as p:
        p.add_members(members)
        p.add_links(links)
    return links


@pytest.fixture(autouse=True)
def _threaded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(column_read, "LINKS_ON_A_THREAD", 1)


def test_a_write_right_after_the_open_lets_the_thread_go(tmp_path: Path) -> None:
    """A write's commit would wait for the held read: the write lets it go first, and the ids
    read then are those of the open's state (the new link not among them)."""
    links = _project(tmp_path / "w.cdesk")
    with Project.open(tmp_path / "w.cdesk") as p:
        read = p.open_columns(ids_after_paint=True)
        assert isinstance(read.links.ids_as_read, LaterTexts) and not read.links.ids_as_read.ready
        p.add_links([Link("m1", "m2", LinkKind.RND, id="after-the-open")])
        assert list(read.links.ids) == [lk.id for lk in links]
        assert [lk.id for lk in p.links()][-1] == "after-the-open"


def test_the_values_or_the_close_let_it_go(tmp_path: Path) -> None:
    links = _project(tmp_path / "v.cdesk")
    with Project.open(tmp_path / "v.cdesk") as p:
        read = p.open_columns(ids_after_paint=True)
        assert column_read.links_with_values(read.key) == 0
        assert list(read.links.ids) == [lk.id for lk in links]
    p = Project.open(tmp_path / "v.cdesk")
    read = p.open_columns(ids_after_paint=True)
    p.close()  # (the thread's connection is its own: the ids are still read of that state)
    assert list(read.links.ids) == [lk.id for lk in links]


def test_without_asking_the_ids_are_read_at_once(tmp_path: Path) -> None:
    """An open that does not ask (a script, the reread after another program's write) does not
    hold the thread: its ids come without anyone letting it go."""
    links = _project(tmp_path / "n.cdesk")
    with Project.open(tmp_path / "n.cdesk") as p:
        read = p.open_columns()
        assert not p.held_reads
        assert list(read.links.ids) == [lk.id for lk in links]


def test_while_it_is_held_the_ends_are_matched_on_two_threads(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The second core is idle while the links thread is held: the sources are matched there,
    the targets on the caller's; the same ends as the row-by-row read."""
    import threading

    from cluster_desk.core import text_blobs

    _project(tmp_path / "m.cdesk")
    monkeypatch.setattr(column_read, "MATCH_BESIDE_FROM", 1)
    on: list[str] = []
    real = text_blobs.Table.find_joined

    def find_joined(table: text_blobs.Table, blob: bytes, count: int) -> object:
        on.append(threading.current_thread().name)
        return real(table, blob, count)

    monkeypatch.setattr(text_blobs.Table, "find_joined", find_joined)
    with Project.open(tmp_path / "m.cdesk") as p:
        read = p.open_columns(ids_after_paint=True)
        assert sorted(on) == ["MainThread", "open-ends"]
        by_rows = p.link_columns(p.member_columns())
        assert read.links.sources == by_rows.sources and read.links.targets == by_rows.targets
        on.clear()
        p.open_columns()  # (not held: the thread reads the ids meanwhile, one matching thread)
        assert on == ["MainThread", "MainThread"]
