"""The open of a project file, read on a thread behind a dialog that can cancel it.

The window read a file on the GUI thread: a million members took 1.9 s of a frozen window with
the file in the OS cache and 33 s from a disk that was not (issue 17), with no word and no way
back. Now the file is opened and its columns read on a thread (``loading.OpenRead``) while the
window keeps painting the project it shows; past ``SHOW_AFTER_MS`` this dialog names the file and
offers Cancel, which stops the read and leaves the window as it was.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QProgressBar, QVBoxLayout, QWidget

from cluster_desk.ui.project.loading import OpenCancelled, OpenRead, ProjectRead
from cluster_desk.ui.widgets.work_dialog import WorkDialog


def _close_unadopted(read: ProjectRead) -> None:
    read.project.close()


class OpeningDialog(WorkDialog):
    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reading = OpenRead(Path(path))
        self.setWindowTitle(self.tr("Opening the Project"))
        self.setMinimumWidth(420)
        try:
            size = self.locale().formattedDataSize(
                Path(path).stat().st_size, 1, QLocale.DataSizeFormat.DataSizeTraditionalFormat)
        except OSError:  # (the open reports it)
            size = ""
        text = (self.tr("Reading “%1” (%2)…").replace("%2", size) if size
                else self.tr("Reading “%1”…")).replace("%1", Path(path).name)
        self.label = QLabel(text)
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # file names are the user's text
        self.label.setWordWrap(True)
        bar = QProgressBar()
        bar.setRange(0, 0)  # busy: one query reads each table
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        self.cancel_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(bar)
        layout.addWidget(buttons)

    def run(self) -> ProjectRead | None:
        """The project read (blocks the caller, not the window's painting); None if cancelled.
        Raises what the open raised (store.ProjectError, OSError)."""
        try:
            return self.run_work(self.reading.run, name="project-open", discard=_close_unadopted)
        except OpenCancelled:
            return None
        except Exception:
            if self.reading.cancelled:  # (the interrupted read's error)
                return None
            raise

    def may_stop(self) -> bool:
        return True

    def stop(self) -> None:
        self.reading.cancel()
        super().stop()
