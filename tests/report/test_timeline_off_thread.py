"""The as-of dock on a big opened project (issue 17): showing it makes the day cache's arrays off the
GUI thread (reading them there froze the window ~0.2-0.7 s at 100,000 members), and going back to
today brings the members back from those arrays, not from records read one by one (~8,000 of them,
~1 s at 100,000 members). "Big" (no record built for the opening fit, nor in slices after the open)
is lowered to the demo's size. Real window, map page and demo file."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()  # before pytest-qt creates the QApplication

from ui_helpers import TIMEOUT, big_demo_window, js  # noqa: E402

from cluster_desk.store import assess_columns  # noqa: E402
from cluster_desk.ui.map.messages import payload_row  # noqa: E402

DAY = "2019-12-31"


@pytest.fixture
def big(qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    window = big_demo_window(qtbot, tmp_path, monkeypatch)
    assert window.session.members.unbuilt()
    return window


def _reads_of_the_file(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The threads that read the checks' columns from the file from now on, one name a read."""
    read_on: list[str] = []
    real = assess_columns.read_for_assessment

    def reading(*args: Any, **kwargs: Any) -> Any:
        read_on.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(assess_columns, "read_for_assessment", reading)
    return read_on


def test_the_dock_shown_makes_the_arrays_off_the_gui_thread(
        qtbot: Any, big: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    read_on = _reads_of_the_file(monkeypatch)
    timeline = big.timeline
    timeline.dock.show()
    qtbot.waitUntil(lambda: timeline.days._arrays is not None, timeout=TIMEOUT)
    # (a copy of the worker's own arrays: the file is read again at most on the worker)
    assert threading.main_thread().name not in read_on and timeline.days.made_here == 0
    # the map's masks follow over those arrays, and the slider's year-ends are assessed over them
    qtbot.waitUntil(lambda: timeline.past_map._arrays is timeline.days._arrays, timeout=TIMEOUT)
    ends = timeline.widget.year_ends()
    qtbot.waitUntil(lambda: all(timeline.days.cached(d) for d in ends), timeout=TIMEOUT)
    timeline.show_day(DAY)
    assert timeline.day == DAY and timeline.results == timeline.days.results(DAY)


def test_a_day_not_assessed_ahead_is_shown_at_once_and_its_checks_follow(qtbot: Any, big: Any) -> None:
    """A day whose checks are not ready (a typed date; the as-of worker busy) is shown without
    waiting for them: the map, the roster and the counts at once, the checks when the worker has
    them (``pastChecked``). The window froze for the whole assessment before (0.13-0.3 s at
    100,000 members)."""
    timeline = big.timeline
    timeline.dock.show()
    qtbot.waitUntil(lambda: timeline.past_map._arrays is timeline.days._arrays, timeout=TIMEOUT)
    gate = threading.Event()
    timeline.days._executor_submit(lambda: gate.wait(TIMEOUT / 1000))  # the worker busy until set
    checked: list[Any] = []
    timeline.pastChecked.connect(checked.append)
    day = "2020-06-30"
    try:
        timeline.show_day(day)
        assert timeline.day == day and timeline.results is None and not checked
        assert big.count_label.text().startswith(f"As of {day}: "), big.count_label.text()
        assert big.roster.proxy.has_id_filter  # the roster shows the day's participants already
        assert big.assessment.pending  # the panel says its checks are on their way
    finally:
        gate.set()
    qtbot.waitUntil(lambda: bool(checked), timeout=TIMEOUT)
    assert len(checked) == 1 and checked[0] is timeline.results
    assert timeline.results == timeline.days.results(day)
    assert [(r.id, r.value) for r in big.assessment.results.values()] == [(r.id, r.value) for r in checked[0]]
    assert not big.assessment.pending


def test_back_to_today_reads_no_record(qtbot: Any, big: Any) -> None:
    timeline, members = big.timeline, big.session.members
    timeline.dock.show()
    qtbot.waitUntil(lambda: timeline.days._arrays is not None, timeout=TIMEOUT)
    timeline.show_day(DAY)
    gone = [mid for mid in timeline.past_map._arrays.ids[timeline.past_map._hidden].tolist()]
    assert gone  # members who joined since were taken off the map
    unbuilt = len(members.unbuilt())
    seq = big.map.seq
    timeline.show_day("")
    assert timeline.day == "" and len(members.unbuilt()) == unbuilt
    qtbot.waitUntil(lambda: big.map.last_drawn >= big.map.seq > seq, timeout=TIMEOUT)
    for mid in gone[:10]:  # back as they are today (their records, read only now)
        row = payload_row(members[mid])
        assert row is not None
        shown = js(qtbot, big, f"window.__clusterDesk.member({mid!r})")
        assert shown is not None
        assert (mid, shown["name"], shown["kind"], shown["status"], shown["lat"], shown["lon"]) == row


def test_after_an_edit_the_dock_takes_the_workers_arrays_not_a_new_read(
        qtbot: Any, big: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A member deleted and the delete undone with the dock open: the day cache's new arrays are a
    copy of the worker's, which followed the edits (the file was read again after each edit
    before: ~0.6 s of CPU at 100,000 members beside the edit's checks); they hold what the file
    holds then."""
    from cluster_desk.store.assess_columns import read_arrays
    from cluster_desk.ui.project.commands import DeleteMembers

    timeline, s = big.timeline, big.session
    days = timeline.days
    timeline.dock.show()
    qtbot.waitUntil(lambda: days.ready_arrays() is not None
                    and timeline.past_map._arrays is days.ready_arrays(), timeout=TIMEOUT)
    reads = _reads_of_the_file(monkeypatch)
    victim = next(mid for mid in list(s.members)[10:] if s.members[mid].located)

    def remade(gone: bool) -> bool:
        a = days.ready_arrays()
        return (a is not None and timeline.past_map._arrays is a and (victim in s.members) != gone
                and (victim in a.index) != gone)

    s.undo_stack.push(DeleteMembers(s, [victim]))
    qtbot.waitUntil(lambda: remade(gone=True), timeout=TIMEOUT)
    s.undo_stack.undo()
    qtbot.waitUntil(lambda: remade(gone=False), timeout=TIMEOUT)
    assert reads == [] and days.made_here == 0
    a, file = days.ready_arrays(), read_arrays(s.path)
    assert sorted(a.ids.tolist()) == sorted(file.ids.tolist())
    assert sorted(a.links.ids) == sorted(file.links.ids)
    timeline.show_day(DAY)  # (its checks may follow: assessed on the as-of thread)
    qtbot.waitUntil(lambda: timeline.day == DAY and timeline.results is not None, timeout=TIMEOUT)
    assert timeline.results == days.results(DAY)


def test_after_an_edit_with_today_shown_only_the_nearest_year_end_is_assessed_ahead(
        qtbot: Any, big: Any) -> None:
    """Each year-end is an assessment (~0.1-0.25 s of CPU at 100,000 members): after an edit with
    the dock open and today shown, only the one the slider's first step shows is assessed ahead
    (every one of them after each edit took the cores from the next edit's checks); the rest
    once a past day is shown."""
    from cluster_desk.ui.project.commands import DeleteMembers

    timeline, s = big.timeline, big.session
    days = timeline.days
    timeline.dock.show()
    ends = timeline.widget.year_ends()
    assert len(ends) > 2
    qtbot.waitUntil(lambda: all(days.cached(d) for d in ends), timeout=TIMEOUT)
    victim = next(mid for mid in list(s.members)[10:] if s.members[mid].located)
    s.undo_stack.push(DeleteMembers(s, [victim]))
    qtbot.waitUntil(lambda: victim not in s.members and not timeline.years_pending
                    and days.ready_arrays() is not None and not days._running, timeout=TIMEOUT)
    assert [d for d in ends if days.cached(d)] == [max(ends)]  # (the nearest: last year's end)
    timeline.show_day(min(ends))
    qtbot.waitUntil(lambda: all(days.cached(d) for d in ends), timeout=TIMEOUT)
