"""The window as of a past date, everywhere (issue 14): the map draws only the members and links of
that day (incrementally: a slider step sends no full member or link batch), the status bar counts
and the roster's Status column say what each member was then. Real window, real page, a small
roster in a real project file whose answer is known by hand."""

from __future__ import annotations

import json
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()  # before pytest-qt creates the QApplication

from ui_helpers import TIMEOUT, close_shared, js, wait_for  # noqa: E402

from cluster_desk.core.model import Link, LinkKind, Member, MemberKind, Status  # noqa: E402
from cluster_desk.core.palette import FORMER_GREY, KIND_COLOURS, OUTSIDE_RED  # noqa: E402
from cluster_desk.store.project import Project  # noqa: E402

FIRM, RESEARCH = MemberKind.FIRM, MemberKind.RESEARCH


def _m(key: str, kind: MemberKind = FIRM, status: Status = Status.MEMBER, located: bool = True,
       **dates: Any) -> Member:
    lat, lon = (55.6 + 0.05 * (ord(key) - 65), 49.0 + 0.1 * (ord(key) - 65)) if located else (None, None)
    return Member(id=key, name=f"Firm {key}", kind=kind, status=status, lat=lat, lon=lon, **dates)


MEMBERS = [
    _m("A", joined="2015-01-10", employees=40),  # head counts: the firm size chart is drawn
    _m("B", joined="2018-03-01", employees=600),
    _m("C", status=Status.FORMER, joined="2016-02-01", left="2020-06-30"),  # a member on 2019-12-31
    _m("D", RESEARCH, joined="2021-02-01"),  # not yet on 2019-12-31
    _m("E", status=Status.CANDIDATE),
    _m("F", status=Status.FORMER, joined="2015-01-01", left="2017-05-01"),  # had left by 2019
    _m("G", located=False, joined="2016-01-01"),
    _m("H", joined="2022-05-01"),
    _m("I", located=False, joined="2020-01-01"),
]
LINKS = [
    Link(id="AB", source="A", target="B", kind=LinkKind.SUPPLY, start="2018-04-01"),
    Link(id="AC", source="A", target="C", kind=LinkKind.RND, start="2016-05-01"),
    Link(id="AD", source="A", target="D", kind=LinkKind.RND, start="2021-05-01"),
    Link(id="BC", source="B", target="C", kind=LinkKind.SUPPLY, start="2019-03-01", end="2019-06-30"),
    Link(id="AF", source="A", target="F", kind=LinkKind.SUPPLY, start="2015-06-01"),
    Link(id="AE", source="A", target="E", kind=LinkKind.SUPPLY),
    Link(id="BD", source="B", target="D", kind=LinkKind.SUPPLY, start="2019-01-01"),
]
#: day -> (members on the map, links drawn, counts "members · candidates · unlocated")
EXPECTED = {
    "": ({"A", "B", "C", "D", "E", "F", "H"}, {"AB", "AC", "AD", "BC", "AF", "AE", "BD"}, (6, 1, 2)),
    "2019-12-31": ({"A", "B", "C"}, {"AB", "AC"}, (4, 1, 1)),
    "2021-12-31": ({"A", "B", "D"}, {"AB", "AD", "BD"}, (5, 1, 2)),
}


@pytest.fixture(scope="module")
def window(qapp: Any, tmp_path_factory: Any) -> Any:
    from PySide6.QtCore import QSettings

    from cluster_desk.ui.preferences import Preferences
    from cluster_desk.ui.shell.main_window import MainWindow

    folder = tmp_path_factory.mktemp("past")
    path = folder / "small.cdesk"
    with Project.create(path, name="Small") as p:
        p.add_members(MEMBERS)
        p.add_links(LINKS)
    prefs = Preferences(QSettings(str(folder / "prefs.ini"), QSettings.Format.IniFormat))
    w = MainWindow(prefs, lang="en")
    w.errors = []
    w.report_error = lambda title, text: w.errors.append((title, text))
    w.resize(1280, 820)
    w.show()
    wait_for(lambda: w.map.is_ready)
    assert w.files.open_path(path)
    seq = w.map.fit_all()
    wait_for(lambda: w.map.last_drawn >= seq and bool(w.session.results))
    w.sent = []  # ops sent, those of a batch one by one
    w.messages = []  # the bridge's messages: [ops] each
    w.map.bridge.command.connect(lambda text: w.messages.append(_ops(json.loads(text))))
    w.map.bridge.command.connect(lambda text: w.sent.extend(w.messages[-1]))
    yield w
    close_shared(w)


def _ops(msg: dict[str, Any]) -> list[str]:
    return [c["op"] for c in msg["commands"]] if msg["op"] == "batch" else [msg["op"]]


def _unmasked(qtbot: Any, window: Any) -> set[str]:
    """Link ids the page draws: alive and not masked by the as-of view."""
    layer = window.links.layer
    shown = js(qtbot, window, "window.__clusterDeskLinks.shownSlots()")
    return {layer.link_at_slot(s) for s in shown}


def _show(qtbot: Any, window: Any, day: str) -> None:
    window.sent.clear()
    window.timeline.show_day(day)
    seq = window.map.fit_all()
    qtbot.waitUntil(lambda: window.map.last_drawn >= seq, timeout=TIMEOUT)


def _state(qtbot: Any, window: Any) -> tuple[set[str], set[str], tuple[int, ...]]:
    ids = json.dumps([m.id for m in MEMBERS])
    on_page = set(js(qtbot, window, f"{ids}.filter((id) => window.__clusterDesk.member(id) !== null)"))
    text = window.count_label.text().split(": ")[-1]
    counts = tuple(int(part.split()[0]) for part in text.split(" · "))
    return on_page, _unmasked(qtbot, window), counts


def test_each_day_shows_its_members_links_and_counts_incrementally(qtbot: Any, window: Any) -> None:
    for day in ("2019-12-31", "2021-12-31", "2019-12-31", ""):
        _show(qtbot, window, day)
        assert _state(qtbot, window) == EXPECTED[day], day
        assert js(qtbot, window, "window.__clusterDesk.stats().members") == len(EXPECTED[day][0])
        assert "setMembers" not in window.sent and "setLinks" not in window.sent, window.sent
        assert window.sent.count("showDay") == 1, window.sent  # one message: painted once
        if day:
            assert window.count_label.text().startswith(f"As of {day}: ")
    assert window.count_label.text() == "6 members · 1 candidate · 2 unlocated"  # (each in its plural)


def _drawn(qtbot: Any, window: Any) -> dict[str, Any]:
    """Each member on the page as drawn (position, name, kind, status, style, fade)."""
    ids = json.dumps([m.id for m in MEMBERS])
    return js(qtbot, window, f"Object.fromEntries({ids}.map((id) => [id, window.__clusterDesk.member(id)]))")


def _steps(window: Any, days: list[str]) -> list[dict[str, Any]]:
    """The showDay command each of these days sends (parsed from the bridge)."""
    sent: list[dict[str, Any]] = []

    def keep(text: str) -> None:
        msg = json.loads(text)
        sent.extend(c for c in msg.get("commands", [msg]) if c["op"] == "showDay")

    window.map.bridge.command.connect(keep)
    try:
        for day in days:
            window.timeline.show_day(day)
            wait_for(lambda: window.map.last_drawn >= window.map.seq)
    finally:
        window.map.bridge.command.disconnect(keep)
    return sent


def test_members_coming_back_are_named_by_id_and_drawn_as_they_left(qtbot: Any, window: Any) -> None:
    """The page keeps the members a step takes off (parked as drawn): one coming back as it left
    is named by id, not sent again (Back to Today at 100,000 members: ~35,000 rows), and when all
    it keeps come back none is named. C, a former member drawn as a member of 2019, goes back to
    former grey with its row sent anew."""
    _show(qtbot, window, "")
    today = _drawn(qtbot, window)
    to_2019, to_2021, back = _steps(window, ["2019-12-31", "2021-12-31", ""])
    assert sorted(to_2019["remove"]) == ["D", "E", "F", "H"] and not to_2019["restore"]
    assert to_2021["restore"] == ["D"] and to_2021["upsert"]["id"] == [], to_2021  # D, as it left
    assert not to_2019["restoreAll"] and not to_2021["restoreAll"]  # (E, F and H stay parked)
    # back to today: E, F and H, every member still parked, come back unnamed; C sent anew
    assert back["restoreAll"] and back["restore"] == [] and back["upsert"]["id"] == ["C"], back
    assert js(qtbot, window, "window.__clusterDesk.stats().parked") == 0
    assert _drawn(qtbot, window) == today
    assert _state(qtbot, window) == EXPECTED[""]


@pytest.mark.parametrize("ringed", [["A", "E", "H"], ["A", "B", "C", "E", "H"]])
def test_members_coming_back_unnamed_keep_their_outside_rings(
        qtbot: Any, window: Any, ringed: list[str]) -> None:
    """Back to Today with every parked member coming back unnamed (``restoreAll``): those of them
    ringed as outside now are named for their rings, as when each was named (fewer ringed than
    coming back, and more)."""
    _show(qtbot, window, "")
    today, rings = _drawn(qtbot, window), list(window.map._outside)
    _show(qtbot, window, "2019-12-31")  # D, E, F and H parked
    window.map.set_outside(ringed)  # (as a day's own rings would be)
    try:
        (back,) = _steps(window, [""])
        assert back["restoreAll"] and sorted(back["restoreOutside"]) == ["E", "H"], back
        drawn = _drawn(qtbot, window)
        assert {i for i in "ABCDEFH" if drawn[i]["style"]["color"] == OUTSIDE_RED} == set(ringed)
    finally:
        seq = window.map.set_outside(rings)  # (the live checks' rings again)
        qtbot.waitUntil(lambda: window.map.last_drawn >= seq, timeout=TIMEOUT)
    assert _drawn(qtbot, window) == today


def test_after_a_reload_in_the_past_the_members_come_back_in_full(qtbot: Any, window: Any) -> None:
    """A reloaded page has nothing parked: Back to Today then sends the members' rows again."""
    from PySide6.QtWebEngineCore import QWebEnginePage

    _show(qtbot, window, "")
    today = _drawn(qtbot, window)
    _show(qtbot, window, "2019-12-31")
    with qtbot.waitSignal(window.map.ready, timeout=TIMEOUT):
        window.map.page().triggerAction(QWebEnginePage.WebAction.Reload)
    qtbot.waitUntil(lambda: _state(qtbot, window) == EXPECTED["2019-12-31"], timeout=TIMEOUT)
    (back,) = _steps(window, [""])
    assert not back["restore"] and sorted(back["upsert"]["id"]) == ["C", "D", "E", "F", "H"], back
    assert _drawn(qtbot, window) == today
    assert _state(qtbot, window) == EXPECTED[""]


def test_a_member_who_left_later_is_drawn_and_listed_as_a_member_of_that_day(qtbot: Any, window: Any) -> None:
    model = window.roster_model
    status_col = 2

    def shown(member_id: str) -> Any:
        return model.index(model.row_of(member_id), status_col).data()

    assert shown("C") == "Former"
    grey = js(qtbot, window, "window.__clusterDesk.member('C').style.fillColor")
    assert grey.lower() == FORMER_GREY.lower()
    _show(qtbot, window, "2019-12-31")
    colour = js(qtbot, window, "window.__clusterDesk.member('C').style.fillColor")
    assert colour.lower() == KIND_COLOURS["firm"].lower()
    then = (shown("C"), shown("D"), shown("F"), shown("E"))
    assert then == ("Member", "Not yet joined", "Former", "Candidate")
    assert window.roster.proxy.rowCount() == 4  # the day's participants, G (unplaced) included
    window.roster.proxy.set_status(Status.MEMBER)  # the status filter reads the day's statuses
    assert window.roster.proxy.rowCount() == 4
    window.roster.clear_check_filter()  # every row, each with its status that day
    assert window.roster.proxy.rowCount() == 4
    window.roster.proxy.set_status(Status.FORMER)
    assert {model.member_id(window.roster.proxy.mapToSource(window.roster.proxy.index(r, 0)).row())
            for r in range(window.roster.proxy.rowCount())} == {"F"}
    window.roster.proxy.set_status(None)
    _show(qtbot, window, "")
    assert shown("C") == "Former" and shown("D") == "Member"
    colour = js(qtbot, window, "window.__clusterDesk.member('C').style.fillColor")
    assert colour.lower() == FORMER_GREY.lower()


def test_chart_hover_shows_the_value_under_the_mouse(qtbot: Any, window: Any) -> None:
    """The charts dock says the value of the bar under the mouse (a real mouse move over the chart,
    read against the figure as the worker drew it at the chart's size)."""
    from PySide6.QtCore import QEvent, QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    panel = window.charts.panel
    window.charts.dock.setFloating(True)  # room for the canvas whatever the window's layout
    window.charts.dock.resize(760, 520)
    window.charts.dock.show()
    qtbot.waitUntil(lambda: "growth" in panel.figures, timeout=TIMEOUT)
    panel.tabs.setCurrentIndex(0)
    canvas = panel.tabs.currentWidget()
    fig = panel.figures["growth"]
    qtbot.waitUntil(lambda: canvas.isVisible() and canvas.height() > 200 and canvas.is_drawn(),
                    timeout=TIMEOUT)
    ax = fig.axes[0]
    bar = max(ax.patches[1:], key=lambda p: p.get_height())  # the first patch is the band
    x, y = ax.transData.transform((bar.get_x() + bar.get_width() / 2, bar.get_height() / 2))
    ratio = canvas.devicePixelRatioF()
    at = QPointF(x / ratio, canvas.height() - y / ratio)

    none = Qt.MouseButton.NoButton
    QApplication.sendEvent(canvas, QMouseEvent(QEvent.Type.MouseMove, at, canvas.mapToGlobal(at), none, none,
                                               Qt.KeyboardModifier.NoModifier))
    qtbot.waitUntil(lambda: panel.hover.text() != "", timeout=TIMEOUT)
    # As the axis writes it (shares as "53 %", "1 234" with a thousands space in Russian).
    assert panel.hover.text().endswith(ax.yaxis.get_major_formatter()(bar.get_height())), panel.hover.text()
    # A horizontal bar's value is its length: the firm size chart's shares, in percent.
    panel.tabs.setCurrentIndex(list(panel.figures).index("sizes"))
    canvas = panel.tabs.currentWidget()
    qtbot.waitUntil(lambda: canvas.isVisible() and canvas.height() > 200 and canvas.is_drawn(),
                    timeout=TIMEOUT)
    ax = panel.figures["sizes"].axes[0]
    bar = ax.containers[0].patches[0]  # this cluster's small firms
    x, y = ax.transData.transform((bar.get_width() / 2, bar.get_y() + bar.get_height() / 2))
    at = QPointF(x / ratio, canvas.height() - y / ratio)
    QApplication.sendEvent(canvas, QMouseEvent(QEvent.Type.MouseMove, at, canvas.mapToGlobal(at), none, none,
                                               Qt.KeyboardModifier.NoModifier))
    shown = ax.xaxis.get_major_formatter()(bar.get_width())
    qtbot.waitUntil(lambda: panel.hover.text().endswith(shown), timeout=TIMEOUT)
    assert shown.endswith("%") and panel.hover.text().startswith(ax.containers[0].get_label())
    window.charts.dock.hide()
    window.charts.dock.setFloating(False)


def test_a_step_is_one_message_and_its_fade_repaints_nothing(qtbot: Any, window: Any) -> None:
    """A step is one message to the page (members, links, outside rings). The roster's filter of
    the day would fade the others, but in the plain as-of view the members it hides are off the
    map and so is every link with such an end (masked): no fade is sent at all, neither now nor
    timers later, and the members and links the step brought back are that day's, drawn unfaded
    at once. The page paints the members once and each kind of link whose lines changed once;
    nothing is left to send."""
    _show(qtbot, window, "2019-12-31")
    page = "({m: window.__clusterDesk.stats(), l: window.__clusterDeskLinks.stats()})"
    before = js(qtbot, window, page)
    window.messages.clear()
    window.timeline.show_day("2021-12-31")  # D joins; AD and BD count from now, AC no longer
    assert not window._fade_timer.isActive() and not window.links._fade_timer.isActive()
    assert ["showDay" in ops for ops in window.messages] == [True], window.messages
    wait_for(lambda: window.map.last_drawn >= window.map.seq)
    after = js(qtbot, window, page)
    assert after["m"]["canvasDraws"] == before["m"]["canvasDraws"] + 1
    changed = EXPECTED["2019-12-31"][1] ^ EXPECTED["2021-12-31"][1]
    kinds = {lk.kind for lk in LINKS if lk.id in changed}
    assert after["l"]["kindDraws"] == before["l"]["kindDraws"] + len(kinds), (changed, kinds)
    assert _faded(qtbot, window) == (set(), set())
    assert _unmasked(qtbot, window) == EXPECTED["2021-12-31"][1]
    assert len(window.messages) == 1, window.messages  # and nothing after them
    _show(qtbot, window, "")


def _faded(qtbot: Any, window: Any) -> tuple[set[str], set[str]]:
    """Members on the map drawn faded, and links (masked or not) flagged faded, on the page."""
    ids = json.dumps([m.id for m in MEMBERS])
    members = js(qtbot, window,
                 f"{ids}.filter((id) => (window.__clusterDesk.member(id) || {{}}).faded === true)")
    slots = js(qtbot, window, "window.__clusterDeskLinks.fadedSlots()")
    return set(members), {window.links.layer.link_at_slot(s) for s in slots}



#: day -> the roster rows of the day (its participants, unplaced ones included; "": everyone)
PARTICIPANTS = {"": {m.id for m in MEMBERS}, "2019-12-31": {"A", "B", "C", "G"},
                "2021-12-31": {"A", "B", "D", "G", "I"}}


def test_a_filter_of_the_user_still_fades_in_the_past_view_step_after_step(qtbot: Any, window: Any) -> None:
    """A kind filter on the roster while the slider moves: a step's fade is sent as the change
    from the last (changeFaded: ids in and out), on top of the members the step brought back
    drawn unfaded (showDay). The page ends each step with exactly the members and links the
    filter hides: D (the research institute) and every link with an end not shown that day."""
    ends = {lk.id: (lk.source, lk.target) for lk in LINKS}
    window.roster.proxy.set_kind(FIRM)
    try:
        for day in ("2019-12-31", "2021-12-31", "2019-12-31", "2021-12-31", ""):
            _show(qtbot, window, day)
            shown = PARTICIPANTS[day] - {"D"}
            expected = ({m for m in EXPECTED[day][0] if m not in shown},
                        {lk for lk, (a, b) in ends.items() if not {a, b} <= shown})
            qtbot.waitUntil(lambda e=expected: _faded(qtbot, window) == e, timeout=TIMEOUT)
            assert _faded(qtbot, window) == expected, day
            assert _unmasked(qtbot, window) == EXPECTED[day][1], day
            if day == "2021-12-31":  # D came back unfaded with the step; the change fades it
                assert "changeFaded" in window.sent and "setFaded" not in window.sent, window.sent
    finally:
        window.roster.proxy.set_kind(None)
        _show(qtbot, window, "")
    qtbot.waitUntil(lambda: _faded(qtbot, window) == (set(), set()), timeout=TIMEOUT)


def test_the_link_fade_follows_a_small_change_from_the_last(qtbot: Any, window: Any) -> None:
    """A date step changes a few of many shown members: the link fade is then updated from the
    last one by the change (in place, not rebuilt from every shown id), and the page's faded
    links are exactly those with an end not shown after each change."""
    _show(qtbot, window, "")
    layer = window.links.layer
    ends = {lk.id: (lk.source, lk.target) for lk in LINKS}
    everyone = {m.id for m in MEMBERS}
    kept = None
    try:
        for i, shown in enumerate([everyone - {"D"}, everyone - {"D", "C"}, everyone - {"C", "F"},
                                   everyone - {"F"}]):
            layer.fade_to(frozenset(shown))
            if i:
                assert layer._kept[2] is kept  # from the last, by the change
            kept = layer._kept[2]
            expected = {lk for lk, (a, b) in ends.items() if not {a, b} <= shown}
            qtbot.waitUntil(lambda e=expected: _faded(qtbot, window)[1] == e, timeout=TIMEOUT)
            assert _faded(qtbot, window)[1] == expected, shown
    finally:
        layer.fade_to(window.roster.proxy.shown_set())
    qtbot.waitUntil(lambda: _faded(qtbot, window) == (set(), set()), timeout=TIMEOUT)


def test_a_step_reaches_the_page_in_one_go(qtbot: Any, window: Any) -> None:
    """The step's map change (showDay) and what the window sends the map for the step (the
    outside rings and circle, from MapSync.apply_results; here with a stand-in command added)
    reach the page in one message, run in one task: the page paints them in one frame rather
    than a full member draw for each."""
    _show(qtbot, window, "")
    sync = window.sync
    real = sync.apply_results

    def apply_results(results: Any) -> None:
        real(results)
        window.map.set_mode(window.map.mode)  # a command the map gets from the window's part

    sync.apply_results = apply_results
    try:
        window.messages.clear()
        _show(qtbot, window, "2019-12-31")
    finally:
        del sync.apply_results
    with_day = [ops for ops in window.messages if "showDay" in ops]
    assert len(with_day) == 1 and "setMode" in with_day[0], window.messages
    assert _state(qtbot, window) == EXPECTED["2019-12-31"]  # each command of the batch was run
    _show(qtbot, window, "")
