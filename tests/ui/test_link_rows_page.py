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


def test_links_of_member_rows_are_drawn_at_their_ends_and_dead_ends_are_not(qtbot: Any, window: Any) -> None:
    view = window.map
    lat = np.array([55.0, np.nan, 56.5, 54.25], dtype="<f8")  # row 1: not placed (a dead slot)
    lon = np.array([49.0, 50.0, 51.5, 47.75], dtype="<f8")
    codes = np.zeros(4, dtype=np.uint8)
    rows = view.send_blob("setMembers", {"lat": lat, "lon": lon, "kind": codes, "status": codes},
                          codes={"kind": ["firm"], "status": ["member"]}, texts="later")
    src = np.array([0, 0, 1, 2, 7, 3], dtype="<i4")  # 0-1: a dead end; 7: no such row
    dst = np.array([2, 1, 2, 3, 0, 0], dtype="<i4")
    none = np.zeros(0, dtype="<i4")
    seq = view.send_blob("setLinks", {"src": src, "dst": dst, "kind": np.zeros(6, dtype=np.uint8),
                                      "pathSlot": none, "pathSize": none,
                                      "pathCoords": np.zeros(0, dtype="<f8")}, memberRows=rows)
    seq = view.send_command("setMemberTexts", rows=rows, ids=["a", "b", "c", "d"], names=["A", "B", "C", "D"])
    qtbot.waitUntil(lambda: view.last_drawn >= seq, timeout=TIMEOUT)
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
