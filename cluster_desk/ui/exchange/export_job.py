"""An export running off the GUI thread, with a progress dialog (issue 17).

``ExportJob`` starts its work (``export_job`` below: ``export_work.export_file``; the timeline's
passport and snapshot pass their own) on a thread through ``ui.thread_answers`` (the
answer reaches the GUI thread through the process-long relay: a window closed meanwhile drops
it, nothing crashes) and shows a non-modal progress dialog after a short delay: the stage
("Reading the project…", "Writing FILE…"), a bar, and Cancel. The window stays usable
meanwhile. ``done`` is emitted once, on the GUI thread, with the job (``count``/``links`` on
success, ``error`` a one-line message on failure, ``cancelled``).

The worker's progress is not sent to the GUI thread: it is left in ``LatestProgress`` and a
timer of the GUI thread looks at it every ``POLL_MS`` (issue 17: a links CSV export at 100,000
members posted two queued calls per 2,048 records; each call's handling took the GIL back
several times (each Qt call releases it), each time waiting up to the interpreter's 5 ms switch
interval behind the busy worker, and a backlog of them blocked the window 160-340 ms at a time).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from cluster_desk.ui.exchange.export_work import ExportCancelled, Progress, export_file
from cluster_desk.ui.thread_answers import run_off_gui
from cluster_desk.ui.widgets.plain_text import title_text

# The dialog shows only for an export still running after this long (a small one just ends).
SHOW_AFTER_MS = 300
#: How often the GUI thread looks at the worker's progress (the bar moves at this pace).
POLL_MS = 100


# A job's stages: stage -> (label with %1 for the file's name, start %, end %) of the bar.
Stages = dict[str, tuple[str, int, int]]
# A last step on the GUI thread: (the work's result, finish(None | error)).
After = Callable[[Any, Callable[[BaseException | None], None]], None]


class LatestProgress:
    """The worker's last (stage, fraction): the worker sets it (one attribute store, no call into
    Qt), the GUI thread's timer reads it."""

    __slots__ = ("value",)

    def __init__(self) -> None:
        self.value: tuple[str, float] | None = None

    def __call__(self, stage: str, fraction: float) -> None:
        self.value = (stage, fraction)


class ExportJob(QObject):
    """``work(progress, cancel)`` on a worker thread, a progress dialog meanwhile; its value in
    ``result`` (and ``count``/``links`` for a roster or links export)."""

    done = Signal(object)  # this job, finished (result set), failed (error set) or cancelled

    def __init__(self, work: Callable[[Progress, threading.Event], Any], dest: Path, *, kind: str,
                 stages: Stages, parent_widget: QWidget | None, owner: QObject, title: str | None = None,
                 after: After | None = None) -> None:
        """``after(result, finish)``: a last step on the GUI thread once the work is done (the
        passport's PDF print), which calls ``finish(None)`` or ``finish(error)`` when it ends; the
        dialog stays up meanwhile (its stage: "after")."""
        super().__init__(owner)
        self._after = after
        self.dest = dest
        self.kind = kind
        self.stages = stages
        self.result: Any = None
        self.count: int | None = None
        self.links = 0
        self.error: str | None = None
        self.cancelled = False
        self.finished = False
        self._cancel = threading.Event()
        self._last: tuple[str, int] | None = None
        first = self._label(next(iter(stages)))
        self.dialog = QProgressDialog(first, self.tr("Cancel"), 0, 100, parent_widget)
        self.dialog.setWindowTitle(title_text(title or self.tr("Exporting %1").replace("%1", dest.name)))
        self.dialog.setWindowModality(Qt.WindowModality.NonModal)  # the window stays usable
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.setMinimumDuration(1_000_000)  # shown by our timer, not by setValue's guess
        self.dialog.setMinimumWidth(420)
        self.dialog.canceled.connect(self.cancel)
        self.dialog.hide()
        self._show_timer = QTimer(self, singleShot=True, interval=SHOW_AFTER_MS)
        self._show_timer.timeout.connect(self._show_dialog)
        self._show_timer.start()
        report, cancel = LatestProgress(), self._cancel
        self._reported = report
        self._poll_timer = QTimer(self, interval=POLL_MS)
        self._poll_timer.timeout.connect(self._poll)
        self._poll_timer.start()
        run_off_gui(self, lambda: work(report, cancel), self._finished, self._failed, name="cd-export")

    def _label(self, stage: str) -> str:
        return self.stages[stage][0].replace("%1", self.dest.name)

    def cancel(self) -> None:
        """Stop at the next step of the read or write; the destination is left as it was."""
        self._cancel.set()
        self.dialog.setLabelText(self.tr("Cancelling…"))

    def _show_dialog(self) -> None:
        if not self.finished:
            self._poll()
            self.dialog.show()

    def _poll(self) -> None:
        """The worker's latest progress, if it moved (GUI thread, from the timer)."""
        latest = self._reported.value
        if latest is not None:
            self._progress(*latest)

    def _progress(self, stage: str, fraction: float) -> None:
        """The dialog's label (when the stage changes) and bar (when its percent does)."""
        if self.finished or self._cancel.is_set() or stage not in self.stages:
            return
        _label, lo, hi = self.stages[stage]
        percent = lo + int(min(1.0, max(0.0, fraction)) * (hi - lo))
        if (stage, percent) != self._last:
            if self._last is None or self._last[0] != stage:
                self.dialog.setLabelText(self._label(stage))
            self._last = (stage, percent)
            self.dialog.setValue(percent)

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    def _finished(self, result: Any) -> None:
        self._poll_timer.stop()
        self.result = result
        if self.kind in ("roster", "links"):
            self.count, self.links = result
        if self._after is not None and not self.finished:
            self._progress("after", 0.0)
            self._after(result, self._after_done)
            return
        self._end()

    def _after_done(self, error: BaseException | None) -> None:
        if self.finished:
            return
        if error is None:
            self._end()
        else:
            self._failed(error)

    def _failed(self, error: BaseException) -> None:
        from cluster_desk.io import ExportError
        from cluster_desk.store import ProjectError
        from cluster_desk.text.export_text import export_failure
        from cluster_desk.ui.i18n import ui_text, user_message

        if isinstance(error, ExportCancelled):
            self.cancelled = True
        elif isinstance(error, ExportError):
            self.error = export_failure(error, ui_text())
        elif isinstance(error, ProjectError):
            self.error = user_message(error)
        elif isinstance(error, OSError | ValueError | sqlite3.Error):
            self.error = f"{self.dest}: {error}"
        else:  # a bug: said, never lost in the thread
            self.error = f"{self.dest}: {type(error).__name__}: {error}"
        self._end()

    def _end(self) -> None:
        self.finished = True
        self._show_timer.stop()
        self._poll_timer.stop()
        self.dialog.hide()
        self.dialog.deleteLater()
        self.done.emit(self)


def export_job(project_path: Path, dest: Path, kind: str, *, title: str, lang: str,
               parent_widget: QWidget | None, owner: QObject) -> ExportJob:
    """A roster ("roster": format by suffix) or links table ("links") export of the project file."""
    path = Path(project_path)

    def work(progress: Progress, cancel: threading.Event) -> tuple[int, int]:
        return export_file(path, dest, kind, title=title, lang=lang, progress=progress, cancel=cancel)

    stages = {"read": (QCoreApplication.translate("ExportJob", "Reading the project…"), 0, 10),
              "write": (QCoreApplication.translate("ExportJob", "Writing %1…"), 10, 100)}
    return ExportJob(work, dest, kind=kind, stages=stages, parent_widget=parent_widget, owner=owner)


class ExportJobs:
    """The exports running now (the window's and the tests' view of them)."""

    def __init__(self) -> None:
        self.running: list[ExportJob] = []

    @property
    def busy(self) -> bool:
        return bool(self.running)

    def add(self, job: ExportJob, then: Any) -> None:
        self.running.append(job)

        def ended(_job: object) -> None:
            self.running.remove(job)
            then(job)

        job.done.connect(ended)
