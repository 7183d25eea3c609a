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

A request may name a follow-up lane (``then``): once its result is on its way, the worker
asks ``pick(result)`` for more work and runs it next, in the background, before tidying up
(the live checks' result goes out first, the roster's distances to every member follow in lane
"distances"); its answer comes to that lane's ``deliver``, unless a newer request named the same
follow-up lane meanwhile (its generation is taken when the request is made). Work in the
background runs only when no other request waits, and gives way between its steps: it returns
``distance_lane.AGAIN`` when ``engine.yield_wanted()`` says another request waits, and is run
again after that one (going on where it stopped) unless its lane was replaced meanwhile.

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
from cluster_desk.ui.project.distance_lane import AGAIN
from cluster_desk.ui.thread_answers import GuiCaller, gui_caller

Work = Callable[[Engine], Any]
Deliver = Callable[[Any], None]
Failed = Callable[[BaseException], None]

#: A follow-up lane's answer when the result asked for no more work (the lane is then done).
_NOTHING: Any = object()


@dataclass(frozen=True)
class _Follow:
    """A request's follow-up: its lane, that lane's generation, and the work it takes from the
    request's result (None: none)."""

    lane: str
    generation: int
    pick: Callable[[Any], Work | None]

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
    #: Runs only when no other request waits, and gives way to one (see the module docstring).
    background: bool = False
    follow: _Follow | None = None


class _Worker:
    """The worker thread's side, plain Python: the queue (under a lock), the thread, the engine.
    The thread holds this object only (no QObject: none is ever released on that thread)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.queue: list[_Job] = []  # waiting, oldest first; at most one per lane
        self.thread: threading.Thread | None = None
        self.quitting = False
        self.engine = Engine()  # used by the worker thread only
        self.engine.yield_wanted = self.foreground_waiting
        self.runs = 0  # requests run (tests: coalescing), under the lock
        self.newest: dict[str, int] = {}  # per lane: the generation of the newest job put

    def foreground_waiting(self) -> bool:
        """A request that is not in the background waits (or the app quits)."""
        with self.lock:
            return self.quitting or any(not j.background for j in self.queue)

    def put(self, job: _Job) -> None:
        with self.lock:
            if self.quitting:
                return
            follow = job.follow.lane if job.follow is not None else None
            # superseded: never run (an older follow-up of the same lane too)
            self.queue = [j for j in self.queue if j.lane not in (job.lane, follow)]
            self.queue.append(job)
            self.newest[job.lane] = job.generation
            if job.follow is not None:
                self.newest[job.follow.lane] = job.follow.generation
            if self.thread is None:
                self.thread = threading.Thread(target=self.loop, name="cluster-desk-assessor", daemon=False)
                self.thread.start()

    def drop(self, lanes: list[str]) -> None:
        with self.lock:
            self.queue = [j for j in self.queue if j.lane not in lanes]
            for lane in lanes:
                self.newest.pop(lane, None)  # (a job of theirs giving way is not run again)

    def stop(self, wait: float) -> None:
        with self.lock:
            self.quitting = True
            self.queue.clear()
            thread = self.thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(wait)

    def _follow_up(self, job: _Job, ok: bool, value: Any) -> bool:
        """Queue the job's follow-up first of the background; True when one is queued."""
        follow = job.follow
        if follow is None:
            return False
        work = follow.pick(value) if ok else None
        with self.lock:
            if self.quitting or self.newest.get(follow.lane) != follow.generation:
                return False  # (a newer request named the lane: its own answer is awaited)
            if work is not None:
                self.queue.insert(0, _Job(job.answer, follow.lane, follow.generation, work, True))
                return True
        job.answer(follow.lane, follow.generation, True, _NOTHING)
        return False

    def loop(self) -> None:
        try:
            while True:
                with self.lock:
                    if not self.queue or self.quitting:
                        self.thread = None  # under the lock: a request put after this starts one
                        return
                    # The oldest request not in the background, else the oldest.
                    at = next((i for i, j in enumerate(self.queue) if not j.background), 0)
                    job = self.queue.pop(at)
                try:
                    value, ok = job.work(self.engine), True
                except Exception as e:  # handed to the GUI thread, shown there
                    value, ok = e, False
                with self.lock:
                    self.runs += 1
                    quitting = self.quitting
                    if ok and value is AGAIN:  # gave way: runs again after the others
                        if not quitting and self.newest.get(job.lane) == job.generation and not any(
                                j.lane == job.lane for j in self.queue):
                            self.queue.append(job)
                        continue
                if job.lane and not quitting:
                    job.answer(job.lane, job.generation, ok, value)
                if not self._follow_up(job, ok, value):
                    self.engine.tidy()  # after the result is on its way (and its follow-up)
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
        self._follows: dict[str, str] = {}  # lane -> the follow-up lane its requests named
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

    def run(self, lane: str, work: Work, deliver: Deliver, failed: Failed | None = None, *,
            background: bool = False,
            then: tuple[str, Callable[[Any], Work | None], Deliver] | None = None) -> int:
        """Queue ``work``; ``deliver`` (or ``failed`` with the exception) runs on the GUI thread
        if this is still the lane's newest request then. Returns the request's generation.
        ``background``: after every other request, giving way to them; ``then``: a follow-up
        lane, the work it picks from the result and where its answer goes (module docstring)."""
        if not lane:
            raise ValueError("a lane needs a name")
        was_busy = self.busy
        generation = self._next(lane, deliver, failed)
        follow = None
        if then is not None:
            follow_lane, pick, follow_deliver = then
            self._follows[lane] = follow_lane
            follow = _Follow(follow_lane, self._next(follow_lane, follow_deliver, failed), pick)
        self._worker.put(_Job(self._answer, lane, generation, work, background, follow))
        if not was_busy:
            self.busyChanged.emit(True)
        return generation

    def _next(self, lane: str, deliver: Deliver, failed: Failed | None) -> int:
        generation = self._generation.get(lane, 0) + 1
        self._generation[lane] = generation
        self._waiting[lane] = (generation, deliver, failed)
        return generation

    def cancel(self, lane: str | None = None) -> None:
        """Drop what is queued for ``lane`` (every lane: None); a running request's result is not
        delivered. With every lane, the worker also forgets its cached arrays."""
        lanes = list(self._generation) if lane is None else [lane]
        lanes += [self._follows[name] for name in lanes if self._follows.get(name) not in (None, *lanes)]
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
        if value is _NOTHING:
            return
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
