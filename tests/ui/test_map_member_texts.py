"""An opened project's members reach the page in two steps (ui/map/view.py set_member_columns):
what the first paint needs (coordinates, kinds, statuses), then their ids and names
(setMemberTexts) once that is painted, or at once before any command naming a member. The real
page offscreen, one page load for the module."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()  # before pytest-qt creates the QApplication (module import time)

import numpy as np  # noqa: E402
from map_page_helpers import TIMEOUT, ModuleBot, js, members_around, open_view, stats, wait_drawn  # noqa: E402
from ui_helpers import wait_for  # noqa: E402

from cluster_desk.core.palette import OUTSIDE_RED  # noqa: E402
from cluster_desk.core.tables import MemberColumns, TextColumn  # noqa: E402
from cluster_desk.ui.map.view import MapView  # noqa: E402


@pytest.fixture(scope="module")
def view(qapp: Any) -> Iterator[MapView]:
    v = MapView()
    console = open_view(ModuleBot(), v)
    wait_for(lambda: v.is_ready)
    wait_for(lambda: stats(ModuleBot(), v)["basemap"] == "ready")
    yield v
    assert console.errors == [], "JavaScript errors on the map page"
    v.close()
    v.deleteLater()


def _columns(names: list[str]) -> MemberColumns:
    ms = members_around(len(names))
    return MemberColumns([m.id for m in ms], names, [str(m.kind) for m in ms], [str(m.status) for m in ms],
                         np.array([m.lat for m in ms]), np.array([m.lon for m in ms]))


def _record(view: MapView) -> list[dict[str, Any]]:
    ops: list[dict[str, Any]] = []
    view.bridge.command.connect(lambda text: ops.append(json.loads(text)))
    return ops


def _page_member(qtbot: Any, view: MapView, member_id: str) -> Any:
    return js(qtbot, view, f"window.__clusterDesk.member({json.dumps(member_id)})")


def test_ids_and_names_follow_the_paint(qtbot: Any, view: MapView) -> None:
    cols = _columns([f"Завод «Ока» {i}" for i in range(40)])
    ops = _record(view)
    seq = view.set_member_columns(cols)
    assert [o["op"] for o in ops] == ["setMembers"] and "id" not in ops[0]["blob"]["parts"]
    wait_drawn(qtbot, view, seq)
    qtbot.waitUntil(lambda: [o["op"] for o in ops] == ["setMembers", "setMemberTexts"], timeout=TIMEOUT)
    wait_drawn(qtbot, view, view.seq)
    assert ops[1]["rows"] == seq and ops[1]["blob"]["token"] != ops[0]["blob"]["token"]
    assert stats(qtbot, view)["members"] == len(cols)
    got = _page_member(qtbot, view, cols.ids[7])
    assert (got["name"], got["lat"], got["kind"]) == (cols.names[7], cols.lat[7], cols.kinds[7])


def test_a_command_naming_a_member_gets_the_names_first(qtbot: Any, view: MapView) -> None:
    """Sent in the same go as the members (no paint yet): the ids and names go first, in the
    same blob, so the page highlights the right member."""
    cols = _columns([f"Member {i}" for i in range(30)])
    ops = _record(view)
    view.set_member_columns(cols)
    view.fit_all()  # names no member: does not need them
    view.highlight([cols.ids[3]])
    assert [o["op"] for o in ops] == ["setMembers", "fitAll", "setMemberTexts", "highlight"]
    assert ops[2]["blob"]["token"] == ops[0]["blob"]["token"]  # one go, one blob
    wait_drawn(qtbot, view, view.seq)
    assert _page_member(qtbot, view, cols.ids[3])["style"]["weight"] == 3  # drawn highlighted
    assert _page_member(qtbot, view, cols.ids[4])["style"]["weight"] != 3
    view.highlight([])


def test_names_a_blob_cannot_carry_go_as_json(qtbot: Any, view: MapView) -> None:
    names = ["a\x00b", "ordinary", "\ud800 lone"]
    cols = _columns(names)
    ops = _record(view)
    wait_drawn(qtbot, view, view.set_member_columns(cols))
    qtbot.waitUntil(lambda: len(ops) == 2, timeout=TIMEOUT)
    wait_drawn(qtbot, view, view.seq)
    assert "blob" not in ops[1] and ops[1]["ids"] == cols.ids
    assert _page_member(qtbot, view, cols.ids[0])["name"] == "a\x00b"
    assert _page_member(qtbot, view, cols.ids[1])["name"] == "ordinary"


def test_names_read_as_one_blob_reach_the_page_for_the_placed_members(qtbot: Any, view: MapView) -> None:
    """A snapshot's names come as a core.tables.TextColumn (issue 17): the placed members'
    are cut from its blob, and each placed member gets its own name."""
    plain = _columns([f"Фирма «{i}»" for i in range(12)])
    lat = plain.lat.copy()
    lat[[0, 5]] = np.nan  # not placed: left out
    names = TextColumn.of(list(plain.names))
    assert names is not None
    cols = MemberColumns(plain.ids, names, plain.kinds, plain.statuses, lat, plain.lon)
    ops = _record(view)
    wait_drawn(qtbot, view, view.set_member_columns(cols))
    qtbot.waitUntil(lambda: len(ops) == 2, timeout=TIMEOUT)
    wait_drawn(qtbot, view, view.seq)
    assert stats(qtbot, view)["members"] == 10
    for i in (1, 4, 6, 11):
        assert _page_member(qtbot, view, cols.ids[i])["name"] == plain.names[i]
    assert view.has_member(cols.ids[6]) and not view.has_member(cols.ids[5])


def test_outside_rings_of_opened_columns_with_a_packed_id_map(
        qtbot: Any, view: MapView, monkeypatch: pytest.MonkeyPatch) -> None:
    """Right after an open (a million members' id -> row map an IdRows, core.id_index) the
    members outside the circle are ringed by the page, which passes over an id it has no marker
    for. The view keeps the placed rows, not a copy of their positions (a million members':
    ~16 MB)."""
    from cluster_desk.core import id_index

    monkeypatch.setattr(id_index, "DICT_UP_TO", 0)
    plain = _columns([f"Firm {i}" for i in range(20)])
    lat = plain.lat.copy()
    lat[3] = np.nan  # not placed: never drawn, never outside
    cols = MemberColumns(plain.ids, plain.names, plain.kinds, plain.statuses, lat, plain.lon)
    wait_drawn(qtbot, view, view.set_member_columns(cols))
    held = view._member_cols  # the columns and the placed rows (int32), no copy of the positions
    assert held is not None and len(held) == 2 and held[1] is not None and held[1].dtype == np.int32
    picked = view._picked_columns()
    assert picked[0] == [i for k, i in enumerate(cols.ids) if k != 3]
    np.testing.assert_array_equal(picked[4], np.delete(cols.lat, 3))
    # An id with no marker (unplaced, or not a member: a result made before a delete) is not
    # looked up in Python (a million ids: 280 ms of the GUI thread); the page passes over it.
    seq = view.set_outside([cols.ids[2], cols.ids[3], "not-a-member", cols.ids[17]])
    assert isinstance(cols.index, id_index.IdRows)
    wait_drawn(qtbot, view, seq)
    assert stats(qtbot, view)["outside"] == 2
    ringed = [js(qtbot, view, f"window.__clusterDesk.member({json.dumps(cols.ids[k])}).style.color")
              for k in (2, 17, 5)]
    assert ringed[0] == ringed[1] == OUTSIDE_RED != ringed[2]
    wait_drawn(qtbot, view, view.set_outside([cols.ids[2], "not-a-member-either"]))  # the difference
    assert stats(qtbot, view)["outside"] == 1
    wait_drawn(qtbot, view, view.set_outside([]))
