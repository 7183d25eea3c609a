"""An export or passport job frees its records in steps, not in one cascade (issue 17).

A 100k project's job holds 100,000 member and 300,000 link records; dropped at once as the job's
frame returned, their deallocation held the GIL ~0.14 s while the window waited for it. The jobs
now empty their own lists a step at a time (export_work.let_go; not the links CSV export, where it
measured worse); these tests hold the lists the job read (so the job's own emptying is what
shows) on the demo's real project file.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from cluster_desk.ui.exchange import export_work
from cluster_desk.ui.exchange.export_work import STEP, export_file, let_go
from cluster_desk.ui.project.files import write_demo
from cluster_desk.ui.timeline import passport_work


class Noted:
    """Notes how many records its list still held when it was freed."""

    def __init__(self, held: list[Any], seen: list[int]) -> None:
        self.held, self.seen = held, seen

    def __del__(self) -> None:
        self.seen.append(len(self.held))


def test_let_go_frees_a_step_at_a_time() -> None:
    held: list[Any] = []
    seen: list[int] = []
    n = 2 * STEP + 5
    held.extend(Noted(held, seen) for _ in range(n))
    let_go(held)
    assert held == []
    assert len(seen) == n
    # Each step freed its records while the rest were still held: three steps, none of all.
    assert sorted(set(seen), reverse=True) == [n - STEP, n - 2 * STEP, 0]


@pytest.fixture
def demo_file(tmp_path: Path) -> Path:
    path = tmp_path / "demo.cdesk"
    write_demo(path)
    return path


def _keep_what_is_read(module: Any, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The job's read, also kept here (the lists stay reachable: the job must empty them itself)."""
    kept: list[Any] = []
    read = module.read_committed

    def keeping(*args: Any, **kwargs: Any) -> Any:
        got = read(*args, **kwargs)
        kept.append(got)
        return got

    monkeypatch.setattr(module, "read_committed", keeping)
    return kept


@pytest.mark.parametrize(("name", "kind"), [("roster.csv", "roster"), ("roster.gpkg", "roster")])
def test_an_export_empties_the_records_it_read(demo_file: Path, tmp_path: Path, name: str, kind: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    kept = _keep_what_is_read(export_work, monkeypatch)
    dest = tmp_path / name
    count, _links = export_file(demo_file, dest, kind, title="Demo", lang="en", progress=lambda *a: None,
                                cancel=threading.Event())
    assert count > 0 and dest.stat().st_size > 0
    [got] = kept
    assert (got.members, got.links) == ([], [])


@pytest.mark.parametrize("suffix", [".html", ".pdf"])
def test_a_passport_empties_the_records_it_read(demo_file: Path, tmp_path: Path, suffix: str,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    kept = _keep_what_is_read(passport_work, monkeypatch)
    dest = tmp_path / f"passport{suffix}"
    page = passport_work.passport_page(demo_file, dest, day=None, lang="ru", name="Demo",
                                       progress=lambda *a: None, cancel=threading.Event())
    written = dest if page is None else page  # (a PDF's page, for the GUI thread to print)
    assert written.stat().st_size > 10_000
    [got] = kept
    assert got.members == [] and got.links == []


FIRST_SET_UP = """
import gc, sys, threading
from pathlib import Path
from cluster_desk.ui.timeline.passport_work import passport_page

counts = []
def noted(phase, info):
    if phase == "stop":
        counts.append(info["generation"])
gc.collect()
gc.callbacks.append(noted)
passport_page(Path(sys.argv[1]), Path(sys.argv[2]), day=None, lang="ru", name="Demo",
              progress=lambda *a: None, cancel=threading.Event())
print(gc.get_freeze_count(), counts.count(2))
"""


def test_matplotlibs_first_set_up_is_frozen_and_sets_off_no_full_pass(demo_file: Path,
                                                                       tmp_path: Path) -> None:
    """Its ~120,000 lasting objects are frozen as it ends: no full pass during the passport, and
    none left in the youngest generation for the job's last pass to walk (a fresh process: the
    first set-up)."""
    dest = tmp_path / "passport.html"
    out = subprocess.run([sys.executable, "-c", FIRST_SET_UP, str(demo_file), str(dest)], capture_output=True,
                         text=True, check=True, cwd=Path(__file__).parents[2])
    frozen, full_passes = (int(x) for x in out.stdout.split())
    assert frozen > 50_000
    assert full_passes == 0
    assert dest.stat().st_size > 10_000
