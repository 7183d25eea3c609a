"""The page's links sent as rows of the members' blob (links.js setLinkRows, which reads each
end's projected point from one side-by-side copy of the member slots): a link is drawn at its
ends' points, and one with an end that is no live member slot (a member the page could not
place, a row past the members) is not drawn. The real page, offscreen."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()  # before pytest-qt creates the QApplication (module import time)

from ui_helpers import TIMEOUT, close_shared, js, shared_window  # noqa: E402


@pytest.fixture(scope="module")
def window(qapp: Any, tmp_path_factory: Any) -> Any:
    w = shared_window(tmp_path_factory.mktemp("link-rows"))
    yield w
    close_shared(w)


def _send_four_members_and_links(qtbot: Any, view: Any, lat0: float, lat1: float, src: list[int],
                                 dst: list[int], paths: dict[str, np.ndarray] | None = None) -> None:
    """Members a-d as a blob (rows 0 and 1 at ``lat0``, ``lat1``: NaN is a dead slot), links
    between those rows (``paths``: their geodesic lines' pathSlot, pathSize and pathCoords; none
    by default), and their ids; back once the page has drawn them."""
    lat = np.array([lat0, lat1, 56.5, 54.25], dtype="<f8")
    lon = np.array([49.0, 50.0, 51.5, 47.75], dtype="<f8")
    codes = np.zeros(4, dtype=np.uint8)
    rows = view.send_blob("setMembers", {"lat": lat, "lon": lon, "kind": codes, "status": codes},
                          codes={"kind": ["firm"], "status": ["member"]}, texts="later")
    none = np.zeros(0, dtype="<i4")
    lines = paths or {"pathSlot": none, "pathSize": none, "pathCoords": np.zeros(0, dtype="<f8")}
    view.send_blob("setLinks", {"src": np.array(src, dtype="<i4"), "dst": np.array(dst, dtype="<i4"),
                                "kind": np.zeros(len(src), dtype=np.uint8), **lines}, memberRows=rows)
    seq = view.send_command("setMemberTexts", rows=rows, ids=["a", "b", "c", "d"], names=["A", "B", "C", "D"])
    qtbot.waitUntil(lambda: view.last_drawn >= seq, timeout=TIMEOUT)

def test_links_of_member_rows_are_drawn_at_their_ends_and_dead_ends_are_not(qtbot: Any, window: Any) -> None:
    view = window.map
    # row 1: not placed (a dead slot); links 0-1: a dead end; 7: no such row
    _send_four_members_and_links(qtbot, view, 55.0, np.nan, [0, 0, 1, 2, 7, 3], [2, 1, 2, 3, 0, 0])
    try:
        assert js(qtbot, window, "window.__clusterDeskLinks.stats().links") == 3
        assert js(qtbot, window, "window.__clusterDeskLinks.shownSlots()") == [0, 3, 5]
        # each drawn link's middle is the middle of its two members' points (whole pixels)
        for slot, (a, b) in ((0, (0, 2)), (3, (2, 3)), (5, (3, 0))):
            got = js(qtbot, window, f"window.__clusterDeskLinks.midpoint({slot})")
            ends = [js(qtbot, window, f"window.__clusterDesk.memberPoint('{'abcd'[i]}')") for i in (a, b)]
            assert got["x"] == pytest.approx((ends[0]["x"] + ends[1]["x"]) / 2, abs=1.0)
            assert got["y"] == pytest.approx((ends[0]["y"] + ends[1]["y"]) / 2, abs=1.0)
    finally:
        assert window.files.open_path(window.session.path)  # the demo back on the page


def _send_rows_with_paths(qtbot: Any, view: Any, order: list[int]) -> None:
    """Four members (row 1 not placed), four links (slot 1 has that dead end) and a geodesic
    line for each, sent in ``order`` of their slots: slot 2's line holds a NaN."""
    lines = {0: [55.0, 49.0, 57.5, 45.0, 56.5, 51.5],  # (its middle far off the straight line)
             1: [55.0, 49.0, 55.5, 49.5, 56.0, 50.0],
             2: [56.5, 51.5, float("nan"), 50.0, 54.25, 47.75],
             3: [54.25, 47.75, 53.0, 52.0, 52.5, 50.0, 55.0, 49.0]}
    _send_four_members_and_links(qtbot, view, 55.0, np.nan, [0, 0, 2, 3], [2, 1, 3, 0], {
        "pathSlot": np.array(order, dtype="<i4"),
        "pathSize": np.array([len(lines[s]) // 2 for s in order], dtype="<i4"),
        "pathCoords": np.array([c for s in order for c in lines[s]], dtype="<f8")})

def test_geodesic_lines_of_member_rows_alike_in_any_order(qtbot: Any, window: Any) -> None:
    """links.js reads ascending slots' lines straight from the blob (setBlobPaths), any other
    order through blobPaths: the same lines either way, none for a dead link or a line with a
    NaN, and a drawn line's middle is its own point, not the straight line's."""
    view = window.map
    try:
        got = []
        for order in ([0, 1, 2, 3], [3, 0, 2, 1]):
            _send_rows_with_paths(qtbot, view, order)
            stats = js(qtbot, window, "window.__clusterDeskLinks.stats()")
            middles = [js(qtbot, window, f"window.__clusterDeskLinks.midpoint({s})") for s in range(4)]
            got.append((stats["links"], stats["geodesic"], middles))
        assert got[0] == got[1]
        assert got[0][:2] == (3, 2) and got[0][2][1] is None
        ends = [js(qtbot, window, f"window.__clusterDesk.memberPoint('{i}')") for i in "ac"]
        straight = ((ends[0]["x"] + ends[1]["x"]) / 2, (ends[0]["y"] + ends[1]["y"]) / 2)
        bent = got[0][2][0]
        assert abs(bent["x"] - straight[0]) + abs(bent["y"] - straight[1]) > 20
        # slot 2's line had a NaN: drawn straight, between its ends
        ends = [js(qtbot, window, f"window.__clusterDesk.memberPoint('{i}')") for i in "cd"]
        assert got[0][2][2]["x"] == pytest.approx((ends[0]["x"] + ends[1]["x"]) / 2, abs=1.0)
    finally:
        assert window.files.open_path(window.session.path)  # the demo back on the page


def test_links_of_rows_when_every_member_slot_lives(qtbot: Any, window: Any) -> None:
    """Every member placed (an open's blob): links.js checks only that each end is a row
    (setLinkRows' quicker loop); a row past the members or a negative one is still not drawn."""
    view = window.map
    # links ends 4, 7: past the rows; -1: none
    _send_four_members_and_links(qtbot, view, 55.0, 55.5, [0, 4, 1, 2, -1, 3, 7], [2, 1, 4, 3, 0, 0, 7])
    try:
        assert js(qtbot, window, "window.__clusterDeskLinks.stats().links") == 3
        assert js(qtbot, window, "window.__clusterDeskLinks.shownSlots()") == [0, 3, 5]
        assert js(qtbot, window, "window.__clusterDeskLinks.midpoint(1)") is None
        got = js(qtbot, window, "window.__clusterDeskLinks.midpoint(3)")
        ends = [js(qtbot, window, f"window.__clusterDesk.memberPoint('{i}')") for i in "cd"]
        assert got["x"] == pytest.approx((ends[0]["x"] + ends[1]["x"]) / 2, abs=1.0)
        assert got["y"] == pytest.approx((ends[0]["y"] + ends[1]["y"]) / 2, abs=1.0)
    finally:
        assert window.files.open_path(window.session.path)  # the demo back on the page
