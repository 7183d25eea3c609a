"""An export running off the GUI thread, with a progress dialog (issue 17).

``ExportJob`` starts ``export_work.export_file`` on a thread through ``ui.thread_answers`` (the
answer reaches the GUI thread through the process-long relay: a window closed meanwhile drops
it, nothing crashes) and shows a non-modal progress dialog after a short delay: the stage
("Reading the project…", "Writing FILE…"), a bar, and Cancel. The window stays usable
meanwhile. ``done`` is emitted once, on the GUI thread, with the job (``count``/``links`` on
success, ``error`` a one-line message on failure, ``cancelled``).
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from cluster_desk.ui.exchange.export_work import ExportCancelled, export_file
from cluster_desk.ui.thread_answers import gui_caller, run_off_gui

#: The dialog shows only for an export still running after this long (a small one just ends).
SHOW_AFTER_MS = 300


class ExportJob(QObject):
    done = Signal(object)  # this job, finished (count set), failed (error set) or cancelled

    def __init__(self, project_path: Path, dest: Path, kind: str, *, title: str, lang: str,
                 parent_widget: QWidget | None, owner: QObject) -> None:
        super().__init__(owner)
        self.dest = dest
        self.kind = kind
        self.count: int | None = None
        self.links = 0
        self.error: str | None = None
        self.cancelled = False
        self.finished = False
        self._cancel = threading.Event()
        self._last_percent = -1
        self.dialog = QProgressDialog(self.tr("Reading the project…"), self.tr("Cancel"), 0, 100,
                                      parent_widget)
        self.dialog.setWindowTitle(self.tr("Exporting %1").replace("%1", dest.name))
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
        report = gui_caller(self, self._progress)
        path, cancel = Path(project_path), self._cancel

        def work() -> tuple[int, int]:
            return export_file(path, dest, kind, title=title, lang=lang, progress=report, cancel=cancel)

        run_off_gui(self, work, self._finished, self._failed, name="cd-export")

    def cancel(self) -> None:
        """Stop at the next step of the read or write; the destination is left as it was."""
        self._cancel.set()
        self.dialog.setLabelText(self.tr("Cancelling…"))

    def _show_dialog(self) -> None:
        if not self.finished:
            self.dialog.show()

    def _progress(self, stage: str, fraction: float) -> None:
        """From the worker (through the relay): the dialog's label and bar."""
        if self.finished or self._cancel.is_set():
            return
        if stage == "read":
            label, percent = self.tr("Reading the project…"), int(fraction * 10)
        else:
            label, percent = self.tr("Writing %1…").replace("%1", self.dest.name), 10 + int(fraction * 90)
        if percent != self._last_percent:
            self._last_percent = percent
            self.dialog.setLabelText(label)
            self.dialog.setValue(percent)

    def _finished(self, counts: tuple[int, int]) -> None:
        self.count, self.links = counts
        self._end()

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
        self.dialog.hide()
        self.dialog.deleteLater()
        self.done.emit(self)


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
