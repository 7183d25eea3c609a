"""``store.checked``: a big file's passing quick_check is remembered until the file changes, and
the next open of the very same file skips it (issue 17: ~2.2 s of CPU at a million members).
A file changed in any way (a commit by any program, bytes written with the old modification
time put back, a copy over it) is checked again, and a damaged file is still refused.

The size from which verdicts are kept (64 MB) is lowered for these small files."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from file_tamper import BYPASS, tamper

from cluster_desk.core.model import Member, MemberKind
from cluster_desk.store import Project, ProjectError, checked, fileguard


@pytest.fixture
def small_is_big(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checked, "MIN_BYTES", 0)


def _project(path: Path) -> Path:
    with Project.create(path, name="Memo") as p:
        p.add_members([Member(f"Firm {i}", MemberKind.FIRM, lat=55.8, lon=49.1) for i in range(3)])
    return path


def _skips_the_check(path: Path) -> bool:
    """The open's check of ``path`` returns without asking SQLite (a closed connection would
    raise if it did)."""
    conn = sqlite3.connect(":memory:")
    conn.close()
    try:
        fileguard.checked_file(conn, path)
    except sqlite3.ProgrammingError:
        return False
    return True


def test_a_passed_check_is_remembered_and_the_unchanged_file_is_not_checked_again(
        tmp_path: Path, small_is_big: None) -> None:
    path = _project(tmp_path / "p.cdesk")
    assert not _skips_the_check(path)
    with Project.open(path) as p:  # (checked on open, passed: remembered)
        assert p.meta()["name"] == "Memo"
    assert _skips_the_check(path)
    with Project.open(path, check_later=True) as p:  # the window's and the command's way
        p.integrity.wait()
        assert p.meta()["name"] == "Memo"


def test_the_background_check_remembers_its_verdict_too(tmp_path: Path, small_is_big: None) -> None:
    path = _project(tmp_path / "p.cdesk")
    with Project.open(path, check_later=True) as p:
        p.integrity.wait()
    assert _skips_the_check(path)


def test_a_commit_by_another_program_makes_the_file_checked_again(tmp_path: Path, small_is_big: None) -> None:
    path = _project(tmp_path / "p.cdesk")
    Project.open(path).close()
    tamper(path, BYPASS, "UPDATE members SET lat = 123.0")
    assert not _skips_the_check(path)
    with pytest.raises(ProjectError, match=r"damaged.*CHECK") as e:
        Project.open(path)
    assert e.value.code == "damaged_check"
    with Project.open(path, check_later=True) as p, pytest.raises(ProjectError, match="damaged"):
        p.integrity.wait()


def test_bytes_written_under_the_old_modification_time_are_checked(
        tmp_path: Path, small_is_big: None) -> None:
    """Bytes changed in place, then SQLite's header (its change counters) and the modification
    time put back as they were: the status-change time still differs, so the check runs."""
    path = _project(tmp_path / "p.cdesk")
    Project.open(path).close()
    good = path.read_bytes()
    st = path.stat()
    tamper(path, BYPASS, "UPDATE members SET lat = 123.0")
    damaged = bytearray(path.read_bytes())
    damaged[:100] = good[:100]  # the header as it was (an UPDATE: same pages, same schema)
    path.write_bytes(bytes(damaged))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_mtime_ns == st.st_mtime_ns and path.stat().st_size == st.st_size
    with pytest.raises(ProjectError, match=r"damaged.*CHECK"):
        Project.open(path)


def test_another_file_copied_over_it_is_checked(tmp_path: Path, small_is_big: None) -> None:
    path = _project(tmp_path / "p.cdesk")
    other = _project(tmp_path / "other.cdesk")
    tamper(other, BYPASS, "UPDATE members SET lon = 500.0")
    Project.open(path).close()
    shutil.copy2(other, path)  # (its own modification time comes along)
    with pytest.raises(ProjectError, match=r"damaged.*CHECK"):
        Project.open(path)


def test_a_failed_check_is_not_remembered(tmp_path: Path, small_is_big: None) -> None:
    path = _project(tmp_path / "p.cdesk")
    tamper(path, BYPASS, "UPDATE members SET lat = 123.0")
    for _ in range(2):
        with pytest.raises(ProjectError, match="damaged"):
            Project.open(path)
    assert not _skips_the_check(path)


def test_the_projects_own_edit_makes_it_checked_again(tmp_path: Path, small_is_big: None) -> None:
    path = _project(tmp_path / "p.cdesk")
    with Project.open(path) as p:
        p.add_members([Member("Firm 9", MemberKind.FIRM, lat=55.7, lon=49.2)])
    assert not _skips_the_check(path)  # (the open's verdict was of the state before the edit)


def test_small_files_are_always_checked(tmp_path: Path) -> None:
    path = _project(tmp_path / "p.cdesk")
    assert path.stat().st_size < checked.MIN_BYTES
    Project.open(path).close()
    assert not _skips_the_check(path)
    assert not checked.memo_file(path).exists()


def test_an_unreadable_cache_means_the_check_runs(tmp_path: Path, small_is_big: None) -> None:
    path = _project(tmp_path / "p.cdesk")
    Project.open(path).close()
    checked.memo_file(path).write_text("{not json")
    assert not _skips_the_check(path)
    Project.open(path).close()  # checked, and remembered again
    assert _skips_the_check(path)
