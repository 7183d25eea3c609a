"""Issue 10's UI items on the real window (real page, real project files): each test failed
before its fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QKeySequence  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from ui_helpers import TIMEOUT, demo_file, js, make_window, wait_map_synced  # noqa: E402


@pytest.fixture
def opened(qtbot: Any, tmp_path: Path) -> Any:
    window = make_window(qtbot, tmp_path)
    assert window.files.open_path(demo_file(tmp_path))
    wait_map_synced(qtbot, window)
    return window


def test_no_two_actions_share_a_shortcut_and_ctrl_shift_z_redoes(qtbot: Any, qtlog: Any,
                                                                 opened: Any) -> None:
    """13: "Ambiguous shortcut overload" — Ctrl+Shift+Z was listed twice on Redo."""
    window = opened
    seen: dict[str, str] = {}
    for action in window.findChildren(type(window.actions.undo)):
        for key in action.shortcuts():
            text = key.toString()
            assert text not in seen or seen[text] == action.text(), (text, seen.get(text), action.text())
            assert action.shortcuts().count(key) == 1, (action.text(), text)
            seen[text] = action.text()
    member_id = next(iter(window.session.members))
    window.roster.select_ids([member_id])
    window.actions.delete_members.trigger()
    assert member_id not in window.session.members
    window.actions.undo.trigger()
    assert member_id in window.session.members
    window.activateWindow()
    window.roster.view.setFocus()
    qtbot.keyClick(window.roster.view, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: member_id not in window.session.members, timeout=TIMEOUT)
    assert not [r for r in qtlog.records if "Ambiguous" in r.message]
    assert QKeySequence("Ctrl+Shift+Z") in window.actions.redo.shortcuts()


def test_place_suggestion_chosen_with_down_and_enter(qtbot: Any, opened: Any) -> None:
    """14: Down, Enter on the suggestions centres the map; a failed search says so."""
    window = opened
    search = window.offline.search
    found: list[Any] = []
    search.placeFound.connect(lambda *a: found.append(a))
    search.setFocus()
    qtbot.waitUntil(search.hasFocus, timeout=TIMEOUT)
    qtbot.keyClicks(search, "Naberezhn")
    popup = search.completer().popup()
    qtbot.waitUntil(lambda: popup.isVisible() and popup.model().rowCount() > 0, timeout=TIMEOUT)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(found), timeout=TIMEOUT)
    assert "Chelny" in found[-1][2] and found[-1][0] == pytest.approx(55.74, abs=0.05)
    assert len(found) == 1  # chosen once, not again by the Enter the line edit also saw
    assert "Chelny" in window.statusBar().currentMessage()

    search.clear()
    qtbot.keyClicks(search, "Qwzxqwzx")
    qtbot.keyClick(search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Qwzxqwzx" in window.statusBar().currentMessage(), timeout=TIMEOUT)
    assert len(found) == 1
    QApplication.processEvents()
