"""The links layer and table over packed ids (issue 17: no per-link dicts or lists of str).

A 1,000-member project with 3,000 links (some members not placed), opened from its columns
snapshot (the link ids a packed ``TextColumn``: ids made by hand as text, the program's own
32-hex-digit ids as 16 bytes each, ``core.hex_ids.HexIds``), in the real window and map page;
one window for each kind of ids. After link and member edits, moves, undos and redos the layer's
rows say what a plain ``{member id: link ids}`` built from the session's records says, each drawn
link has a slot and the page draws exactly those, and the table's rows are the session's links in
order.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()  # before pytest-qt creates the QApplication (module import time)

from ui_helpers import TIMEOUT, close_shared, js, shared_window, wait_for  # noqa: E402

from cluster_desk.core.id_index import IdIndex  # noqa: E402
from cluster_desk.core.model import ClusterSettings, Link, LinkKind, Member  # noqa: E402
from cluster_desk.core.tables import TextColumn  # noqa: E402
from cluster_desk.store.project import Project  # noqa: E402

MEMBERS, LINKS = 1_000, 3_000


def _project(path: Path, unplaced: float = 0.05, hex_ids: bool = False) -> Path:
    rng = random.Random(17)
    members = []
    for i in range(MEMBERS):
        placed = rng.random() >= unplaced
        members.append(Member(f"Firm {i}", id=f"m{i:04d}", lat=55 + rng.random() if placed else None,
                              lon=49 + rng.random() if placed else None))
    links = []
    for i in range(LINKS):
        a, b = rng.sample(members, 2)
        lid = f"{rng.getrandbits(128):032x}" if hex_ids else f"l{i:05d}"
        links.append(Link(a.id, b.id, rng.choice(list(LinkKind)), id=lid))
    with Project.create(path) as p:
        p.set_settings(ClusterSettings(name="Thousand", radius_km=30.0))  # some members outside
        p.add_members(members)
        p.add_links(links)
    return path


@pytest.fixture(scope="module", params=["text ids", "hex ids"])
def window(qapp: Any, tmp_path_factory: Any, request: Any) -> Any:
    import threading

    from cluster_desk.core.hex_ids import HexIds
    from cluster_desk.store import snapshot

    folder = tmp_path_factory.mktemp("links-packed")
    w = shared_window(folder)
    hex_ids = request.param == "hex ids"
    path = _project(folder / "thousand.cdesk", hex_ids=hex_ids)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(snapshot, "MIN_ROWS", 1)
        assert w.files.open_path(path)  # reads the tables, writes the snapshot on a thread
        for t in threading.enumerate():
            if t.name == "columns-snapshot":
                t.join()
        assert w.files.open_path(path)  # from the snapshot
    assert isinstance(w.session.opened.links.ids, TextColumn)
    assert isinstance(w.session.opened.links.ids, HexIds) == hex_ids
    wait_for(lambda: bool(w.session.results) and w.links.layer._table.indexed)
    yield w
    close_shared(w)


def _by_member(session: Any) -> dict[str, set[str]]:
    """The dict the layer no longer keeps: member id -> ids of its links."""
    index: dict[str, set[str]] = {}
    for lk in session.links.values():
        index.setdefault(lk.source, set()).add(lk.id)
        index.setdefault(lk.target, set()).add(lk.id)
    return index


def _layer_matches(qtbot: Any, window: Any, edited: list[str], page: bool = False) -> None:
    """``edited``: the members the edits touch (checked each time, with every 9th one);
    ``page``: and the page draws the links with slots (a round trip: at the end of a phase)."""
    session, layer = window.session, window.links.layer
    index = _by_member(session)
    for mid in [*list(session.members)[::9], *edited]:
        assert layer.links_of_members([mid]) == index.get(mid, set()), mid
    some = list(session.members)[::97]
    assert layer.links_of_members(some) == set().union(*(index.get(m, set()) for m in some))
    members = session.members
    drawn = {lk.id for lk in session.links.values()
             if members[lk.source].located and members[lk.target].located}  # fmt: skip
    slots = {lid: layer.slot_of(lid) for lid in session.links}
    assert {lid for lid, s in slots.items() if s is not None} == drawn
    assert all(layer.link_at_slot(s) == lid for lid, s in slots.items() if s is not None)
    assert len({s for s in slots.values() if s is not None}) == len(drawn)
    ids = list(session.links)
    assert layer.slots(ids).tolist() == [-1 if slots[i] is None else slots[i] for i in ids]
    for mid in some:  # a member selected: its drawn links stand out
        theirs = [slots[i] for i in index.get(mid, set())]
        assert layer.focus_slots(mid) == sorted(s for s in theirs if s is not None)
    if page:
        seq = window.map.seq
        qtbot.waitUntil(lambda: window.map.last_drawn >= seq, timeout=TIMEOUT)
        assert js(qtbot, window, "window.__clusterDeskLinks.stats().links") == len(drawn)


def _table_matches(window: Any) -> None:
    session, model = window.session, window.links.model
    ids = list(session.links)
    assert model.rowCount() == len(ids) and model.ids() == ids
    assert [model.row_of(i) for i in ids[::37]] == list(range(len(ids)))[::37]
    assert model.row_of("absent") is None
    stored = session.project._c().execute("SELECT count(*) FROM links").fetchone()[0]
    assert stored == len(ids)  # the file holds what the table shows


def test_the_members_outside_after_the_open_are_the_placed_ones_named(qtbot: Any, window: Any) -> None:
    """Marked from the opened columns (no payload map, no names picked: issue 17's stall)."""
    session = window.session
    conc = next(r for r in session.results if r.id == "concentration")
    want = {i for i in conc.member_ids if session.members[i].located}
    assert window.map._member_cols is not None  # (the columns' path)
    assert window.map._outside == want and len(want) > 10
    seq = window.map.seq
    qtbot.waitUntil(lambda: window.map.last_drawn >= seq, timeout=TIMEOUT)
    assert js(qtbot, window, "window.__clusterDesk.stats().outside") == len(want)


def test_the_layer_and_table_follow_edits_undo_and_redo(qtbot: Any, window: Any) -> None:
    from cluster_desk.ui.links.commands import AddLink, DeleteLinks
    from cluster_desk.ui.links.model import COLUMNS
    from cluster_desk.ui.project.commands import DeleteMembers, MoveMember

    session, model = window.session, window.links.model
    stack = session.undo_stack
    placed = [m for m in session.members.values() if m.located]
    unplaced = next(m for m in session.members.values() if not m.located)
    edited = [m.id for m in (*placed[:5], unplaced)]
    layer = window.links.layer
    assert layer._row_slot is None  # (some links undrawn: no row -> slot array until an edit)
    _layer_matches(qtbot, window, edited, page=True)
    _table_matches(window)
    assert layer._row_slot is None  # (the lookups searched the drawn rows)
    first_link = next(iter(session.links))
    was = session.links[first_link].kind
    kind = next(k for k in LinkKind if k is not was)
    edits = [
        lambda: stack.push(AddLink(session, Link(placed[0].id, placed[1].id, LinkKind.RND, id="x-new"))),
        lambda: stack.push(AddLink(session, Link(placed[2].id, unplaced.id, LinkKind.SUPPLY, id="x-far"))),
        lambda: model.setData(model.index(model.row_of(first_link), COLUMNS.index("kind")), kind.value),
        lambda: stack.push(DeleteLinks(session, [first_link, "x-new"])),
        lambda: stack.push(MoveMember(session, unplaced.id, 55.5, 49.5, place=True)),
        lambda: stack.push(MoveMember(session, placed[3].id, 56.5, placed[3].lon)),
        lambda: stack.push(DeleteMembers(session, [placed[4].id])),
    ]
    for edit in edits:
        edit()
        _layer_matches(qtbot, window, edited)
        _table_matches(window)
    _layer_matches(qtbot, window, edited, page=True)
    assert "x-far" in session.links and window.links.layer.slot_of("x-far") is not None  # placed now
    assert model.data(model.index(model.row_of("x-far"), COLUMNS.index("source"))) == placed[2].name
    for _ in edits:
        stack.undo()
        _layer_matches(qtbot, window, edited)
        _table_matches(window)
    _layer_matches(qtbot, window, edited, page=True)
    assert session.links[first_link].kind is was  # (restored: now the last row)
    for _ in range(3):
        stack.redo()
        _layer_matches(qtbot, window, edited)
        _table_matches(window)
    assert session.links[first_link].kind is kind
    shown = model.data(model.index(model.row_of(first_link), COLUMNS.index("kind")))
    assert shown.startswith(model._labels[kind])
    while stack.canUndo():
        stack.undo()
    _table_matches(window)
    assert session.opened is None  # (edited since the open): a reset now reads the records
    window.links.layer.reset()
    _layer_matches(qtbot, window, edited, page=True)


def test_the_id_lookup_finds_every_id_of_a_packed_column() -> None:
    ids = [f"l{i:05d}" for i in range(5_000)]
    column = TextColumn.of(ids)
    assert column is not None
    index = IdIndex(column)
    assert [index.find(i) for i in ids] == list(range(len(ids)))
    assert index.find_many([*ids[::-7], "nope", ""]).tolist() == [*range(len(ids) - 1, -1, -7), -1, -1]
    assert index.find("l5000") == -1 and index.nbytes == 8 * len(ids)


@pytest.mark.parametrize("packed", [True, False])
def test_the_id_lookup_confirms_each_hit_when_hashes_clash(packed: bool, monkeypatch: Any) -> None:
    """With a hash that clashes all the time (an id's length), each id is still found at its own
    row and an absent one of a listed length is not: hits are confirmed against the column."""
    from cluster_desk.core import id_index

    monkeypatch.setattr(id_index, "hash", len, raising=False)
    monkeypatch.setattr(id_index, "CHUNK", 7)  # a packed column hashed and read in many chunks
    ids = [f"id{i}" for i in range(300)]  # 3 to 5 characters: three hash values for all
    column = TextColumn.of(ids) if packed else ids
    assert column is not None
    index = IdIndex(column)
    assert [index.find(i) for i in ids[::7]] == list(range(0, len(ids), 7))
    assert index.find_many(ids).tolist() == list(range(len(ids)))  # many hits: read by chunks
    assert index.find_many(["id7", "zz99", "id299"]).tolist() == [7, -1, 299]
    assert index.find("zz99") == -1


def _faded_sent(window: Any, monkeypatch: Any, shown: set[str]) -> list[bool]:
    """The fade bitmask the layer sends for ``shown``, one bool per slot handed out."""
    import base64

    import numpy as np

    layer = window.links.layer
    sent: dict[str, Any] = {}
    send = layer.map.send_command

    def grab(op: str, **fields: Any) -> Any:
        sent[op] = fields
        return send(op, **fields)

    monkeypatch.setattr(layer.map, "send_command", grab)
    layer.fade_to(frozenset(shown))
    monkeypatch.setattr(layer.map, "send_command", send)
    bits = np.frombuffer(base64.b64decode(sent["fadeLinks"]["bits"]), dtype=np.uint8)
    return np.unpackbits(bits, bitorder="little")[: layer._slot_count].astype(bool).tolist()


def _faded_wanted(window: Any, shown: set[str]) -> list[bool]:
    layer, links = window.links.layer, window.session.links
    out = []
    for slot in range(layer._slot_count):
        lid = layer.link_at_slot(slot)
        out.append(lid is not None and not {links[lid].source, links[lid].target} <= shown)
    return out


def test_with_every_link_drawn_the_slots_are_the_rows_until_an_edit(
        qtbot: Any, window: Any, tmp_path: Path, monkeypatch: Any) -> None:
    """Every member placed: slot i is row i and the layer holds no slot arrays (3,000,000 links:
    23 MB, issue 17) until the first link edit makes them; lookups, a member's links, the fade
    and the page agree before and after edits and their undo."""
    from cluster_desk.ui.links.commands import AddLink, DeleteLinks
    from cluster_desk.ui.project.commands import MoveMember

    assert window.files.open_path(_project(tmp_path / "placed.cdesk", unplaced=0.0))
    session, layer = window.session, window.links.layer
    wait_for(lambda: bool(session.results) and layer._table.indexed)
    assert layer._slots_are_rows and len(layer._slot_row) == len(layer._row_slot) == 0
    members = list(session.members.values())
    edited = [m.id for m in members[:4]]
    _layer_matches(qtbot, window, edited, page=True)
    shown = {m.id for m in members[::3]}
    assert _faded_sent(window, monkeypatch, shown) == _faded_wanted(window, shown)
    assert layer._slots_are_rows  # (read only so far)
    stack = session.undo_stack
    first = next(iter(session.links))
    stack.push(AddLink(session, Link(members[0].id, members[1].id, LinkKind.RND, id="x-new")))
    assert not layer._slots_are_rows and len(layer._slot_row) >= len(session.links)
    stack.push(DeleteLinks(session, [first]))
    stack.push(MoveMember(session, members[2].id, None, None))  # type: ignore[arg-type] # its links leave the map
    _layer_matches(qtbot, window, edited, page=True)
    assert _faded_sent(window, monkeypatch, shown) == _faded_wanted(window, shown)
    while stack.canUndo():
        stack.undo()
    _layer_matches(qtbot, window, edited, page=True)
    assert _faded_sent(window, monkeypatch, shown) == _faded_wanted(window, shown)


def test_a_big_open_hands_the_heap_back_after_its_reset_and_once_the_worker_is_quiet(
        qtbot: Any, window: Any, monkeypatch: Any) -> None:
    """ui/map/heap.py: from TRIM_FROM members and links (here: any), the open's reset and the
    worker going quiet each ask for a trim (one at a time, on a thread); below it, none."""
    from cluster_desk.memory import can_trim
    from cluster_desk.ui.map import sync

    trimmer, session = window.sync._heap, window.session
    path = session.path
    monkeypatch.setattr(sync, "TRIM_FROM", 10**9)
    assert window.files.open_path(path)
    assert not trimmer._timer.isActive()
    qtbot.waitUntil(lambda: bool(session.results) and not session.assessor.busy, timeout=TIMEOUT)
    assert not trimmer._timer.isActive()
    if not can_trim():
        return
    monkeypatch.setattr(sync, "TRIM_FROM", 1)
    before = trimmer.trims
    assert window.files.open_path(path)
    assert trimmer._timer.isActive()  # (asked by the reset)
    qtbot.waitUntil(lambda: bool(session.results) and not session.assessor.busy, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: trimmer.trims > before and not trimmer._timer.isActive(), timeout=TIMEOUT)
    trimmer.wait()


def test_the_page_gets_the_same_links_payload_with_the_ids_packed_or_not(
        qtbot: Any, window: Any, monkeypatch: Any) -> None:
    """The link ids' form (16 bytes an id or text) changes nothing the page is sent: the open's
    ``setLinks`` blob is byte for byte the same, and the same slots answer to the same ids."""
    from cluster_desk.core.hex_ids import HexIds
    from cluster_desk.store import column_read, snapshot

    session, view = window.session, window.map
    path = session.path
    sent: list[dict[str, bytes]] = []
    send = view.send_blob

    def grab(op: str, parts: dict[str, Any], **fields: Any) -> Any:
        if op == "setLinks":
            sent.append({name: bytes(memoryview(part)) for name, part in parts.items()})
        return send(op, parts, **fields)

    monkeypatch.setattr(view, "send_blob", grab)
    clicked: list[list[str | None]] = []
    for packed in (True, False):
        with monkeypatch.context() as mp:
            mp.setattr(snapshot, "MIN_ROWS", 10**9)  # (no snapshot: the tables each time)
            if not packed:
                mp.setattr(column_read.hex_ids, "packed", lambda *_a: None)
            assert window.files.open_path(path)
            ids = session.opened.links.ids
            made_by_program = all(len(i) == 32 for i in ids[:5])
            assert isinstance(ids, TextColumn) and isinstance(ids, HexIds) == (packed and made_by_program)
            qtbot.waitUntil(lambda: bool(session.results) and not session.assessor.busy, timeout=TIMEOUT)
            layer = window.links.layer
            clicked.append([layer.link_at_slot(s) for s in range(layer._slot_count)])
    assert len(sent) == 2 and sent[0].keys() == sent[1].keys() and sent[0] == sent[1]
    assert clicked[0] == clicked[1] and None not in clicked[0]
    assert window.files.open_path(path)  # (as the module's other tests found it)
    qtbot.waitUntil(lambda: bool(session.results), timeout=TIMEOUT)
