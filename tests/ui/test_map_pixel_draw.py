"""Issue 17: a full draw of many members blends the sprites' pixels into one ImageData (map.js
memberPixels/stampPixels) instead of one drawImage each. It must look the same: the member
canvas holds, around a member drawn that way, the pixels the drawImage path leaves there (its
fill, its outline, a candidate's see-through fill). The canvas is read itself, so the basemap's
tiles loading meanwhile do not matter; the crowd around Kazan reaches past the canvas's edges
(the page must not fail on them)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from map_page_helpers import KAZAN, checked_view, js, member_pixels, members_around, stats, wait_drawn

from cluster_desk.core.model import Member, MemberKind, Status
from cluster_desk.ui.map.view import MapView

#: Above map.js PIXEL_DRAW_OVER (5,000): the full draw takes the pixel path.
MANY = 5_200
#: The members looked at, away from the crowd: a firm, and a candidate (dashed, see-through).
LONE = [
    Member(name="Lone firm", id="lone-firm", kind=MemberKind.FIRM, status=Status.MEMBER,
           lat=KAZAN[0] + 2.0, lon=KAZAN[1] + 4.0),
    Member(name="Lone candidate", id="lone-candidate", kind=MemberKind.EDUCATION, status=Status.CANDIDATE,
           lat=KAZAN[0] + 2.0, lon=KAZAN[1] + 4.1),
]


@pytest.fixture
def view(qtbot: Any) -> Iterator[MapView]:
    with checked_view(qtbot) as view:
        yield view


def _around(qtbot: Any, view: MapView) -> list[list[int]]:
    return [member_pixels(qtbot, view, m.id) for m in LONE]


def test_the_pixel_draw_leaves_what_drawimage_leaves(qtbot: Any, view: MapView) -> None:
    lone = LONE[0]
    js(qtbot, view, f"window.__clusterDesk.view({lone.lat}, {lone.lon + 0.05}, 9)")  # no zoom animation
    wait_drawn(qtbot, view, view.set_members(LONE))  # few members: drawImage each
    want = _around(qtbot, view)
    draws = stats(qtbot, view)["pixelDraws"]

    wait_drawn(qtbot, view, view.set_members([*members_around(MANY, spread=0.5), *LONE]))
    assert stats(qtbot, view)["pixelDraws"] == draws + 1
    got = _around(qtbot, view)
    for member, a, b in zip(LONE, want, got, strict=True):
        assert sum(v > 0 for v in a[3::4]) > 100, member.id  # the member is there: ~150 pixels
        worst = max(abs(x - y) for x, y in zip(a, b, strict=True))
        assert worst <= 3, (member.id, worst)
