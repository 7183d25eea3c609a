"""Opening paints every link from the columns; one added link is one op, drawn on top.

The real window and map page (offscreen), one demo project for the module (the tests undo what
they change).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()  # before pytest-qt creates the QApplication (module import time)

from ui_helpers import TIMEOUT, close_shared, js, shared_window  # noqa: E402

from cluster_desk.core.model import Link, LinkKind  # noqa: E402


@pytest.fixture(scope="module")
def window(qapp: Any, tmp_path_factory: Any) -> Any:
    w = shared_window(tmp_path_factory.mktemp("open-paint"))
    yield w
    close_shared(w)


def _drawable(session: Any) -> set[str]:
    members = session.members
    return {lk.id for lk in session.links.values()
            if members[lk.source].located and members[lk.target].located}  # fmt: skip


#: The ops that carry members or links (an assessment may add circle and style ops meanwhile).
RECORD_OPS = {"setMembers", "setMemberTexts", "upsertMember", "removeMembers", "setLinks", "upsertLinks",
              "removeLinks"}


def _sent_ops(window: Any) -> list[dict[str, Any]]:
    """Every member or link op the window sends to the page from now on."""
    import json

    ops: list[dict[str, Any]] = []

    def record(text: str) -> None:
        op = json.loads(text)
        if op.get("op") in RECORD_OPS:
            ops.append(op)

    window.map.bridge.command.connect(record)
    return ops


def test_opening_paints_every_link_and_member(qtbot: Any, window: Any) -> None:
    session = window.session
    links = js(qtbot, window, "window.__clusterDeskLinks.stats()")
    assert links["links"] == len(_drawable(session)) > 100
    placed = sum(1 for m in session.members.values() if m.located)
    assert js(qtbot, window, "window.__clusterDesk.stats().members") == placed
    # The layer's slots name the links the session holds (the page only knows slots).
    layer = window.links.layer
    assert {layer.link_at_slot(s) for s in range(links["slots"])} - {None} == _drawable(session)


def _sent_blobs(window: Any) -> dict[str, bytes]:
    """Every blob the page fetches from now on, by token (ui/map/blobs.py)."""
    blobs = window.map._scheme_handler.blobs
    got: dict[str, bytes] = {}
    take = blobs.take

    def record(token: str) -> Any:
        data = take(token)
        if data is not None:
            got[token] = bytes(data)
        return data

    blobs.take = record
    return got


def _stop_recording_blobs(window: Any) -> None:
    del window.map._scheme_handler.blobs.take  # back to the class's method


def test_reopening_sends_members_and_links_as_one_binary_blob_each(qtbot: Any, window: Any) -> None:
    """No member or link column crosses the bridge as JSON: each blob comes from our scheme once
    (pushed into a request the page keeps waiting), and the page draws what the session holds.
    What the first paint needs comes first (coordinates, kinds, statuses; links as member rows);
    ids and names follow the paint."""
    from cluster_desk.ui.map.scheme import NEXT_WAITING

    path = window.session.path
    handler = window.map._scheme_handler
    qtbot.waitUntil(lambda: len(handler._waiting) == NEXT_WAITING, timeout=TIMEOUT)  # the page asked
    page_before = js(qtbot, window, "window.__clusterDesk.stats()")
    pushed = handler.pushed
    ops = _sent_ops(window)
    blobs = _sent_blobs(window)
    served = window.map._scheme_handler.blobs.served
    try:
        assert window.files.open_path(path)
        seq = window.map.seq
        qtbot.waitUntil(lambda: window.map.last_drawn >= seq, timeout=TIMEOUT)
        qtbot.waitUntil(lambda: "setMemberTexts" in [o["op"] for o in ops], timeout=TIMEOUT)
        texts_seq = window.map.seq
        qtbot.waitUntil(lambda: window.map.last_drawn >= texts_seq, timeout=TIMEOUT)
    finally:
        _stop_recording_blobs(window)
    assert [o["op"] for o in ops] == ["setMembers", "setLinks", "setMemberTexts"]
    by_op = {o["op"]: o for o in ops}
    assert "columns" not in by_op["setMembers"] and "columns" not in by_op["setLinks"]
    members, links, texts = (by_op[op]["blob"] for op in ("setMembers", "setLinks", "setMemberTexts"))
    # Members and links were sent in one go: one blob; the texts after the paint. Each went
    # once, into a request the page had waiting before it existed: none was fetched by token.
    assert members["token"] == links["token"] != texts["token"]
    assert {members["token"], texts["token"]} == set(blobs)
    assert window.map._scheme_handler.blobs.served == served + 2  # sent once each, then forgotten
    assert len(window.map._scheme_handler.blobs) == 0
    assert members.get("pushed") is texts.get("pushed") is True and handler.pushed == pushed + 2
    page_after = js(qtbot, window, "window.__clusterDesk.stats()")
    assert page_after["blobsPushed"] - page_before["blobsPushed"] == 2
    assert page_after["blobsFetched"] == page_before["blobsFetched"]
    assert members["parts"]["lat"][2] == "f64" and set(members["parts"]) == {"lat", "lon", "kind", "status"}
    assert texts["parts"]["name"][2] == "text" and texts["parts"]["id"][2] == "text"
    assert by_op["setLinks"]["memberRows"] == by_op["setMembers"]["seq"] == by_op["setMemberTexts"]["rows"]
    assert links["parts"]["src"][2] == "i32" and links["parts"]["kind"][2] == "u8"
    assert "lat1" not in links["parts"]
    placed = [m for m in window.session.members.values() if m.located]
    assert js(qtbot, window, "window.__clusterDesk.stats().members") == len(placed)
    assert js(qtbot, window, "window.__clusterDeskLinks.stats().links") == len(_drawable(window.session))
    # The page read ids, names, kinds and coordinates as they are (Cyrillic names included).
    m = placed[-1]
    import json

    got = js(qtbot, window, f"window.__clusterDesk.member({json.dumps(m.id)})")
    assert (got["lat"], got["lon"], got["name"], got["kind"]) == (m.lat, m.lon, m.name, str(m.kind))
    # Long ties arrive as geodesic lines from the blob, as many as the records say.
    from cluster_desk.core.geodesy import geodesic_path

    members = window.session.members
    long = [lid for lid in _drawable(window.session) if geodesic_path(
        members[window.session.links[lid].source], members[window.session.links[lid].target]) is not None]
    assert js(qtbot, window, "window.__clusterDeskLinks.stats().geodesic") == len(long) > 0
    qtbot.waitUntil(lambda: bool(window.session.results), timeout=TIMEOUT)


def test_links_go_as_coordinates_when_the_members_went_as_json(
        qtbot: Any, window: Any, monkeypatch: Any) -> None:
    """Link ends are member rows only when the page's slots are the rows of a members' blob;
    members sent as JSON (more kinds than a code table holds) take the links' coordinates."""
    from cluster_desk.ui.map import view

    # (as with more kinds than a code table holds: no code tables, whether read as codes or not)
    monkeypatch.setattr(view, "_code_parts", lambda _cols: (None, None))
    ops = _sent_ops(window)
    assert window.files.open_path(window.session.path)
    seq = window.map.seq
    qtbot.waitUntil(lambda: window.map.last_drawn >= seq, timeout=TIMEOUT)
    by_op = {o["op"]: o for o in ops}
    assert "columns" in by_op["setMembers"] and "setMemberTexts" not in by_op
    assert "memberRows" not in by_op["setLinks"] and by_op["setLinks"]["blob"]["parts"]["lat1"][2] == "f32"
    assert js(qtbot, window, "window.__clusterDeskLinks.stats().links") == len(_drawable(window.session))
    qtbot.waitUntil(lambda: bool(window.session.results), timeout=TIMEOUT)


def test_the_link_layers_lookup_is_made_on_the_worker_after_the_paint(qtbot: Any, window: Any) -> None:
    """After an open the layer's rows are the opened columns themselves (no per-link map) and
    the link id lookup is not made; once assessed the worker makes it (shared with the links
    table), so the first link edit finds it, and it says what the opened columns say."""
    assert window.files.open_path(window.session.path)
    layer, session = window.links.layer, window.session
    opened = session.opened
    assert not layer._table.indexed and layer._table.base is opened.links.ids
    assert layer._src is opened.links.source_index  # (copied at the first link edit)
    qtbot.waitUntil(lambda: layer._table.indexed and window.links.model._table.indexed, timeout=TIMEOUT)
    assert layer._table.index is window.links.model._table.index  # made once
    drawn = _drawable(session)
    slots = {lid: layer.slot_of(lid) for lid in session.links}
    assert {lid for lid, slot in slots.items() if slot is not None} == set(drawn)
    assert all(layer.link_at_slot(slot) == lid for lid, slot in slots.items() if slot is not None)
    assert sorted(s for s in slots.values() if s is not None) == list(range(len(drawn)))


def test_an_open_from_the_snapshot_sends_what_an_open_from_the_tables_sends(
        qtbot: Any, window: Any, monkeypatch: Any) -> None:
    """The demo is small: cached anyway here. The first open reads the tables (and writes the
    snapshot on a thread), the second reads the snapshot; the page gets the same members and
    links, and a link clicked on the page is the same link."""
    import threading

    from cluster_desk.store import snapshot

    monkeypatch.setattr(snapshot, "MIN_ROWS", 1)
    path = window.session.path
    snapshot.cache_file(path).unlink(missing_ok=True)
    sent = []
    for _ in range(2):
        ops = _sent_ops(window)
        blobs = _sent_blobs(window)
        try:
            assert window.files.open_path(path)
            seq = window.map.seq
            qtbot.waitUntil(lambda: window.map.last_drawn >= seq, timeout=TIMEOUT)  # noqa: B023
        finally:
            _stop_recording_blobs(window)
        for t in threading.enumerate():
            if t.name == "columns-snapshot":
                t.join()
        layer = window.links.layer
        slots = {layer.link_at_slot(s) for s in range(layer._slot_count)}
        sent.append(({o["op"]: (o["blob"]["parts"], blobs[o["blob"]["token"]], o.get("codes"))
                      for o in ops if o["op"] in ("setMembers", "setLinks")}, slots))
        qtbot.waitUntil(lambda: bool(window.session.results), timeout=TIMEOUT)
    assert snapshot.cache_file(path).exists()
    assert sent[0] == sent[1] and len(sent[0][1]) > 100
    # The links table reads the snapshot's id column as it is (packed: never a list); once
    # assessed, its id lookup comes from the worker; it takes an added row.
    from cluster_desk.core.tables import TextColumn
    from cluster_desk.ui.links.commands import AddLink

    model, session = window.links.model, window.session
    assert model.rowCount() == len(session.links)
    qtbot.waitUntil(lambda: model._table.indexed, timeout=TIMEOUT)
    assert isinstance(model._table.base, TextColumn) and not model._table.base.changed
    assert model.ids() == list(session.links)
    assert all(model.row_of(lid) == row for row, lid in enumerate(model.ids()))
    first = next(iter(session.links))
    assert model.row_of(first) == 0 and model.link_at(0).id == first
    a, b = [m.id for m in session.members.values() if m.located][:2]
    session.undo_stack.push(AddLink(session, Link(a, b, LinkKind.RND)))
    assert model.rowCount() == len(session.links) and model.link_at(model.rowCount() - 1).source == a
    session.undo_stack.undo()
    assert model.rowCount() == len(session.links)


def test_an_added_link_is_one_op_drawn_on_top_of_the_map(qtbot: Any, window: Any) -> None:
    from cluster_desk.ui.links.commands import AddLink

    session = window.session
    # (run alone, the window was just opened: its first assessment and what that sends drawn first)
    qtbot.waitUntil(lambda: bool(session.results), timeout=TIMEOUT)
    settled = window.map.seq
    qtbot.waitUntil(lambda: window.map.last_drawn >= settled, timeout=TIMEOUT)
    linked = {x for lk in session.links.values() for x in (lk.source, lk.target)}
    a, b = [m.id for m in session.members.values() if m.located and m.id not in linked][:2]
    before = js(qtbot, window, "window.__clusterDeskLinks.stats()")
    full_member_draws = js(qtbot, window, "window.__clusterDesk.stats().fullDraws")
    ops = _sent_ops(window)
    link = Link(a, b, LinkKind.RND)
    session.undo_stack.push(AddLink(session, link))
    seq = window.map.seq
    qtbot.waitUntil(lambda: window.map.last_drawn >= seq, timeout=TIMEOUT)
    after = js(qtbot, window, "window.__clusterDeskLinks.stats()")
    assert [o["op"] for o in ops] == ["upsertLinks"] and len(ops[0]["rows"]) == 1
    assert after["links"] == before["links"] + 1
    assert after["linkAppends"] == before["linkAppends"] + 1  # drawn over the canvas as it was
    assert after["linkDraws"] == before["linkDraws"]  # not the 300 links again
    assert js(qtbot, window, "window.__clusterDesk.stats().fullDraws") == full_member_draws
    assert ops[0]["rows"][0][0] == window.links.layer.slot_of(link.id)

    ops.clear()
    session.undo_stack.undo()
    seq = window.map.seq
    qtbot.waitUntil(lambda: window.map.last_drawn >= seq, timeout=TIMEOUT)
    assert [o["op"] for o in ops] == ["removeLinks"]
    assert js(qtbot, window, "window.__clusterDeskLinks.stats().links") == before["links"]


def test_kind_toggle_focus_and_delete_repaint_no_more_than_their_part(qtbot: Any, window: Any) -> None:
    """Hiding or showing a link kind composites the kinds' canvases again (no line repainted);
    a member's links standing out repaints only the focus canvas; a deleted link repaints its
    own kind; none of them redraws the members."""
    from cluster_desk.ui.links.commands import AddLink

    session, layer = window.session, window.links.layer
    page = "window.__clusterDeskLinks.stats()"

    def settle(seq: int) -> dict[str, Any]:
        qtbot.waitUntil(lambda: window.map.last_drawn >= seq, timeout=TIMEOUT)
        return js(qtbot, window, page)

    settle(window.map.fit_all())
    qtbot.waitUntil(lambda: js(qtbot, window, "window.__clusterDesk.stats().settled"), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: bool(session.results), timeout=TIMEOUT)  # outside marks come with it
    before = settle(window.map.select(None, pan=False))
    # A full paint draws every kind on the shown canvas and fills the kinds' own canvases after it,
    # one a task: the toggles below recomposite those, so they must be filled first.
    qtbot.waitUntil(lambda: js(qtbot, window, f"{page}.kindsToFill") == 0, timeout=TIMEOUT)
    before = js(qtbot, window, page)
    members_before = js(qtbot, window, "window.__clusterDesk.stats().canvasFullDraws")
    assert before["share"] == 1  # a few hundred links: every one is drawn
    kind = next(iter({lk.kind for lk in session.links.values()}))
    hidden = settle(layer.set_hidden({kind}))
    assert hidden["kindDraws"] == before["kindDraws"] and hidden["composites"] == before["composites"] + 1
    shown = settle(layer.set_hidden(set()))
    assert shown["kindDraws"] == hidden["kindDraws"] and shown["composites"] == hidden["composites"] + 1
    member = next(lk.source for lk in session.links.values())
    focused = settle(layer.set_focus(member))
    theirs = {layer.slot_of(lk.id) for lk in session.links.values() if member in (lk.source, lk.target)}
    assert set(layer.focus_slots(member)) == theirs - {None} and focused["focus"] == len(theirs - {None}) > 0
    assert focused["focusDraws"] == shown["focusDraws"] + 1
    assert focused["kindDraws"] == shown["kindDraws"]
    settle(layer.set_focus(None))
    # A link added then undone: drawn on top, then its kind alone is painted again.
    linked = {x for lk in session.links.values() for x in (lk.source, lk.target)}
    a, b = [m.id for m in session.members.values() if m.located and m.id not in linked][:2]
    session.undo_stack.push(AddLink(session, Link(a, b, LinkKind.RND)))
    added = settle(window.map.seq)
    session.undo_stack.undo()
    undone = settle(window.map.seq)
    assert undone["links"] == added["links"] - 1
    assert undone["kindDraws"] == added["kindDraws"] + 1 and undone["linkDraws"] == added["linkDraws"]
    assert js(qtbot, window, "window.__clusterDesk.stats().canvasFullDraws") == members_before


def test_the_first_assessment_comes_after_the_paint_with_no_record_built(qtbot: Any, window: Any) -> None:
    """Issue 17: no record is built while the map paints the opened project; the first assessment
    needs none (the worker reads the file's columns: tests/ui/test_record_slices.py checks that no
    record was built for it; here, a small project, the map's exact fit builds the members); the
    slices start after it (ui/project/record_slices.py)."""
    from cluster_desk.core.assessment import assess

    session, slices = window.session, window.session.record_slices
    got: list[Any] = []

    def note(results: Any) -> None:
        got.append((results, slices.active))

    session.assessed.connect(note)
    try:
        assert window.files.open_path(session.path)
        assert not slices.active and not session.links.loaded  # paint first
        seq = window.map.seq
        qtbot.waitUntil(lambda: window.map.last_drawn >= seq, timeout=TIMEOUT)
        qtbot.waitUntil(lambda: bool(got), timeout=TIMEOUT)
    finally:
        session.assessed.disconnect(note)
    results, slicing = got[0]
    assert slicing  # the slices start once it is shown
    qtbot.waitUntil(lambda: session.members.loaded and session.links.loaded, timeout=TIMEOUT)
    assert results == assess(list(session.members.values()), list(session.links.values()), session.settings)


def test_a_file_that_fails_the_check_behind_the_paint_is_closed_and_left_untouched(
        qtbot: Any, window: Any, tmp_path: Path) -> None:
    import shutil
    import sqlite3

    bad = tmp_path / "crafted.cdesk"
    shutil.copy(window.session.path, bad)
    c = sqlite3.connect(bad)
    c.execute("PRAGMA ignore_check_constraints = ON")  # a coordinate past the table's CHECK
    c.execute("UPDATE members SET lat = 123.0 WHERE rowid = (SELECT min(rowid) FROM members)")
    c.commit()
    c.close()
    data = bad.read_bytes()
    window.errors.clear()
    assert window.files.open_path(bad)  # opens and paints; the check starts once it is assessed
    check = window.session.project.integrity
    assert check is not None and not check.started  # its CPU would slow the paint (issue 17)
    qtbot.waitUntil(lambda: bool(window.errors), timeout=TIMEOUT)
    assert check.started
    title, text = window.errors[0]
    assert title == "Cannot open project" and "crafted.cdesk" in text and "damaged" in text
    assert not window.session.is_open
    assert bad.read_bytes() == data




def test_the_integrity_check_starts_with_the_first_assessment_not_at_the_paint(
        qtbot: Any, window: Any, tmp_path: Path) -> None:
    """Issue 17: on two cores its CPU slowed the worker's read of the checks' columns."""
    from cluster_desk.ui.project.files import write_demo

    copy = tmp_path / "checked-later.cdesk"
    write_demo(copy)
    session = window.session
    at_paint: list[bool] = []
    at_assessed: list[bool] = []

    def painted() -> None:
        at_paint.append(session.project.integrity.started)

    def assessed(_results: object) -> None:
        if not at_assessed:
            at_assessed.append(session.project.integrity.started)

    session.openPainted.connect(painted)
    session.assessed.connect(assessed)
    try:
        assert window.files.open_path(copy)
        qtbot.waitUntil(lambda: bool(at_paint) and bool(at_assessed), timeout=TIMEOUT)
        qtbot.waitUntil(lambda: session.project.integrity.done, timeout=TIMEOUT)
    finally:
        session.openPainted.disconnect(painted)
        session.assessed.disconnect(assessed)
    assert at_paint == [False]  # the map painted; the check waited
    assert at_assessed == [True]  # started as the first assessment was shown (before the others saw it)
    assert session.project.integrity.error is None and session.is_open


def test_closing_an_edited_project_refreshes_its_snapshot_and_the_next_open_paints_from_it(
        qtbot: Any, window: Any, monkeypatch: Any, tmp_path: Path) -> None:
    """The window's own close (as on quitting) brings the snapshot up to date with its edit: the
    next open reads it, not the tables, and has the edit (a demo of its own, cached anyway)."""
    from cluster_desk.store import snapshot
    from cluster_desk.ui.links.commands import AddLink
    from cluster_desk.ui.project.files import write_demo
    from cluster_desk.ui.project.loading import wait_for_snapshots

    monkeypatch.setattr(snapshot, "MIN_ROWS", 1)
    path, session = tmp_path / "refreshed.cdesk", window.session
    write_demo(path)
    assert window.files.open_path(path)
    wait_for_snapshots()  # (the snapshot of this first open, read from the tables)
    a, b = [m.id for m in session.members.values() if m.located][:2]
    link = Link(a, b, LinkKind.RND)
    session.undo_stack.push(AddLink(session, link))
    session.close()
    wait_for_snapshots()
    assert window.files.open_path(path)
    assert session.opened is not None and session.opened.from_snapshot
    assert link.id in session.links and session.links[link.id].source == a
    seq = window.map.seq
    qtbot.waitUntil(lambda: window.map.last_drawn >= seq, timeout=TIMEOUT)
