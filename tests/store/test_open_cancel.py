"""An open read on one thread and stopped from another (the window's Cancel): the statement
running is interrupted, the project is closed, and a read handed over is usable on the thread
that takes it. Real SQLite files in tmp_path."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from cluster_desk.core.model import Member
from cluster_desk.store.project import Project
from cluster_desk.ui.project import loading
from cluster_desk.ui.project.loading import OpenCancelled, OpenRead


def small_project(path: Path) -> Path:
    with Project.create(path) as p:
        p.add_members([Member(f"M{i}", id=f"m{i}", lat=55.0, lon=49.0 + i / 100) for i in range(5)])
    return path


def test_a_read_on_one_thread_is_used_on_another(tmp_path: Path) -> None:
    got: list[loading.ProjectRead] = []
    thread = threading.Thread(target=lambda: got.append(OpenRead(small_project(tmp_path / "a.cdesk")).run()))
    thread.start()
    thread.join()
    read = got[0]
    try:  # this thread reads and writes with the connection the other thread made
        assert sorted(read.opened.members) == [f"m{i}" for i in range(5)]
        read.project.add_members([Member("Later", id="later")])
        assert read.project.member("later").name == "Later"
    finally:
        read.project.close()


def test_cancelled_before_the_read_closes_the_project(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    reading = OpenRead(small_project(tmp_path / "a.cdesk"))
    opened: list[Project] = []
    real_open = Project.open

    def open_then_cancel(*args: object, **kwargs: object) -> Project:
        project = real_open(*args, **kwargs)  # type: ignore[arg-type]
        opened.append(project)
        reading.cancel()  # (as the user's Cancel lands while the file is opened)
        return project

    monkeypatch.setattr(Project, "open", open_then_cancel)
    with pytest.raises(OpenCancelled):
        reading.run()
    assert opened[0].closed and reading.cancelled


def test_interrupt_stops_a_statement_running_on_another_thread(tmp_path: Path) -> None:
    project = Project.open(small_project(tmp_path / "a.cdesk"))
    running, errors = threading.Event(), []

    def started() -> int:
        running.set()
        return 0  # (go on)

    def long_query() -> None:
        conn = project._c()
        conn.set_progress_handler(started, 1000)
        try:
            conn.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
                         "SELECT count(*) FROM n").fetchone()  # never ends by itself
        except sqlite3.OperationalError as e:
            errors.append(str(e))
        finally:
            conn.set_progress_handler(None, 0)

    thread = threading.Thread(target=long_query)
    thread.start()
    assert running.wait(timeout=60)
    project.interrupt()
    thread.join()
    assert errors == ["interrupted"]
    project.close()
    project.interrupt()  # closed: nothing runs, no error
