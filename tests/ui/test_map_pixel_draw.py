"""Issue 17: a full draw of many members blends the sprites' pixels into one ImageData (map.js
memberPixels/stampPixels) instead of one drawImage each. It must look the same: a member drawn
that way shows the colours the drawImage path shows, inside its fill and on its outline (the
crowd around Kazan reaches past the canvas's edges there: the page must not fail on them)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtGui import QColor

pytest.importorskip("PySide6.QtWebEngineWidgets")

from map_page_helpers import (
    KAZAN,
    TIMEOUT,
    js,
    members_around,
    open_view,
    pixel,
    stats,
    wait_drawn,
    wait_pixel,
)

from cluster_desk.core.model import Member, MemberKind, Status
from cluster_desk.ui.map.view import KIND_COLOURS, MapView

#: Above map.js PIXEL_DRAW_OVER (5,000): the full draw takes the pixel path.
MANY = 5_200
#: The members looked at: far from the crowd, one a candidate (dashed, see-through).
LONE = [
    Member(name="Lone firm", id="lone-firm", kind=MemberKind.FIRM, status=Status.MEMBER,
           lat=KAZAN[0] + 2.0, lon=KAZAN[1] + 4.0),
    Member(name="Lone candidate", id="lone-candidate", kind=MemberKind.EDUCATION, status=Status.CANDIDATE,
           lat=KAZAN[0] + 2.0, lon=KAZAN[1] + 4.1),
]


@pytest.fixture
def view(qtbot: Any) -> Iterator[MapView]:
    view = MapView()
    console = open_view(qtbot, view)
    with qtbot.waitSignal(view.ready, timeout=TIMEOUT):
        pass
    qtbot.waitUntil(lambda: stats(qtbot, view)["basemap"] == "ready", timeout=TIMEOUT)
    yield view
    assert console.errors == [], "JavaScript errors on the map page"


def _points(qtbot: Any, view: MapView) -> list[tuple[int, int]]:
    """Pixels of the lone members: centres, fills, outlines."""
    out = []
    for m in LONE:
        p = js(qtbot, view, f"window.__clusterDesk.memberPoint({json.dumps(m.id)})")
        x, y = round(p["x"]), round(p["y"])
        out += [(x, y), (x + 3, y - 2), (x + 6, y), (x, y + 6), (x - 5, y - 4)]
    return out


def test_the_pixel_draw_shows_what_drawimage_shows(qtbot: Any, view: MapView) -> None:
    lone = LONE[0]
    js(qtbot, view, f"window.__clusterDesk.view({lone.lat}, {lone.lon + 0.05}, 9)")  # no zoom animation
    wait_drawn(qtbot, view, view.set_members(LONE))  # few members: drawImage each
    points = _points(qtbot, view)
    seen: list[list[tuple[int, int, int]]] = []

    firm = QColor(KIND_COLOURS[lone.kind.value])

    def steady() -> bool:  # the firm is on screen, and two grabs agree: the tiles have faded in
        seen.append([pixel(view, x, y) for x, y in points])
        shown = all(abs(a - b) <= 40 for a, b in zip(seen[-1][0], firm.getRgb()[:3], strict=True))
        return shown and len(seen) > 1 and seen[-1] == seen[-2]

    qtbot.waitUntil(steady, timeout=TIMEOUT)
    want = seen[-1]
    draws = stats(qtbot, view)["pixelDraws"]

    wait_drawn(qtbot, view, view.set_members([*members_around(MANY, spread=0.5), *LONE]))
    assert stats(qtbot, view)["pixelDraws"] == draws + 1
    assert _points(qtbot, view) == points
    for (x, y), colour in zip(points, want, strict=True):
        wait_pixel(qtbot, view, x, y, colour, tolerance=3)
