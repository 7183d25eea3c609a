"""One warm-up thread at a time: ``LaneThread`` (issue 17: the GUI thread's stalls after an open).

At the paint of an opened project the window starts its warm-ups on threads of their own (the
roster's name key and federal subjects, the columns snapshot), and at its first assessment
more (the roster's stored columns' keys and the filter's haystack), beside the checks' worker
and the open's links thread. Each is Python that wants the interpreter lock. The GUI thread
gives the lock up in every Qt call and must take it back after: with k threads asking for it,
it waits about k switch intervals (5 ms each) a time. At 100,000 members py-spy, perf's
``sched_switch`` and the 5 ms ticker agreed: in the longest stall between the paint and the
first checks (75-150 ms) the GUI thread spent ~20 ms on a core and 60-110 ms waiting for the
lock, in runs of ~5 ms waits, while five to seven such threads ran.

Here those warm-ups run one after another, in the order they were started, so the GUI thread
queues behind at most one of them (and the worker). On two cores they were never parallel
anyway: the lock let one run at a time. A thread someone ``join``s (a click that needs the key
now) skips the queue and runs at once, so no user waits behind another warm-up.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from cluster_desk.core.soon_thread import SoonThread


class WarmLane:
    """Lets one body run at a time, first come first served; an urgent one at once."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._queue: deque[object] = deque()
        self._running = 0
        #: The most bodies seen running at once (tests: the lane held).
        self.most = 0

    @contextmanager
    def turn(self, urgent: threading.Event) -> Iterator[None]:
        me = object()
        with self._cond:
            self._queue.append(me)
            while not (urgent.is_set() or (self._running == 0 and self._queue[0] is me)):
                self._cond.wait()
            self._queue.remove(me)
            self._running += 1
            self.most = max(self.most, self._running)
        try:
            yield
        finally:
            with self._cond:
                self._running -= 1
                self._cond.notify_all()

    def hurry(self) -> None:
        """Wake the waiting bodies: one of them was made urgent."""
        with self._cond:
            self._cond.notify_all()


#: The window's lane (one process, one GUI thread).
LANE = WarmLane()


class LaneThread(SoonThread):
    """A ``SoonThread`` whose target runs in ``lane`` (``LANE``); ``join`` lets it skip the queue."""

    def __init__(self, *args: Any, lane: WarmLane | None = None,
                 failed: Callable[[BaseException], None] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, failed=failed, **kwargs)
        self._lane = lane or LANE
        self._urgent = threading.Event()

    def run(self) -> None:
        with self._lane.turn(self._urgent):
            super().run()

    def hurry(self) -> None:
        """Someone waits for this thread's work (a click, a keystroke): it runs now, queue or not."""
        if not self._urgent.is_set():
            self._urgent.set()
            self._lane.hurry()

    def join(self, timeout: float | None = None) -> None:
        self.hurry()
        super().join(timeout)
