"""Issue 10's UI items on the real window (real page, real project files): each test failed
before its fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication
from ui_helpers import (
    TIMEOUT,
    close_shared,
    demo_file,
    exported,
    js,
    make_window,
    shared_window,
    wait_map_synced,
)


def wait_sent(qtbot: Any, window: Any) -> None:
    """Until the page has drawn every command sent so far (without sending one)."""
    seq = window.map._seq
    qtbot.waitUntil(lambda: window.map.last_drawn >= seq, timeout=TIMEOUT)


@pytest.fixture
def opened(qtbot: Any, tmp_path: Path) -> Any:
    """A window of its own: for tests that edit the project."""
    window = make_window(qtbot, tmp_path)
    assert window.files.open_path(demo_file(tmp_path))
    wait_map_synced(qtbot, window)
    return window


@pytest.fixture(scope="module")
def looking(qapp: Any, tmp_path_factory: Any) -> Any:
    """One window for the tests that only look (the filters and views they change are reset)."""
    window = shared_window(tmp_path_factory.mktemp("looking"))
    yield window
    close_shared(window)


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


def test_place_suggestion_chosen_with_down_and_enter(qtbot: Any, looking: Any) -> None:
    """14: Down, Enter on the suggestions centres the map; a failed search says so."""
    window = looking
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


def test_fit_cluster_shows_the_members_in_the_circle_and_everything_is_separate(
        qtbot: Any, looking: Any) -> None:
    """16: Fit All zoomed out to every foreign partner; now it fits the cluster."""
    window = looking
    members = window.session.members
    outside = [m for m in members.values() if m.located and m.id not in set(window.session.inside_ids())]
    assert outside, "the demo has partners beyond the circle"
    window.actions.fit_everything.trigger()
    wait_sent(qtbot, window)
    everything_zoom = js(qtbot, window, "window.__clusterDesk.stats().zoom")
    window.actions.fit_all.trigger()
    qtbot.waitUntil(lambda: not window.session.assessor.busy, timeout=TIMEOUT)  # (found on the worker)
    wait_sent(qtbot, window)
    cluster_zoom = js(qtbot, window, "window.__clusterDesk.stats().zoom")
    assert cluster_zoom > everything_zoom + 1
    w, h = window.map.width(), window.map.height()
    for mid in window.session.inside_ids()[:40]:
        p = js(qtbot, window, f"window.__clusterDesk.memberPoint({mid!r})")
        assert 0 <= p["x"] <= w and 0 <= p["y"] <= h, (members[mid].name, p)
    assert window.actions.fit_all.text() == "&Fit Cluster"


def test_export_and_field_copy_say_where_they_wrote(qtbot: Any, looking: Any, tmp_path: Path) -> None:
    """15: the status bar names the file and offers to open its folder."""
    window = looking
    out = tmp_path / "out" / "roster.csv"
    out.parent.mkdir()
    assert exported(window.exchange.export_to(out))
    assert str(out) in window.statusBar().currentMessage()
    qtbot.waitUntil(window.folder_link.isVisible, timeout=TIMEOUT)
    assert out.parent.as_uri() in window.folder_link.text()

    from cluster_desk.ui.exchange import merge_dialog

    dest = tmp_path / "field.cdesk"
    original = merge_dialog.run_field_copy_dialog
    merge_dialog.run_field_copy_dialog = lambda parent, session: original(parent, session, dest)
    try:
        window.actions.field_copy.trigger()
    finally:
        merge_dialog.run_field_copy_dialog = original
    assert dest.exists() and str(dest) in window.statusBar().currentMessage()
    assert window.folder_link.isVisible()


def test_members_filtered_out_of_the_roster_fade_on_the_map(qtbot: Any, looking: Any) -> None:
    """18: the map followed no roster filter."""
    window = looking
    located = [m for m in window.session.members.values() if m.located]
    name = located[0].name
    window.roster.proxy.set_text(name)
    shown = window.roster.proxy.rowCount()
    assert 0 < shown < len(located)
    qtbot.waitUntil(lambda: js(qtbot, window, "window.__clusterDesk.stats().faded") > 0, timeout=TIMEOUT)
    visible = {window.roster.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole + 1)
               for r in range(shown)}
    faded = js(qtbot, window, "window.__clusterDesk.stats().faded")
    assert faded == len([m for m in located if m.id not in visible])
    hidden = next(m for m in located if m.id not in visible)
    style = js(qtbot, window, f"window.__clusterDesk.member({hidden.id!r})")
    kept = js(qtbot, window, f"window.__clusterDesk.member({located[0].id!r})")
    assert style["style"]["fillOpacity"] < kept["style"]["fillOpacity"]
    window.roster.proxy.set_text("")
    qtbot.waitUntil(lambda: js(qtbot, window, "window.__clusterDesk.stats().faded") == 0, timeout=TIMEOUT)


def test_legend_is_compact_on_a_small_window_and_opens_on_demand(qtbot: Any, tmp_path: Path) -> None:
    """17: at 1024×700 the open legend covered two thirds of the map."""
    window = make_window(qtbot, tmp_path)
    window.resize(1024, 700)
    assert window.files.open_path(demo_file(tmp_path))
    wait_map_synced(qtbot, window)
    legend, area = window.legend, window.map
    qtbot.waitUntil(lambda: not legend.body.isVisible(), timeout=TIMEOUT)
    cover = legend.width() * legend.height() / (area.width() * area.height())
    assert cover < 0.05 and legend.isVisible()
    qtbot.mouseClick(legend.toggle, Qt.MouseButton.LeftButton)  # the user opens it: it stays open
    assert legend.body.isVisible()
    window.resize(1000, 690)
    qtbot.waitUntil(lambda: window.width() <= 1000, timeout=TIMEOUT)
    assert legend.body.isVisible()
    # The search box keeps its room; the buttons that do not fit fold into the toolbar's menu.
    assert window.offline.search.isVisible()
    assert window.offline.search.width() >= window.offline.search.minimumWidth()


def test_map_scale_speaks_russian(qtbot: Any, tmp_path: Path) -> None:
    """19: "km" on the Russian map."""
    window = make_window(qtbot, tmp_path, lang="ru")
    wait_map_synced(qtbot, window)
    qtbot.waitUntil(lambda: (js(qtbot, window, "document.querySelector('.leaflet-control-scale-line')"
                                               ".textContent") or "").endswith(" км"), timeout=TIMEOUT)


def test_add_a_member_by_typed_coordinates_or_a_found_place(qtbot: Any, opened: Any) -> None:
    """21: adding a member needed a map click."""
    window = opened
    before = len(window.session.members)
    window.actions.add_member.trigger()
    assert window.sync.mode == "add"
    search = window.offline.search
    search.setText("Naberezhnye Chelny")
    assert search.choose_current()
    qtbot.waitUntil(lambda: window.edits.form is not None, timeout=TIMEOUT)
    form = window.edits.form
    assert float(form.lat.text()) == pytest.approx(55.74, abs=0.05)
    assert window.sync.mode == ""
    form.name.setText("ООО «Найдено поиском»")
    form.accept()
    assert len(window.session.members) == before + 1

    window.actions.add_member_form.trigger()  # no map at all: the coordinates are typed
    qtbot.waitUntil(lambda: window.edits.form is not None, timeout=TIMEOUT)
    form = window.edits.form
    assert form.lat.text() == "" and form.lon.text() == ""
    form.name.setText("ООО «По координатам»")
    form.lat.setText("55,81234")
    form.lon.setText("49.1")
    form.accept()
    added = next(m for m in window.session.members.values() if m.name == "ООО «По координатам»")
    assert (added.lat, added.lon) == (55.81234, 49.1)
    assert window.map.has_member(added.id)


def test_assessment_cards_show_keyboard_focus(qtbot: Any, looking: Any) -> None:
    """21: Tab through the cards shows where the focus is."""
    window = looking
    card = next(iter(window.assessment.cards.values()))
    window.assessment_dock.show()
    qtbot.waitUntil(card.isVisible, timeout=TIMEOUT)

    def frame_colour() -> tuple[int, int, int]:
        c = card.grab().toImage().pixelColor(0, card.height() // 2)
        return c.red(), c.green(), c.blue()

    plain = frame_colour()
    window.activateWindow()
    card.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(card.hasFocus, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: frame_colour() != plain, timeout=TIMEOUT)
    r, _g, b = frame_colour()
    assert b > 150 and r < 80  # the focus blue


def test_a_marker_drag_is_not_echoed_to_the_page_but_its_undo_is(qtbot: Any, opened: Any) -> None:
    """Issue 9: a ChangeSet names who made it; the page that moved a marker is not sent it back."""
    import json

    window = opened
    member = next(m for m in window.session.members.values() if m.located)
    sent: list[dict[str, Any]] = []
    window.map.bridge.command.connect(lambda text: sent.append(json.loads(text)))
    # The page's message, through the bridge slot it calls.
    window.map.bridge.markerMoved(json.dumps({"id": member.id, "lat": member.lat + 0.01, "lon": member.lon}))
    assert window.session.members[member.id].lat == pytest.approx(member.lat + 0.01)
    assert not [c for c in sent if c["op"] == "upsertMember"]
    assert window.session.distance(member.id) is not None  # the session measured the move
    window.actions.undo.trigger()
    ups = [c for c in sent if c["op"] == "upsertMember"]
    assert len(ups) == 1 and ups[0]["member"]["lat"] == pytest.approx(member.lat)
    window.actions.redo.trigger()
    assert len([c for c in sent if c["op"] == "upsertMember"]) == 2


def test_the_window_notices_another_process_editing_the_file(qtbot: Any, opened: Any) -> None:
    """Issue 11.4 (UI side): an edit by another process shows without reopening."""
    import dataclasses

    from cluster_desk.store.project import Project

    window = opened
    member = next(m for m in window.session.members.values() if m.located)
    other = Project.open(window.session.path)  # a second connection: another process's view
    try:
        other.update_member(dataclasses.replace(other.member(member.id), notes="from the command line",
                                                employees=777))
        other.add_member(dataclasses.replace(member, id="0" * 32, name="ООО «Из другого окна»"))
    finally:
        other.close()
    qtbot.waitUntil(lambda: window.session.members[member.id].notes == "from the command line",
                    timeout=TIMEOUT)
    assert window.session.members[member.id].employees == 777
    qtbot.waitUntil(lambda: window.map.has_member("0" * 32), timeout=TIMEOUT)
    assert window.roster_model.row_of("0" * 32) >= 0
