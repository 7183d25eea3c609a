"""A modal dialog over work that runs on a thread while the window keeps painting.

What an upgrade of an older file and the open of a big one share (ui/project/upgrade_dialog.py,
opening_dialog.py): ``run_work`` starts the work on a thread and waits in a local event loop
that paints and runs queued calls but holds user input back (the window has no project to act
on yet). The dialog shows only if the work lasts longer than ``SHOW_AFTER_MS`` (no flash for a
small file); once shown it is modal, which keeps input and the close button from the window, and
the wait goes on in a loop that lets input through to the dialog (its Cancel: Qt holds back
every user event, the dialog's too, in a loop that excludes them).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDialog, QWidget

from cluster_desk.ui.thread_answers import run_off_gui

# The dialog shows only if the work takes longer than this.
SHOW_AFTER_MS = 400


class WorkDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModal(True)
        self.error: BaseException | None = None
        self.value: Any = None
        self.finished_work = False
        #: Shown, and waiting in a loop that lets user input through (the dialog is modal: the
        #: window gets none). Before, input waits: a click meanwhile comes after the work.
        self.taking_input = False
        self._loop = QEventLoop(self)
        self._discard: Callable[[Any], None] | None = None

    def run_work(self, work: Callable[[], Any], *, name: str,
                 discard: Callable[[Any], None] | None = None) -> Any:
        """``work()`` on a thread; its value once it ends (raises what it raised). ``discard``:
        what to do with a value that arrives after the dialog stopped waiting (``stop``)."""
        self._discard = discard
        run_off_gui(self, work, self._done, self._failed, name=name, orphaned=discard)
        QTimer.singleShot(SHOW_AFTER_MS, self, self._appear)
        self._loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        if not self.finished_work:  # shown: the modal dialog takes input (Cancel, Esc), the window none
            self.taking_input = True
            self._loop.exec()
        self.hide()
        if self.error is not None:
            raise self.error
        return self.value

    def stop(self) -> None:
        """Stop waiting now: ``run_work`` returns None (the caller stops the work itself)."""
        self._finish(None, None)

    def may_stop(self) -> bool:
        """Whether Esc or the close button stop the wait (``stop``); not by default."""
        return False

    def _appear(self) -> None:
        if not self.finished_work:
            self.show()
            self._loop.quit()  # (run_work waits on with user input let through to the dialog)

    def _done(self, value: Any) -> None:
        if not self.finished_work:
            self._finish(value, None)
        elif self._discard is not None:  # (it stopped waiting: nobody takes the value)
            self._discard(value)

    def _failed(self, error: BaseException) -> None:
        if not self.finished_work:
            self._finish(None, error)

    def _finish(self, value: Any, error: BaseException | None) -> None:
        self.value, self.error, self.finished_work = value, error, True
        self._loop.quit()

    def reject(self) -> None:  # Esc
        if self.finished_work:
            super().reject()
        elif self.may_stop():
            self.stop()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.finished_work:
            event.ignore()
            if self.may_stop():
                self.stop()
            return
        super().closeEvent(event)

