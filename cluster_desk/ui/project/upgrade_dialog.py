"""The one-time upgrade of an older project file, behind a progress dialog.

Opening a file of an older format upgrades it (``store.upgrade``): format 4 rebuilds the links
table, about 25 s at 3M links, which froze the window with no word. Here the upgrade runs on a
thread with its own connection (``store.upgrade.upgrade_file``: the usual open, with its copy of
the original and its one transaction per step, then closed) while the window keeps painting and
this dialog says which step runs and how far it got. The window then opens the upgraded file as
usual. User input waits until the end (the file is not open yet); a quick upgrade ends before
the dialog would show (``widgets.work_dialog``).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWidget

from cluster_desk.store import fileguard
from cluster_desk.store.upgrade import upgrade_file
from cluster_desk.ui.thread_answers import gui_caller
from cluster_desk.ui.widgets.work_dialog import WorkDialog

_STEPS = 1000  # the bar's range


class UpgradeDialog(WorkDialog):
    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self.stage = ""
        self.setWindowTitle(self.tr("Upgrading the Project File"))
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

    def run(self) -> BaseException | None:
        """Upgrade the file (blocks the caller, not the window's painting); the error, if any.
        Esc does not stop it: the upgrade is one transaction, it is not interrupted."""
        try:
            self.run_work(partial(upgrade_file, self.path, gui_caller(self, self.show_progress)),
                          name="project-upgrade")
        except Exception as error:
            return error
        return None

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
