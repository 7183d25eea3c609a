"""Heavy recomputation off the GUI thread: one worker thread per Assessor, requests coalesced.

``Assessor.run(lane, work, deliver)`` queues ``work(engine)`` (a function of the worker's
assess_engine.Engine; it must only read the immutable snapshot it closes over) and, once it has
run, calls ``deliver(result)`` on the GUI thread, unless a newer request in the same lane came in
meanwhile or the lane was cancelled: a burst of requests runs the newest one (at most one waits
per lane, plus the one running) and stale results are dropped (a generation counter per lane).
Lanes keep independent streams apart: the session's live assessment is "live"; the past view can
use its own lane so a slider step never cancels the live checks, e.g.

    assessor.run("as_of", lambda engine: engine.assess(AssessRequest(members, links, settings,
                 on=day, participant_ids=True)), show_past)

The worker thread starts on the first request and ends when nothing is queued; it touches no Qt
object: results go back through ``ui.thread_answers`` (a relay kept for the whole process, a
queued connection, the Assessor held weakly). On quit the queue is dropped and a running request
is waited for (bounded); its result is not delivered.
"""

from __future__ import annotations

import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

from cluster_desk.ui.project.assess_engine import Engine
from cluster_desk.ui.thread_answers import GuiCaller, gui_caller

Work = Callable[[Engine], Any]
Deliver = Callable[[Any], None]
Failed = Callable[[BaseException], None]

#: How long quitting the app waits for a request that is running (then its result is dropped).
QUIT_WAIT_S = 10.0


@dataclass(frozen=True)
class _Job:
    """What the worker thread gets: no callback and no Qt object, only the work (which closes
    over an immutable snapshot) and where its result goes back to (``answer``: a
    ``ui.thread_answers.GuiCaller`` of the Assessor, held weakly)."""

    answer: GuiCaller
    lane: str
    generation: int
    work: Work


class _Worker:
    """The worker thread's side, plain Python: the queue (under a lock), the thread, the engine.
    The thread holds this object only (no QObject: none is ever released on that thread)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.queue: list[_Job] = []  # waiting, oldest first; at most one per lane
        self.thread: threading.Thread | None = None
        self.quitting = False
        self.engine = Engine()  # used by the worker thread only
        self.runs = 0  # requests run (tests: coalescing), under the lock

    def put(self, job: _Job) -> None:
        with self.lock:
            if self.quitting:
                return
            self.queue = [j for j in self.queue if j.lane != job.lane]  # superseded: never run
            self.queue.append(job)
            if self.thread is None:
                self.thread = threading.Thread(target=self.loop, name="cluster-desk-assessor", daemon=False)
                self.thread.start()

    def drop(self, lanes: list[str]) -> None:
        with self.lock:
            self.queue = [j for j in self.queue if j.lane not in lanes]

    def stop(self, wait: float) -> None:
        with self.lock:
            self.quitting = True
            self.queue.clear()
            thread = self.thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(wait)

    def loop(self) -> None:
        try:
            while True:
                with self.lock:
                    if not self.queue or self.quitting:
                        self.thread = None  # under the lock: a request put after this starts one
                        return
                    job = self.queue.pop(0)
                try:
                    value, ok = job.work(self.engine), True
                except Exception as e:  # handed to the GUI thread, shown there
                    value, ok = e, False
                with self.lock:
                    self.runs += 1
                    quitting = self.quitting
                if job.lane and not quitting:
                    job.answer(job.lane, job.generation, ok, value)
                self.engine.tidy()  # after the result is on its way
        finally:  # if the thread dies of something uncaught, the next request starts a new one
            with self.lock:
                if self.thread is threading.current_thread():
                    self.thread = None


class Assessor(QObject):
    """Runs work for its owner (the session) on one worker thread; see the module docstring."""

    #: True while a request is queued or running in any lane; False once all are done.
    busyChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._worker = _Worker()
        self._answer = gui_caller(self, self._arrived)
        self._generation: dict[str, int] = {}  # per lane: the newest request's number
        #: Per lane with a request not yet delivered or dropped: (generation, deliver, failed).
        self._waiting: dict[str, tuple[int, Deliver, Failed | None]] = {}
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    @property
    def runs(self) -> int:
        """How many requests the worker has run (superseded ones never run)."""
        with self._worker.lock:
            return self._worker.runs

    @property
    def busy(self) -> bool:
        return bool(self._waiting)

    def run(self, lane: str, work: Work, deliver: Deliver, failed: Failed | None = None) -> int:
        """Queue ``work``; ``deliver`` (or ``failed`` with the exception) runs on the GUI thread
        if this is still the lane's newest request then. Returns the request's generation."""
        if not lane:
            raise ValueError("a lane needs a name")
        generation = self._generation.get(lane, 0) + 1
        self._generation[lane] = generation
        was_busy = self.busy
        self._waiting[lane] = (generation, deliver, failed)
        self._worker.put(_Job(self._answer, lane, generation, work))
        if not was_busy:
            self.busyChanged.emit(True)
        return generation

    def cancel(self, lane: str | None = None) -> None:
        """Drop what is queued for ``lane`` (every lane: None); a running request's result is not
        delivered. With every lane, the worker also forgets its cached arrays."""
        lanes = list(self._generation) if lane is None else [lane]
        for name in lanes:
            self._generation[name] = self._generation.get(name, 0) + 1
        self._worker.drop(lanes)
        if lane is None and lanes:  # queued behind whatever runs, so the cache goes after it
            self._worker.put(_Job(self._answer, "", 0, _forget))
        for name in lanes:
            self._done(name)

    def shutdown(self, wait: float = QUIT_WAIT_S) -> None:
        """The app quits: nothing more runs or is delivered; wait (bounded) for a running request."""
        for name in list(self._generation):
            self._generation[name] += 1
        self._waiting.clear()
        self._worker.stop(wait)

    def _arrived(self, lane: str, generation: int, ok: bool, value: Any) -> None:
        """On the GUI thread (thread_answers): hand the value over unless a newer request replaced it."""
        waiting = self._waiting.get(lane)
        if waiting is None or waiting[0] != generation or self._generation.get(lane) != generation:
            return
        _generation, deliver, failed = waiting
        self._done(lane)
        if ok:
            deliver(value)
        elif failed is not None:
            failed(value)
        else:
            traceback.print_exception(value, file=sys.stderr)

    def _done(self, lane: str) -> None:
        if self._waiting.pop(lane, None) is not None and not self._waiting:
            self.busyChanged.emit(False)


def _forget(engine: Engine) -> None:
    engine.clear()
