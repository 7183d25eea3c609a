"""Issue 17: a check with thousands of members stamps their rings through the page's front-to-back
layer (~30-130 ms of a click at 100,000 members). That layer is kept by what decides its picture
(the rings' places and looks in order, and the view; map.js keptHighlights, the last few), and
made ahead for the checks the window names (MapView.prepare_check_view with rings): a check shown
again, or first shown after its rings were made ahead, lays the layer instead.

* A check's rings laid from the kept layer, or from one made ahead, look exactly as stamped.
* A changed ring (a member moved) or view stamps them again; with no layer kept, each is stamped.
* A member added since the open (no page row: named by its id) is in the rings made ahead.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from map_page_helpers import TIMEOUT, crowd_view, js, member_pixels, members_around, stats, wait_drawn

from cluster_desk.core.model import Status
from cluster_desk.ui.map.view import MapView

#: Above map.js PIXEL_DRAW_OVER (5,000): a full draw takes the pixel path.
MANY = 5_200
CROWD = [dataclasses.replace(m, status=Status.MEMBER) if i % 3 else m
         for i, m in enumerate(members_around(MANY, spread=0.3))]
#: Two checks over 2,000 members each (pixels.js UNDER_OVER): their rings go through the layer.
A = np.arange(0, MANY, 2, dtype=np.int32)
B = np.arange(1, MANY, 2, dtype=np.int32)


@pytest.fixture
def view(qtbot: Any) -> Iterator[MapView]:
    with crowd_view(qtbot, CROWD) as view:
        yield view


def show(qtbot: Any, view: MapView, order: np.ndarray, missing: tuple[str, ...] = ()) -> str:
    """A check's highlight as rows of the page (-1: the next of ``missing``, a member with no
    row); how its rings were drawn."""
    before = stats(qtbot, view)["canvasFullDraws"]
    wait_drawn(qtbot, view, view.highlight_rows(view.page_rows, order, missing))
    qtbot.waitUntil(lambda: stats(qtbot, view)["canvasFullDraws"] > before, timeout=TIMEOUT)
    return str(stats(qtbot, view)["lastHighlightLayer"])


def around(qtbot: Any, view: MapView) -> list[list[int]]:
    return [member_pixels(qtbot, view, CROWD[k].id, 14) for k in (0, 1, 7, 40)]


def test_a_check_shown_again_lays_its_rings_as_they_were_stamped(qtbot: Any, view: MapView) -> None:
    assert show(qtbot, view, A) == "stamped"
    stamped = around(qtbot, view)
    assert show(qtbot, view, B) == "stamped"
    assert around(qtbot, view) != stamped
    assert show(qtbot, view, A) == "laid"
    assert around(qtbot, view) == stamped
    assert sum(a > 0 for p in stamped for a in p[3::4]) > 1000  # (rings there, not empty canvas)

    moved = dataclasses.replace(CROWD[2], lat=CROWD[2].lat + 0.01)  # (one of A's)
    wait_drawn(qtbot, view, view.upsert_member(moved))
    assert show(qtbot, view, B) == "laid"  # (B's rings and view as they were)
    assert show(qtbot, view, A) == "stamped"

    js(qtbot, view, "window.__clusterDesk.tuning.highlightLayersKept = 0")
    assert show(qtbot, view, B) == "stamped"
    assert show(qtbot, view, A) == "stamped"


def test_rings_made_ahead_are_laid_at_the_first_click_as_stamped(qtbot: Any, view: MapView) -> None:
    view.prepare_check_view((view.page_rows, [(A, []), (B, [])]))
    qtbot.waitUntil(lambda: stats(qtbot, view)["highlightsMadeAhead"] == 2, timeout=TIMEOUT)
    view.prepare_check_view()  # (the page's rings ahead, kept already: none made again)
    assert show(qtbot, view, B) == "laid"
    assert show(qtbot, view, A) == "laid"
    laid = around(qtbot, view)
    assert stats(qtbot, view)["highlightsMadeAhead"] == 2

    js(qtbot, view, "window.__clusterDesk.tuning.highlightLayersKept = 0")
    assert show(qtbot, view, B) == "stamped"
    assert show(qtbot, view, A) == "stamped"
    assert around(qtbot, view) == laid


def test_a_member_added_since_the_open_is_in_the_rings_made_ahead(qtbot: Any, view: MapView) -> None:
    """The page rows are the open's: a member added since has none and is named by its id, both
    when the rings are made ahead and at the click (MapView._named_rows, map.js namedSlots), so
    the click lays them, the added member's ring with them, as stamped afresh."""
    late = dataclasses.replace(CROWD[5], id="added-since-the-open", lat=CROWD[5].lat + 0.02)
    wait_drawn(qtbot, view, view.upsert_member(late))
    with_late = np.append(A, -1).astype(np.int32)  # (-1: the member named in ``missing``)
    view.prepare_check_view((view.page_rows, [(with_late, [late.id])]))
    qtbot.waitUntil(lambda: stats(qtbot, view)["highlightsMadeAhead"] == 1, timeout=TIMEOUT)
    assert show(qtbot, view, with_late, (late.id,)) == "laid"
    laid = [member_pixels(qtbot, view, late.id, 14), *around(qtbot, view)]

    js(qtbot, view, "window.__clusterDesk.tuning.highlightLayersKept = 0")
    assert show(qtbot, view, B) == "stamped"
    assert member_pixels(qtbot, view, late.id, 14) != laid[0]  # (its ring was there: not B's)
    assert show(qtbot, view, with_late, (late.id,)) == "stamped"
    assert [member_pixels(qtbot, view, late.id, 14), *around(qtbot, view)] == laid
