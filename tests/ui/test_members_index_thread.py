"""The members' id -> row map (``MemberColumns.index``) is made once, on a thread started at the
paint, not by the GUI thread's first rows (issue 17: ~0.3 s of the GUI thread at a million
members); whoever asks while it is made waits for that one build and gets the same map."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from row_map_spy import RowMapBuilds
from ui_helpers import chain_project

from cluster_desk.core import tables
from cluster_desk.core.tables import MemberColumns
from cluster_desk.store import snapshot
from cluster_desk.store.project import Project
from cluster_desk.ui.project.loading import wait_for_snapshots
from cluster_desk.ui.project.session import ProjectSession


def _columns(n: int) -> MemberColumns:
    ids = [f"m{i}" for i in range(n)]
    return MemberColumns(ids, ids, ["firm"] * n, ["member"] * n, np.zeros(n), np.zeros(n))


def _join(name: str) -> None:
    for t in threading.enumerate():
        if t.name == name:
            t.join()


def test_askers_meanwhile_wait_for_the_one_build(builds: RowMapBuilds) -> None:
    cols = _columns(1000)
    builds.hold = True
    thread = cols.index_in_background()
    assert thread is not None and builds.started.wait(60)
    assert cols.index_in_background() is None  # (being made: not a second thread)
    got: list[Any] = []
    askers = [threading.Thread(target=lambda: got.append(cols.index)) for _ in range(4)]
    for t in askers:
        t.start()
    assert cols.index_made() is None  # nobody has it yet: they wait, none sees half of it
    builds.go.set()
    for t in [thread, *askers]:
        t.join()
    assert builds.calls == [("members-index", id(cols.ids))]
    assert len(got) == 4 and all(g is got[0] for g in got) and cols.index is got[0]
    assert got[0]["m0"] == 0 and got[0]["m999"] == 999 and "m1000" not in got[0]
    assert cols.index_in_background() is None  # made: nothing to start


def test_a_failed_build_leaves_the_map_to_the_next_asker(monkeypatch: pytest.MonkeyPatch) -> None:
    cols = _columns(10)
    real = tables.row_map
    monkeypatch.setattr(tables, "row_map", lambda ids: 1 / 0)
    caught: list[Any] = []
    monkeypatch.setattr(threading, "excepthook", caught.append)  # (the thread's error, reported)
    thread = cols.index_in_background()
    assert thread is not None
    thread.join()
    assert [type(c.exc_value) for c in caught] == [ZeroDivisionError] and cols.index_made() is None
    monkeypatch.setattr(tables, "row_map", real)
    assert cols.index["m9"] == 9  # the lock was let go: not waited for forever


@pytest.mark.parametrize("read", ["tables", "snapshot"])
def test_the_open_makes_it_on_a_thread_at_the_paint(
        qapp: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, builds: RowMapBuilds, read: str) -> None:
    monkeypatch.setenv("CLUSTER_DESK_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(snapshot, "MIN_ROWS", 10)
    path = chain_project(tmp_path / "p.cdesk")
    if read == "snapshot":
        with Project.open(path) as p:
            p.open_columns().save_snapshot(path)
    session = ProjectSession()
    # As the map does (ui.map.sync) while it paints a freshly opened project.
    session.changed.connect(lambda change: change.reset and session.is_open and session.hold_assessment())
    try:
        session.open(path)
        opened = session.opened
        assert opened is not None and opened.from_snapshot == (read == "snapshot") and session.painting
        members = opened.members
        assert builds.calls == []  # not before the paint
        builds.hold = True  # (the thread's build still running when the GUI thread asks)
        session.release_assessment()  # the map's paint done: openPainted
        assert builds.started.wait(60)
        builds.go.set()
        # The roster's first rows: their records looked up by id (the GUI thread waits, not builds).
        assert session.members["m7"].name == "M7"
        assert members.index["m39"] == 39
        _join("members-index")
        assert builds.calls == [("members-index", id(members.ids))]
    finally:
        session.close()
        wait_for_snapshots()
