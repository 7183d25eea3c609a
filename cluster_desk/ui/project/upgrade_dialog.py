"""The one-time upgrade of an older project file, behind a progress dialog.

Opening a file of an older format upgrades it (``store.upgrade``): format 4 rebuilds the links
table, about 25 s at 3M links, which froze the window with no word. Here the upgrade runs on a
thread with its own connection (``store.upgrade.upgrade_file``: the usual open, with its copy of
the original and its one transaction per step, then closed) while the window keeps painting and
this dialog says which step runs and how far it got. The window then opens the upgraded file as
usual. User input waits until the end (the file is not open yet); a quick upgrade ends before
the dialog would show.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDialog, QLabel, QProgressBar, QVBoxLayout, QWidget

from cluster_desk.store import fileguard
from cluster_desk.store.upgrade import upgrade_file
from cluster_desk.ui.thread_answers import gui_caller, run_off_gui

# The dialog shows only if the upgrade takes longer than this (a small file: no flash).
SHOW_AFTER_MS = 400
_STEPS = 1000  # the bar's range


class UpgradeDialog(QDialog):
    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self.error: BaseException | None = None
        self.finished_upgrade = False
        self.stage = ""
        self.setWindowTitle(self.tr("Upgrading the Project File"))
        self.setModal(True)
        self.setMinimumWidth(460)
        version = fileguard.check_header(self.path)
        copy = fileguard.upgrade_copy_path(self.path, version).name
        intro = QLabel(self.tr("“%1” was saved by an earlier version of Cluster Desk. It is upgraded "
                               "once to the current file format; the original stays unchanged in "
                               "“%2”.").replace("%1", self.path.name).replace("%2", copy))
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)  # file names are the user's text
        self.step = QLabel()
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy until the first measured step
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.step)
        layout.addWidget(self.bar)
        self._loop = QEventLoop(self)

    def run(self) -> BaseException | None:
        """Upgrade the file (blocks the caller, not the window's painting); the error, if any."""
        run_off_gui(self, partial(upgrade_file, self.path, gui_caller(self, self.show_progress)),
                    self._done, self._failed, name="project-upgrade")
        QTimer.singleShot(SHOW_AFTER_MS, self, self._appear)
        # User input waits (the window has no project yet); paint and the relay's calls go on.
        self._loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        self.hide()
        return self.error

    def _appear(self) -> None:
        if not self.finished_upgrade:
            self.show()

    def show_progress(self, stage: str, fraction: float) -> None:
        self.stage = stage
        texts = {"check": self.tr("Checking the file…"),
                 "copy": self.tr("Keeping a copy of the original…"),
                 "rebuild": self.tr("Upgrading the tables…")}
        self.step.setText(texts.get(stage, ""))
        if stage == "check":
            self.bar.setRange(0, 0)
        else:
            self.bar.setRange(0, _STEPS)
            self.bar.setValue(round(fraction * _STEPS))

    def _done(self, _result: object) -> None:
        self._finish(None)

    def _failed(self, error: BaseException) -> None:
        self._finish(error)

    def _finish(self, error: BaseException | None) -> None:
        self.error, self.finished_upgrade = error, True
        self._loop.quit()

    def reject(self) -> None:  # Esc: the upgrade is one transaction, it is not interrupted
        if self.finished_upgrade:
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.finished_upgrade:
            event.ignore()
            return
        super().closeEvent(event)
