"""A first open's columns snapshot is written once the map has painted the open (issue 17: on two
cores the write competed with that paint), and is there for the next open."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ui_helpers import chain_project

from cluster_desk.store import snapshot
from cluster_desk.store.project import Project
from cluster_desk.ui.project.loading import wait_for_snapshots
from cluster_desk.ui.project.session import ProjectSession


def _current(path: Path) -> bool:
    with Project.open(path) as p:
        conn = p._c()
        conn.execute("BEGIN")
        try:
            return snapshot.is_current(path, snapshot.file_key(conn, path))
        finally:
            conn.execute("COMMIT")


@pytest.mark.parametrize("painting", [True, False])
def test_the_snapshot_waits_for_the_paint(qapp: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          painting: bool) -> None:
    monkeypatch.setenv("CLUSTER_DESK_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(snapshot, "MIN_ROWS", 10)
    path = chain_project(tmp_path / "p.cdesk")
    session = ProjectSession()
    if painting:  # as the map does (ui.map.sync) while it paints a freshly opened project
        session.changed.connect(lambda change: change.reset and session.is_open and session.hold_assessment())
    try:
        session.open(path)
        assert session.opened is not None and not session.opened.from_snapshot
        wait_for_snapshots()
        assert _current(path) is not painting  # no map painting: written at once
        session.release_assessment()  # the map's paint done: openPainted
        wait_for_snapshots()
        assert _current(path)
        session.close()
        wait_for_snapshots()
        again = ProjectSession()
        again.open(path)
        assert again.opened is not None and again.opened.from_snapshot
        again.close()
    finally:
        session.close()
        wait_for_snapshots()


def test_a_close_before_the_paint_leaves_the_snapshot_to_the_close(
        qapp: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLUSTER_DESK_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(snapshot, "MIN_ROWS", 10)
    path = chain_project(tmp_path / "q.cdesk")
    session = ProjectSession()
    session.changed.connect(lambda change: change.reset and session.is_open and session.hold_assessment())
    session.open(path)
    assert session.painting
    session.close()  # (its refresh on a thread reads the file again and writes it)
    wait_for_snapshots()
    assert _current(path)
    session.release_assessment()  # a late paint of the closed project writes nothing more
    wait_for_snapshots()
