"""Issue 17: a check clicked fades every member it does not name and highlights those it does.
The full draw then draws the crowd all faint (the highlighted among it too, under their rings),
keeps those pixels, and the next check clicked in the same view lays them instead of drawing the
crowd again (map.js fadedCrowd; ~50-90 ms of a click at 100,000 members).

* A check laid over the kept crowd looks exactly as the same check drawn afresh, the crowd kept
  from a check's draw or made ahead (an open's first checks: MapView.prepare_check_view).
* Anything that changes the crowd's picture (a member moved, its kind, the view) draws it again.
* A highlighted candidate's or former member's ring is see-through: under it the crowd is drawn
  again without its own faint ring, and looks as the crowd drawn without the highlighted.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from map_page_helpers import TIMEOUT, crowd_view, js, member_pixels, members_around, stats, wait_drawn

from cluster_desk.core.model import MemberKind, Status
from cluster_desk.ui.map.view import MapView

#: Above map.js PIXEL_DRAW_OVER (5,000): a full draw takes the pixel path.
MANY = 5_200
CROWD = [dataclasses.replace(m, status=Status.MEMBER) for m in members_around(MANY, spread=0.3)]
FIRST = [m.id for m in CROWD[::7]]
SECOND = [m.id for m in CROWD[3::5]]


@pytest.fixture
def view(qtbot: Any) -> Iterator[MapView]:
    with crowd_view(qtbot, CROWD) as view:
        yield view


def show_check(qtbot: Any, view: MapView, ids: list[str]) -> str:
    """A check's marks as a click sends them (held: one draw); how the crowd was drawn."""
    with view.held():
        view.highlight(ids)
        seq = view.set_shown(ids)
    wait_drawn(qtbot, view, seq)
    return str(stats(qtbot, view)["lastFadedCrowd"])


def move_to(qtbot: Any, view: MapView, lat: float, lon: float) -> str:
    """The map moved (no animation) and drawn again with the check shown: how the crowd was."""
    js(qtbot, view, f"window.__clusterDesk.view({lat}, {lon}, 9)")
    wait_drawn(qtbot, view, view.highlight(view._highlight_ids or []))  # (the ack comes after the draw)
    return str(stats(qtbot, view)["lastFadedCrowd"])


def test_a_check_laid_over_the_kept_crowd_looks_as_one_drawn_afresh(qtbot: Any, view: MapView) -> None:
    first = CROWD[0]
    assert show_check(qtbot, view, FIRST) == "drawn"
    assert move_to(qtbot, view, first.lat + 0.02, first.lon) == "drawn"  # (another view: its own crowd)
    assert show_check(qtbot, view, []) == "laid"  # (every member faint: the same crowd)
    assert show_check(qtbot, view, SECOND) == "laid"
    laid = [member_pixels(qtbot, view, i, 12) for i in (SECOND[0], FIRST[1], CROWD[1].id)]

    assert move_to(qtbot, view, first.lat, first.lon) == "drawn"  # (this view's crowd kept instead)
    assert move_to(qtbot, view, first.lat + 0.02, first.lon) == "drawn"
    fresh = [member_pixels(qtbot, view, i, 12) for i in (SECOND[0], FIRST[1], CROWD[1].id)]
    assert laid == fresh
    assert sum(a > 0 for p in fresh for a in p[3::4]) > 300  # (members there, not empty canvas)


def test_a_crowd_made_ahead_is_laid_at_the_first_check_as_one_drawn_afresh(qtbot: Any, view: MapView) -> None:
    first = CROWD[0]
    view.prepare_check_view()
    qtbot.waitUntil(lambda: stats(qtbot, view)["crowdsMadeAhead"] == 1, timeout=TIMEOUT)
    assert stats(qtbot, view)["lastFadedCrowd"] != "drawn"  # (the canvas not drawn for it)
    view.prepare_check_view()  # (kept already: not made again)
    assert show_check(qtbot, view, SECOND) == "laid"
    laid = [member_pixels(qtbot, view, i, 12) for i in (SECOND[0], FIRST[1], CROWD[1].id)]

    assert move_to(qtbot, view, first.lat + 0.02, first.lon) == "drawn"
    assert move_to(qtbot, view, first.lat, first.lon) == "drawn"
    fresh = [member_pixels(qtbot, view, i, 12) for i in (SECOND[0], FIRST[1], CROWD[1].id)]
    assert laid == fresh
    assert sum(a > 0 for p in fresh for a in p[3::4]) > 300
    assert stats(qtbot, view)["crowdsMadeAhead"] == 1


def test_a_member_moved_or_changed_draws_the_crowd_again(qtbot: Any, view: MapView) -> None:
    show_check(qtbot, view, FIRST)
    moved = dataclasses.replace(CROWD[2], lat=CROWD[2].lat + 0.01)
    wait_drawn(qtbot, view, view.upsert_member(moved))
    assert show_check(qtbot, view, SECOND) == "drawn"
    assert show_check(qtbot, view, FIRST) == "laid"
    other_kind = dataclasses.replace(moved, kind=MemberKind.UNIVERSITY if moved.kind is MemberKind.FIRM
                                     else MemberKind.FIRM)
    wait_drawn(qtbot, view, view.upsert_member(other_kind))
    assert show_check(qtbot, view, SECOND) == "drawn"


def test_a_highlighted_candidate_shows_the_crowd_under_it_not_its_ring(qtbot: Any, view: MapView) -> None:
    first = CROWD[0]
    see_through = [dataclasses.replace(CROWD[4], status=Status.CANDIDATE),
                   dataclasses.replace(CROWD[9], status=Status.FORMER)]
    for member in see_through:
        wait_drawn(qtbot, view, view.upsert_member(member))
    ids = [m.id for m in see_through]

    def around() -> list[list[int]]:
        return [member_pixels(qtbot, view, i, 12) for i in ids]

    assert show_check(qtbot, view, FIRST) == "drawn"
    assert show_check(qtbot, view, ids) == "laid"
    assert stats(qtbot, view)["lastSeeThroughRedrawn"] == 2
    laid = around()
    assert move_to(qtbot, view, first.lat + 0.02, first.lon) == "drawn"
    assert move_to(qtbot, view, first.lat, first.lon) == "drawn"  # (drawn all faint, then under the rings)
    drawn = around()

    js(qtbot, view, "window.__clusterDesk.tuning.viewPerSeeThrough = 1e12")  # (none redrawn)
    assert move_to(qtbot, view, first.lat + 0.02, first.lon) == "none"
    assert move_to(qtbot, view, first.lat, first.lon) == "none"  # (the crowd drawn without them)
    without = around()
    assert laid == drawn == without
    assert sum(a > 0 for p in without for a in p[3::4]) > 300
