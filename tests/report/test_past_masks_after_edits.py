"""The as-of map's links after edits of every kind (issue 17). When the dock is shown, the day
cache makes its arrays on a thread of their own and finds there the row of each of their links in
the link layer's table (``PastMap.finder``); the GUI thread lays over them only the links added
since the open and turns rows into page slots. After an edit the arrays are another read of the
file than the open's (after a delete undone, in another order), so a wrong row (one off, an added
link missed) masks the wrong line on the page.

Each step: the edit, the dock shown (the arrays and their link rows made off the GUI thread: no
lookup on it), then every day of ``DAYS`` shown and the page's drawn links (alive, not masked)
compared with an oracle read from the file (core.timeline's record functions, not the arrays).
Real window, real page, the demo opened as a big project is (its link ids a packed column)."""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()  # before pytest-qt creates the QApplication

from ui_helpers import TIMEOUT, big_demo_window, js  # noqa: E402

from cluster_desk.core.id_index import IdIndex  # noqa: E402
from cluster_desk.core.model import Link, LinkKind, Member, MemberKind  # noqa: E402
from cluster_desk.core.timeline import links_on, participants_on  # noqa: E402
from cluster_desk.store.project import Project  # noqa: E402
from cluster_desk.ui.links.commands import AddLink, DeleteLinks  # noqa: E402
from cluster_desk.ui.project.commands import AddMembers, DeleteMembers, MoveMember  # noqa: E402

#: The demo's members join from 2015 to 2025 and its links start from 2015 to 2025.
DAYS = ("2016-12-31", "2019-06-30", "2020-12-31", "2022-12-31", "")


def _oracle(path: Path, day: str) -> set[str]:
    """The links the page should draw on ``day`` ("": today), from the file's records: both ends
    placed, and in the past both participants that day and the link counting then."""
    with Project.open(path) as p:
        members, links = p.members(), p.links()
    placed = {m.id for m in members if m.located}
    if not day:
        return {lk.id for lk in links if lk.source in placed and lk.target in placed}
    part = {m.id for m in participants_on(members, day)} & placed
    return {lk.id for lk in links_on(links, day, part)}


def _on_page(qtbot: Any, window: Any) -> set[str]:
    layer = window.links.layer
    return {layer.link_at_slot(s) for s in js(qtbot, window, "window.__clusterDeskLinks.shownSlots()")}


def _every_day(qtbot: Any, window: Any) -> None:
    """The dock shown after the edits, then each day's links on the page against the file's."""
    t = window.timeline
    window.lookups.clear()
    t.dock.show()
    qtbot.waitUntil(lambda: t.days.ready_arrays() is not None and t.past_map._arrays is t.days.ready_arrays(),
                    timeout=TIMEOUT)
    path = window.session.path
    for day in DAYS:
        t.show_day(day)
        qtbot.waitUntil(lambda d=day: t.day == d and window.map.last_drawn >= window.map.seq, timeout=TIMEOUT)
        assert _on_page(qtbot, window) == _oracle(path, day), day
    # the arrays' link rows were found on their thread: no lookup of them on the GUI thread
    links = len(t.days.arrays().links)
    assert (threading.main_thread().name, links) not in window.lookups, window.lookups
    t.dock.hide()  # (back to today: editing is on again)
    qtbot.waitUntil(lambda: t.day == "" and window.map.last_drawn >= window.map.seq, timeout=TIMEOUT)


@pytest.fixture
def big(qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    window = big_demo_window(qtbot, tmp_path, monkeypatch)
    layer = window.links.layer
    qtbot.waitUntil(lambda: layer._table.indexed, timeout=TIMEOUT)  # (made on the worker once assessed)
    window.lookups = []  # (thread, ids) of each IdIndex.find_many
    real = IdIndex.find_many

    def find_many(self: IdIndex, values: Any, *args: Any) -> Any:
        window.lookups.append((threading.current_thread().name, len(values)))
        return real(self, values, *args)

    monkeypatch.setattr(IdIndex, "find_many", find_many)
    return window


def _participant_with_links(window: Any, year: str) -> Member:
    """A placed member who had joined by ``year`` and has links (so a delete takes some)."""
    s = window.session
    ends: dict[str, int] = {}
    for lk in s.links.values():
        for end in (lk.source, lk.target):
            ends[end] = ends.get(end, 0) + 1
    return next(m for m in s.members.values()
                if m.located and m.joined and m.joined[:4] <= year and not m.left and ends.get(m.id, 0) >= 3)


def test_member_edits_then_every_day_masks_as_the_file_says(qtbot: Any, big: Any) -> None:
    s = big.session
    stack = s.undo_stack
    _every_day(qtbot, big)  # as opened

    # a member deleted (with its links), then the delete undone: the file's links in another order
    victim = _participant_with_links(big, "2016")
    stack.push(DeleteMembers(s, [victim.id]))
    qtbot.waitUntil(lambda: victim.id not in s.members, timeout=TIMEOUT)
    _every_day(qtbot, big)
    stack.undo()
    qtbot.waitUntil(lambda: victim.id in s.members, timeout=TIMEOUT)
    _every_day(qtbot, big)

    # a member added, linked since the open to one there before (a link id the open never read),
    # and a link added between two members of the open
    other = _participant_with_links(big, "2015")
    new = Member(id="new-member", name="Новая фирма", kind=MemberKind.FIRM, lat=other.lat + 0.05,
                 lon=other.lon + 0.05, joined="2018-05-01")
    stack.push(AddMembers(s, [new]))
    stack.push(AddLink(s, Link(id="added-1", source=new.id, target=other.id, kind=LinkKind.SUPPLY,
                               start="2020-03-01")))
    third = next(m for m in s.members.values() if m.located and m.joined and m.joined[:4] == "2016"
                 and m.id != other.id and not m.left)
    stack.push(AddLink(s, Link(id="added-2", source=other.id, target=third.id, kind=LinkKind.RND,
                               start="2021-01-15")))
    qtbot.waitUntil(lambda: "added-2" in s.links, timeout=TIMEOUT)
    table = big.links.layer._table
    assert table.find("added-1") >= len(table.base) and table.find("added-2") >= len(table.base)  # appended
    _every_day(qtbot, big)

    # a member moved
    stack.push(MoveMember(s, third.id, float(third.lat) + 0.2, float(third.lon) - 0.1))
    qtbot.waitUntil(lambda: s.members[third.id].lat != third.lat, timeout=TIMEOUT)
    _every_day(qtbot, big)


def test_link_edits_and_another_programs_write_then_every_day_masks_as_the_file_says(
        qtbot: Any, big: Any) -> None:
    s = big.session
    stack = s.undo_stack
    # a link of the open deleted, then the delete undone (it comes back as the file's last row)
    dated = sorted((lk for lk in s.links.values() if lk.start and "2017" <= lk.start[:4] <= "2019"),
                   key=lambda lk: lk.id)[:3]
    stack.push(DeleteLinks(s, [lk.id for lk in dated]))
    qtbot.waitUntil(lambda: dated[0].id not in s.links, timeout=TIMEOUT)
    _every_day(qtbot, big)
    stack.undo()
    qtbot.waitUntil(lambda: dated[0].id in s.links, timeout=TIMEOUT)
    _every_day(qtbot, big)

    # a link added, then undone
    a, b = [m for m in s.members.values() if m.located and m.joined and m.joined[:4] == "2015"][:2]
    stack.push(AddLink(s, Link(id="added-3", source=a.id, target=b.id, kind=LinkKind.SUPPLY,
                               start="2019-01-01")))
    qtbot.waitUntil(lambda: "added-3" in s.links, timeout=TIMEOUT)
    _every_day(qtbot, big)
    stack.undo()
    qtbot.waitUntil(lambda: "added-3" not in s.links, timeout=TIMEOUT)
    _every_day(qtbot, big)

    # another program writes to the file: a link added, one deleted, a link's start moved
    path = s.path
    gone = dated[1].id
    moved = dataclasses.replace(dated[2], start="2021-06-01")
    with Project.open(path) as p:
        p.add_links([Link(id="theirs", source=b.id, target=a.id, kind=LinkKind.RND, start="2020-02-02")])
        p.update_link(moved)
        p.delete_links([gone])
    qtbot.waitUntil(lambda: "theirs" in s.links and gone not in s.links, timeout=TIMEOUT)
    assert s.links[moved.id].start == "2021-06-01"
    _every_day(qtbot, big)
