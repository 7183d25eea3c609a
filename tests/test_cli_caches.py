"""The command line's edits and the caches a window keeps of a project (cluster_desk.cli,
store.snapshot, store.arrays_cache), across processes: an edit by the CLI in another process
leaves the columns snapshot and the checks' arrays of the edited file, so the next open reads
the snapshot and its first assessment the arrays (not the tables); a project never cached on
this machine gets none (a script's commands pay nothing for a window they never open)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cluster_desk.core.demo import demo_cluster
from cluster_desk.store import arrays_cache, snapshot
from cluster_desk.store.assess_columns import read_arrays, read_for_assessment, reading
from cluster_desk.store.project import Project
from tests.store.test_assess_columns import same_arrays, stored

ROOT = Path(__file__).resolve().parents[1]

# The other process: the command line as a user runs it, with the demo (small) cached as a big
# project would be (MIN_ROWS).
_CLI = """
import sys
from cluster_desk.store import snapshot
from cluster_desk.cli import main
snapshot.MIN_ROWS = 1
sys.exit(main(sys.argv[1:]))
"""


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLUSTER_DESK_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(snapshot, "MIN_ROWS", 1)


def _cli(*argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", _CLI, *argv], env=env, timeout=120, capture_output=True,
                          text=True)


def _key(path: Path) -> dict[str, object]:
    with reading(path) as conn:
        return snapshot.file_key(conn, path)


def _project(tmp_path: Path) -> Path:
    members, links, _ = demo_cluster()
    return stored(tmp_path, members, links)


def _cached(path: Path) -> None:
    """What a window's open and close leave: both caches, of the file as it is now."""
    assert snapshot.refresh(path)
    key = _key(path)
    assert snapshot.is_current(path, key) and arrays_cache.is_current(path, key)


def test_a_cli_import_leaves_the_caches_the_next_open_and_assessment_read(tmp_path: Path) -> None:
    path = _project(tmp_path)
    _cached(path)
    roster = tmp_path / "more.csv"
    roster.write_text("name,lat,lon\nAdded by the command line,55.8,49.2\n", encoding="utf-8")
    done = _cli("import", str(roster), "--into", str(path))
    assert done.returncode == 0, done.stderr
    key = _key(path)
    assert snapshot.is_current(path, key) and arrays_cache.is_current(path, key)
    with Project.open(path) as p:
        read = p.open_columns()
        on_file = p.members()
    assert read.from_snapshot and read.members.names[-1] == "Added by the command line"
    assert read.members.ids == [m.id for m in on_file]
    arrays, keep = read_for_assessment(path)
    assert keep is None  # from the arrays cache, not the tables
    same_arrays(arrays, read_arrays(path))


def test_a_project_never_cached_here_gets_no_cache_from_the_cli(tmp_path: Path) -> None:
    path = _project(tmp_path)
    roster = tmp_path / "more.csv"
    roster.write_text("name\nAnother firm\n", encoding="utf-8")
    done = _cli("import", str(roster), "--into", str(path))
    assert done.returncode == 0, done.stderr
    assert not snapshot.cache_file(path).exists() and not arrays_cache.cache_file(path).exists()
