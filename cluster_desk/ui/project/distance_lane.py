"""The roster's distances as the assessor's second lane after a live result (issue 17: a million
members' distances, ~0.9 s of the worker's CPU, kept the checks' result waiting). Qt-free: it
runs on the worker thread (assessor.py runs it as the live request's follow-up, in the
background; live_assessment.py takes what it measured, or drops it when stale).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from cluster_desk.core.roster_distances import RosterDistances
from cluster_desk.core.row_values import RowValues
from cluster_desk.ui.project.assess_engine import Assessed, Engine


class _Again:
    def __repr__(self) -> str:
        return "AGAIN"


#: What a job returns to be run again after the requests waiting in other lanes (assessor.py).
AGAIN: Any = _Again()


@dataclass(frozen=True)
class Measured:
    """The distances' lane: each located member's km to ``centre`` (core.row_values.RowValues),
    measured on the arrays the result tagged ``tag`` was assessed on."""

    centre: tuple[float, float]
    distances: RowValues
    tag: Any
    #: Members whose exact distance the concentration rule had measured (taken, not measured).
    shared: int = 0
    cpu: float = 0.0


class MeasureDistances:
    """The roster's distance to every located member from the centre of a result
    (core.roster_distances), run by the worker after that result is on its way (issue 17: a
    million members' distances took ~0.9 s of CPU that the checks waited for). Between chunks
    it returns ``AGAIN`` when a request of another lane waits (the engine's ``yield_wanted``):
    the worker runs that one and calls this again, which goes on where it stopped. None: the
    engine's member rows are no longer those the result was assessed on (an edit since: the
    edit's own result asks for distances again)."""

    def __init__(self, centre: tuple[float, float], day: str, state: int, tag: Any) -> None:
        self.centre, self.day, self.state, self.tag = centre, day, state, tag
        self._run: RosterDistances | None = None
        self._cpu = 0.0

    def __call__(self, engine: Engine) -> Measured | None:
        return self.run(engine)

    def run(self, engine: Engine, may_yield: bool = True) -> Measured | None:
        c0 = time.thread_time()
        try:
            arrays = engine.arrays_in_state(self.state)
            if arrays is None:
                return None
            if self._run is None:
                self._run = RosterDistances(arrays, self.centre, self.day)
            values = self._run.measure(arrays, lambda: not (may_yield and engine.yield_wanted()))
        finally:
            self._cpu += time.thread_time() - c0
        if values is None:
            return AGAIN  # type: ignore[no-any-return]
        return Measured(self.centre, values, self.tag, self._run.shared, self._cpu)


def lane_after(done: Assessed) -> MeasureDistances | None:
    """The distances' lane that follows a live result, if its centre moved (None: it did not)."""
    if not done.distances_follow or done.centre is None:
        return None
    return MeasureDistances(done.centre, done.day, done.rows_state, done.request.tag)
