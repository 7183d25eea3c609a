"""Data loss and clear messages (issue 11, items 2-4, 13 and 14): stray journals and WALs, other
processes editing the same file, killed runs' temp files, busy, full and read-only disks.

Real SQLite files in tmp dirs and real child processes (killed with SIGKILL where it matters);
children say "ready" on stdout and wait on stdin, so nothing here sleeps or times anything.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from cluster_desk.core.model import Member
from cluster_desk.store import Project, ProjectBusy, RecordGone

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals, locks and permissions")


def _project(path: Path, names: list[str]) -> list[Member]:
    ms = [Member(n, id=f"id-{n}", employees=i, notes="") for i, n in enumerate(names)]
    with Project.create(path, name=path.stem) as p:
        p.add_members(ms)
    return ms


class Child:
    """A Python child running ``code`` with our package; it prints "ready" when it has done its part."""

    def __init__(self, code: str, *args: object) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(code), *map(str, args)], cwd=ROOT, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )  # fmt: skip
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        assert line.strip() == "ready", line + self.proc.stderr.read()  # type: ignore[union-attr]

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def go_on(self) -> str:
        out, err = self.proc.communicate("go\n")
        assert self.proc.returncode == 0, err
        return out


#: Holds a write transaction with new members in it (an import in progress) until told to go on.
_IMPORTING = """
    import sys
    from cluster_desk.core.model import Member
    from cluster_desk.store import Project
    p = Project.open(sys.argv[1])
    if len(sys.argv) > 3:  # a small page cache: SQLite spills pages into the file before commit,
        p._c().execute("PRAGMA cache_size = 20")  # so a kill leaves a synced, hot journal
    with p.transaction():
        p.add_members([Member(f"imported {i}", notes="x" * 200) for i in range(int(sys.argv[2]))])
        print("ready", flush=True)
        sys.stdin.readline()
    p.close()
"""


def _hot_journal_of(path: Path, rows: int = 2000) -> bytes:
    """The hot journal a process killed in the middle of a big import leaves beside ``path``."""
    Child(_IMPORTING, path, rows, "spill").kill()
    journal = Path(f"{path}-journal").read_bytes()
    assert journal[:8] == bytes.fromhex("d9d505f920a163d7")  # synced: SQLite would play it back
    return journal


def _sidecars(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.endswith(".cdesk"))


# --------------------------------------------------------------------------- item 2: stray journal


@pytest.mark.parametrize("source", ["another project", "another copy", "another program"])
def test_a_journal_that_is_not_the_projects_is_set_aside_never_played(tmp_path: Path, source: str) -> None:
    ours = tmp_path / "ours.cdesk"
    ms = _project(ours, ["Альфа", "Бета", "Гамма"])
    other = tmp_path / "other" / "ours.cdesk"
    other.parent.mkdir()
    if source == "another copy":
        shutil.copy(ours, other)  # same history so far; then that copy is edited and crashes
        with Project.open(other) as p:
            p.add_member(Member("only in the copy"))
        journal = _hot_journal_of(other)
    elif source == "another project":
        _project(other, [f"чужой {i}" for i in range(50)])
        journal = _hot_journal_of(other)
    else:
        _project(other, [f"чужой {i}" for i in range(50)])
        code = """
            import os, sqlite3, sys
            c = sqlite3.connect(sys.argv[1], isolation_level=None)
            c.execute("PRAGMA cache_size = 5")
            c.execute("PRAGMA page_size = 4096")
            c.execute("CREATE TABLE t (x TEXT)")
            c.execute("BEGIN")
            c.executemany("INSERT INTO t VALUES (?)", [("x" * 500,) for _ in range(2000)])
            print("ready", flush=True)
            sys.stdin.readline()
        """
        Child(code, other.with_name("program.db")).kill()
        journal = other.with_name("program.db-journal").read_bytes()
    Path(f"{ours}-journal").write_bytes(journal)
    before = ours.read_bytes()
    with Project.open(ours) as p:
        assert p.members() == ms and p.check() == []
        assert len(p.notices) == 1 and "ours.cdesk-journal" in p.notices[0] and "set aside" in p.notices[0]
    assert ours.read_bytes() == before
    aside = [n for n in _sidecars(tmp_path) if n.startswith("ours.cdesk-journal.set-aside-")]
    assert len(aside) == 1 and (tmp_path / aside[0]).read_bytes() == journal


def test_the_projects_own_hot_journal_is_still_rolled_back(tmp_path: Path) -> None:
    ours = tmp_path / "ours.cdesk"
    ms = _project(ours, ["Альфа", "Бета"])
    _hot_journal_of(ours)
    before = ours.read_bytes()
    with Project.open(ours) as p:
        assert p.members() == ms and p.notices == [] and p.check() == []
    assert _sidecars(tmp_path) == [] and ours.read_bytes() != before  # played back, then removed


def test_a_live_writers_journal_is_left_alone(tmp_path: Path) -> None:
    ours = tmp_path / "ours.cdesk"
    ms = _project(ours, ["Альфа"])
    importer = Child(_IMPORTING, ours, 500)
    with Project.open(ours) as p:  # the importer's journal is hot-looking but its lock is held
        assert p.notices == [] and p.members() == ms
    importer.go_on()
    with Project.open(ours) as p:
        assert len(p.members()) == 501


# --------------------------------------------------------------------------- item 3: stray WAL


def test_a_wal_of_another_database_is_set_aside_never_checkpointed(tmp_path: Path) -> None:
    ours = tmp_path / "ours.cdesk"
    ms = _project(ours, ["Альфа", "Бета"])
    other = tmp_path / "other.cdesk"
    _project(other, ["x"])
    conn = sqlite3.connect(other, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("DROP TABLE changes")  # what "no such table" came from
    conn.execute("UPDATE members SET name = 'from the WAL'")
    wal = Path(f"{other}-wal").read_bytes()
    conn.close()
    assert wal[:4] in (bytes.fromhex("377f0682"), bytes.fromhex("377f0683"))
    Path(f"{ours}-wal").write_bytes(wal)
    with Project.open(ours) as p:
        assert p.members() == ms and len(p.history()) == 2 and p.check() == []
        assert "ours.cdesk-wal" in p.notices[0] and "set aside" in p.notices[0]
    assert [n for n in _sidecars(tmp_path) if n.startswith("ours.cdesk-wal.set-aside-")]


# --------------------------------------------------------------------------- item 4: other processes


_EDIT_ELSEWHERE = """
    import sys
    from dataclasses import replace
    from cluster_desk.store import Project
    with Project.open(sys.argv[1]) as p:
        if sys.argv[3] == "delete":
            p.delete_member(sys.argv[2])
        else:
            p.update_member(replace(p.member(sys.argv[2]), notes="called on Monday", employees=77))
    print("ready", flush=True)
"""


def test_a_stale_window_does_not_revert_another_processs_fields(tmp_path: Path) -> None:
    path = tmp_path / "p.cdesk"
    _project(path, ["Альфа", "Бета"])
    with Project.open(path) as window:
        alpha = window.members()[0]  # the window's in-memory roster
        assert not window.changed_externally()
        Child(_EDIT_ELSEWHERE, path, alpha.id, "edit").go_on()
        assert window.changed_externally() and not window.changed_externally()
        [change] = window.external_changes()
        assert (change.entity_id, change.new) == (alpha.id, {"notes": "called on Monday", "employees": 77})
        # The user drags the member on the map: the window writes its (stale) record with new
        # coordinates, then edits the notes, still without having refreshed.
        old = window.update_member(replace(alpha, lat=55.8, lon=49.1))
        assert old.notes == "called on Monday"  # the record as it was in the file
        window.update_member(replace(alpha, lat=55.8, lon=49.1, notes="visited"))
        now = window.member(alpha.id)
        assert (now.notes, now.employees, now.lat, now.lon) == ("visited", 77, 55.8, 49.1)
        assert window.external_changes() == []  # our own edits are not "external"
        # Undo (of the drag, from the refreshed record) puts back only what the drag changed.
        window.update_member(replace(now, lat=None, lon=None))
        assert window.member(alpha.id) == replace(now, lat=None, lon=None)


def test_editing_a_member_someone_else_deleted_says_so_by_name(tmp_path: Path) -> None:
    path = tmp_path / "p.cdesk"
    _project(path, ["Альфа", "Бета"])
    with Project.open(path) as window:
        beta = window.members()[1]
        Child(_EDIT_ELSEWHERE, path, beta.id, "delete").go_on()
        with pytest.raises(RecordGone, match="«Бета» was deleted in another window or program") as e:
            window.update_member(replace(beta, notes="x"))
        assert isinstance(e.value, KeyError) and str(path) in str(e.value) and "\n" not in str(e.value)
        with pytest.raises(RecordGone, match="«Бета»"):
            window.delete_member(beta.id)
        with pytest.raises(KeyError):
            window.update_member(Member("never seen", id="nope"))
        assert [m.name for m in window.members()] == ["Альфа"]


def test_settings_edits_are_field_level_too(tmp_path: Path) -> None:
    path = tmp_path / "p.cdesk"
    _project(path, ["Альфа"])
    with Project.open(path) as window, Project.open(path) as other:
        s = window.settings()
        other.set_settings(replace(other.settings(), mass_min=10))
        window.set_settings(replace(s, radius_km=80.0))
        assert (window.settings().mass_min, window.settings().radius_km) == (10, 80.0)


# --------------------------------------------------------------------------- item 14: temps, busy


def test_stale_temp_files_of_dead_runs_are_removed_on_open(tmp_path: Path) -> None:
    path = tmp_path / "p.cdesk"
    _project(path, ["Альфа"])
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    dead_pid = int(dead.stdout)
    alive = Child("import sys; print('ready', flush=True); sys.stdin.readline()")
    stale = [f".p.cdesk.{dead_pid}.0badc0de.tmp", f".p.cdesk.{dead_pid}.0badc0de.tmp-journal",
             f".map.html.{dead_pid}.12345678.tmp"]  # fmt: skip
    kept = [f".p.cdesk.{alive.proc.pid}.feedf00d.tmp", f".notes.txt.{dead_pid}.tmp", "report.tmp"]
    for name in stale + kept:
        (tmp_path / name).write_bytes(b"x" * 1000)
    with Project.open(path):
        pass
    assert sorted(_sidecars(tmp_path)) == sorted(kept)
    alive.go_on()


def test_an_edit_during_a_long_import_is_told_the_project_is_busy(tmp_path: Path) -> None:
    path = tmp_path / "p.cdesk"
    _project(path, ["Альфа"])
    importer = Child(_IMPORTING, path, 1000)
    with Project.open(path) as window:
        window._c().execute("PRAGMA busy_timeout = 100")  # the real wait is BUSY_TIMEOUT_MS
        alpha = window.members()[0]
        with pytest.raises(ProjectBusy) as e:
            window.update_member(replace(alpha, notes="during the import"))
        message = str(e.value)
        assert message.startswith(f"{path}: the project is busy (import in progress")
        assert "locked" not in message and "\n" not in message
        importer.go_on()
        window.update_member(replace(alpha, notes="after the import"))  # trying again works
        assert len(window.members()) == 1001 and window.member(alpha.id).notes == "after the import"


# --------------------------------------------------------------------------- item 13: full, read-only


def _run_child(code: str, *args: object, prefix: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*(prefix or []), sys.executable, "-c", textwrap.dedent(code), *map(str, args)], cwd=ROOT,
        capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False,
    )  # fmt: skip


def test_disk_full_during_an_import_is_one_clear_line(tmp_path: Path) -> None:
    path = tmp_path / "p.cdesk"
    ms = _project(path, ["Альфа"])
    roster = tmp_path / "roster.csv"
    rows = "".join(f"Firm {i},{'n' * 300}\n" for i in range(5000))
    roster.write_text("name,notes\n" + rows, encoding="utf-8")
    code = """
        import resource, signal, sys
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # EFBIG (a full disk) instead of being killed
        size = __import__("os").path.getsize(sys.argv[1])
        resource.setrlimit(resource.RLIMIT_FSIZE, (size + 200_000, size + 200_000))
        from cluster_desk.cli import main
        sys.exit(main(["import", sys.argv[2], "--into", sys.argv[1]]))
    """
    out = _run_child(code, path, roster)
    lines = out.stderr.strip().splitlines()
    assert out.returncode != 0 and len(lines) == 1, out.stderr
    # RLIMIT_FSIZE gives EFBIG, which SQLite reports as an I/O error; a real full disk (ENOSPC)
    # says "the disk is full". Either way: one line, the file, the cause.
    assert str(path) in lines[0] and "full" in lines[0] and "savepoint" not in lines[0]
    with Project.open(path) as p:
        assert p.members() == ms and p.check() == []


def test_a_read_only_folder_is_said_in_words(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "p.cdesk"
    _project(path, ["Альфа"])
    os.chmod(path, 0o666)
    os.chmod(folder, 0o555)
    code = """
        import sys
        from cluster_desk.core.model import Member
        from cluster_desk.store import Project, ProjectError
        with Project.open(sys.argv[1]) as p:
            print(len(p.members()))
            try:
                p.add_member(Member("new"))
            except ProjectError as e:
                print(e)
    """
    # root may write anywhere (tests run as root in CI): run the child without capabilities.
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv (util-linux) to drop capabilities")
        prefix = [setpriv, "--bounding-set=-all", "--inh-caps=-all"]
    try:
        out = _run_child(code, path, prefix=prefix)
    finally:
        os.chmod(folder, 0o755)
    count, message = out.stdout.strip().splitlines()
    assert count == "1", out.stderr
    assert message.startswith(f"{path}: the change was not saved: the file or its folder is read-only")
    assert "readonly database" not in message
    with Project.open(path) as p:
        assert [m.name for m in p.members()] == ["Альфа"]


def test_the_command_line_says_a_stray_was_set_aside(tmp_path: Path) -> None:
    ours = tmp_path / "ours.cdesk"
    _project(ours, ["Альфа"])
    other = tmp_path / "other" / "ours.cdesk"
    other.parent.mkdir()
    _project(other, [f"чужой {i}" for i in range(50)])
    Path(f"{ours}-journal").write_bytes(_hot_journal_of(other))
    cli = "import sys; from cluster_desk.cli import main; sys.exit(main(sys.argv[1:]))"
    out = _run_child(cli, "check", ours)
    assert out.returncode == 0, out.stderr
    [line] = [x for x in out.stderr.splitlines() if x.startswith("warning:")]
    assert "ours.cdesk-journal" in line and "set aside" in line
