"""Every located member's exact geodesic distance to a centre (the roster's distance column),
measured a chunk at a time so the caller can stop between chunks and go on later.

Exact distances only (core.geodesy, pyproj.Geod): those the concentration rule measured exactly
from the same centre to the same points (core.checks.geography's ``exact_distances``: the
participants at and beyond the norm radius, and the moved ones of a drag) are taken as they
are, bit for bit what measuring them again gives; the others are measured ``MEASURE_CHUNK`` at a
time (~60 ms of Geod.inv each). Issue 17: a million members' distances took ~0.9 s of CPU, and
the window's worker measures them after the checks' result is on its way
(ui/project/distance_lane.MeasureDistances), giving way to other requests between chunks.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from cluster_desk.core.checks.context import Arrays
from cluster_desk.core.checks.geography import exact_distances
from cluster_desk.core.geodesy import distances_km
from cluster_desk.core.row_values import RowValues

#: Members measured between two looks at whether to go on.
MEASURE_CHUNK = 65_536


class RosterDistances:
    """The distances from ``centre`` to every member of ``arrays`` with a position, as a
    ``RowValues`` over the arrays' rows. ``day``: the day the checks were assessed on (their
    participants are the points whose distances the concentration rule measured); None takes
    nothing from the rule. The arrays' rows and positions must stay as they are until done."""

    def __init__(self, arrays: Arrays, centre: tuple[float, float], day: str | None) -> None:
        self.centre = centre
        self._index, self._ids = arrays.shared_index(), arrays.ids
        values = self._values = np.full(len(arrays.names), np.nan)
        #: Members whose distance the concentration rule had measured exactly (taken as they are).
        self.shared = 0
        if day is not None:
            points = np.flatnonzero(arrays.participants(day) & arrays.located & arrays.local)
            known = exact_distances(centre, arrays.lat[points], arrays.lon[points]) if points.size else None
            if known is not None:
                dist, exact = known
                values[points[exact]] = dist[exact]
                self.shared = int(np.count_nonzero(exact))
        located = np.isfinite(arrays.lat) & np.isfinite(arrays.lon)
        self._todo: npt.NDArray[np.intp] = np.flatnonzero(located & np.isnan(values))
        self._done = 0

    def measure(self, arrays: Arrays, go_on: Callable[[], bool] = lambda: True) -> RowValues | None:
        """Measure what is left, asking ``go_on()`` between chunks: None when it said no (call
        again to go on where it stopped), else the distances (every member with a position)."""
        todo, (lat0, lon0) = self._todo, self.centre
        while self._done < todo.size:
            rows = todo[self._done:self._done + MEASURE_CHUNK]
            self._values[rows] = distances_km(lat0, lon0, arrays.lat[rows], arrays.lon[rows])
            self._done += rows.size
            if self._done < todo.size and not go_on():
                return None
        return RowValues(self._index, self._ids, self._values)


def all_distances(centre: tuple[float, float], arrays: Arrays) -> RowValues:
    """Geodesic km from ``centre`` to every member of ``arrays`` with a position, in one go
    (a float per row of the arrays beside their id -> row map: core.row_values; a million
    members' distances in a dict took ~80 MB)."""
    values = RosterDistances(arrays, centre, None).measure(arrays)
    assert values is not None  # (never stopped)
    return values
