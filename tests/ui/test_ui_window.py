"""The main window end to end: real map page, real project files in tmp_path, no mocks."""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()  # before pytest-qt creates the QApplication (module import time)

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402
from ui_helpers import (  # noqa: E402
    TIMEOUT,
    check,
    click_map,
    close_shared,
    demo_file,
    js,
    make_window,
    reopen,
    shared_window,
    wait_map_synced,
)

from cluster_desk.core.model import Status  # noqa: E402
from cluster_desk.ui.roster.model import COL  # noqa: E402


@pytest.fixture
def window(qtbot: Any, tmp_path: Path) -> Any:
    return make_window(qtbot, tmp_path)


@pytest.fixture
def opened(qtbot: Any, tmp_path: Path, window: Any) -> tuple[Any, Path]:
    path = demo_file(tmp_path)
    assert window.files.open_path(path)
    wait_map_synced(qtbot, window)
    return window, path


@pytest.fixture(scope="module")
def looking(qapp: Any, tmp_path_factory: Any) -> Any:
    """One window with the demo open for the tests that only look: they must not edit the
    project; a check filter they set is cleared before they end (a card's "how" text may stay)."""
    window = shared_window(tmp_path_factory.mktemp("looking"))
    yield window
    close_shared(window)


def test_open_project_shows_every_row_and_every_located_marker(qtbot: Any, looking: Any) -> None:
    window, path = looking, looking.session.path
    members, _links, settings = reopen(path)
    located = [m for m in members.values() if m.located]
    assert window.roster_model.rowCount() == len(members) == window.roster.proxy.rowCount()
    assert js(qtbot, window, "window.__clusterDesk.stats().members") == len(located)
    assert window.map.member_ids() == {m.id for m in located}
    assert path.name in window.windowTitle() and settings.name in window.windowTitle()
    assert not window.start_page.isVisible()
    c = window.session.counts()
    assert f"{c['unlocated']} unlocated" in window.count_label.text()
    assert len(window.assessment.cards) == len(window.session.results) >= 8


def test_counts_in_the_window_are_grouped_as_english_writes_them(looking: Any) -> None:
    """The status bar and the tables' row counts write big numbers as the check cards do
    ("91,934"; they were spaced as in Russian whatever the language)."""
    from PySide6.QtWidgets import QLabel

    from cluster_desk.ui.widgets.filter_bar import show_count

    window = looking
    window._update_counts({"members": 91_934, "candidates": 8_066, "unlocated": 2_071})
    try:
        assert window.count_label.text() == "91,934 members · 8,066 candidates · 2,071 unlocated"
    finally:
        window._update_counts()
    label = QLabel()
    show_count(label, 15_711, 100_000, "%1 rows", "%1 of %2 rows")
    assert label.text() == "15,711 of 100,000 rows"
    show_count(label, 100_000, 100_000, "%1 rows", "%1 of %2 rows")
    assert label.text() == "100,000 rows"
    from PySide6.QtCore import QCoreApplication

    for context, source, one in (("RosterPanel", "%1 row(s)", "%1 row"),
                                 ("LinksPanel", "%1 link(s)", "%1 link"),
                                 ("RosterPanel", "%1 of %2 row(s)", "%1 of %2 row")):
        assert QCoreApplication.translate(context, source, "", 1) == one  # ("1 rows" before)
        assert QCoreApplication.translate(context, source, "", 2) == one.replace(" row", " rows").replace(
            " link", " links")


def test_the_check_chip_says_how_many_in_the_right_plural(looking: Any) -> None:
    roster = looking.roster
    ids = list(looking.session.members)[:2]
    try:
        roster.set_check_filter("Critical mass", ids[:1])
        assert roster.check_chip.whole == "Critical mass: 1 member  ✕"
        roster.set_check_filter("Critical mass", ids)
        assert roster.check_chip.whole == "Critical mass: 2 members  ✕"
    finally:
        roster.clear_check_filter()


def test_a_delete_says_how_many_in_the_right_plural(qtbot: Any, opened: tuple[Any, Path]) -> None:
    window, _path = opened
    ids = list(window.session.members)[:2]
    for chosen, said in ((ids[:1], "Deleted 1 member. Ctrl+Z brings it back."),
                         (ids, "Deleted 2 members. Ctrl+Z brings them back.")):
        window.roster.select_ids(chosen)
        qtbot.waitUntil(lambda chosen=chosen: sorted(window.roster.selected_ids()) == sorted(chosen))
        window.edits.delete_selected()
        assert window.statusBar().currentMessage() == said
        window.session.undo_stack.undo()
        qtbot.waitUntil(lambda chosen=chosen: all(i in window.session.members for i in chosen))


def test_add_member_by_clicking_the_map_in_place_mode(qtbot: Any, opened: tuple[Any, Path]) -> None:
    """A real mouse click on the view's focus proxy; the form is then filled and accepted."""
    window, path = opened
    before = window.roster_model.rowCount()
    window.actions.add_member.trigger()
    assert window.sync.mode == "add" and window.map.mode == "place"
    wait_map_synced(qtbot, window)
    size = window.map.size()
    click_map(qtbot, window, size.width() * 0.3, size.height() * 0.7)  # empty land, no marker
    qtbot.waitUntil(lambda: window.edits.form is not None, timeout=TIMEOUT)
    form = window.edits.form
    lat, lon = float(form.lat.text()), float(form.lon.text())
    form.name.setText("ООО «Новый участник»")
    form.employees.setValue(42)
    form.accept()
    assert window.roster_model.rowCount() == before + 1
    assert window.map.mode == "browse"
    new = [m for m in reopen(path)[0].values() if m.name == "ООО «Новый участник»"]
    assert len(new) == 1 and new[0].employees == 42
    assert math.isclose(new[0].lat, lat, abs_tol=1e-6) and math.isclose(new[0].lon, lon, abs_tol=1e-6)
    assert window.map.has_member(new[0].id)
    assert window.roster.selected_ids() == [new[0].id]


def test_move_by_dragging_then_undo_and_redo_change_the_file(qtbot: Any, opened: tuple[Any, Path]) -> None:
    window, path = opened
    member = next(m for m in window.session.members.values() if m.located and m.status is Status.MEMBER)
    old = (member.lat, member.lon)
    # The page's drag message, through the real bridge and MapView.memberMoved.
    with qtbot.waitSignal(window.map.memberMoved, timeout=TIMEOUT):
        js(qtbot, window, f"window.__clusterDesk.simulateDrag('{member.id}', 56.1, 50.2)")
    moved = reopen(path)[0][member.id]
    assert (moved.lat, moved.lon) == pytest.approx((56.1, 50.2))
    stack = window.session.undo_stack
    assert "Move" in window.actions.undo.text()
    stack.undo()
    assert (reopen(path)[0][member.id].lat, reopen(path)[0][member.id].lon) == pytest.approx(old)
    assert window.session.members[member.id].lat == pytest.approx(old[0])
    stack.redo()
    assert reopen(path)[0][member.id].lat == pytest.approx(56.1)


def test_edit_a_cell_writes_the_file_and_reassesses(qtbot: Any, opened: tuple[Any, Path]) -> None:
    window, path = opened
    from cluster_desk.core.planner import rank_candidates

    before = check(window, "critical_mass").value
    s = window.session
    counting = {g.id for g in rank_candidates(list(s.members.values()), list(s.links.values()), s.settings)
                if g.counts}  # a candidate firm that counts once a member: core/related, inside
    firm = next(m for m in s.members.values() if m.id in counting)
    model = window.roster_model
    index = window.roster.proxy.mapFromSource(model.index(model.row_of(firm.id), COL["status"]))
    assert window.roster.proxy.setData(index, "member")
    assert reopen(path)[0][firm.id].status is Status.MEMBER
    qtbot.waitUntil(lambda: check(window, "critical_mass").value == before + 1, timeout=2000)
    assert window.assessment.cards["critical_mass"].figure.text() == f"{before + 1} firms"
    # Invalid input is refused and nothing is written.
    name_index = index.siblingAtColumn(0)
    assert not window.roster.proxy.setData(name_index, "   ")
    assert reopen(path)[0][firm.id].name == firm.name


def test_delete_then_undo_restores_the_member_and_its_links(qtbot: Any, opened: tuple[Any, Path]) -> None:
    window, path = opened
    links = list(window.session.links.values())
    degree: dict[str, int] = {}
    for link in links:
        degree[link.source] = degree.get(link.source, 0) + 1
    member_id = max(degree, key=degree.__getitem__)
    window.roster.select_ids([member_id])
    window.actions.delete_members.trigger()
    members, file_links, _ = reopen(path)
    assert member_id not in members
    assert len(file_links) == len(links) - sum(member_id in (k.source, k.target) for k in links)
    assert not window.map.has_member(member_id) and window.roster_model.row_of(member_id) < 0
    window.actions.undo.trigger()
    members, file_links, _ = reopen(path)
    assert member_id in members and len(file_links) == len(links)
    assert window.map.has_member(member_id) and window.roster_model.row_of(member_id) >= 0


def test_radius_spin_box_changes_the_concentration_check(qtbot: Any, opened: tuple[Any, Path]) -> None:
    window, path = opened
    conc = check(window, "concentration")
    assert conc.details["outside_count"] > 0
    window.assessment.radius.setValue(5000.0)
    qtbot.waitUntil(lambda: check(window, "concentration").details["outside_count"] == 0, timeout=2000)
    assert reopen(path)[2].radius_km == 5000.0
    assert check(window, "concentration").status == "ok"
    window.actions.undo.trigger()
    qtbot.waitUntil(lambda: check(window, "concentration").details["outside_count"] > 0, timeout=2000)
    assert window.assessment.radius.value() == pytest.approx(reopen(path)[2].radius_km)


def test_fit_smallest_circle_moves_the_centre_never_the_norm(qtbot: Any, opened: tuple[Any, Path]) -> None:
    """Issue 13: fitting the circle (295 km on the demo) must not turn the check green under an
    OECD 200 km label; it moves the centre and shows the smallest circles."""
    window, path = opened
    before = reopen(path)[2]
    window.actions.fit_circle.trigger()
    conc = check(window, "concentration")
    smallest = conc.details["smallest_circle"]
    settings = reopen(path)[2]
    assert settings.radius_km == before.radius_km == 200.0
    assert (settings.centre_lat, settings.centre_lon) == pytest.approx((smallest[0], smallest[1]))
    qtbot.waitUntil(lambda: check(window, "concentration").details["centre_source"] == "settings",
                    timeout=2000)
    assert check(window, "concentration").status != "ok"  # members beyond 200 km stay outside
    assert "km" in window.assessment.circles.text()
    # Both circles on the map beside the norm circle (resources/web/fitcircles.js), in the legend.
    qtbot.waitUntil(lambda: js(qtbot, window, "window.__clusterDesk.stats().fitCircles")
                    == ["smallest", "smallest90"], timeout=TIMEOUT)
    assert js(qtbot, window, "window.__clusterDesk.stats().circle") is True
    shown = [label.text() for _icon, label in window.legend._fit_rows if not label.isHidden()]
    assert len(shown) == 2 and f"{smallest[2]:,.0f}".replace(",", "\u00a0") in shown[0]
    assert window.session.circle[2] == 200.0  # the norm circle drawn is still 200 km
    window.files.close()  # another project: the fitted circles go
    qtbot.waitUntil(lambda: js(qtbot, window, "window.__clusterDesk.stats().fitCircles") == [],
                    timeout=TIMEOUT)
    assert all(label.isHidden() for _icon, label in window.legend._fit_rows)


def test_clicking_a_check_highlights_and_filters_its_members(qtbot: Any, looking: Any) -> None:
    window = looking
    assert window.roster.proxy.rowCount() == window.roster_model.rowCount()  # no filter left on
    conc = check(window, "concentration")
    window.assessment.cards["concentration"].clicked.emit("concentration")
    assert window.roster.proxy.rowCount() == len(conc.member_ids)
    wait_map_synced(qtbot, window)
    assert js(qtbot, window, "window.__clusterDesk.stats().highlighted") == len(conc.member_ids)
    window.roster.clear_check_filter()
    assert window.roster.proxy.rowCount() == window.roster_model.rowCount()


def test_place_an_unlocated_member_with_a_click(qtbot: Any, opened: tuple[Any, Path]) -> None:
    window, path = opened
    member = next(m for m in window.session.members.values() if not m.located)
    window.roster.select_ids([member.id])
    window.actions.place_member.trigger()
    assert window.sync.mode == "place"
    wait_map_synced(qtbot, window)
    size = window.map.size()
    click_map(qtbot, window, size.width() * 0.3, size.height() * 0.7)
    qtbot.waitUntil(lambda: reopen(path)[0][member.id].located, timeout=TIMEOUT)
    assert window.map.has_member(member.id)
    window.actions.undo.trigger()
    assert not reopen(path)[0][member.id].located and not window.map.has_member(member.id)


def test_damaged_file_shows_the_message_and_is_left_untouched(qtbot: Any, tmp_path: Path,
                                                               window: Any) -> None:
    bad = tmp_path / "damaged.cdesk"
    data = os.urandom(8192)
    bad.write_bytes(data)
    assert not window.files.open_path(bad)
    assert len(window.errors) == 1 and str(bad.name) in window.errors[0][1]
    assert bad.read_bytes() == data
    assert not window.session.is_open and window.start_page.isVisible()


def test_damaged_file_default_reporter_is_a_message_box(qtbot: Any, tmp_path: Path, window: Any) -> None:
    """The real QMessageBox: a timer reads and closes the modal box."""
    bad = tmp_path / "not-a-project.cdesk"
    bad.write_bytes(b"just some text, not SQLite")
    window.report_error = window._message_box
    seen: list[str] = []

    def close_box() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.close()
        else:
            QTimer.singleShot(50, close_box)

    QTimer.singleShot(50, close_box)
    window.files.open_path(bad)
    assert seen and bad.name in seen[0]
    assert bad.read_bytes() == b"just some text, not SQLite"


def test_save_as_continues_in_the_copy(qtbot: Any, opened: tuple[Any, Path], tmp_path: Path) -> None:
    window, path = opened
    copy = tmp_path / "copy.cdesk"
    assert window.files.save_as_path(copy)
    assert window.session.path == copy and copy.name in window.windowTitle()
    assert len(reopen(copy)[0]) == len(reopen(path)[0])
    assert str(copy.resolve()) == window.prefs.recent_files[0]


def test_a_check_click_explains_how_it_is_computed(qtbot: Any, looking: Any) -> None:
    window = looking
    card = window.assessment.cards["links"]
    assert not card.how.isVisibleTo(card)
    card.clicked.emit("links")
    assert card.how.isVisibleTo(card)
    text = card.how.text()
    assert "Density" in text and "Business–science" in text and "Cluster–cluster" in text
    window.roster.clear_check_filter()  # (closing with a check filter on trips the roster's filter)


def test_planner_shows_as_if_and_applies_in_one_undo_step(qtbot: Any, opened: tuple[Any, Path]) -> None:
    window, path = opened
    planner = window.assessment.planner
    window.assessment.tabs.setCurrentWidget(planner)
    qtbot.waitUntil(lambda: planner.model.rowCount() > 0, timeout=TIMEOUT)
    counting = [g.id for g in planner.ranked if g.counts]
    assert counting and [g.id for g in planner.ranked[: len(counting)]] == counting
    today = check(window, "critical_mass").value
    planner.tick(counting)  # "as if" is assessed on the worker thread
    qtbot.waitUntil(lambda: planner.compare.rowCount() > 0 and planner.compare.item(0, 2).text().endswith(
        f"{today + len(counting)} firms"), timeout=TIMEOUT)
    depth = window.session.undo_stack.count()
    planner.apply.click()
    assert window.session.undo_stack.count() == depth + 1
    members = reopen(path)[0]
    assert all(members[i].status is Status.MEMBER for i in counting)
    qtbot.waitUntil(lambda: check(window, "critical_mass").value == today + len(counting), timeout=TIMEOUT)
    window.session.undo_stack.undo()
    assert all(reopen(path)[0][i].status is Status.CANDIDATE for i in counting)
