"""Issue 17: a check with thousands of members highlights them all; a full draw blends their
rings front to back into a layer of their own (map.js stampHighlightsUnder), skipping rings under
complete cover, and lays that layer over the other members once.

It must look as the drawImage path leaves the same highlighted members: a stack of overlapping
highlighted members of every style (member, candidate, former; one outside the radius) is read
back from the canvas drawn with few members (drawImage each) and with thousands more highlighted
beside them (the front-to-back layer), where most rings of a dense crowd are skipped.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from map_page_helpers import checked_view, js, member_pixels, members_around, stats, wait_drawn
from test_map_pixel_blend import STACK, STACK_AT  # overlapping members of every style, away from the crowd

from cluster_desk.core.model import Member, MemberKind, Status
from cluster_desk.ui.map.view import MapView

#: Above map.js PIXEL_DRAW_OVER (5,000): the full draw takes the pixel path.
MANY = 5_200
#: Above map.js UNDER_OVER (2,000): the highlighted rings go through the front-to-back layer.
PILE = 2_500
#: Highlighted members crowded in a box ~140 pixels square below the stack (in view, ~50 rings
#: over each pixel): once the rings drawn last cover it, most of the others lie under them.
_rnd = random.Random(7)
PILE_MEMBERS = [Member(name=f"Piled {i}", id=f"piled-{i}", kind=MemberKind.FIRM, status=Status.MEMBER,
                       lat=STACK_AT[0] - 0.3 + _rnd.uniform(-0.1, 0.1),
                       lon=STACK_AT[1] + _rnd.uniform(-0.2, 0.2))
                for i in range(PILE)]


@pytest.fixture
def view(qtbot: Any) -> Iterator[MapView]:
    with checked_view(qtbot) as view:
        yield view


def test_thousands_of_highlighted_members_look_as_drawimage_draws_them(qtbot: Any, view: MapView) -> None:
    middle = STACK[len(STACK) // 2]
    js(qtbot, view, f"window.__clusterDesk.view({middle.lat}, {middle.lon}, 9)")  # no zoom animation
    wait_drawn(qtbot, view, view.set_outside([STACK[0].id]))
    wait_drawn(qtbot, view, view.set_members(STACK))  # few members: drawImage each
    wait_drawn(qtbot, view, view.highlight([m.id for m in STACK]))
    want = member_pixels(qtbot, view, middle.id, 24)

    crowd = members_around(MANY, spread=0.5)
    wait_drawn(qtbot, view, view.set_members([*crowd, *PILE_MEMBERS, *STACK]))
    wait_drawn(qtbot, view, view.set_outside([STACK[0].id]))
    draws = stats(qtbot, view)["pixelDraws"]
    wait_drawn(qtbot, view, view.highlight([m.id for m in [*PILE_MEMBERS, *STACK]]))
    s = stats(qtbot, view)
    assert s["pixelDraws"] > draws  # the pixel path drew them
    # Most of the crowd's rings lie under complete cover: skipped whole.
    assert PILE // 2 < s["lastHighlightSkips"] < PILE
    got = member_pixels(qtbot, view, middle.id, 24)
    assert sum(a > 0 for a in want[3::4]) > 500  # the stack is there, rings over rings
    worst = max(abs(x - y) for x, y in zip(want, got, strict=True))
    # Skia's blend and the page's integer one (front to back here) round differently.
    assert worst <= 3, worst

    # The highlight gone, the stack is drawn as the other members again (the layer left empty).
    wait_drawn(qtbot, view, view.highlight([]))
    plain = member_pixels(qtbot, view, middle.id, 24)
    assert max(abs(x - y) for x, y in zip(want, plain, strict=True)) > 50


def test_a_checks_highlight_by_rows_holds_over_a_new_member_set(qtbot: Any, view: MapView) -> None:
    """The page keeps a check's highlight as slots and makes its ids only when asked (map.js
    highlightRows): a new member set clears the slots, so the ids are made first, and the members
    come back highlighted."""
    members = members_around(MANY, spread=0.5)
    wait_drawn(qtbot, view, view.set_members(members))
    page = view.page_rows
    order = np.arange(0, MANY, 3, dtype=np.int32)
    wait_drawn(qtbot, view, view.highlight_rows(page, order, []))
    want = sorted(page.ids[r] for r in order.tolist())
    wait_drawn(qtbot, view, view.set_members(members[::-1]))  # (no id asked for in between)
    marks = js(qtbot, view, "window.__clusterDesk.marks()")
    assert marks["flagged"] == want
    assert sorted(marks["highlighted"]) == want
