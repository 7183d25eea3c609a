"""The assessment's work as the assessor's worker thread does it (ui/project/assessor.py). No Qt
here, on purpose: what runs off the GUI thread cannot touch a widget (tests check the imports).

The caller hands an :class:`AssessRequest`: a snapshot of the roster (tuples of frozen Member and
Link records, frozen settings) that nobody changes afterwards, so the two threads share nothing
mutable. :meth:`Engine.assess` returns an :class:`Assessed` with everything the session derives
from the checks: the results, the centre the norm radius is measured from, each located member's
distance to it (only when that centre moved: a new dict the receiver owns), and the status-bar
counts.

The engine lives on the worker thread and keeps the core's arrays (core.checks.context.Arrays) of
the roster it last assessed, so a request pays only for what changed since (records are frozen,
so "unchanged" is "the same object"):
- the same members and links (a date step of the past view, a second request): arrays reused;
- only positions moved (a marker drop): the position columns are copied and patched, and when
  the links, the day and the settings (but for the circle) are those of the last run, only the
  geographic checks run again (core.assessment's ``previous``);
- links changed, members not: the member columns are reused;
- anything else: the arrays are built again.
The results are the same as a fresh ``core.assessment.assess`` on the snapshot (tested).
"""

from __future__ import annotations

import copy
import dataclasses
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from cluster_desk.core.assessment import assess_arrays
from cluster_desk.core.check_facts import CheckResult
from cluster_desk.core.checks.context import Arrays
from cluster_desk.core.geodesy import distances_km
from cluster_desk.core.model import ClusterSettings, Link, Member, Status

#: Settings fields that only move or resize the circle: a change of these alone keeps the
#: non-geographic checks' results.
CIRCLE_FIELDS = ("centre_lat", "centre_lon", "radius_km")


@dataclass(frozen=True)
class AssessRequest:
    """One assessment to run: an immutable snapshot and what to derive from it."""

    members: tuple[Member, ...]
    links: tuple[Link, ...]
    settings: ClusterSettings
    #: The day (ISO) to assess on; None = today (the live project).
    on: str | None = None
    #: Measure every located member's distance to the resulting centre when that centre is not
    #: ``known_centre`` (the one the caller's distances are already measured from).
    distances: bool = False
    known_centre: tuple[float, float] | None = None
    #: Also return the ids of the participants on the day (the past view filters by them).
    participant_ids: bool = False
    #: Handed back untouched (the session's edit generation).
    tag: Any = None


@dataclass(frozen=True)
class Assessed:
    """What one request gave. Every container here is new and belongs to the receiver."""

    request: AssessRequest
    results: list[CheckResult]
    centre: tuple[float, float] | None
    #: Member id -> km to ``centre`` for every located member; None when the centre is the
    #: request's ``known_centre`` (the caller's distances stand) or distances were not asked for.
    distances: dict[str, float] | None
    counts: dict[str, int]
    participants: tuple[str, ...] | None = None
    #: True when every check ran; False when only the geographic ones did.
    full: bool = True
    seconds: float = 0.0
    #: How the arrays were had: "built", "reused", "positions", "links".
    arrays: str = field(default="built")


def counts(members: Sequence[Member]) -> dict[str, int]:
    """Members, candidates, drafts, former and unlocated records (the status bar)."""
    c = {"members": 0, "candidates": 0, "former": 0, "drafts": 0, "unlocated": 0,
         "total": len(members)}
    for m in members:
        if m.status is Status.MEMBER:
            c["members"] += 1
        elif m.status is Status.CANDIDATE:
            c["candidates"] += 1
        elif m.status is Status.DRAFT:
            c["drafts"] += 1
        else:
            c["former"] += 1
        if m.lat is None or m.lon is None:
            c["unlocated"] += 1
    return c


def all_distances(centre: tuple[float, float], members: Sequence[Member], arrays: Arrays) -> dict[str, float]:
    """Geodesic km from ``centre`` to every member with coordinates (core.geodesy, one
    vectorised call on the arrays' position columns, which follow ``members``' order)."""
    rows = np.flatnonzero(np.isfinite(arrays.lat) & np.isfinite(arrays.lon))
    if not rows.size:
        return {}
    d = distances_km(centre[0], centre[1], arrays.lat[rows], arrays.lon[rows])
    return dict(zip([members[i].id for i in rows.tolist()], d.tolist(), strict=True))


def _identity_diff(old: Sequence[object], new: Sequence[object]) -> list[int] | None:
    """Rows whose record is another object (same length), or None when the lengths differ."""
    if len(old) != len(new):
        return None
    a = np.fromiter(map(id, old), np.int64, len(old))
    b = np.fromiter(map(id, new), np.int64, len(new))
    return np.flatnonzero(a != b).tolist()


def _positions_only(old: Member, new: Member) -> bool:
    return old.id == new.id and dataclasses.replace(old, lat=new.lat, lon=new.lon) == new


def _with_positions(a: Arrays, members: tuple[Member, ...], rows: list[int]) -> Arrays:
    """A copy of ``a`` with the positions of ``rows`` taken from ``members``; ``a`` stays as it
    was (its arrays are not written). The position columns as Arrays.__init__ builds them."""
    b = copy.copy(a)
    b.members = list(members)
    lat, lon = a.lat.copy(), a.lon.copy()
    for r in rows:
        m = members[r]
        lat[r] = math.nan if m.lat is None else m.lat
        lon[r] = math.nan if m.lon is None else m.lon
    b.lat, b.lon = lat, lon
    b.located = np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90.0)
    return b


def _circle_only(old: ClusterSettings, new: ClusterSettings) -> bool:
    return dataclasses.replace(old, **{f: getattr(new, f) for f in CIRCLE_FIELDS}) == new


def _centre_of(results: Sequence[CheckResult]) -> tuple[float, float] | None:
    """The centre the concentration check measured from (the core's rule, settings or proposed)."""
    conc = next((r for r in results if r.id == "concentration"), None)
    centre = getattr(getattr(conc, "facts", None), "centre", None)
    if centre is None:
        return None
    return float(centre[0]), float(centre[1])


class Engine:
    """Runs requests one at a time, on one thread (the assessor's worker); keeps the last arrays."""

    def __init__(self) -> None:
        self._members: tuple[Member, ...] | None = None
        self._links: tuple[Link, ...] | None = None
        self._arrays: Arrays | None = None
        #: The last run: (settings, day, results) on ``_arrays``' links and member fields.
        self._last: tuple[ClusterSettings, str, list[CheckResult]] | None = None

    def clear(self) -> None:
        """Forget the cached arrays (a project closed: its records may go)."""
        self._members = self._links = self._arrays = self._last = None

    def _arrays_for(self, members: tuple[Member, ...], links: tuple[Link, ...]) -> tuple[Arrays, str]:
        """The arrays of this roster and how they were had (see the module docstring)."""
        cached = self._arrays
        old_links = self._links
        same_links = links is old_links or (old_links is not None and _identity_diff(old_links, links) == [])
        if cached is None or self._members is None:
            how, arrays = "built", Arrays(members, links)
        elif members is self._members or _identity_diff(self._members, members) == []:
            if same_links:
                how, arrays = "reused", cached
            else:
                how, arrays = "links", copy.copy(cached)
                arrays.set_links(links)
        else:
            rows = _identity_diff(self._members, members)
            old = self._members
            if rows is not None and same_links and all(_positions_only(old[r], members[r]) for r in rows):
                how, arrays = "positions", _with_positions(cached, members, rows)
            else:
                how, arrays = "built", Arrays(members, links)
        if how in ("built", "links"):
            self._last = None  # the non-geographic results no longer hold
        self._members, self._links, self._arrays = members, links, arrays
        return arrays, how

    def assess(self, request: AssessRequest) -> Assessed:
        t0 = time.perf_counter()
        arrays, how = self._arrays_for(request.members, request.links)
        day = request.on or date.today().isoformat()
        last = self._last
        previous = None
        if last is not None and last[1] == day and _circle_only(last[0], request.settings):
            previous = last[2]
        results = list(assess_arrays(arrays, request.settings, on=day, previous=previous))
        self._last = (request.settings, day, results)
        centre = _centre_of(results)
        dist = None
        if request.distances and centre != request.known_centre:
            dist = {} if centre is None else all_distances(centre, request.members, arrays)
        part = None
        if request.participant_ids:
            rows = np.flatnonzero(arrays.participants(day)).tolist()
            part = tuple(arrays.members[i].id for i in rows)
        # A list of its own for the receiver (the engine keeps ``results`` for the next request).
        return Assessed(request, list(results), centre, dist, counts(request.members), part,
                        full=previous is None, seconds=time.perf_counter() - t0, arrays=how)
