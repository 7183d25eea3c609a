"""The map's links are 1 px lines at every zoom (links.js LINE_WIDTH, issue 17): Skia draws those
as hairlines. They were 1.6 px from zoom 8, which Skia fills as outlines: at zoom 10 on a 100k map
the raster of 20,000 long lines held the page for 2-4 s, the map frozen at the old view after
every zoom, pan or place picked. Measured here as ink: the alpha on the links' display canvas
summed and divided by the line's length in pixels is the line's width. The real page, offscreen.
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

#: The width of the one line drawn: the alpha of the display canvas (the first canvas of the
#: links' stack: the kinds' composite) over 255, summed, per pixel of the line's length.
INK = """(() => {
  const c = document.querySelector('.cd-link-stack canvas');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let ink = 0;
  for (let k = 3; k < d.length; k += 4) ink += d[k];
  const a = window.__clusterDesk.memberPoint('w0');
  const b = window.__clusterDesk.memberPoint('w1');
  return ink / 255 / Math.hypot(b.x - a.x, b.y - a.y);
})()"""


@pytest.fixture(scope="module")
def window(qapp: Any, tmp_path_factory: Any) -> Any:
    w = shared_window(tmp_path_factory.mktemp("link-hairlines"))
    yield w
    close_shared(w)


def _one_line(window: Any, half_lon: float) -> None:
    """Two members on one parallel around the view's centre, one link between them."""
    view = window.map
    lat = np.array([LAT, LAT], dtype="<f8")
    lon = np.array([LON - half_lon, LON + half_lon], dtype="<f8")
    codes = np.zeros(2, dtype=np.uint8)
    rows = view.send_blob("setMembers", {"lat": lat, "lon": lon, "kind": codes, "status": codes},
                          codes={"kind": ["firm"], "status": ["member"]}, texts="later")
    none = np.zeros(0, dtype="<i4")
    view.send_blob("setLinks", {"src": np.array([0], dtype="<i4"), "dst": np.array([1], dtype="<i4"),
                                "kind": np.array([PLAIN], dtype=np.uint8), "pathSlot": none,
                                "pathSize": none, "pathCoords": np.zeros(0, dtype="<f8")}, memberRows=rows)
    view.send_command("setMemberTexts", rows=rows, ids=["w0", "w1"], names=["w0", "w1"])


def _width_at(qtbot: Any, window: Any, zoom: int, half_lon: float) -> float:
    view = window.map
    _one_line(window, half_lon)
    seq = view.centre_on(LAT, LON, zoom)
    qtbot.waitUntil(lambda: view.last_drawn >= seq, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: js(qtbot, window, "window.__clusterDeskLinks.stats()")["linksDrawn"] == 1,
                    timeout=TIMEOUT)
    return float(js(qtbot, window, INK))


def test_links_are_one_pixel_wide_zoomed_in_as_zoomed_out(qtbot: Any, window: Any) -> None:
    try:
        # (the line ~360 px long at each zoom, all of it inside the view)
        low = _width_at(qtbot, window, 6, 4.0)
        high = _width_at(qtbot, window, 10, 0.25)
        assert 0.8 < low < 1.25
        assert 0.8 < high < 1.25, f"a link zoomed in is {high:.2f} px wide"
    finally:
        assert window.files.open_path(window.session.path)  # the demo back on the page
