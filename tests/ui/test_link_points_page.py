"""The page's links as pairs of points (links.js, issue 17): an opened project's links (rows of
the members' blob) take their ends from one copy of the member slots' points, with no points of
their own; a link put on its own (an upsert) gets a pair of points and keeps it when put again,
so edits never grow them. The lines counted in view (and drawn, under the line budget) are those
whose box meets the view, found from each point's side of the view: a line whose ends lie on
two sides of it counts, one whose ends lie past the same side does not. The real page, offscreen.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()  # before pytest-qt creates the QApplication (module import time)

from ui_helpers import TIMEOUT, close_shared, js, shared_window  # noqa: E402

#: Members by place: A around the view's centre, B far south-east, C west and D east of the view
#: at A's latitude (both outside it at zoom 8).
PLACES = {"A": (55.80, 49.10), "B": (43.10, 131.90), "C": (55.80, 30.00), "D": (55.80, 70.00)}
ROWS = ["A", "A", "A", "B", "B", "C", "C", "D", "D"]  # member rows of the blob, by place
#: (source row, target row, counted in view at A): inside A; A-B (its box holds A); inside B;
#: C-D (both ends out, on either side: crosses); inside C; D-B (both east); C-A.
LINKS = [(0, 1, True), (1, 2, True), (0, 3, True), (2, 4, True), (3, 4, False), (5, 7, True),
         (6, 8, True), (5, 6, False), (7, 3, False), (6, 0, True)]  # fmt: skip


@pytest.fixture(scope="module")
def window(qapp: Any, tmp_path_factory: Any) -> Any:
    w = shared_window(tmp_path_factory.mktemp("link-points"))
    yield w
    close_shared(w)


def _stats(qtbot: Any, window: Any) -> dict[str, Any]:
    return dict(js(qtbot, window, "window.__clusterDeskLinks.stats()"))


def _send_rows(window: Any) -> int:
    view = window.map
    rng = np.random.default_rng(5)
    lat = np.array([PLACES[p][0] for p in ROWS]) + rng.uniform(-0.05, 0.05, len(ROWS))
    lon = np.array([PLACES[p][1] for p in ROWS]) + rng.uniform(-0.05, 0.05, len(ROWS))
    codes = np.zeros(len(ROWS), dtype=np.uint8)
    rows = view.send_blob("setMembers", {"lat": lat.astype("<f8"), "lon": lon.astype("<f8"), "kind": codes,
                                         "status": codes},
                          codes={"kind": ["firm"], "status": ["member"]}, texts="later")
    none = np.zeros(0, dtype="<i4")
    view.send_blob("setLinks", {"src": np.array([a for a, _, _ in LINKS], dtype="<i4"),
                                "dst": np.array([b for _, b, _ in LINKS], dtype="<i4"),
                                "kind": np.zeros(len(LINKS), dtype=np.uint8), "pathSlot": none,
                                "pathSize": none, "pathCoords": np.zeros(0, dtype="<f8")}, memberRows=rows)
    ids = [f"r{i}" for i in range(len(ROWS))]
    view.send_command("setMemberTexts", rows=rows, ids=ids, names=ids)
    return int(view.centre_on(*PLACES["A"], 8))


def test_row_links_share_member_points_and_an_upserted_link_keeps_one_pair(qtbot: Any, window: Any) -> None:
    view = window.map
    seq = _send_rows(window)
    qtbot.waitUntil(lambda: view.last_drawn >= seq, timeout=TIMEOUT)
    try:
        got = _stats(qtbot, window)
        assert got["links"] == len(LINKS)
        assert got["points"] == got["sharedPoints"] == len(ROWS)  # no point of a link's own
        a, b = (js(qtbot, window, f"window.__clusterDesk.member('r{i}')") for i in (0, 1))
        # Slot 0 put on its own three times (a moved member's links come so), and a new slot:
        # one pair of points each, the line drawn at the last coordinates given.
        for lat in (55.5, 55.6, a["lat"]):
            seq = view.send_command("upsertLinks", rows=[[0, lat, a["lon"], b["lat"], b["lon"], 0, 0, None]])
        seq = view.send_command("upsertLinks", rows=[[len(LINKS), 55.7, 49.0, 55.9, 49.2, 0, 0, None]])
        qtbot.waitUntil(lambda: view.last_drawn >= seq, timeout=TIMEOUT)
        got = _stats(qtbot, window)
        assert got["links"] == len(LINKS) + 1
        assert got["points"] == len(ROWS) + 4
        middle = js(qtbot, window, "window.__clusterDeskLinks.midpoint(0)")
        ends = [js(qtbot, window, f"window.__clusterDesk.memberPoint('r{i}')") for i in (0, 1)]
        assert middle["x"] == pytest.approx((ends[0]["x"] + ends[1]["x"]) / 2, abs=1.0)
        assert middle["y"] == pytest.approx((ends[0]["y"] + ends[1]["y"]) / 2, abs=1.0)
        seq = view.send_command("removeLinks", slots=[0])
        seq = view.send_command("upsertLinks", rows=[[0, 55.5, 49.0, 55.6, 49.1, 0, 0, None]])
        qtbot.waitUntil(lambda: view.last_drawn >= seq, timeout=TIMEOUT)
        assert _stats(qtbot, window)["points"] == len(ROWS) + 4  # a slot used again keeps its pair
    finally:
        assert window.files.open_path(window.session.path)  # the demo back on the page


def test_the_lines_drawn_are_those_whose_box_meets_the_view(qtbot: Any, window: Any) -> None:
    view = window.map
    seq = _send_rows(window)
    qtbot.waitUntil(lambda: view.last_drawn >= seq, timeout=TIMEOUT)
    try:
        counted = sum(1 for _, _, seen in LINKS if seen)
        qtbot.waitUntil(lambda: _stats(qtbot, window)["linksDrawn"] == counted, timeout=TIMEOUT)
        # Links with points of their own count alike: one crossing the view from C to D, one in B.
        (c, d), (b1, b2) = (PLACES["C"], PLACES["D"]), (PLACES["B"], (44.0, 133.0))
        seq = view.send_command("upsertLinks", rows=[[len(LINKS), *c, *d, 0, 0, None],
                                                     [len(LINKS) + 1, *b1, *b2, 0, 0, None]])
        qtbot.waitUntil(lambda: view.last_drawn >= seq, timeout=TIMEOUT)
        seq = view.centre_on(PLACES["A"][0], PLACES["A"][1] + 0.01, 8)  # a full paint of the view
        qtbot.waitUntil(lambda: view.last_drawn >= seq, timeout=TIMEOUT)
        qtbot.waitUntil(lambda: _stats(qtbot, window)["linksDrawn"] == counted + 1, timeout=TIMEOUT)
        # Zoomed out over all of them: every line counts.
        seq = view.centre_on(50.0, 80.0, 3)
        qtbot.waitUntil(lambda: view.last_drawn >= seq, timeout=TIMEOUT)
        qtbot.waitUntil(lambda: _stats(qtbot, window)["linksDrawn"] == len(LINKS) + 2, timeout=TIMEOUT)
    finally:
        assert window.files.open_path(window.session.path)  # the demo back on the page
