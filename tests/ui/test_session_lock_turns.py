"""Issue 17 (the GUI thread's stalls between the paint and the first checks): once the window's
session opens a project, the interpreter hands its lock from a busy thread to a waiting one
after at most ``SWITCH_INTERVAL_S`` (1 ms), not CPython's 5 ms: the GUI thread takes the lock
back after each Qt call behind every thread the open started, and waited ~5 ms per thread."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cluster_desk.core.model import Member, MemberKind
from cluster_desk.store.project import Project
from cluster_desk.ui.project import session as session_module
from cluster_desk.ui.project.session import ProjectSession


@pytest.fixture
def default_interval() -> Iterator[float]:
    """CPython's default switch interval for the test, the process's own put back after."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(0.005)
    yield 0.005
    sys.setswitchinterval(before)


def test_opening_a_project_shortens_the_switch_interval(qapp: Any, tmp_path: Path,
                                                        default_interval: float) -> None:
    path = tmp_path / "p.cdesk"
    project = Project.create(path, name="P")
    project.add_members([Member(name="Firm", kind=MemberKind.FIRM, lat=55.0, lon=49.0)])
    project.close()
    session = ProjectSession()
    assert sys.getswitchinterval() == default_interval  # (a session alone changes nothing)
    session.open(path)
    assert sys.getswitchinterval() <= 0.001  # (the old code: 0.005)
    assert sys.getswitchinterval() == session_module.SWITCH_INTERVAL_S
    session.close()
    assert sys.getswitchinterval() <= 0.001  # (kept: the window's process)


def test_a_shorter_interval_set_elsewhere_is_kept(qapp: Any, tmp_path: Path, default_interval: float) -> None:
    path = tmp_path / "p.cdesk"
    Project.create(path, name="P").close()
    sys.setswitchinterval(0.0002)
    session = ProjectSession()
    session.open(path)
    assert sys.getswitchinterval() == pytest.approx(0.0002)
    session.close()
