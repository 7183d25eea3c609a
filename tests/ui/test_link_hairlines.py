"""The map's links are 1 px lines (Skia's hairlines) when many are in view (links.js lineWidth,
issue 17). They were 1.6 px from zoom 8 whatever their number, which Skia fills as outlines: at
zoom 10 on a 100k map the raster of 20,000 long lines held the page for 2-4 s, the map frozen at
the old view after every zoom, pan or place picked. A few lines zoomed in (a cluster's own
network) stay 1.6 px. Measured as ink: the alpha on the links' display canvas summed and divided
by the lines' length in pixels is their width. The real page, offscreen.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()  # before pytest-qt creates the QApplication (module import time)

from ui_helpers import TIMEOUT, close_shared, js, shared_window  # noqa: E402

from cluster_desk.core.model import DIRECTED_KINDS  # noqa: E402
from cluster_desk.ui.links.map_layer import KINDS  # noqa: E402

LAT, LON = 55.8, 49.1
#: A kind drawn without arrowheads (they would add ink of their own).
PLAIN = next(i for i, k in enumerate(KINDS) if k not in DIRECTED_KINDS)

#: The width of the lines drawn (a0-b0, a1-b1, ...; none crossing): the alpha of the display
#: canvas (the first canvas of the links' stack: the kinds' composite) over 255, summed, per
#: pixel of the lines' length.
INK = """((count) => {
  const c = document.querySelector('.cd-link-stack canvas');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let ink = 0;
  for (let k = 3; k < d.length; k += 4) ink += d[k];
  let length = 0;
  for (let j = 0; j < count; j += 1) {
    const a = window.__clusterDesk.memberPoint('a' + j);
    const b = window.__clusterDesk.memberPoint('b' + j);
    length += Math.hypot(b.x - a.x, b.y - a.y);
  }
  return ink / 255 / length;
})"""


@pytest.fixture(scope="module")
def window(qapp: Any, tmp_path_factory: Any) -> Any:
    w = shared_window(tmp_path_factory.mktemp("link-hairlines"))
    yield w
    close_shared(w)


def _lines(window: Any, lat: np.ndarray, lon_a: np.ndarray, lon_b: np.ndarray) -> None:
    """A link from (lat, lon_a) to (lat, lon_b) for each row: members a0, b0, a1, b1, ..."""
    link_lines(window, np.column_stack([lat, lon_a]), np.column_stack([lat, lon_b]))


def link_lines(window: Any, a: np.ndarray, b: np.ndarray) -> None:
    """A link of kind PLAIN from a[j] to b[j] ((lat, lon) rows) for each j: members a0, b0, ..."""
    view = window.map
    n = len(a)
    ends = np.empty((2 * n, 2))
    ends[0::2], ends[1::2] = a, b
    codes = np.zeros(2 * n, dtype=np.uint8)
    rows = view.send_blob("setMembers", {"lat": ends[:, 0].astype("<f8"), "lon": ends[:, 1].astype("<f8"),
                                         "kind": codes, "status": codes},
                          codes={"kind": ["firm"], "status": ["member"]}, texts="later")
    none = np.zeros(0, dtype="<i4")
    slots = np.arange(2 * n, dtype="<i4")
    view.send_blob("setLinks", {"src": slots[0::2].copy(), "dst": slots[1::2].copy(),
                                "kind": np.full(n, PLAIN, dtype=np.uint8), "pathSlot": none,
                                "pathSize": none, "pathCoords": np.zeros(0, dtype="<f8")}, memberRows=rows)
    ids = [f"{end}{j}" for j in range(n) for end in "ab"]
    view.send_command("setMemberTexts", rows=rows, ids=ids, names=ids)


def _width(qtbot: Any, window: Any, zoom: int, lat: np.ndarray, lon_a: np.ndarray,
           lon_b: np.ndarray) -> float:
    """The lines' width as drawn once the page has settled at ``zoom``: the ink read after one
    ack and again after the next is the same. The first ack can come before the page is done:
    it moves the view once the map is still (map.js whenStill), and the kinds' canvases are
    filled and composited in tasks after a full paint; the ink then read 0 or the last lines'
    (~1 run in 3 here)."""
    view = window.map
    _lines(window, lat, lon_a, lon_b)
    seq = view.centre_on(LAT, LON, zoom)
    qtbot.waitUntil(lambda: view.last_drawn >= seq, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: js(qtbot, window, "window.__clusterDesk.stats()")["zoom"] == zoom,
                    timeout=TIMEOUT)
    qtbot.waitUntil(lambda: js(qtbot, window, "window.__clusterDeskLinks.stats()")["linksDrawn"] == len(lat),
                    timeout=TIMEOUT)
    reads: list[float] = []

    def settled() -> bool:
        seq = view.centre_on(LAT, LON, zoom)  # (the same view: nothing moves; its ack is a frame on)
        qtbot.waitUntil(lambda: view.last_drawn >= seq, timeout=TIMEOUT)
        reads.append(float(js(qtbot, window, f"{INK}({len(lat)})")))
        return len(reads) > 1 and reads[-1] == reads[-2]

    qtbot.waitUntil(settled, timeout=TIMEOUT)
    return reads[-1]


def test_a_few_links_are_wider_zoomed_in(qtbot: Any, window: Any) -> None:
    """One line ~360 px long at each zoom, all of it inside the view: 1 px zoomed out, 1.6 px in."""
    one = np.array([LAT])
    try:
        low = _width(qtbot, window, 6, one, one * 0 + LON - 4.0, one * 0 + LON + 4.0)
        high = _width(qtbot, window, 10, one, one * 0 + LON - 0.25, one * 0 + LON + 0.25)
        assert 0.8 < low < 1.25
        assert 1.4 < high < 2.0, f"a link zoomed in is {high:.2f} px wide"
    finally:
        assert window.files.open_path(window.session.path)  # the demo back on the page


def test_many_links_are_hairlines_zoomed_in(qtbot: Any, window: Any) -> None:
    """1,200 short lines in a grid at zoom 10 (more than links.js's WIDE_UP_TO): 1 px each."""
    rows, cols = np.divmod(np.arange(1200), 40)  # 30 rows of 40, ~20 px apart, each ~12 px long
    lat = LAT - 0.19 + rows * 0.0139
    lon_a = LON - 0.55 + cols * 0.0275
    try:
        width = _width(qtbot, window, 10, lat, lon_a, lon_a + 0.0165)
        assert 0.8 < width < 1.25, f"1,200 links zoomed in are {width:.2f} px wide"
    finally:
        assert window.files.open_path(window.session.path)  # the demo back on the page
