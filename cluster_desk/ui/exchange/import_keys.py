"""The import dialog's read of the project's keys (ids, INNs, name keys), off the GUI thread when
the project is big.

Every preview and the import match a file's rows against these keys (``io.roster.ProjectKeys``).
Reading them is ~0.1 s at 20,000 members but ~4 s at a million, and it ran in the dialog's
constructor: the window froze before the dialog even appeared. A big project's keys are now read
on a thread, on a read-only connection of its own in one read transaction (``store.keys_read``),
while the dialog shows that it is reading; a small project's are read at once, so its first
preview is there when the dialog opens. A read that fails (the file busy or gone) is retried on
the project's own connection, as before; one the dialog no longer waits for stops at its next
chunk.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject

from cluster_desk.io.roster import ProjectKeys, project_keys
from cluster_desk.store.keys_read import KeysStopped, read_keys
from cluster_desk.ui.thread_answers import run_off_gui

#: From this many members (the highest rowid: an upper bound, read at once) the keys are read
#: on a thread. Below it the read takes under ~0.1 s.
KEYS_ON_THREAD_FROM = 20_000


class KeysRead:
    """Reads ``project``'s keys once for ``owner`` (a dialog): ``arrived(keys)`` on the GUI thread."""

    def __init__(self, owner: QObject, project: Any, arrived: Callable[[ProjectKeys], None]) -> None:
        self._owner, self._project, self._arrived = owner, project, arrived
        self._stop = threading.Event()
        self.waiting = False  # a thread is reading them

    def start(self) -> bool:
        """Read them: True if on a thread (``arrived`` comes later), False if done already."""
        if self._project.last_rowids()[0] < KEYS_ON_THREAD_FROM:
            self._arrived(project_keys(self._project))
            return False
        self.waiting = True
        read = partial(read_keys, Path(self._project.path), project_keys, self._stop.is_set)
        run_off_gui(self._owner, read, self._read, self._failed, name="import-keys")
        return True

    def stop(self) -> None:
        """No one waits for them any more (the dialog closed)."""
        self._stop.set()

    def _read(self, keys: ProjectKeys) -> None:
        self.waiting = False
        if not self._stop.is_set():
            self._arrived(keys)

    def _failed(self, error: BaseException) -> None:
        self.waiting = False
        if not isinstance(error, KeysStopped) and not self._stop.is_set():
            self._arrived(project_keys(self._project))  # (the project's own connection)
