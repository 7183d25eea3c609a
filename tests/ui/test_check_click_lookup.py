"""A check card clicked on a big opened project looks its members up in one pass over the ids'
map, not one lookup each (issue 17: the registry check's ~80,000 members at 100,000 held the GUI
thread ~0.1 s for it). "Big" (no record built for the opening fit, nor in slices after the open)
is lowered to the demo's size. Real window, map page and demo file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()  # before pytest-qt creates the QApplication

from PySide6.QtCore import Qt  # noqa: E402
from ui_helpers import TIMEOUT, big_demo_window  # noqa: E402


def test_a_checks_members_are_looked_up_at_once(
        qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    window = big_demo_window(qtbot, tmp_path, monkeypatch)
    s = window.session
    members = s.members
    assert members._dict is None  # (the ids' map answers lookups: no {id: record} dict made)
    asked: list[int] = []
    find = members._find

    def counting() -> Any:
        asked.append(1)
        return find()

    members._find = counting
    result = max(s.results, key=lambda r: len(r.member_ids))
    assert len(result.member_ids) > 20
    card = window.assessment.cards[result.id]
    qtbot.mouseClick(card, Qt.MouseButton.LeftButton)
    assert window.assessment.selected == result.id
    qtbot.waitUntil(lambda: window.roster.proxy.rowCount() == len(result.member_ids), timeout=TIMEOUT)
    assert len(asked) <= 2  # one pass (not one lookup a member)
    assert set(window.roster.proxy.shown_ids() or ()) == set(result.member_ids)


def test_checks_are_looked_up_ahead_and_a_click_looks_nothing_up_until_the_rows_change(
        qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cluster_desk.core.model import Member, MemberKind
    from cluster_desk.ui.assessment import check_marks
    from cluster_desk.ui.project.commands import AddMember

    window = big_demo_window(qtbot, tmp_path, monkeypatch)
    s = window.session
    looked_up: list[int] = []
    real = check_marks.rows_of

    def counted(index: Any, keys: Any) -> Any:
        looked_up.append(len(keys))
        return real(index, keys)

    monkeypatch.setattr(check_marks, "rows_of", counted)
    biggest = sorted((r for r in s.results if r.member_ids), key=lambda r: -len(r.member_ids))
    first, second = biggest[0].id, biggest[1].id

    def click(check_id: str) -> None:
        qtbot.mouseClick(window.assessment.cards[check_id], Qt.MouseButton.LeftButton)
        assert window.assessment.selected == check_id
        held = {i for i in window.assessment.results[check_id].member_ids if i in s.members}
        qtbot.waitUntil(lambda: set(window.roster.proxy.shown_ids() or ()) == held, timeout=TIMEOUT)

    qtbot.waitUntil(lambda: window.checks.looked_ahead, timeout=TIMEOUT)  # (since the results came)
    ahead = sum(looked_up)
    click(first)
    click(second)
    click(first)
    assert sum(looked_up) == ahead  # (each found its rows made ahead)

    qtbot.mouseClick(window.assessment.cards[first], Qt.MouseButton.LeftButton)  # (none shown)
    assert window.assessment.selected == ""
    s.undo_stack.push(AddMember(s, Member("ООО «Новая»", MemberKind.FIRM, lat=55.8, lon=49.1)))
    assert window.checks.rows._made is None  # (a row added: the rows' maps are made anew)
    qtbot.waitUntil(lambda: window.assessment.results[first] is not biggest[0] and window.checks.looked_ahead,
                    timeout=TIMEOUT)
    again = sum(looked_up)
    assert again > ahead
    # (and what a click maps once per state of the rows: the page's rows, the links' codes)
    model = window.roster.proxy.source()
    made = window.checks.rows._made
    assert made is not None and made[0] is window.map.page_rows
    codes = window.links.layer._row_codes
    assert codes is not None and codes[0] is model._ids and codes[1] == len(model._ids)
    click(first)
    click(second)
    assert sum(looked_up) == again
