"""An open's data block pushed into a request the page keeps waiting (ui/map/scheme.py push):
the page reads exactly what Python sent, with no request of its own after the block exists;
when no request waits, or the waiting ones are refused, the block is fetched by its token.
The real page offscreen, one page load for the module."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()  # before pytest-qt creates the QApplication (module import time)

import numpy as np  # noqa: E402
from map_page_helpers import TIMEOUT, ModuleBot, js, members_around, open_view, stats, wait_drawn  # noqa: E402
from PySide6.QtWebEngineCore import QWebEngineUrlRequestJob  # noqa: E402
from ui_helpers import wait_for  # noqa: E402

from cluster_desk.core.tables import MemberColumns  # noqa: E402
from cluster_desk.ui.map.scheme import NEXT_WAITING  # noqa: E402
from cluster_desk.ui.map.view import KIND_COLOURS, MapView  # noqa: E402


@pytest.fixture(scope="module")
def view(qapp: Any) -> Iterator[MapView]:
    v = MapView()
    console = open_view(ModuleBot(), v)
    wait_for(lambda: v.is_ready)
    yield v
    assert console.errors == [], "JavaScript errors on the map page"
    v.close()
    v.deleteLater()


def _columns(n: int) -> MemberColumns:
    ms = members_around(n)
    lat = np.array([m.lat for m in ms])
    lat[3] = 55.123456789012345  # every bit of a float64 must arrive
    names = [f"Завод «Ока» {i}" for i in range(n)]
    return MemberColumns([m.id for m in ms], names, [str(m.kind) for m in ms], [str(m.status) for m in ms],
                         lat, np.array([m.lon for m in ms]))


def _open(qtbot: Any, view: MapView, cols: MemberColumns) -> list[dict[str, Any]]:
    """Send ``cols`` as an opened project's members; wait until their names are painted too."""
    ops: list[dict[str, Any]] = []
    view.bridge.command.connect(lambda text: ops.append(json.loads(text)))
    wait_drawn(qtbot, view, view.set_member_columns(cols))
    qtbot.waitUntil(lambda: [o["op"] for o in ops] == ["setMembers", "setMemberTexts"], timeout=TIMEOUT)
    wait_drawn(qtbot, view, view.seq)
    return ops


def _blob_counts(qtbot: Any, view: MapView, before: dict[str, Any]) -> tuple[int, int]:
    """(pushed, fetched) blobs the page took since ``before`` (its stats then)."""
    now = stats(qtbot, view)
    return now["blobsPushed"] - before["blobsPushed"], now["blobsFetched"] - before["blobsFetched"]


def _reads_back(qtbot: Any, view: MapView, cols: MemberColumns) -> None:
    page = js(qtbot, view, f"{json.dumps(cols.ids)}.map((id) => window.__clusterDesk.member(id))")
    assert [(m["lat"], m["lon"], m["kind"], m["status"], m["name"]) for m in page] == list(
        zip(cols.lat.tolist(), cols.lon.tolist(), cols.kinds, cols.statuses, cols.names, strict=True))


def test_the_block_goes_into_a_waiting_request_and_reads_back_exactly(qtbot: Any, view: MapView) -> None:
    handler = view._scheme_handler
    wait_for(lambda: len(handler._waiting) == NEXT_WAITING)  # the page asked once configured
    before = stats(qtbot, view)
    pushed = handler.pushed
    cols = _columns(40)
    ops = _open(qtbot, view, cols)
    # Both blocks (coordinates and codes, then ids and names) were pushed: none fetched.
    assert all(o["blob"].get("pushed") is True for o in ops)
    assert _blob_counts(qtbot, view, before) == (2, 0)
    assert handler.pushed == pushed + 2 and len(handler.blobs) == 0
    _reads_back(qtbot, view, cols)
    wait_for(lambda: len(handler._waiting) == NEXT_WAITING)  # and asked again for the next ones


def test_refused_waiting_requests_leave_the_page_fetching_by_token(qtbot: Any, view: MapView) -> None:
    handler = view._scheme_handler
    wait_for(lambda: len(handler._waiting) == NEXT_WAITING)
    waiting = list(handler._waiting.values())
    handler._waiting.clear()
    for job in waiting:
        job.fail(QWebEngineUrlRequestJob.Error.RequestDenied)
    before = stats(qtbot, view)
    cols = _columns(25)
    ops = _open(qtbot, view, cols)
    assert not any(o["blob"].get("pushed") for o in ops)
    assert _blob_counts(qtbot, view, before) == (0, 2)
    _reads_back(qtbot, view, cols)
    assert not handler._waiting  # the page stopped asking
    # A new configure (as a reloaded page gets) starts the waiting requests again.
    view.send_command("configure", kindColours=KIND_COLOURS, nextBlob=handler.next_secret)
    wait_for(lambda: len(handler._waiting) == NEXT_WAITING)


def test_a_waiting_request_with_a_wrong_secret_is_refused(qtbot: Any, view: MapView) -> None:
    handler = view._scheme_handler
    wait_for(lambda: len(handler._waiting) == NEXT_WAITING)
    waiting = dict(handler._waiting)
    handler._waiting.clear()  # room for one more: only the secret can refuse it
    try:
        code = ("(fetch('cdesk://app/data/next/' + '0'.repeat(32))"
                ".then((r) => { window.__wrongNext = r.status; })"
                ".catch(() => { window.__wrongNext = 'refused'; }), 1)")
        js(qtbot, view, code)
        qtbot.waitUntil(lambda: js(qtbot, view, "window.__wrongNext || null") is not None, timeout=TIMEOUT)
        assert js(qtbot, view, "window.__wrongNext") != 200 and not handler._waiting
    finally:
        handler._waiting.update(waiting)


def test_a_reloaded_page_replaces_the_waiting_requests(qtbot: Any, view: MapView) -> None:
    """The old page's waiting requests go with it (Qt deletes their jobs): none is kept, so a
    block is never pushed into a page that is gone, and the new page's requests are taken."""
    import shiboken6

    handler = view._scheme_handler
    wait_for(lambda: len(handler._waiting) == NEXT_WAITING)
    old = list(handler._waiting.values())
    view.load_page()
    wait_for(lambda: all(not shiboken6.isValid(job) for job in old))
    wait_for(lambda: view.is_ready and len(handler._waiting) == NEXT_WAITING)
    assert not any(job is other for job in old for other in handler._waiting.values())
    cols = _columns(12)
    ops = _open(qtbot, view, cols)
    assert all(o["blob"].get("pushed") is True for o in ops)
    _reads_back(qtbot, view, cols)
