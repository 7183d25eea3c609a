"""Issue 17: the first check clicked in a view drew the faint crowd of members and lines that
every check shows (at 100,000 members ~200-270 ms of that click). The page makes them ahead
when idle (MapView.prepare_check_view): once an open's first checks are in, and when the
pointer comes over the check cards with no check shown (a click may follow; edits and moves
since may have changed the view). With them go the checks with many members, as the page's rows,
whose rings the page then makes ahead too (test_map_rings_kept): sent when they changed only.
Real window, map page and demo file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()  # before pytest-qt creates the QApplication

from PySide6.QtCore import QPoint, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from ui_helpers import TIMEOUT, big_demo_window, js  # noqa: E402


def builds(qtbot: Any, window: Any) -> int:
    """The faint lines made so far (ahead or at a check's paint: links.js faintBase)."""
    return int(js(qtbot, window, "window.__clusterDeskLinks.stats().faintBaseBuilds"))


def test_the_view_is_made_ahead_at_the_open_and_when_the_pointer_comes_over_the_cards(
        qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cluster_desk.ui.assessment import check_marks
    from cluster_desk.ui.map.view import MapView

    monkeypatch.setattr(check_marks, "RINGS_AHEAD_FROM", 2)  # (the demo's checks have a few members)
    asked: list[Any] = []
    real = MapView.prepare_check_view

    def counted(view: MapView, rings: Any = None) -> int:
        asked.append(rings)
        return real(view, rings)

    monkeypatch.setattr(MapView, "prepare_check_view", counted)
    window = big_demo_window(qtbot, tmp_path, monkeypatch)
    qtbot.waitUntil(lambda: builds(qtbot, window) >= 1, timeout=TIMEOUT)  # (the open's)
    assert len(asked) == 1 and asked[0] is not None  # the open's, with the checks' rings
    page, orders = asked[0]
    assert page is window.map.page_rows
    many = [r for r in window.assessment.results.values() if len(r.member_ids) >= 2]
    assert len(many) >= 2 and len(orders) == len(many)
    rows = [[page.row_of(i) for i in r.member_ids] for r in many]  # (in order; -1: no page row)
    assert [order.tolist() for order, _missing in orders] == rows
    assert [list(missing) for _order, missing in orders] == [
        [i for i, row in zip(r.member_ids, check, strict=True) if row < 0]
        for r, check in zip(many, rows, strict=True)]
    entered: list[int] = []
    window.assessment.cardsApproached.connect(lambda: entered.append(1))
    window.show()
    viewport = window.assessment.scroll.viewport()
    away = window.map.mapTo(window, QPoint(10, 10))

    seq = window.map.centre_on(55.9, 49.3, 11)  # (another view: its lines not made yet)
    qtbot.waitUntil(lambda: window.map.last_drawn >= seq, timeout=TIMEOUT)
    before = builds(qtbot, window)
    QTest.mouseMove(window, away)
    QTest.mouseMove(viewport, viewport.rect().center())
    qtbot.waitUntil(lambda: len(asked) == 2, timeout=TIMEOUT)
    assert asked[1] is None  # (the same checks and rows: the page keeps their rings)
    qtbot.waitUntil(lambda: builds(qtbot, window) == before + 1, timeout=TIMEOUT)

    # A check shown: its own paint made them (no need to ask).
    card = next(iter(window.assessment.cards.values()))
    qtbot.mouseClick(card, Qt.MouseButton.LeftButton)
    assert window.assessment.selected
    QTest.mouseMove(window, away)
    QTest.mouseMove(viewport, viewport.rect().center() + QPoint(0, 5))
    qtbot.waitUntil(lambda: len(entered) == 2, timeout=TIMEOUT)
    assert len(asked) == 2
