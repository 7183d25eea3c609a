"""The assessment's work as the assessor's worker thread does it (ui/project/assessor.py). No Qt
here, on purpose: what runs off the GUI thread cannot touch a widget (tests check the imports).

The caller hands an :class:`AssessRequest`. The window's session hands no record at all (issue
17): a function that reads the checks' arrays from the project file (store.assess_columns, or
the arrays a previous read kept: store.arrays_cache), the roster's version, and its latest edits
as :class:`EditStep` (ids and new values); the engine reads the file once, then patches its
arrays by the steps (``_arrays_from_file``: a move rewrites a row and only the geographic checks
run again; a link edit patches the day's network and tallies; any other member edit rewrites,
appends or takes out rows), and reads the file again when the steps do not reach its version.
Other callers (tests, benches) may hand a snapshot of the roster (tuples of frozen Member and
Link records, frozen settings) that nobody changes afterwards, so the two threads share nothing
mutable. :meth:`Engine.assess` returns an :class:`Assessed` with everything the session derives
from the checks: the results, the centre the norm radius is measured from, each located member's
distance to it (only when that centre moved: a new dict the receiver owns), and the status-bar
counts. With ``distances_later`` (the window's session) the distances are not in the result but
follow (``distances_follow``: ui/project/distance_lane.py), which the worker measures after the
result is on its way, as a second lane (issue 17: a million members' distances, ~0.9 s of CPU, kept the checks
waiting); it takes the exact distances the concentration rule measured from the same centre.

The engine lives on the worker thread and keeps the core's arrays (core.checks.context.Arrays) of
the roster it last assessed, so a request pays only for what changed since (records are frozen,
so "unchanged" is "the same object"):
- the same members and links (a date step of the past view, a second request): arrays reused;
- only positions moved (a marker drop): the rows are rewritten in place (``Arrays.refreshed``),
  and when the links, the day and the settings (but for the circle) are those of the last run,
  only the geographic checks run again (core.assessment's ``previous``);
- only links changed and the request names the edits (``links_version``/``link_steps``, from the
  session): the changed link rows are patched (``Arrays.patch_links``: no pass over every link),
  the day's network and its tallies (core.checks.tallies: what the link rules sum) are patched
  rather than rebuilt, and the geographic results are kept (core assessment's ``geographic``):
  issue 12's "checks within 50 ms of a link edit";
- links changed otherwise: the link columns are read again, the member columns kept;
- anything else: the arrays are built again.
The results are the same as a fresh ``core.assessment.assess`` on the snapshot (tested, with
random link edits, moves and field edits).

Why ~490 lines: the request and result types, the engine's ways of having the arrays (read,
patched, reused, rebuilt) and what it derives from one run (the distances, the counts, the
outside members as the map's rows) belong to the one run the worker makes.
"""

from __future__ import annotations

import base64
import dataclasses
import itertools
import time
from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple, TypeVar

import numpy as np

from cluster_desk.core.assessment import assess_arrays, status_counts
from cluster_desk.core.check_facts import CheckResult
from cluster_desk.core.checks.context import Arrays
from cluster_desk.core.model import ClusterSettings, Link, Member, Status
from cluster_desk.core.roster_distances import RosterDistances
from cluster_desk.core.tables import MemberColumns
from cluster_desk.memory import trim_heap

#: Settings fields that only move or resize the circle: a change of these alone keeps the
#: non-geographic checks' results.
CIRCLE_FIELDS = ("centre_lat", "centre_lon", "radius_km")


@dataclass(frozen=True)
class LinkStep:
    """One link edit of the session: the links at version ``before`` became those at ``after``
    with ``upserted`` records added or replaced and ``removed`` ids gone."""

    before: int
    after: int
    upserted: tuple[Link, ...] = ()
    removed: tuple[str, ...] = ()


@dataclass(frozen=True)
class EditStep:
    """One edit of the session as the worker patches its arrays read from the file: the roster
    at version ``before`` became that at ``after`` with these members and links upserted (new
    values, records read one at a time) and these ids removed. Applying a step to arrays that
    already hold it changes nothing (the first read of the file may follow an edit)."""

    before: int
    after: int
    members: tuple[Member, ...] = ()
    member_removed: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    link_removed: tuple[str, ...] = ()


#: Above this many links the day's network and its tallies are not kept once assessed (a million
#: members and three million links: ~0.23 GB, issue 17): a link edit then has the network built
#: again on the worker (~1-2 s there) instead of patched. Up to it, a link edit is patched (issue 12).
KEEP_NETWORKS_UP_TO = 1_000_000
#: Links up to this many get their id -> row map when read (ready for the first link edit: ~60
#: ms at 300,000); above, it is made at the first link edit (three million: ~0.4 GB).
PREINDEX_LINKS = 1_000_000


@dataclass(frozen=True)
class AssessRequest:
    """One assessment to run: an immutable snapshot and what to derive from it."""

    #: The roster as records; None with ``read``: the arrays come from the file (issue 17).
    members: tuple[Member, ...] | None
    links: tuple[Link, ...] | None
    settings: ClusterSettings
    #: The day (ISO) to assess on; None = today (the live project).
    on: str | None = None
    #: Measure every located member's distance to the resulting centre when that centre is not
    #: ``known_centre`` (the one the caller's distances are already measured from).
    distances: bool = False
    known_centre: tuple[float, float] | None = None
    #: With ``distances``: not in the result but as a second lane (``Assessed.distances_follow``, run by
    #: the worker after the result is on its way: the checks are not kept waiting for them).
    distances_later: bool = False
    #: Also return the ids of the participants on the day (the past view filters by them).
    participant_ids: bool = False
    #: Handed back untouched (the session's edit generation).
    tag: Any = None
    #: The session's version of ``links`` (None: not versioned) and its latest link edits, oldest
    #: first: an engine holding the arrays of an earlier version patches those rows instead of
    #: reading every link again (issue 12: checks within 50 ms of a link edit).
    links_version: int | None = None
    link_steps: tuple[LinkStep, ...] = ()
    #: Without records: reads the arrays of the project file as committed now, and what to do once
    #: the result is on its way (run on the worker thread: store.assess_columns.read_for_assessment:
    #: keep them in the cache for the next open), the session's version of the roster, and its
    #: latest edits, oldest first: an engine holding the arrays of an earlier version patches them
    #: by these ids and values instead of reading the file again.
    read: Callable[[], tuple[Arrays, Callable[[], object] | None]] | None = None
    version: int | None = None
    steps: tuple[EditStep, ...] = ()
    #: The columns an open read, when nothing changed since (the map's page numbers its members
    #: by their placed rows): the concentration's outside members are also given as those rows
    #: (``Assessed.outside``).
    outside_of: MemberColumns | None = None


@dataclass(frozen=True)
class Assessed:
    """What one request gave. Every container here is new and belongs to the receiver."""

    request: AssessRequest
    results: list[CheckResult]
    centre: tuple[float, float] | None
    #: Member id -> km to ``centre`` for every located member (core.row_values.RowValues); None
    #: when the centre is the request's ``known_centre`` (the caller's distances stand),
    #: distances were not asked for, or they come later (``distances_follow``; ``{}``: no centre).
    distances: MutableMapping[str, float] | None
    counts: dict[str, int]
    participants: tuple[str, ...] | None = None
    #: True when every check ran; False when only the geographic ones did.
    full: bool = True
    seconds: float = 0.0
    #: The worker thread's own CPU seconds for it (the wall time suffers from a loaded machine).
    cpu: float = 0.0
    #: How the arrays were had: "built", "reused", "positions", "links", "link edit" (or both).
    arrays: str = field(default="built")
    #: With ``distances_later``, when the centre moved: the distances follow in a lane
    #: (distance_lane.MeasureDistances, on the engine's rows of ``rows_state``, on ``day``).
    distances_follow: bool = False
    rows_state: int = 0
    day: str = ""
    #: With ``request.outside_of``: the concentration's outside members as rows of those columns.
    outside: OutsideRows | None = None


class OutsideRows(NamedTuple):
    """The members outside the radius as the map's page holds an opened project's members: its
    members' blob has a row per placed row of the open's columns, in order (ui/map/view.py
    ``set_member_columns``). A million members' first result names ~120,000 outside: as ids,
    60-120 ms of the GUI thread's CPU (a set, 1.3 MB of JSON and its delivery); as a bit per
    row, ~167 kB of base64 made here that the GUI thread only passes on (~2 ms; issue 17)."""

    of: MemberColumns  # the open's columns
    ids: tuple[str, ...]  # the result's ``member_ids`` these are of (the same tuple)
    rows: np.ndarray  # int32: each one's place among the placed rows of ``of``
    count: int  # how many placed rows ``of`` has
    mask: str  # base64 of a bit per placed row (little-endian bit order): those at ``rows``
    by_id: tuple[str, ...]  # those with no placed row there (none, but for odd coordinates)


def outside_rows(arrays: Arrays, results: Sequence[CheckResult], cols: MemberColumns) -> OutsideRows | None:
    """The concentration's ``member_rows`` as ``OutsideRows`` of ``cols``; None when ``arrays``'
    rows are not those of ``cols`` (they hold the open's id -> row map only while their rows are
    the open's: any row taken out or added gives them one of their own) or the check has none.
    ~2.5 ms of the worker's CPU at a million members."""
    conc = next((r for r in results if r.id == "concentration"), None)
    rows = None if conc is None else conc.member_rows
    if rows is None or not arrays.rows_of_shared(cols.index_made()) or len(arrays.ids) != len(cols):
        return None
    placed = cols.located
    ok = placed[rows]
    ranks = np.cumsum(placed, dtype=np.int32)
    rank = ranks[rows[ok]] - 1
    count = int(ranks[-1]) if len(ranks) else 0
    bits = np.zeros(count, dtype=np.bool_)
    bits[rank] = True
    # (as ui.map.messages.b64, which the worker's engine may not import: core only)
    mask = base64.b64encode(np.packbits(bits, bitorder="little").tobytes()).decode("ascii")
    by_id = () if ok.all() else tuple(conc.member_ids[i] for i in np.flatnonzero(~ok).tolist())
    return OutsideRows(cols, conc.member_ids, rank, count, mask, by_id)


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


def _identity_diff(old: Sequence[object], new: Sequence[object]) -> list[int] | None:
    """Rows whose record is another object (same length), or None when the lengths differ."""
    if len(old) != len(new):
        return None
    a = np.fromiter(map(id, old), np.int64, len(old))
    b = np.fromiter(map(id, new), np.int64, len(new))
    return np.flatnonzero(a != b).tolist()


def _positions_only(old: Member, new: Member) -> bool:
    return old.id == new.id and dataclasses.replace(old, lat=new.lat, lon=new.lon) == new


def _same_place(lat: float, lon: float, m: Member) -> bool:
    """The row's position (NaN: not placed) is the record's."""
    if m.lat is None or m.lon is None:
        return bool(np.isnan(lat))
    return float(lat) == m.lat and float(lon) == m.lon


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
        self._links_version: int | None = None
        self._arrays: Arrays | None = None
        #: The last run: (settings, day, results) on ``_arrays``' links and member fields.
        self._last: tuple[ClusterSettings, str, list[CheckResult]] | None = None
        self._counts: tuple[tuple[Member, ...], dict[str, int]] | None = None
        self._after_send: Callable[[], object] | None = None
        #: The session's version of the roster ``_arrays`` hold when they were read from the file
        #: (None: they were built from records, or nothing is held).
        self._version: int | None = None
        #: The snapshots replaced by the last request: freeing a tuple of 300,000 links costs
        #: ~3 ms, paid in ``tidy`` once the result is on its way rather than before it.
        self._replaced: list[object] = []
        #: The arrays were read from the file (or a big network dropped) since the heap was last
        #: trimmed (see tidy).
        self._read_since_trim = False
        #: Bumped whenever the arrays' member rows or positions may have changed (a distances'
        #: lane measures only on the rows of the result it follows).
        self._rows_state = 0
        #: Set by the worker: True when a request of another lane waits (a long job gives way).
        self.yield_wanted: Callable[[], bool] = lambda: False

    def arrays_in_state(self, state: int) -> Arrays | None:
        """The arrays held if their member rows are still those of ``state``, else None."""
        return self._arrays if state == self._rows_state else None

    def tidy(self) -> None:
        """Free what the last request replaced and keep what it read (the worker calls it after
        sending the result)."""
        self._replaced.clear()
        after, self._after_send = self._after_send, None
        if after is not None:
            after()
        if self._read_since_trim:
            self._read_since_trim = False
            trim_heap()  # (issue 17: a million members' read frees hundreds of MB in pieces)

    def clear(self) -> None:
        """Forget the cached arrays (a project closed: its records may go)."""
        self._members = self._links = self._arrays = self._last = self._counts = None
        self._links_version = self._version = None
        self._replaced.clear()
        self._rows_state += 1

    def _steps_since(self, request: AssessRequest) -> tuple[LinkStep, ...] | None:
        """The link edits from the links the arrays hold to the request's; None if unknown."""
        have, want = self._links_version, request.links_version
        if have is None or want is None:
            return None
        return _chain(request.link_steps, have, want)

    def _file_steps(self, request: AssessRequest) -> tuple[EditStep, ...] | None:
        """The edits from the roster the arrays (read from the file) hold to the request's."""
        have, want = self._version, request.version
        if self._arrays is None or have is None or want is None:
            return None
        return _chain(request.steps, have, want)

    def _arrays_from_file(self, request: AssessRequest) -> tuple[Arrays, str, bool, bool]:
        """``_arrays_for`` of a request without records: the arrays held, patched by the edits
        since (a link step: rows patched, the day's network and tallies too; a member step:
        its rows rewritten, appended or taken out), or read from the file."""
        steps = self._file_steps(request)
        self._replaced = [self._members, self._links]
        self._members = self._links = None
        self._links_version = None
        if steps is None:
            assert request.read is not None
            self._arrays = None  # (the old arrays go before the new ones are read)
            arrays, keep = request.read()
            if len(arrays.links) <= PREINDEX_LINKS:  # ready for the next link edit, once the result is sent
                keep = _and_then(keep, arrays.link_rows)
            self._after_send = keep
            self._arrays, self._version = arrays, request.version
            self._read_since_trim = True
            return arrays, "read", False, False
        held = self._arrays
        assert held is not None
        arrays = held
        fields = moved = links = False
        for st in steps:
            if st.link_removed:
                arrays.patch_links((), st.link_removed)
                links = True
            for m in st.members:
                i = arrays.index.get(m.id)
                if i is None or arrays.member_fields(i) != Arrays.fields_of(m):
                    fields = True
                elif not _same_place(arrays.lat[i], arrays.lon[i], m):
                    moved = True
            if st.member_removed:
                fields = fields or any(mid in arrays.index for mid in st.member_removed)
            if st.members or st.member_removed:
                arrays.patch_members(st.members, st.member_removed)
            if st.links:
                arrays.patch_links(st.links, ())
                links = True
        self._version = request.version
        how = ", ".join(w for w, on in (("members", fields), ("positions", moved and not fields),
                                        ("link edit", links)) if on) or "reused"
        return arrays, how, not (fields or moved), not (fields or links)

    def _arrays_for(self, request: AssessRequest) -> tuple[Arrays, str, bool, bool]:
        """The arrays of this roster, how they were had (see the module docstring), and whether
        the member fields but positions and whether the links are those of the last run."""
        got = self._arrays_kept(request)
        if got[1] not in ("reused", "link edit", "links"):
            self._rows_state += 1  # (a distances' lane of the rows before is stale)
        return got

    def _arrays_kept(self, request: AssessRequest) -> tuple[Arrays, str, bool, bool]:
        if request.members is None or request.links is None:
            return self._arrays_from_file(request)
        self._version = None
        members, links = request.members, request.links
        cached, old = self._arrays, self._members
        steps = self._steps_since(request)
        positions: list[int] = []
        if cached is None or old is None:
            how, arrays = "built", Arrays(members, links)
        else:
            rows = [] if members is old else _identity_diff(old, members)
            if rows is None or not all(_positions_only(old[r], members[r]) for r in rows):
                how, arrays = "built", Arrays(members, links)
            else:
                positions = rows
                arrays = cached.refreshed(members, None) if rows else cached  # rows rewritten in place
                how = "positions" if rows else "reused"
                if steps:
                    for st in steps:
                        arrays.patch_links(st.upserted, st.removed)
                    how = "link edit" if how == "reused" else "positions, link edit"
                elif steps is None and links is not self._links and (
                        self._links is None or _identity_diff(self._links, links) != []):
                    arrays.set_links(links)
                    how = "links" if how == "reused" else "positions, links"
        if how == "built":
            arrays.link_rows()  # ready for the next link edit
        same_links = how in ("reused", "positions")
        self._replaced = [self._members, self._links]  # (those of a request before, if not tidied, go now)
        self._members, self._links, self._arrays = members, links, arrays
        self._links_version = request.links_version
        return arrays, how, how != "built" and not positions, same_links

    def arrays_of(self, request: AssessRequest) -> Arrays:
        """The arrays of the request's roster, brought up to date as ``assess`` would (the
        planner ranks on them: no record built, issue 17). What changed is then no longer
        known to the next ``assess``, so that one runs every check."""
        arrays, how, _same_members, _same_links = self._arrays_for(request)
        if how != "reused":
            self._last = None
        return arrays

    def assessed_of(self, request: AssessRequest, settings: ClusterSettings,
                    day: str) -> tuple[Arrays, list[CheckResult] | None]:
        """``arrays_of``, with the last run's results when they are of these very arrays, these
        settings and ``day`` (else None): the planner ranks on them instead of assessing again
        (issue 17: right after an open at 100,000 members, whose network the engine did not
        keep, the Plan tab's ranking took ~0.5 s, ~0.3 s of it that assessment)."""
        arrays = self.arrays_of(request)  # (forgets the last run when the arrays changed)
        last = self._last
        same = last is not None and last[0] == settings and last[1] == day
        return arrays, (list(last[2]) if last is not None and same else None)

    def assess(self, request: AssessRequest) -> Assessed:
        t0, c0 = time.perf_counter(), time.thread_time()
        arrays, how, same_members, same_links = self._arrays_for(request)
        day = request.on or date.today().isoformat()
        last = self._last
        previous = geographic = None
        if last is not None and last[1] == day and how not in ("built", "read"):
            if same_links and _circle_only(last[0], request.settings):
                previous = last[2]  # only positions or the circle: the geographic checks again
            elif same_members and last[0] == request.settings:
                geographic = last[2]  # only links: every check but the geographic ones
        keep = len(arrays.links) <= KEEP_NETWORKS_UP_TO
        results = list(assess_arrays(arrays, request.settings, on=day, previous=previous,
                                     geographic=geographic, keep_tallies=keep))
        self._last = (request.settings, day, results)
        if not keep:
            arrays.forget_networks()
            # Their pages and the read's go back to the system before the result is on its way
            # (issue 17: nothing holds them, the worker's heap did: a million members' RSS when
            # the assessment is shown 1,021 -> 842 MB, ~10 ms); tidy trims again after the send.
            trim_heap()
            self._read_since_trim = True
        else:
            arrays.slim_networks()
        centre = _centre_of(results)
        dist: MutableMapping[str, float] | None = None
        follow = False
        if request.distances and centre != request.known_centre:
            if centre is None:
                dist = {}
            elif request.distances_later:
                follow = True
            else:
                dist = RosterDistances(arrays, centre, day).measure(arrays)
        part = None
        if request.participant_ids:
            part = tuple(arrays.ids_of(np.flatnonzero(arrays.participants(day))))
        if request.members is None:
            tally = status_counts(arrays)  # (a bincount: nothing to cache)
        else:
            if self._counts is None or self._counts[0] is not request.members:
                self._counts = (request.members, status_counts(arrays))
            tally = self._counts[1]
        outside = None if request.outside_of is None else outside_rows(arrays, results, request.outside_of)
        # A list of its own for the receiver (the engine keeps ``results`` for the next request).
        return Assessed(request, list(results), centre, dist, dict(tally), part,
                        full=previous is None, seconds=time.perf_counter() - t0, arrays=how,
                        cpu=time.thread_time() - c0, distances_follow=follow,
                        rows_state=self._rows_state, day=day, outside=outside)


def _and_then(first: Callable[[], object] | None, then: Callable[[], object]) -> Callable[[], object]:
    def both() -> None:
        if first is not None:
            first()
        then()
    return both


_Step = TypeVar("_Step", LinkStep, EditStep)


def _chain(steps: tuple[_Step, ...], have: int, want: int) -> tuple[_Step, ...] | None:
    """The steps leading from version ``have`` to ``want`` (each one's ``after`` the next one's
    ``before``); None when the kept steps do not join them up."""
    if have == want:
        return ()
    first = next((i for i, st in enumerate(steps) if st.before == have), None)
    if first is None:
        return None
    chain = steps[first:]
    joined = all(a.after == b.before for a, b in itertools.pairwise(chain))
    return chain if joined and chain[-1].after == want else None
