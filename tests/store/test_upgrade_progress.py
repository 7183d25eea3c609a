"""The format upgrade's progress (store.upgrade) and its crash safety: a process killed anywhere
in the upgrade leaves the original file good (the migration is one transaction; the copy of the
original is written whole or not at all), and the next open upgrades it with every link kept.

The kills are ordered by the child's progress lines (no sleeps): the child prints each report and
waits for the parent's go-ahead before it goes on; the parent kills it instead at the report it
chose, so the kill lands in that step however the two processes are scheduled.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from format3_helpers import LINKS, format3_file

from cluster_desk.store import Project, schema
from cluster_desk.store import upgrade as upgrade_module
from cluster_desk.store.upgrade import upgrade_file, upgrade_needed


def links_of(path: Path) -> list[tuple]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT rowid, * FROM links ORDER BY rowid").fetchall()
    finally:
        conn.close()


def version_of(path: Path) -> int:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


def test_an_upgrade_reports_its_steps_in_order_and_keeps_the_copy(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(upgrade_module, "TICK_OPS", 1000)
    path = format3_file(tmp_path / "p.cdesk")
    before = links_of(path)
    assert upgrade_needed(path)
    seen: list[tuple[str, float]] = []
    upgrade_file(path, lambda stage, fraction: seen.append((stage, fraction)))
    stages = [s for s, _ in seen]
    assert stages[0] == "check" and "copy" in stages and stages.index("copy") < stages.index("rebuild")
    assert stages == sorted(stages, key=upgrade_module.STAGES.index)
    fractions = [f for _, f in seen]
    assert fractions == sorted(fractions) and fractions[-1] < 1.0
    assert len([s for s in stages if s == "rebuild"]) > 5  # it moves while the links are rebuilt
    assert len(seen) <= 103  # at most once a percent (and once per step)
    assert not upgrade_needed(path) and version_of(path) == schema.current_version()
    assert [row[:2] for row in links_of(path)] == [row[:2] for row in before]
    copy = tmp_path / "p.format3.cdesk"
    assert version_of(copy) == 3 and links_of(copy) == before


def test_no_progress_is_asked_for_a_current_file(tmp_path) -> None:
    path = tmp_path / "new.cdesk"
    Project.create(path).close()
    seen: list[tuple[str, float]] = []
    assert not upgrade_needed(path)
    upgrade_file(path, lambda stage, fraction: seen.append((stage, fraction)))
    assert seen == []
    assert not upgrade_needed(tmp_path / "missing.cdesk")


_CHILD = """
import sys
from cluster_desk.store import upgrade
upgrade.TICK_OPS = 1000
def say(stage, fraction):
    print(stage, fraction, flush=True)
    sys.stdin.readline()  # the parent's go-ahead (or its kill)
upgrade.upgrade_file(sys.argv[1], say)
print("done", flush=True)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
@pytest.mark.parametrize(("stage", "at_least"), [("copy", 0.0), ("rebuild", 0.5), ("rebuild", 0.9)])
def test_a_kill_in_the_upgrade_leaves_the_original_good(tmp_path, stage, at_least) -> None:
    """Killed in the copy of the original, in the middle of the links' rebuild, near its end."""
    path = format3_file(tmp_path / "killed.cdesk")
    before = links_of(path)
    lines = _run_child(path, lambda line: line[0] == stage and float(line[1]) >= at_least)
    assert lines[-1][0] == stage  # killed there, not after the end
    # The file as the kill left it: opening it rolls back the unfinished upgrade (format 3, every
    # link as before) and upgrades it again, whole.
    assert version_of(path) == 3 or stage != "copy"
    with Project.open(path) as p:
        assert len(p.links()) == LINKS
    assert version_of(path) == schema.current_version()
    assert [row[:2] for row in links_of(path)] == [row[:2] for row in before]
    copies = list(tmp_path.glob("killed.format3*.cdesk"))
    assert copies  # the open after the kill made one if the killed run had not
    for copy in copies:  # whole, never half written
        assert version_of(copy) == 3 and links_of(copy) == before


def _run_child(path: Path, kill_at: Callable[[list[str]], bool]) -> list[list[str]]:
    """Run an upgrade in a child process; SIGKILL it at the first report ``kill_at`` accepts.

    The child waits after each report until the parent answers, so it is still in that step."""
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert child.stdin is not None and child.stdout is not None
    lines: list[list[str]] = []
    for text in child.stdout:
        lines.append(text.split())
        if kill_at(lines[-1]):
            child.send_signal(signal.SIGKILL)
            break
        if lines[-1][0] != "done":
            child.stdin.write("\n")
            child.stdin.flush()
    child.stdout.close()
    child.wait()
    child.stdin.close()
    return lines
