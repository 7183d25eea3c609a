"""The columns snapshot across processes (store.snapshot, ui.project.loading): a window that
edits a project and quits leaves a snapshot of the edited file, which the next process's open
reads; an edit made without that refresh leaves it stale, and it is not used; a write killed
halfway leaves nothing an open would take."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cluster_desk.store import snapshot
from cluster_desk.store.project import Project

ROOT = Path(__file__).resolve().parents[2]

# The other process: the demo is small, so it is cached anyway (MIN_ROWS), as a big one would be.
_PRELUDE = """
import os, signal, sys
from pathlib import Path
from cluster_desk.core.model import Member
from cluster_desk.store import snapshot
from cluster_desk.store.project import Project
from cluster_desk.ui.project.loading import read_opened
snapshot.MIN_ROWS = 1
path = Path(sys.argv[1])
"""

# A window's session: opened by the window's loader, one member added, closed as quitting closes
# it; the process then ends at once (its snapshot refresh must not be lost with it).
_WINDOW_EDITS_AND_QUITS = _PRELUDE + """
with Project.open(path) as project:
    read_opened(project)
    project.add_members([Member(sys.argv[2], lat=55.0, lon=49.0)])
"""

# Another program's edit: the store alone, no window loader, so no refresh of the snapshot.
_PLAIN_EDIT = _PRELUDE + """
with Project.open(path) as project:
    project.add_members([Member(sys.argv[2], lat=55.0, lon=49.0)])
"""

# A snapshot write killed halfway: the process dies (SIGKILL, no clean-up) after its first blob.
_KILLED_WRITE = _PRELUDE + """
real = snapshot.atomic_open
class Dying:
    def __init__(self, f):
        self.f, self.writes = f, 0
    def write(self, data):
        self.f.write(data)
        self.writes += 1
        if self.writes == 2:  # the head line and one blob are written
            self.f.flush()
            os.kill(os.getpid(), signal.SIGKILL)
class Opened:
    def __init__(self, target, mode):
        self.inner = real(target, mode)
    def __enter__(self):
        return Dying(self.inner.__enter__())
    def __exit__(self, *exc):
        return self.inner.__exit__(*exc)
snapshot.atomic_open = Opened
with Project.open(path) as project:
    project.add_members([Member(sys.argv[2], lat=55.0, lon=49.0)])
    read = project.open_columns()
read.save_snapshot(path)
"""


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLUSTER_DESK_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(snapshot, "MIN_ROWS", 1)


def _in_another_process(script: str, path: Path, name: str) -> int:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", script, str(path), name], env=env, timeout=120).returncode


def _open(path: Path) -> snapshot.OpenColumns:
    with Project.open(path) as p:
        return p.open_columns()


def _take_snapshot(path: Path) -> None:
    read = _open(path)
    assert read.save_snapshot(path) or read.from_snapshot
    assert _open(path).from_snapshot


def test_a_window_that_edits_and_quits_leaves_the_snapshot_the_next_open_reads(demo: Path) -> None:
    _take_snapshot(demo)
    assert _in_another_process(_WINDOW_EDITS_AND_QUITS, demo, "Added in another window") == 0
    read = _open(demo)
    assert read.from_snapshot  # no table read: the quitting process refreshed it before it ended
    assert read.members.names[-1] == "Added in another window"
    with Project.open(demo) as p:
        assert read.members.ids == [m.id for m in p.members()]


def test_an_edit_without_the_refresh_leaves_it_stale_and_it_is_not_used(demo: Path) -> None:
    _take_snapshot(demo)
    assert _in_another_process(_PLAIN_EDIT, demo, "Added by another program") == 0
    assert snapshot.cache_file(demo).exists()  # the old snapshot is still there...
    read = _open(demo)
    assert not read.from_snapshot  # ...and not used: the tables are read, the edit included
    assert read.members.names[-1] == "Added by another program"


def test_a_snapshot_write_killed_halfway_leaves_nothing_an_open_would_use(demo: Path) -> None:
    _take_snapshot(demo)
    before = snapshot.cache_file(demo).read_bytes()
    code = _in_another_process(_KILLED_WRITE, demo, "Added before the kill")
    assert code == -9  # it did die inside the write
    folder = snapshot.cache_dir()
    leftovers = [p for p in folder.iterdir() if p.name.endswith(".tmp")]
    assert len(leftovers) == 1 and leftovers[0].stat().st_size < len(before)  # the half-written temp
    assert snapshot.cache_file(demo).read_bytes() == before  # the snapshot itself is untouched
    read = _open(demo)
    assert not read.from_snapshot and read.members.names[-1] == "Added before the kill"
    # The next write removes the dead process's temp file and puts a whole snapshot in place.
    assert read.save_snapshot(demo)
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]
    again = _open(demo)
    assert again.from_snapshot and again.members.names[-1] == "Added before the kill"


def test_a_snapshot_cut_short_under_its_own_name_is_not_used(demo: Path) -> None:
    """(A file system that lost the end of a renamed file: the head's sizes and CRC catch it.)"""
    _take_snapshot(demo)
    target = snapshot.cache_file(demo)
    whole = target.read_bytes()
    for cut in (len(whole) - 1, len(whole) // 2, whole.index(b"\n", len(snapshot.MAGIC)) + 1):
        target.write_bytes(whole[:cut])
        assert not _open(demo).from_snapshot
    target.write_bytes(whole)
    assert _open(demo).from_snapshot
