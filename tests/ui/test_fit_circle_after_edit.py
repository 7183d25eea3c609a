"""Fit Smallest Circle takes the circles of the last checks (the concentration check's facts), and
right after an edit waits for that edit's checks: it no longer reads the file again on the GUI
thread (~0.7 s at 100,000 members after any edit). Real window, demo project, real page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()  # before pytest-qt creates the QApplication (module import time)

from ui_helpers import TIMEOUT, check, demo_file, make_window, reopen, wait_map_synced  # noqa: E402

from cluster_desk.ui.project.commands import MoveMember  # noqa: E402


def test_a_fit_right_after_an_edit_takes_that_edits_circles(qtbot: Any, tmp_path: Path) -> None:
    window = make_window(qtbot, tmp_path)
    path = demo_file(tmp_path)
    assert window.files.open_path(path)
    wait_map_synced(qtbot, window)
    qtbot.waitUntil(lambda: not window.session.assessment_pending and bool(window.session.results),
                    timeout=TIMEOUT)
    before = check(window, "concentration").details["smallest_circle"]
    # The farthest local member pulled farther out: the smallest circle grows and moves.
    session = window.session
    far = max((m for m in session.members.values() if m.located and m.kind.value == "firm"),
              key=lambda m: abs(m.lat - before[0]) + abs(m.lon - before[1]))
    session.undo_stack.push(MoveMember(session, far.id, far.lat + 2.0, far.lon + 3.0))
    assert session.assessment_pending

    window.actions.fit_circle.trigger()
    assert session.undo_stack.undoText() != "Fit smallest circle"  # it waits for the edit's checks
    qtbot.waitUntil(lambda: session.undo_stack.undoText() == "Fit smallest circle", timeout=TIMEOUT)
    after = check(window, "concentration").details["smallest_circle"]
    settings = reopen(path)[2]
    assert after[2] > before[2]
    assert (settings.centre_lat, settings.centre_lon) == pytest.approx((after[0], after[1]))
