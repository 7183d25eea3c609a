"""Issue 17: many long links in view are drawn as pixels (pixels.js line, Xiaolin Wu's 1 px
antialiased lines) instead of Skia's raster of the canvas's strokes, which took ~0.25 s of every
pan and zoom at zoom 10 on a 100,000-member map. They must look as the strokes do: the same
pixels inked, about as much ink. No kinds' canvases are painted in that mode: a kind hidden
paints the display anew, a kind shown again is painted alone and blitted over it. Short lines
(a cluster's whole view) stay strokes: Skia is the quicker there. The real page, offscreen.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()  # before pytest-qt creates the QApplication (module import time)

from test_link_hairlines import LAT, LON, PLAIN, link_lines  # noqa: E402
from ui_helpers import TIMEOUT, close_shared, js, shared_window  # noqa: E402

from cluster_desk.ui.links.map_layer import KINDS  # noqa: E402

#: Above links.js PIXEL_LINES_OVER (2,000), each a few hundred pixels long at ZOOM.
MANY = 2_400
ZOOM = 10

#: The display canvas (the first of the links' stack): each pixel's alpha, and the ink.
ALPHA = """(() => {
  const c = document.querySelector('.cd-link-stack canvas');
  const d = c.getContext('2d', { willReadFrequently: true }).getImageData(0, 0, c.width, c.height).data;
  const out = new Array(d.length / 4);
  for (let k = 3, j = 0; k < d.length; k += 4, j += 1) out[j] = d[k];
  return out;
})()"""


@pytest.fixture(scope="module")
def window(qapp: Any, tmp_path_factory: Any) -> Any:
    w = shared_window(tmp_path_factory.mktemp("link-pixels"))
    yield w
    close_shared(w)


def _around(rng: np.random.Generator, lat: float, lon: float) -> np.ndarray:
    """MANY points spread over most of the view at ZOOM."""
    return np.column_stack([lat + rng.uniform(-0.12, 0.12, MANY), lon + rng.uniform(-0.4, 0.4, MANY)])


def _stats(qtbot: Any, window: Any) -> dict[str, Any]:
    return dict(js(qtbot, window, "window.__clusterDeskLinks.stats()"))


def _settled_alpha(qtbot: Any, window: Any) -> np.ndarray:
    """The display's alpha once two reads a frame apart agree (the page has painted)."""
    view = window.map
    reads: list[np.ndarray] = []

    def settled() -> bool:
        seq = view.centre_on(LAT, LON, ZOOM)  # (the same view: its ack is a frame on)
        qtbot.waitUntil(lambda: view.last_drawn >= seq, timeout=TIMEOUT)
        reads.append(np.asarray(js(qtbot, window, ALPHA), dtype=np.int32))
        return len(reads) > 1 and np.array_equal(reads[-1], reads[-2])

    qtbot.waitUntil(settled, timeout=TIMEOUT)
    return reads[-1]


def test_many_long_links_drawn_as_pixels_look_as_strokes(qtbot: Any, window: Any) -> None:
    rng = np.random.default_rng(5)
    a, b = _around(rng, LAT, LON), _around(rng, LAT, LON)  # lines across the view, at any slope
    view = window.map
    before = _stats(qtbot, window)["pixelPaints"]
    try:
        link_lines(window, a, b)
        seq = view.centre_on(LAT, LON, ZOOM)
        qtbot.waitUntil(lambda: view.last_drawn >= seq, timeout=TIMEOUT)
        qtbot.waitUntil(lambda: _stats(qtbot, window)["linksDrawn"] == MANY, timeout=TIMEOUT)
        pixels = _settled_alpha(qtbot, window)
        painted = _stats(qtbot, window)["pixelPaints"]
        assert painted > before  # drawn as pixels

        js(qtbot, window, "window.__clusterDeskLinks.linesAsPixels(false)")
        strokes = _settled_alpha(qtbot, window)
        assert _stats(qtbot, window)["pixelPaints"] == painted  # (stroked this time)
        inked = (pixels > 40) | (strokes > 40)
        assert np.count_nonzero(inked) > 100_000  # lines across the view
        # The same look: where either inked, the alphas differ by ~1 on average (a line a pixel
        # off, or its two pixels' shares swapped, differs by 15-30).
        apart = np.abs(pixels - strokes)[inked]
        assert apart.mean() < 3 and np.percentile(apart, 90) <= 6, (apart.mean(), np.percentile(apart, 90))
        ratio = pixels.sum() / strokes.sum()
        assert 0.95 < ratio < 1.05, ratio  # as much ink

        # A kind hidden: the display painted anew (no kinds' canvases to blit); shown again: that
        # kind's lines painted on its own canvas and blitted over the display.
        js(qtbot, window, "window.__clusterDeskLinks.linesAsPixels(true)")
        again = _settled_alpha(qtbot, window)
        assert np.array_equal(again, pixels)
        window.links.layer.set_hidden({KINDS[PLAIN]})
        assert _settled_alpha(qtbot, window).max() == 0
        assert _stats(qtbot, window)["kindsToFill"] == 0
        before = _stats(qtbot, window)
        seq = window.links.layer.set_hidden(set())
        qtbot.waitUntil(lambda: view.last_drawn >= seq, timeout=TIMEOUT)
        after = _stats(qtbot, window)  # that kind alone painted and blitted, not every line again
        assert after["linkDraws"] == before["linkDraws"] and after["composites"] == before["composites"] + 1
        assert np.array_equal(_settled_alpha(qtbot, window), pixels)
    finally:
        js(qtbot, window, "window.__clusterDeskLinks.linesAsPixels(true)")
        window.links.layer.set_hidden(set())
        assert window.files.open_path(window.session.path)  # the demo back on the page


def test_short_links_stay_strokes(qtbot: Any, window: Any) -> None:
    """The same number of lines a few pixels long: stroked (Skia's raster is the quicker)."""
    rng = np.random.default_rng(6)
    a = _around(rng, LAT, LON)
    view = window.map
    try:
        link_lines(window, a, a + 0.005)
        seq = view.centre_on(LAT, LON, ZOOM)
        qtbot.waitUntil(lambda: view.last_drawn >= seq, timeout=TIMEOUT)
        qtbot.waitUntil(lambda: _stats(qtbot, window)["linksDrawn"] == MANY, timeout=TIMEOUT)
        painted = _stats(qtbot, window)["pixelPaints"]
        _settled_alpha(qtbot, window)
        assert _stats(qtbot, window)["pixelPaints"] == painted
    finally:
        assert window.files.open_path(window.session.path)
