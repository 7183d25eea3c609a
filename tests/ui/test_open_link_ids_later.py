"""A first open's link ids come after the paint's columns (issue 17): the open neither waits for
them nor needs them to paint; the first thing that reads an id waits for them.

The real window and map page (offscreen). The links thread of the open is made to run here at
any size (``LINKS_ON_A_THREAD``), and its read of the ids is held until something asks for them
(``_LinkTexts.later_ids``): a helper thread lets it go then, so whatever asked waits for the
real read, never for a clock.
"""

from __future__ import annotations

import dataclasses
import random
import sqlite3
import threading
import uuid
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()  # before pytest-qt creates the QApplication (module import time)

from ui_helpers import TIMEOUT, js, make_window  # noqa: E402

from cluster_desk.core.model import Link, LinkKind, Member  # noqa: E402
from cluster_desk.store import column_read  # noqa: E402
from cluster_desk.store.project import Project  # noqa: E402
from cluster_desk.ui.links.commands import AddLink, DeleteLinks, EditLink  # noqa: E402


def _project(path: Path, hex_ids: bool) -> list[Link]:
    rng = random.Random(17)
    members = [Member(f"Firm {i:03d}", id=f"m{i:03d}", lat=55 + i / 500, lon=49 + (i % 13) / 50)
               for i in range(150)]  # fmt: skip
    kinds = list(LinkKind)
    links = [Link(*(m.id for m in rng.sample(members, 2)), rng.choice(kinds),
                  id=uuid.UUID(int=rng.getrandbits(128)).hex if hex_ids else f"link {i:04d}")
             for i in range(450)]  # fmt: skip
    with Project.create(path) as p:
        p.add_members(members)
        p.add_links(links)
    return links


class HeldIds:
    """The open's links thread holds its read of the link ids until ``later_ids`` is asked
    (then a helper thread lets it go; ``hold`` False: only notes it); notes what happened in
    which order."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, hold: bool = True) -> None:
        self.entered, self.asked, self.release, self.read = (threading.Event() for _ in range(4))
        monkeypatch.setattr(column_read, "LINKS_ON_A_THREAD", 1)
        real_column, real_later = column_read.id_column, column_read._LinkTexts.later_ids

        def id_column(row: tuple[Any, ...]) -> Any:
            if threading.current_thread().name == "open-links":
                self.entered.set()
                assert not hold or self.release.wait(60)
            got = real_column(row)
            self.read.set()
            return got

        def later_ids(texts: Any) -> Any:
            self.asked.set()
            return real_later(texts)

        monkeypatch.setattr(column_read, "id_column", id_column)
        monkeypatch.setattr(column_read._LinkTexts, "later_ids", later_ids)
        self._helper = threading.Thread(target=self._let_go, daemon=True)
        self._helper.start()

    def _let_go(self) -> None:
        if self.asked.wait(60):
            self.release.set()


def _file_links(path: Path) -> dict[str, tuple[str, str, str]]:
    with sqlite3.connect(path) as conn:  # a reader of its own: what the file holds now
        return {r[0]: (r[1], r[2], r[3]) for r in conn.execute("SELECT id, source, target, kind FROM links")}


@pytest.mark.parametrize("hex_ids", [True, False])
def test_the_open_paints_before_its_link_ids_are_read(
        qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hex_ids: bool) -> None:
    """The open returns and the page paints every link while the ids are still being read;
    the first lookup by id then waits for them and finds every link as the file has it."""
    path = tmp_path / "later.cdesk"
    links = _project(path, hex_ids)
    window = make_window(qtbot, tmp_path)
    held = HeldIds(monkeypatch)
    painted_before_asked: list[bool] = []
    assert window.files.open_path(path)
    assert not held.read.is_set() and not held.asked.is_set()  # (read once the map has painted)
    seq = window.map.seq

    def drawn(got: int) -> None:
        if got >= seq:
            painted_before_asked.append(not held.asked.is_set() and not held.read.is_set())

    window.map.drawn.connect(drawn)
    qtbot.waitUntil(lambda: window.map.last_drawn >= seq, timeout=TIMEOUT)
    assert painted_before_asked[0]  # the paint needed no link id
    stats = js(qtbot, window, "window.__clusterDeskLinks.stats()")
    assert stats["links"] == len(links)
    session = window.session
    assert session.links[links[7].id] == links[7]  # asks for them: waits for the thread's read
    assert held.asked.is_set() and held.read.is_set()
    assert list(session.links) == [lk.id for lk in links]
    assert type(session.opened.links.ids).__name__ == ("HexIds" if hex_ids else "TextColumn")
    layer = window.links.layer
    assert {layer.link_at_slot(s) for s in range(stats["slots"])} - {None} == {lk.id for lk in links}
    qtbot.waitUntil(lambda: bool(session.results), timeout=TIMEOUT)


def test_a_link_edited_right_after_the_open_waits_for_the_ids(
        qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Right after the open call, before the ids have come (no event-loop turn): a link of the
    file edited, another deleted, one added, each undone and redone; the session, the links
    table, the map's layer and the file agree after each step, as with the ids read at once."""
    path = tmp_path / "edit.cdesk"
    links = _project(path, hex_ids=True)
    window = make_window(qtbot, tmp_path)
    held = HeldIds(monkeypatch, hold=False)  # (the edit's write lets the thread go: not held more)
    assert window.files.open_path(path)
    assert not held.entered.is_set() and not held.read.is_set()  # the ids are not here yet
    session, stack = window.session, window.session.undo_stack
    edited = dataclasses.replace(links[3], kind=LinkKind.RND if links[3].kind is not LinkKind.RND
                                 else LinkKind.SUPPLY)
    new = Link("m001", "m002", LinkKind.RND, id="a-new-link")
    stack.push(EditLink(session, edited))  # the first thing after the open
    assert held.read.is_set()
    want = {lk.id: (lk.source, lk.target, lk.kind.value) for lk in links}
    want[edited.id] = (edited.source, edited.target, edited.kind.value)
    _agree(window, want)
    stack.push(DeleteLinks(session, [links[10].id, links[400].id]))
    gone = {k: want.pop(k) for k in (links[10].id, links[400].id)}
    _agree(window, want)
    stack.undo()
    want.update(gone)
    _agree(window, want)
    stack.push(AddLink(session, new))
    want[new.id] = (new.source, new.target, new.kind.value)
    _agree(window, want)
    stack.undo()
    del want[new.id]
    _agree(window, want)
    stack.undo()  # the edit undone
    want[links[3].id] = (links[3].source, links[3].target, links[3].kind.value)
    _agree(window, want)
    assert session.links[links[3].id] == links[3]
    seq = window.map.seq
    qtbot.waitUntil(lambda: window.map.last_drawn >= seq, timeout=TIMEOUT)
    stats = js(qtbot, window, "window.__clusterDeskLinks.stats()")
    layer = window.links.layer
    assert {layer.link_at_slot(s) for s in range(stats["slots"])} - {None} == set(want)
    qtbot.waitUntil(lambda: bool(session.results), timeout=TIMEOUT)


def _agree(window: Any, want: dict[str, tuple[str, str, str]]) -> None:
    session = window.session
    assert _file_links(session.path) == want
    assert sorted(session.links) == sorted(want)
    assert {k: (lk.source, lk.target, lk.kind.value) for k, lk in session.links.items()} == want
    model = window.links.model
    assert model.rowCount() == len(want) and sorted(model.ids()) == sorted(want)
