"""Issue 17: the map view's id -> payload map of an opened project (what the page was sent of
each member) was made at the first edit (~0.14 s of its GUI thread at 100,000 members). It is
made ahead once the open's first checks are in, a part at a time on idle turns of the event
loop (MapView.make_members_ahead), and is then what the edit would have made. Real window, map
page and demo file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()  # before pytest-qt creates the QApplication

from ui_helpers import TIMEOUT, big_demo_window  # noqa: E402


def test_the_maps_members_are_made_ahead_as_the_first_edit_would_make_them(
        qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    from cluster_desk.ui.map import view as view_module
    from cluster_desk.ui.map.messages import payload_row

    monkeypatch.setattr(view_module, "MEMBERS_AHEAD_PART", 7)  # (many parts)
    window = big_demo_window(qtbot, tmp_path, monkeypatch)
    view = window.map
    qtbot.waitUntil(lambda: view._member_cols is None and not view._ahead.running, timeout=TIMEOUT)
    made = view._members_dict
    assert made is not None
    rows = [payload_row(m) for m in window.session.members.values()]
    assert made == {row[0]: row for row in rows if row is not None}
    assert len(made) > 7 * 3

    # An edit before the parts are done makes the map at once; the parts then stop.
    opened = window.session.opened
    assert opened is not None  # (no edit yet: the open's columns are held)
    view.set_member_columns(opened.members)  # (as at the open: the map not made yet)
    view.make_members_ahead()
    assert view._ahead.running
    member = next(m for m in window.session.members.values() if m.lat is not None)
    moved = dataclasses.replace(member, lat=member.lat + 0.01)
    view.upsert_member(moved)  # (the map made at once, then this member's row set)
    qtbot.waitUntil(lambda: not view._ahead.running, timeout=TIMEOUT)
    assert view._members_dict is not None and view._members_dict[member.id] == payload_row(moved)
