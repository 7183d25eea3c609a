"""``SoonThread``: a thread whose ``start()`` returns at once, not once the thread runs (issue 17).

``threading.Thread.start`` waits until the new thread has run its first lines, and then the
caller needs the interpreter back from it. A thread that goes straight into a long call that
holds the interpreter (building a dict of 100,000 ids, a big numpy gather) keeps the caller
waiting until that call ends. The window starts five to seven threads at the moment the map has
painted an opened project (the members' id map, the columns snapshot, the roster's sort keys,
...): at 100,000 members those starts held the GUI thread 45-85 ms on an idle machine and
0.2-0.3 s under load, in the burst that follows the paint (cProfile of the ack's slots).

``SoonThread.start`` hands the start of a daemon thread to a short-lived helper thread
(``_thread``: no wait) and returns. A thread the interpreter waits for at exit (not a daemon: the
columns snapshot a closing window refreshes) is started at once, as a Thread is: handed to a
helper, a process ending right after missed it. ``is_alive`` is true from then on until the
thread has run; ``join`` waits for the start, then for the thread. A start that fails (no
thread to be had) calls ``failed`` on the helper, so a caller that took a lock for the thread
can let it go.
"""

from __future__ import annotations

import _thread
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)


class SoonThread(threading.Thread):
    """A ``threading.Thread`` started without waiting for it to run (see the module's notes)."""

    def __init__(self, *args: Any, failed: Callable[[BaseException], None] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._failed = failed
        self._handed: threading.Event | None = None  # set once the helper's start is over

    def start(self) -> None:
        if self._handed is not None:
            raise RuntimeError("threads can only be started once")
        self._handed = threading.Event()
        if not self.daemon:  # one the interpreter waits for at exit: started here, as a Thread
            try:  # (handed to a helper, a process ending right after might not wait for it)
                super().start()
            finally:
                self._handed.set()
            return
        _thread.start_new_thread(self._start_now, ())

    def _start_now(self) -> None:
        assert self._handed is not None
        try:
            super().start()
        except BaseException as exc:  # (no thread to be had: the caller's failed hook says)
            log.warning("thread %s not started", self.name, exc_info=True)
            if self._failed is not None:
                self._failed(exc)
        finally:
            self._handed.set()

    def is_alive(self) -> bool:
        handed = self._handed
        if handed is not None and not handed.is_set():
            return True  # (started: it is about to run)
        return super().is_alive()

    def join(self, timeout: float | None = None) -> None:
        handed = self._handed
        if handed is None:
            super().join(timeout)  # (never started: Thread's own error)
            return
        began = time.monotonic()
        if not handed.wait(timeout):
            return
        if self.ident is not None:  # (None: its start failed, nothing to wait for)
            super().join(None if timeout is None else max(0.0, timeout - (time.monotonic() - began)))
