"""The open benches' "first open" is a first open (bench/bench_app.py, bench/bench_open.py).

Closing a project refreshes its columns snapshot on a thread (``loading.refresh_snapshot_later``).
The benches used to forget a file's caches and then close the session that held that same file:
the close wrote the snapshot back (or was still reading the tables while the "first" open read
them too), so a repeated first open was a warm open or one racing that thread. They now forget
the caches after the close's refresh (``bench_app.close_before_open``). Also: a row's open is the
median of several (``bench_open._median_open``), as the QGIS peer's is."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest
from ui_helpers import chain_project

from cluster_desk.store import snapshot
from cluster_desk.ui.project.loading import wait_for_snapshots
from cluster_desk.ui.project.session import ProjectSession

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))


@pytest.fixture
def bench_app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    """bench_app, imported with this test's cache folder put back afterwards (the module points
    ``CLUSTER_DESK_CACHE`` at a folder of its own when imported)."""
    monkeypatch.setenv("CLUSTER_DESK_CACHE", os.environ.get("CLUSTER_DESK_CACHE", str(tmp_path)))
    import bench_app

    monkeypatch.setenv("CLUSTER_DESK_CACHE", str(tmp_path / "cache"))
    return bench_app


@pytest.mark.parametrize("first", [True, False])
def test_a_first_open_after_the_same_file_was_open_reads_the_tables(
        qapp: Any, bench_app: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, first: bool) -> None:
    monkeypatch.setattr(snapshot, "MIN_ROWS", 10)
    path = chain_project(tmp_path / "p.cdesk")
    session = ProjectSession()
    try:
        session.open(path)  # (no map painting it: its snapshot is written at once)
        wait_for_snapshots()
        snapshot.cache_file(path).unlink()  # the close's refresh has one to write again
        bench_app.close_before_open(session, path, first)
        assert snapshot.cache_file(path).exists() is not first
        session.open(path)
        assert session.opened is not None and session.opened.from_snapshot is not first
    finally:
        session.close()
        wait_for_snapshots()


def test_the_old_order_left_the_close_to_write_the_snapshot_back(
        qapp: Any, bench_app: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the benches did: forget, then close the session holding the same file."""
    monkeypatch.setattr(snapshot, "MIN_ROWS", 10)
    path = chain_project(tmp_path / "q.cdesk")
    session = ProjectSession()
    try:
        session.open(path)
        wait_for_snapshots()
        bench_app.forget_caches(path)
        session.close()
        wait_for_snapshots()
        session.open(path)
        assert session.opened is not None and session.opened.from_snapshot  # not a first open
    finally:
        session.close()
        wait_for_snapshots()


def test_a_row_is_the_median_open(bench_app: Any) -> None:
    import bench_open

    opens = [{"painted": 0.9, "call": 1.0}, {"painted": 0.5, "call": 2.0}, {"painted": 0.7, "call": 3.0}]
    assert bench_open._median_open(opens) == {"painted": 0.7, "call": 3.0}  # its other figures too
    assert bench_open._median_open(opens[:1]) == opens[0]
    assert bench_open.OPENS_PER_ROW % 2 == 1  # (a median that is one of the opens)
