"""A big project's first open paints its members while its links are read (issue 17).

Opening a file with no columns snapshot reads the members, hands them to the map (their blob
inside the command, with the opening's fit) and only then waits for the links, which a thread
reads and matches meanwhile; the reset that follows sends the links and does not send the
members or the fit again. An open that fails after its members were painted puts back what the
page showed. The real window and map page (offscreen) and real demo files; "big" is lowered
to the demo's size (``sync.EXACT_FIRST_FIT``), as is the links' thread (``LINKS_ON_A_THREAD``).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()  # before pytest-qt creates the QApplication (module import time)

from ui_helpers import TIMEOUT, demo_file, js, make_window  # noqa: E402

from cluster_desk.store import column_read  # noqa: E402
from cluster_desk.ui.map import sync  # noqa: E402


@pytest.fixture
def small_is_big(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sync, "EXACT_FIRST_FIT", 0)
    monkeypatch.setattr(column_read, "LINKS_ON_A_THREAD", 1)


def _ops(window: Any) -> list[dict[str, Any]]:
    """Every command the window sends the page from now on, batches unpacked."""
    sent: list[dict[str, Any]] = []

    def record(text: str) -> None:
        op = json.loads(text)
        sent.extend(op["commands"] if op.get("op") == "batch" else [op])

    window.map.bridge.command.connect(record)
    return sent


def _painted(qtbot: Any, window: Any, ops: list[dict[str, Any]]) -> None:
    """Until the page has painted the open and then its members' ids and names."""
    seq = window.map.seq
    qtbot.waitUntil(lambda: window.map.last_drawn >= seq, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: any(o["op"] == "setMemberTexts" for o in ops), timeout=TIMEOUT)
    seq = window.map.seq
    qtbot.waitUntil(lambda: window.map.last_drawn >= seq, timeout=TIMEOUT)


def _drawable(session: Any) -> int:
    members = session.members
    return sum(1 for lk in session.links.values() if members[lk.source].located and members[lk.target].located)


def test_a_first_open_paints_its_members_before_it_waits_for_its_links(
        qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_is_big: None) -> None:
    window = make_window(qtbot, tmp_path)
    path = demo_file(tmp_path)
    ops = _ops(window)
    when_links_asked: list[list[str]] = []
    real_links = column_read._LinkTexts.links

    def links(self: column_read._LinkTexts) -> Any:
        when_links_asked.append([o["op"] for o in ops])
        return real_links(self)

    monkeypatch.setattr(column_read._LinkTexts, "links", links)
    assert window.files.open_path(path)
    _painted(qtbot, window, ops)
    assert window.session.opened is not None and not window.session.opened.from_snapshot
    # Before the open waited for its links, the page had the members and the opening's fit.
    assert when_links_asked == [["setLinks", "setMembers", "fitBounds"]]
    first = ops[1]
    assert first["blob"]["inline"] and "token" not in first["blob"]
    assert set(first["blob"]["parts"]) == {"lat", "lon", "kind", "status"}
    # Sent once each: the reset sent the links (as rows of that members' command), the window's
    # fit was the same box, and the ids and names followed the paint.
    names = [o["op"] for o in ops]
    assert names.count("setMembers") == 1 and names.count("fitBounds") == 1
    links_op = next(o for o in ops[3:] if o["op"] == "setLinks")
    texts = next(o for o in ops if o["op"] == "setMemberTexts")
    assert links_op["memberRows"] == texts["rows"] == first["seq"] == window.map.member_rows_seq
    assert ops[0] == {"op": "setLinks", "seq": first["seq"] - 1, "columns": {}}  # (none shown)
    # The page shows what the session holds, coordinates and names as they are.
    session = window.session
    placed = [m for m in session.members.values() if m.located]
    assert js(qtbot, window, "window.__clusterDesk.stats().members") == len(placed)
    assert js(qtbot, window, "window.__clusterDeskLinks.stats().links") == _drawable(session) > 0
    for m in (placed[0], placed[-1]):
        got = js(qtbot, window, f"window.__clusterDesk.member({json.dumps(m.id)})")
        assert (got["lat"], got["lon"], got["name"], got["kind"]) == (m.lat, m.lon, m.name, str(m.kind))


def test_an_open_failing_after_its_members_were_painted_puts_the_page_back(
        qtbot: Any, tmp_path: Path, small_is_big: None) -> None:
    window = make_window(qtbot, tmp_path)
    first = demo_file(tmp_path, "first.cdesk")
    ops = _ops(window)
    assert window.files.open_path(first)
    _painted(qtbot, window, ops)
    session = window.session
    shown = {"members": js(qtbot, window, "window.__clusterDesk.stats().members"),
             "links": js(qtbot, window, "window.__clusterDeskLinks.stats().links")}
    m = next(m for m in session.members.values() if m.located)
    # Another file whose members are elsewhere and whose last link has a kind the model does
    # not know: its members read, its links refused.
    other = demo_file(tmp_path, "other.cdesk")
    with sqlite3.connect(other) as conn:
        conn.execute("UPDATE members SET lat = lat + 1 WHERE lat IS NOT NULL")
        conn.execute("UPDATE links SET kind = 'телепатия' WHERE rowid = (SELECT max(rowid) FROM links)")
    conn.close()
    ops.clear()
    assert not window.files.open_path(other)
    assert window.session.path == first and window.errors and "телепатия" in window.errors[-1][1]
    seq = window.map.seq
    qtbot.waitUntil(lambda: window.map.last_drawn >= seq, timeout=TIMEOUT)
    # Its members went to the page, then what the page showed came back (as a reload gets it).
    names = [o["op"] for o in ops]
    assert names[:3] == ["setLinks", "setMembers", "fitBounds"] and "inline" in ops[1]["blob"]
    assert "setMembers" in names[3:] and "setLinks" in names[3:]
    assert js(qtbot, window, "window.__clusterDesk.stats().members") == shown["members"]
    assert js(qtbot, window, "window.__clusterDeskLinks.stats().links") == shown["links"]
    got = js(qtbot, window, f"window.__clusterDesk.member({json.dumps(m.id)})")
    assert (got["lat"], got["lon"], got["name"]) == (m.lat, m.lon, m.name)
    # The first project is still open and whole: an edit goes through.
    assert window.files.open_path(first)
