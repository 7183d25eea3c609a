"""The roster's id filter (a check clicked, a day shown as of a date) looks its ids' rows up in
one pass over the model's row map (issue 17: a million members' map is an IdRows, and asking it
one id at a time took ~5 s on the first day shown at 1,000,000). "A million" is lowered to the
demo's size (``id_index.DICT_UP_TO``). Real window, map page and demo file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()  # before pytest-qt creates the QApplication

from PySide6.QtCore import Qt  # noqa: E402
from ui_helpers import TIMEOUT, demo_file, make_window, wait_map_synced  # noqa: E402

from cluster_desk.core import id_index  # noqa: E402
from cluster_desk.core.model import Status  # noqa: E402
from cluster_desk.core.timeline import as_of  # noqa: E402

DAY = "2019-12-31"


def test_a_checks_and_a_days_members_are_found_in_one_pass(
        qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(id_index, "DICT_UP_TO", 0)  # every row map an IdRows, as at a million
    one_by_one: list[str] = []
    get = id_index.IdRows.get

    def counting(self: Any, key: str, default: Any = None) -> Any:
        if "roster" in Path(sys._getframe(1).f_code.co_filename).parts:  # (the roster's asks only)
            one_by_one.append(key)
        return get(self, key, default)

    monkeypatch.setattr(id_index.IdRows, "get", counting)
    window = make_window(qtbot, tmp_path)
    assert window.files.open_path(demo_file(tmp_path))
    wait_map_synced(qtbot, window)
    s, proxy = window.session, window.roster.proxy
    qtbot.waitUntil(lambda: bool(s.results) and not s.assessor.busy, timeout=TIMEOUT)
    result = max(s.results, key=lambda r: len(r.member_ids))
    assert len(result.member_ids) > 20
    one_by_one.clear()
    qtbot.mouseClick(window.assessment.cards[result.id], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: proxy.rowCount() == len(result.member_ids), timeout=TIMEOUT)
    assert set(proxy.shown_ids() or ()) == set(result.member_ids)
    assert len(one_by_one) < len(result.member_ids)  # (not one lookup a member)
    qtbot.mouseClick(window.assessment.cards[result.id], Qt.MouseButton.LeftButton)  # (off again)
    members = list(s.members.values())
    view, _ = as_of(members, list(s.links.values()), DAY)
    then = {m.id for m in view if m.status == Status.MEMBER}
    one_by_one.clear()
    window.timeline.show_day(DAY)
    qtbot.waitUntil(lambda: proxy.rowCount() == len(then), timeout=TIMEOUT)
    assert set(proxy.shown_ids() or ()) == then
    assert len(one_by_one) < len(then)


def _shown_ids(proxy: Any) -> list[str]:
    model, rows = proxy.sourceModel(), range(proxy.rowCount())
    return sorted(model.member_id(proxy.mapToSource(proxy.index(r, 0)).row()) for r in rows)


def test_a_days_members_in_the_rosters_own_order_need_no_lookup(
        qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After a delete and its undo the as-of arrays hold the members in the roster's own order
    (the undone one last in both): the day's filter takes the rows as they are, no lookup of
    every id (~45 ms of the GUI thread at 100,000 members). Ids in another order are looked up,
    and both filter the same members."""
    import numpy as np

    from cluster_desk.ui.project.commands import DeleteMembers
    from cluster_desk.ui.roster import proxy as proxy_module

    looked_up: list[int] = []
    real = proxy_module.rows_of

    def counting(index: Any, keys: Any) -> Any:
        looked_up.append(len(keys))
        return real(index, keys)

    monkeypatch.setattr(proxy_module, "rows_of", counting)
    window = make_window(qtbot, tmp_path)
    assert window.files.open_path(demo_file(tmp_path))
    wait_map_synced(qtbot, window)
    s, proxy, t = window.session, window.roster.proxy, window.timeline
    qtbot.waitUntil(lambda: bool(s.results) and not s.assessor.busy, timeout=TIMEOUT)
    victim = list(s.members)[3]
    s.undo_stack.push(DeleteMembers(s, [victim]))
    qtbot.waitUntil(lambda: victim not in s.members, timeout=TIMEOUT)
    s.undo_stack.undo()
    qtbot.waitUntil(lambda: victim in s.members and not s.assessor.busy, timeout=TIMEOUT)
    t.dock.show()
    qtbot.waitUntil(lambda: t.days.ready_arrays() is not None and victim in t.days.ready_arrays().index,
                    timeout=TIMEOUT)
    looked_up.clear()
    t.show_day(DAY)
    qtbot.waitUntil(lambda: t.day == DAY, timeout=TIMEOUT)
    model = proxy.sourceModel()
    a = t.days.ready_arrays()
    assert a.ids.tolist() == model._ids and not looked_up  # (the undone member last in both)
    part = t.days.participants(DAY)
    expected = sorted(a.ids[part].tolist())
    shown = _shown_ids(proxy)
    assert shown == expected
    # the same day's members given in another order: looked up, the same rows shown
    order = np.random.default_rng(1).permutation(len(a.ids))
    proxy.set_ids(a.ids[order][part[order]].tolist(), among=(a.ids[order], part[order]))
    assert looked_up == [len(a.ids)]
    shown = _shown_ids(proxy)
    assert shown == expected
