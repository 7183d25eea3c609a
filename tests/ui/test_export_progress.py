"""Issue 17: an export's worker leaves its progress for the GUI thread to look at (a timer),
rather than queueing a call to the GUI thread per report: each queued call's handling took the
GIL back several times behind the busy worker, and a backlog of them blocked the window (a links
CSV export at 100,000 members: 160-340 ms at a time)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject

from cluster_desk.ui import thread_answers
from cluster_desk.ui.exchange.export_job import ExportJob

STAGES = {"read": ("Reading", 0, 10), "write": ("Writing %1", 10, 100)}


def test_a_jobs_progress_reaches_the_dialog_with_no_queued_call_per_report(
        qapp: Any, qtbot: Any, monkeypatch: Any, tmp_path: Path) -> None:
    queued: list[Any] = []  # (by the job's own thread: a window an earlier test left may still
    real = thread_answers.GuiCaller.__call__  # have an assessment to deliver)
    job_thread: list[threading.Thread] = []

    def counted(self: Any, *args: Any) -> None:
        if threading.current_thread() in job_thread:
            queued.append(args)
        real(self, *args)

    monkeypatch.setattr(thread_answers.GuiCaller, "__call__", counted)
    gate = threading.Event()

    def work(progress: Any, cancel: threading.Event) -> tuple[int, int]:
        job_thread.append(threading.current_thread())
        progress("read", 1.0)
        for i in range(5001):  # as a write pulls its records
            progress("write", i / 10_000)
        assert gate.wait(timeout=30)  # held at half way
        return 7, 0

    owner = QObject()
    job = ExportJob(work, tmp_path / "out.csv", kind="roster", stages=STAGES, parent_widget=None, owner=owner)
    qtbot.waitUntil(lambda: job.dialog.value() == 10 + 45)  # the latest report: half the write
    assert job.dialog.labelText() == "Writing out.csv"
    gate.set()
    qtbot.waitUntil(lambda: job.finished)
    assert job.count == 7 and job.error is None
    assert queued == []  # not one call queued to the GUI thread for all 5,002 reports


def test_a_cancelled_job_shows_no_later_progress(qapp: Any, qtbot: Any, tmp_path: Path) -> None:
    reported = threading.Event()
    gate = threading.Event()

    def work(progress: Any, cancel: threading.Event) -> tuple[int, int]:
        progress("write", 0.2)
        reported.set()
        assert gate.wait(timeout=30)
        progress("write", 0.9)  # after the cancel: not shown
        gate.clear()
        assert gate.wait(timeout=30)
        return 1, 0

    owner = QObject()
    job = ExportJob(work, tmp_path / "out.csv", kind="roster", stages=STAGES, parent_widget=None, owner=owner)
    qtbot.waitUntil(lambda: job.dialog.value() == 10 + 18)
    job.cancel()
    gate.set()
    qtbot.waitUntil(lambda: not gate.is_set())  # the worker reported 0.9 and waits again
    shown = job.dialog.value()
    job._poll()  # (what the timer does next)
    assert job.dialog.value() == shown == 28 and job.dialog.labelText() == "Cancelling…"
    gate.set()
    qtbot.waitUntil(lambda: job.finished)
