"""Links in the window, end to end: the real map page, real project files, real clicks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()  # before pytest-qt creates the QApplication (module import time)

from ui_helpers import TIMEOUT, check, click_map, demo_file, js, make_window, reopen, wait_map_synced  # noqa: E402

from cluster_desk.core.model import LinkKind  # noqa: E402
from cluster_desk.ui.links.model import COLUMNS  # noqa: E402


@pytest.fixture
def opened(qtbot: Any, tmp_path: Path) -> tuple[Any, Path]:
    window = make_window(qtbot, tmp_path)
    path = demo_file(tmp_path)
    assert window.files.open_path(path)
    wait_map_synced(qtbot, window)
    return window, path


def _isolated(window: Any) -> list[str]:
    """Located members without links (the demo's 2025 newcomers), far enough apart to click."""
    linked = {x for lk in window.session.links.values() for x in (lk.source, lk.target)}
    return [m.id for m in window.session.members.values()
            if m.id not in linked and m.located and m.status.value == "member"]  # fmt: skip


def _fill(kind: LinkKind, volume: str = "") -> Any:
    def run(form: Any) -> bool:
        form.kind.setCurrentIndex(form.kind.findData(kind.value))
        form.volume.setText(volume)
        form.accept()
        return form.result() == form.DialogCode.Accepted

    return run


def _links_on_map(qtbot: Any, window: Any) -> int:
    seq = window.map.fit_all()
    qtbot.waitUntil(lambda: window.map.last_drawn >= seq, timeout=TIMEOUT)
    return int(js(qtbot, window, "window.__clusterDeskLinks.stats().links"))


def test_link_mode_by_two_clicks_on_the_map_undo_and_redo(qtbot: Any, opened: tuple[Any, Path]) -> None:
    window, path = opened
    ctl = window.links
    a, b = _isolated(window)[:2]
    before_links = len(window.session.links)
    on_map = _links_on_map(qtbot, window)
    isolated_before = check(window, "links").details["isolated_count"]
    ctl.run_form = _fill(LinkKind.JOINT_PROJECT, "1,25 млн")
    ctl.link_mode.setChecked(True)
    for member_id in (a, b):
        m = window.session.members[member_id]
        seq = window.map.centre_on(m.lat, m.lon, 10)
        qtbot.waitUntil(lambda s=seq: window.map.last_drawn >= s, timeout=TIMEOUT)
        p = js(qtbot, window, f"window.__clusterDesk.memberPoint({member_id!r})")
        click_map(qtbot, window, p["x"], p["y"])
        qtbot.waitUntil(lambda m=member_id: window.roster.selected_ids() == [m], timeout=TIMEOUT)
    assert len(window.session.links) == before_links + 1
    link = next(lk for lk in window.session.links.values() if {lk.source, lk.target} == {a, b})
    assert (link.kind, link.volume) == (LinkKind.JOINT_PROJECT, 1_250_000.0)
    assert any(lk.id == link.id for lk in reopen(path)[1])  # in the file
    assert _links_on_map(qtbot, window) == on_map + 1
    assert ctl.model.row_of(link.id) is not None
    qtbot.waitUntil(
        lambda: check(window, "links").details["isolated_count"] == isolated_before - 2, timeout=TIMEOUT
    )
    # Undo: gone from the file, the map, the table and the check; redo brings it back.
    window.session.undo_stack.undo()
    assert link.id not in window.session.links and all(lk.id != link.id for lk in reopen(path)[1])
    assert _links_on_map(qtbot, window) == on_map and ctl.model.row_of(link.id) is None
    qtbot.waitUntil(
        lambda: check(window, "links").details["isolated_count"] == isolated_before, timeout=TIMEOUT
    )
    window.session.undo_stack.redo()
    assert window.session.links[link.id] == link and _links_on_map(qtbot, window) == on_map + 1
    # The link is in both members' history.
    history = window.session.project.member_history(a)
    assert any(c.entity == "link" and c.entity_id == link.id for c in history)


def test_add_link_from_two_roster_selections_and_edit_it_in_the_table(
    qtbot: Any, opened: tuple[Any, Path]
) -> None:
    window, path = opened
    ctl = window.links
    a, b = _isolated(window)[1:3]
    ctl.run_form = _fill(LinkKind.SUPPLY)
    ctl.link_mode.setChecked(True)
    window.roster.select_ids([a])
    window.roster.select_ids([b])
    link = next(lk for lk in window.session.links.values() if (lk.source, lk.target) == (a, b))
    assert link.kind is LinkKind.SUPPLY and link.volume is None
    # In place: the volume cell, as a user types it.
    row = ctl.model.row_of(link.id)
    index = ctl.model.index(row, COLUMNS.index("volume"))
    assert ctl.model.setData(index, "2 500 000")
    assert window.session.links[link.id].volume == 2_500_000.0
    assert next(lk for lk in reopen(path)[1] if lk.id == link.id).volume == 2_500_000.0
    # A date as Russians write it is read too; a day the calendar has not is refused.
    start = ctl.model.index(row, COLUMNS.index("start"))
    assert ctl.model.setData(start, "01.02.2024") and window.session.links[link.id].start == "2024-02-01"
    assert ctl.model.data(start) == "2024-02-01"  # (shown as the English window writes it)
    assert not ctl.model.setData(start, "31.02.2024") and not ctl.model.setData(start, "soon")
    window.session.undo_stack.undo()
    window.session.undo_stack.undo()
    assert window.session.links[link.id].volume is None and window.session.links[link.id].start is None
    # Delete from the table, undo restores it.
    ctl.delete([link.id])
    assert link.id not in window.session.links
    window.session.undo_stack.undo()
    assert window.session.links[link.id] == link


def test_click_a_line_selects_it_and_kinds_toggle(qtbot: Any, opened: tuple[Any, Path]) -> None:
    window, _path = opened
    ctl = window.links
    a, b = _isolated(window)[:2]
    ctl.run_form = _fill(LinkKind.RND)
    assert ctl.open_form(a, b)
    link = next(lk for lk in window.session.links.values() if {lk.source, lk.target} == {a, b})
    ctl.layer.select(None)
    # Only this kind shown, so no other line lies under the click.
    for kind, action in ctl.kind_actions.items():
        action.setChecked(kind is LinkKind.RND)
    window.map.centre_on(
        (window.session.members[a].lat + window.session.members[b].lat) / 2,
        (window.session.members[a].lon + window.session.members[b].lon) / 2,
        9,
    )
    slot = ctl.layer.slot_of(link.id)
    seq = ctl.layer.select(None)
    qtbot.waitUntil(lambda: window.map.last_drawn >= seq, timeout=TIMEOUT)
    hidden = js(qtbot, window, "window.__clusterDeskLinks.stats().hidden")
    assert len(hidden) == len(LinkKind) - 1

    def click_the_line() -> bool:
        # The map may still be settling from centre_on (pan/zoom animation): take the line's
        # midpoint where it is now and click there until the click lands on it.
        if ctl.layer.selected != link.id:
            p = js(qtbot, window, f"window.__clusterDeskLinks.midpoint({slot})")
            click_map(qtbot, window, p["x"], p["y"])
        return ctl.layer.selected == link.id

    qtbot.waitUntil(click_the_line, timeout=TIMEOUT)
    assert ctl.panel.selected_ids() == [link.id]
    assert js(qtbot, window, "window.__clusterDeskLinks.stats().selected") == slot


def test_filtered_out_members_fade_their_links(qtbot: Any, opened: tuple[Any, Path]) -> None:
    window, _path = opened
    window.roster.filter_edit.setText("Челнинский")
    qtbot.waitUntil(lambda: js(qtbot, window, "window.__clusterDeskLinks.stats().faded") > 0, timeout=TIMEOUT)
    shown = set(window.roster.proxy.shown_ids())
    members = window.session.members
    drawn = [lk for lk in window.session.links.values()
             if members[lk.source].located and members[lk.target].located]
    expected = sum(1 for lk in drawn if lk.source not in shown or lk.target not in shown)
    qtbot.waitUntil(lambda: js(qtbot, window, "window.__clusterDeskLinks.stats().faded") == expected,
                    timeout=TIMEOUT)
    assert 0 < expected < len(drawn)
    window.roster.filter_edit.setText("")
    qtbot.waitUntil(
        lambda: js(qtbot, window, "window.__clusterDeskLinks.stats().faded") == 0, timeout=TIMEOUT
    )
