"""The Links dock's "Selected member only": the table follows the member selected in the roster
(or on the map), over the real window, the demo project and the real page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()  # before pytest-qt creates the QApplication (module import time)

from PySide6.QtCore import Qt  # noqa: E402
from ui_helpers import TIMEOUT, demo_file, make_window, wait_map_synced  # noqa: E402

from cluster_desk.ui.links.model import LINK_ID_ROLE  # noqa: E402


def _shown(panel: Any) -> set[str]:
    proxy = panel.proxy
    return {str(proxy.index(r, 0).data(LINK_ID_ROLE)) for r in range(proxy.rowCount())}


def _links_of(window: Any, member_id: str) -> set[str]:
    return {lk.id for lk in window.session.links.values() if member_id in (lk.source, lk.target)}


def test_the_links_table_follows_the_selected_member(qtbot: Any, tmp_path: Path) -> None:
    window = make_window(qtbot, tmp_path)
    assert window.files.open_path(demo_file(tmp_path))
    wait_map_synced(qtbot, window)
    panel = window.links.panel
    every = set(window.session.links)
    by_links = sorted(window.session.members, key=lambda m: -len(_links_of(window, m)))
    busy, other = by_links[0], by_links[1]
    assert 1 < len(_links_of(window, busy)) < len(every)
    assert _links_of(window, other) != _links_of(window, busy)

    window.roster.select_ids([busy])  # the box unticked: selecting filters nothing
    panel.attach()
    qtbot.waitUntil(lambda: not panel.proxy.pending, timeout=TIMEOUT)
    assert _shown(panel) == every

    panel.only_selected.setChecked(True)
    qtbot.waitUntil(lambda: _shown(panel) == _links_of(window, busy), timeout=TIMEOUT)
    assert panel.count.text() == f"{len(_links_of(window, busy))} of {len(every)} links"

    window.roster.select_ids([other])  # the table follows the selection
    qtbot.waitUntil(lambda: _shown(panel) == _links_of(window, other), timeout=TIMEOUT)

    kind = next(iter({window.session.links[i].kind for i in _links_of(window, other)}))
    panel.kind.setCurrentIndex(panel.kind.findData(kind.value))  # with the other filters
    want = {i for i in _links_of(window, other) if window.session.links[i].kind is kind}
    qtbot.waitUntil(lambda: _shown(panel) == want, timeout=TIMEOUT)
    panel.kind.setCurrentIndex(0)

    window.roster.select_ids([busy, other])  # two members: every link again
    qtbot.waitUntil(lambda: _shown(panel) == every, timeout=TIMEOUT)

    window.roster.select_ids([busy])
    qtbot.waitUntil(lambda: _shown(panel) == _links_of(window, busy), timeout=TIMEOUT)
    panel.only_selected.setChecked(False)
    qtbot.waitUntil(lambda: _shown(panel) == every, timeout=TIMEOUT)


def test_a_project_opened_again_shows_every_link(qtbot: Any, tmp_path: Path) -> None:
    """The roster's selection goes with its rows when a project opens, without a selection signal
    (Qt's models are reset): the table must not keep filtering by a member of the last project."""
    window = make_window(qtbot, tmp_path)
    path = demo_file(tmp_path)
    assert window.files.open_path(path)
    wait_map_synced(qtbot, window)
    panel = window.links.panel
    member = max(window.session.members, key=lambda m: len(_links_of(window, m)))
    panel.only_selected.setChecked(True)
    window.roster.select_ids([member])
    qtbot.waitUntil(lambda: _shown(panel) == _links_of(window, member), timeout=TIMEOUT)

    assert window.files.open_path(path)
    wait_map_synced(qtbot, window)
    assert window.roster.selected_ids() == []
    qtbot.waitUntil(lambda: _shown(panel) == set(window.session.links), timeout=TIMEOUT)
    assert panel.proxy.member is None


def test_no_column_title_is_cut(qtbot: Any, tmp_path: Path) -> None:
    """Every column of the Links dock at least as wide as its title, after an open too (a reset
    gives the columns their default width: "Volume, roubles a year" and «Объём, руб. в год» were cut)."""
    window = make_window(qtbot, tmp_path, lang="ru")
    assert window.files.open_path(demo_file(tmp_path))
    wait_map_synced(qtbot, window)
    panel = window.links.panel
    panel.attach()  # (the dock shown: its table gets its rows and titles)
    qtbot.waitUntil(lambda: not panel.proxy.pending, timeout=TIMEOUT)
    header = panel.view.horizontalHeader()
    assert header.count() > 5 and header.sectionSizeHint(5) > 50
    cut = [header.model().headerData(c, Qt.Orientation.Horizontal) for c in range(header.count())
           if header.sectionSize(c) < header.sectionSizeHint(c)]
    assert not cut, cut
