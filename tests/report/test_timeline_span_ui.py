"""The "as of" slider's span (issue 17): read off the GUI thread at open, moved by edits that add
dates; real window offscreen, real project file."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()  # before pytest-qt creates the QApplication

from ui_helpers import TIMEOUT, close_shared, reopen, shared_window  # noqa: E402

from cluster_desk.core.model import Link, LinkKind, Member  # noqa: E402
from cluster_desk.core.timeline import dated_years  # noqa: E402
from cluster_desk.ui.project.change_set import ChangeSet  # noqa: E402
from cluster_desk.ui.project.commands import AddMembers  # noqa: E402
from cluster_desk.ui.timeline.controller import _may_move_dates  # noqa: E402
from cluster_desk.ui.timeline.dock import TimelineDock  # noqa: E402


@pytest.fixture(scope="module")
def window(tmp_path_factory: pytest.TempPathFactory) -> Any:
    w = shared_window(tmp_path_factory.mktemp("span"))
    yield w
    close_shared(w)


def _first_year(path: Path) -> int:
    members, links, _ = reopen(path)
    span = dated_years(list(members.values()), links)
    assert span is not None
    return span[0]


def test_open_reads_the_span_on_a_worker_thread(qtbot: Any, window: Any, monkeypatch: Any) -> None:
    from cluster_desk.store import edits

    read_on: list[str] = []  # the threads the real scans ran on
    gui_scans: list[str] = []
    real_read, real_method = edits.read_dated_years, edits.RecordEdits.dated_years

    painting: list[bool] = []  # whether the map was still painting the open when a scan ran

    def read(path: Path) -> Any:
        read_on.append(threading.current_thread().name)
        painting.append(window.session.painting)
        return real_read(path)

    def method(self: Any) -> Any:
        gui_scans.append(threading.current_thread().name)
        return real_method(self)

    monkeypatch.setattr(edits, "read_dated_years", read)
    monkeypatch.setattr(edits.RecordEdits, "dated_years", method)
    path = window.session.path
    tl = window.timeline
    tl.widget.set_years(date.today().year, date.today().year)  # as a fresh window shows it
    assert window.files.open_path(path)
    qtbot.waitUntil(lambda: bool(read_on) and not tl.years_pending, timeout=TIMEOUT)
    assert read_on == ["timeline-span"] and threading.current_thread().name not in read_on
    assert gui_scans == []  # no scan of the tables on the window's thread
    assert painting == [False]  # after the map's paint of the open, not competing with it
    first = _first_year(path)
    assert first < date.today().year
    assert tl.widget.slider.minimum() == first and tl.widget.slider.maximum() == date.today().year
    assert tl.widget.year_ends()[0] == f"{first}-12-31"


def test_edits_that_add_dates_move_the_span(qtbot: Any, window: Any) -> None:
    s, tl = window.session, window.timeline
    slider = tl.widget.slider
    tl.dock.show()
    qtbot.waitUntil(lambda: not tl.years_pending, timeout=TIMEOUT)
    first = _first_year(s.path)
    assert slider.minimum() == first
    early = Member("ООО «Ранняя»", id="span-early", joined="1990-05-01", lat=55.8, lon=49.1)
    s.undo_stack.push(AddMembers(s, [early]))
    qtbot.waitUntil(lambda: slider.minimum() == 1990 and not tl.years_pending, timeout=TIMEOUT)
    from cluster_desk.ui.links.commands import AddLink

    other = next(m.id for m in s.members.values() if m.id != early.id)
    s.undo_stack.push(AddLink(s, Link(early.id, other, LinkKind.RND, id="span-link", start="1985-03-01")))
    qtbot.waitUntil(lambda: slider.minimum() == 1985 and not tl.years_pending, timeout=TIMEOUT)
    assert tl.widget.year_ends()[0] == "1985-12-31"
    s.undo_stack.undo()  # the link gone: the span narrows again
    qtbot.waitUntil(lambda: slider.minimum() == 1990 and not tl.years_pending, timeout=TIMEOUT)
    # While the dock is hidden an edit is not scanned for; showing the dock reads the span.
    tl.dock.hide()
    reads = tl._span.reads
    s.undo_stack.push(AddMembers(s, [Member("ООО «Давняя»", id="span-older", joined="1970-01-10")]))
    assert tl.years_pending and tl._span.reads == reads and slider.minimum() == 1990
    tl.dock.show()
    qtbot.waitUntil(lambda: slider.minimum() == 1970 and not tl.years_pending, timeout=TIMEOUT)
    assert _first_year(s.path) == 1970
    s.undo_stack.undo()
    s.undo_stack.undo()
    qtbot.waitUntil(lambda: slider.minimum() == first and not tl.years_pending, timeout=TIMEOUT)
    tl.dock.hide()


def test_a_drag_is_not_scanned_for_dates() -> None:
    drag = ChangeSet(upserted=frozenset({"a"}), moved=frozenset({"a"}), links=True, origin="map")
    assert not _may_move_dates(drag)
    assert not _may_move_dates(ChangeSet(settings=True))
    assert _may_move_dates(ChangeSet(upserted=frozenset({"a"}), moved=frozenset({"a"})))  # the edit dialog
    assert _may_move_dates(ChangeSet(removed=frozenset({"a"})))
    assert _may_move_dates(ChangeSet(links=True, link_upserted=frozenset({"l"})))


def test_a_span_that_arrives_keeps_the_day_shown(qtbot: Any) -> None:
    dock = TimelineDock("en")
    qtbot.addWidget(dock)
    days: list[str] = []
    dock.dayChosen.connect(days.append)
    dock.set_years(2015, date.today().year)
    dock.show_day("2019-12-31")
    dock.set_years(2001, date.today().year)  # the span read later: the past stays on screen
    assert days == ["2019-12-31"]
    assert dock.slider.minimum() == 2001 and dock.slider.value() == 2019
    assert dock.year_label.text() == "end of 2019" and not dock.banner.isHidden()
    dock.show_day("")
    dock.set_years(2010, date.today().year)
    assert dock.slider.value() == date.today().year and dock.year_label.text() == "today"


def test_a_big_projects_span_is_read_after_its_first_assessment(
        qtbot: Any, window: Any, monkeypatch: Any) -> None:
    """Issue 17: from SPAN_AFTER_ASSESSED_FROM members (lowered here to this project's size) the
    span's scan waits until the first assessment is shown, so it does not share the cores with
    the worker's read and rules; a smaller project's is read once the map has painted."""
    from cluster_desk.store import edits
    from cluster_desk.ui.timeline import controller

    shown_at_scan: list[bool] = []  # whether the checks were shown when the scan ran
    real_read = edits.read_dated_years

    def read(path: Path) -> Any:
        shown_at_scan.append(bool(window.session.results))
        return real_read(path)

    monkeypatch.setattr(edits, "read_dated_years", read)
    path, tl = window.session.path, window.timeline
    monkeypatch.setattr(controller, "SPAN_AFTER_ASSESSED_FROM", len(window.session.members))
    assert window.files.open_path(path)
    qtbot.waitUntil(lambda: bool(shown_at_scan) and not tl.years_pending, timeout=TIMEOUT)
    assert shown_at_scan == [True]
    assert tl.widget.slider.minimum() == _first_year(path)

    shown_at_scan.clear()
    monkeypatch.setattr(controller, "SPAN_AFTER_ASSESSED_FROM", len(window.session.members) + 1)
    assert window.files.open_path(path)
    qtbot.waitUntil(lambda: bool(shown_at_scan) and not tl.years_pending, timeout=TIMEOUT)
    assert len(shown_at_scan) == 1  # (read once the map painted: the checks may come first or not)
    assert tl.widget.slider.minimum() == _first_year(path)
