"""The project as arrays and the assessment on each day asked for, kept until the project changes.

A slider step over 100,000 members costs 0.13–0.25 s of assessment (core.assessment.assess_arrays)
the first time a day is shown and nothing after: the year-ends of the slider are assessed ahead of
the user, nearest first, off the GUI thread (``prefetch``), and a day asked for while its
assessment runs waits for that run rather than starting another.

The background runs through one hook, ``submit`` (``concurrent.futures.Executor.submit``'s shape:
a callable in, a Future out). By default it is a private one-thread executor; the window's shared
assessment worker (issue 13, ui/project/) can be plugged in by passing its ``submit``. What runs
there is pure core code over arrays nobody mutates (``Arrays`` is read-only once built), so no Qt
object is touched off the GUI thread.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import CancelledError, Executor, Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from cluster_desk.core.check_facts import CheckResult
    from cluster_desk.core.checks.context import Arrays
    from cluster_desk.core.model import ClusterSettings
    from cluster_desk.ui.project.session import ProjectSession

Submit = Callable[[Callable[[], Any]], "Future[Any]"]

#: The assessor's lane of the copies of its arrays asked for here (``_from_worker``).
WORKER_LANE = "as_of_arrays"


def _ignore(_value: object) -> None:
    """(The copy goes back through its Future, not the assessor's delivery.)"""


class DayCache:
    def __init__(self, session: ProjectSession, submit: Submit | None = None) -> None:
        self.session = session
        self._own: Executor | None = None
        self._submit = submit
        self._arrays: Arrays | None = None
        self._results: dict[str, list[CheckResult]] = {}
        self._part: dict[str, np.ndarray] = {}
        self._running: dict[str, Future[Any]] = {}
        self._lock = threading.Lock()
        #: The arrays being made off the GUI thread (``build``), for the state of ``_state``.
        self._building: Future[Arrays] | None = None
        self._state = 0  # counts the project's changes: arrays made for an older one are dropped
        self._maker: Executor | None = None
        self._asked: Future[Arrays] | None = None  # the worker's copy asked for (``_from_worker``)
        #: Called on the thread that made the arrays once they are (the controller's signal).
        self.built: Callable[[], object] | None = None
        #: Asked here when ``build`` starts: a job run on the arrays' thread once they are made,
        #: its answer kept beside them (``beside``; the map's link rows, PastMap.finder).
        self.after_built: Callable[[], Callable[[Arrays], object]] | None = None
        self._beside: tuple[Arrays, object] | None = None
        self.computed = 0  # assessments run (in the foreground or ahead): tests and the bench read it
        self.made_here = 0  # arrays made on the calling (GUI) thread: tests read it

    # ----- the state of the project -----------------------------------------------------------------

    def drop(self) -> None:
        """The project changed: forget the arrays and every day (runs in flight are ignored)."""
        with self._lock:
            for future in self._running.values():
                future.cancel()
            self._running.clear()
            self._arrays = None
            self._beside = None
            self._building = None
            self._state += 1
            self._results.clear()
            self._part.clear()
            asked, self._asked = self._asked, None
        if asked is not None:
            asked.cancel()

    def arrays(self) -> Arrays:
        """Every member and link as columns, built once per state of the project (at 100,000
        members most of a step's cost if built each time): those ``build`` is making, waited
        for, else made here."""
        building = self._building
        if self._arrays is None and building is not None:
            with contextlib.suppress(Exception):  # (made here below if that failed)
                building.result()
        if self._arrays is None:
            self.made_here += 1
            self._arrays = self.session.current_arrays()  # (no record built for it: issue 17)
        return self._arrays

    def ready_arrays(self) -> Arrays | None:
        return self._arrays

    def beside(self, a: Arrays) -> object:
        """What ``after_built``'s job gave for ``a`` (None: not run for these arrays, or failed)."""
        kept = self._beside
        return kept[1] if kept is not None and kept[0] is a else None

    def build(self) -> None:
        """Make the arrays off the GUI thread (the dock was shown: the slider is in reach; made
        on the GUI thread they froze the window, issue 17): the worker's copy is waited for on a
        thread of their own, which then runs ``after_built``'s job. ``built`` is called once
        they are kept."""
        if self._arrays is not None or self._building is not None:
            return
        make, state = self._arrays_maker(), self._state
        then = self.after_built() if self.after_built is not None else None

        def run() -> Arrays:
            a = make()
            extra: object = None
            if then is not None:
                try:
                    extra = then(a)
                except Exception:  # (the GUI thread then does it, where an error surfaces)
                    extra = None
            with self._lock:
                kept = state == self._state and self._arrays is None
                if kept:
                    self._arrays = a
                    self._beside = (a, extra)
            if kept and self.built is not None:
                self.built()
            return a

        if self._maker is None:
            self._maker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cd-as-of-arrays")
        self._building = self._maker.submit(run)

    def _arrays_maker(self) -> Callable[[], Arrays]:
        """What makes the arrays of the project as it is now, off the GUI thread: a copy of the
        window's worker engine's own (``session.roster_arrays()``, brought up to date by every edit
        already), made there in the background; with no project, from the records.

        (They used to be read from the file again after each edit: 0.5-0.65 s of CPU at 100,000
        members and ~3 s at a million beside the edit's own checks, which waited for the cores;
        the copy is ~10 ms at 100,000, issue 17.)"""
        from cluster_desk.core.checks.context import Arrays

        s = self.session
        if s.project is not None:
            return self._from_worker()
        members, links = list(s.members_snapshot()), list(s.links_snapshot())
        return lambda: Arrays(members, links)

    def _from_worker(self) -> Callable[[], Arrays]:
        """Ask the window's worker for a copy of its arrays (``Arrays.detached``: it goes on
        patching its own); the callable returned waits for it. ``drop`` cancels the ask: a job
        the worker drops (a project closed) never leaves the arrays' thread waiting after it."""
        roster, got = self.session.roster_arrays(), Future()  # type: Callable[[Any], Arrays], Future[Arrays]

        def work(engine: Any) -> None:  # on the worker thread
            if not got.set_running_or_notify_cancel():
                return  # (dropped meanwhile)
            try:
                got.set_result(roster(engine).detached())
            except Exception as e:  # (the arrays' thread raises it: the GUI thread then reads them)
                got.set_exception(e)

        with self._lock:
            self._asked = got
        self.session.assessor.run(WORKER_LANE, work, _ignore, _ignore, background=True)
        return got.result
    def participants(self, day: str) -> np.ndarray:
        part = self._part.get(day)
        if part is None:
            part = self._part[day] = self.arrays().participants(day)
        return part

    # ----- assessments ------------------------------------------------------------------------------

    def results(self, day: str) -> list[CheckResult]:
        """The checks on ``day`` (= ``cluster-desk check --as-of day``): cached, or the run
        already under way for it, or computed now."""
        with self._lock:
            done = self._results.get(day)
            future = self._running.get(day)
        if done is not None:
            return done
        if future is not None and not future.cancel():  # started: waiting costs less than a new run
            with contextlib.suppress(CancelledError, Exception):  # run again below: errors surface there
                future.result()
            with self._lock:
                done = self._results.get(day)
            if done is not None:
                return done
        a = self.arrays()
        return self._store(a, day, self._assess(a, day, self.session.settings))

    def cached(self, day: str) -> bool:
        return day in self._results

    def ready(self, day: str) -> list[CheckResult] | None:
        """The checks on ``day`` if assessed already, else None (nothing computed here)."""
        with self._lock:
            return self._results.get(day)

    def when_assessed(self, day: str, done: Callable[[], object]) -> bool:
        """Call ``done`` (on the thread that ran it) once the run for ``day`` under way ends,
        however it ends; False if no run is under way (a run that failed stays, ended)."""
        with self._lock:
            future = self._running.get(day)
        if future is None or future.done():
            return False
        future.add_done_callback(lambda _f: done())
        return True

    def prefetch(self, days: Iterable[str]) -> None:
        """Assess these days ahead, in this order, off the GUI thread (days known are skipped;
        arrays not made yet are made by ``build`` first, and waited for there)."""
        a, settings = self._arrays, self.session.settings
        if a is None:
            self.build()
        building = self._building
        for day in days:
            with self._lock:
                if day in self._results or day in self._running:
                    continue
                self._running[day] = self._executor_submit(
                    lambda d=day: self._ahead(a, building, d, settings))

    def _ahead(self, a: Arrays | None, building: Future[Arrays] | None, day: str,
               settings: ClusterSettings) -> list[CheckResult]:
        if a is None:
            assert building is not None
            a = building.result()
        return self._store(a, day, self._assess(a, day, settings))

    def close(self) -> None:
        self.drop()
        for pool in (self._own, self._maker):
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)
        self._own = self._maker = None

    def _executor_submit(self, fn: Callable[[], Any]) -> Future[Any]:
        if self._submit is not None:
            return self._submit(fn)
        if self._own is None:
            self._own = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cd-as-of")
        return self._own.submit(fn)

    def _assess(self, a: Arrays, day: str, settings: ClusterSettings) -> list[CheckResult]:
        from cluster_desk.core.assessment import assess_arrays

        self.computed += 1
        return assess_arrays(a, settings, on=day)  # = assess(..., on=day), as `check --on`

    def _store(self, a: Arrays, day: str, results: list[CheckResult]) -> list[CheckResult]:
        with self._lock:
            if a is self._arrays:  # not a run over arrays dropped since
                self._results[day] = results
                self._running.pop(day, None)
        return results
