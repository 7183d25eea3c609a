"""The session's live checks: when to assess, what the worker thread is handed (assessor.py,
Qt-free engine assess_engine.py), and what the results leave behind (the centre, each member's
distance to it, the status-bar counts). A mixin of ProjectSession (session.py), whose signals
(``assessed``, ``assessmentPending``, ``geometryChanged``) it emits.

No Member or Link record is needed (issue 17: a million members' records took ~4 GB): the worker
reads the checks' columns from the file itself (store.assess_columns) the first time, and after
that each edit reaches it as an EditStep (the roster's version before and after, the ids removed
and the records of the ids upserted, read one at a time): it patches those rows of its arrays
and recomputes only what depends on them (a move: the geographic checks; a link edit: the day's
network and tallies are patched, issue 12's 50 ms). A change it cannot follow (another process
wrote, a bulk import, a burst longer than KEEP_STEPS) clears the steps: it reads the file again.
A link-only edit and a marker dropped on the map are assessed on the next turn of the event
loop; other edits wait ASSESS_DELAY_MS so that a burst of them (undo held down, a bulk edit) is
assessed once.

Why ~460 lines: when to assess, the requests and edit steps handed to the worker, and the two
lanes of results taken back (checks, then distances) all read and write the same state (the
pending flag, the held assessment, the distances and their centre); one class keeps it in one place.

The checks' result goes out first; when its centre is not the one the roster's distances are
measured from (``distances_centre``), every located member's distance to it follows as a second
lane ("distances", in the worker's background: distance_lane.MeasureDistances; a million
members' took ~0.9 s that the checks used to wait for, issue 17). Until it comes the roster keeps
the distances it has, and their centre: a member moved meanwhile is measured from that one. A
lane is taken only if its centre is still the last result's and no member moved, came or went
since the result it follows (an edit since: that edit's result asks for the distances again).
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, MutableMapping
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer

from cluster_desk.core.model import ClusterSettings, Link, Member
from cluster_desk.core.row_values import RowValues
from cluster_desk.core.tables import LazyRecords
from cluster_desk.memory import map_big_blocks, trim_heap
from cluster_desk.ui.project.assess_engine import Assessed, AssessRequest, EditStep, OutsideRows
from cluster_desk.ui.project.assess_engine import counts as count_members
from cluster_desk.ui.project.assessor import Assessor
from cluster_desk.ui.project.change_set import ChangeSet
from cluster_desk.ui.project.distance_lane import Measured, lane_after
from cluster_desk.ui.project.loading import OpenedColumns, counts_from_columns
from cluster_desk.ui.project.record_slices import RecordSlices

#: Edits kept for the worker (after a burst longer than this it reads the file again).
KEEP_STEPS = 16
#: A change of more links than this (an import) is read again in full: patching row by row
#: costs ~10 µs a link, reading them all ~1.5 µs.
STEP_MAX_LINKS = 2_000
#: The same for members (each upserted one is read as a record for the step).
STEP_MAX_MEMBERS = 2_000
#: Projects up to this many members and links get their records built in slices after the first
#: assessment (100,000 members and 300,000 links as records: ~0.5 GB; a million: ~4 GB).
SLICES_UP_TO = 250_000
#: From this many members the process maps its big blocks on their own (memory.map_big_blocks:
#: a million members' rules freed their arrays into a heap that stayed ~40-80 MB larger).
MAP_BIG_BLOCKS_FROM = 250_000


class LiveAssessment:
    """ProjectSession's part that keeps the checks up to date (see the module docstring)."""

    ASSESS_DELAY_MS = 50  # a burst of edits (undo held down, a bulk edit) is assessed once

    project: Any
    members: LazyRecords[Member]
    links: LazyRecords[Link]
    settings: ClusterSettings
    opened: OpenedColumns | None
    results: list[Any]
    #: The last result's members outside the radius as the rows of the open's columns (the map
    #: rings them by those: MapSync), when it was assessed with nothing changed since the open.
    outside_rows: OutsideRows | None = None
    centre: tuple[float, float] | None
    distances: MutableMapping[str, float]
    _last_circle: tuple[float, float, float] | None
    _held: bool

    def _init_live_assessment(self, owner: QObject) -> None:
        #: The assessment, distances and counts run on a worker thread (assessor.py) on a snapshot;
        #: results of a state that has been edited since are dropped (the edit scheduled another).
        self.assessor = Assessor(owner)
        self._edit_generation = 0  # bumped by every change the views are told about
        self._pending = False
        self._counts: tuple[int, dict[str, int]] | None = None  # (edit generation, counts)
        self._opened_counts: tuple[OpenedColumns, dict[str, int]] | None = None  # of the columns
        self._links_snapshot: tuple[Link, ...] | None = None  # while the links are unchanged
        self._members_snapshot: tuple[Member, ...] | None = None  # while the members are unchanged
        #: The roster's version (bumped by every change) and its latest edits by ids and values,
        #: oldest first: the worker reads the file once and patches its arrays by these.
        self._version = 0
        self._steps: list[EditStep] = []
        #: The edit generation of the last edit that moved, added or removed members (or may
        #: have): a distances' lane measured before it is dropped.
        self._geometry_generation = 0
        #: (the distances object, the centre they are measured from); see distances_centre.
        self._distances_from: tuple[MutableMapping[str, float], tuple[float, float]] | None = None
        #: "Every distance changed" is told a frame after a result arrives: the roster's repaint
        #: of the column (~10 ms at 100,000) and the map and panel updates then are two stretches
        #: of GUI work, each within a frame, with input handled between them.
        self._all_distances_changed = QTimer(owner, singleShot=True, interval=16)
        self._all_distances_changed.timeout.connect(lambda: self.geometryChanged.emit(None))  # type: ignore[attr-defined]
        self._assess_timer = QTimer(owner)
        self._assess_timer.setSingleShot(True)
        self._assess_timer.setInterval(self.ASSESS_DELAY_MS)
        self._assess_timer.timeout.connect(self.assess_now)
        #: A small opened project's records are built a slice at a time between frames once its
        #: first assessment is shown (the views that walk every record then find them built); a
        #: big one's only when something asks (the assessment needs none).
        self.record_slices = RecordSlices(owner)
        self._slices_after_assessment = False
        self._after_records: list[Callable[[], object]] = []  # see when_records_built
        self.record_slices.finished.connect(self._records_built)

    def _edited(self, *, links: bool, change: ChangeSet | None = None) -> None:
        """Something changed (``change``: what, when an edit tells; None: anything may have)."""
        self._edit_generation += 1
        if change is None or change.reset or change.moved or change.removed:
            self._geometry_generation = self._edit_generation
        members = change is None or change.reset or bool(change.upserted or change.removed)
        if members:
            self._members_snapshot = None
        if links:
            self._links_snapshot = None
        self._record_step(change)
        if self.project is not None:
            self._set_pending(True)

    def _record_step(self, change: ChangeSet | None) -> None:
        """The edit as the worker's patch of its arrays: ids and their new values (the records
        of those ids alone are read); not known or too big: the worker reads the file again."""
        self._version += 1
        if change is None or change.reset or (
                change.links and not (change.link_upserted or change.link_removed)):
            self._steps.clear()  # (unnamed links: a team pull replaced them all)
            return
        edited_members = len(change.upserted) + len(change.removed)
        edited_links = len(change.link_upserted) + len(change.link_removed)
        if edited_members > STEP_MAX_MEMBERS or edited_links > STEP_MAX_LINKS:
            self._steps.clear()
            return
        members = tuple(m for m in map(self.members.get, self._in_file_order(change.upserted, self.members))
                        if m is not None)
        links = tuple(lk for lk in map(self.links.get, self._in_file_order(change.link_upserted, self.links))
                      if lk is not None)
        self._steps.append(EditStep(self._version - 1, self._version, members, tuple(sorted(change.removed)),
                                    links, tuple(sorted(change.link_removed))))
        del self._steps[:-KEEP_STEPS]

    def _in_file_order(self, ids: frozenset[str], records: LazyRecords[Any] | None = None) -> list[str]:
        """``ids`` with the new ones last, in the order they were added (the links' order, which
        the worker's rows follow: sums over links then add up in the same order as a fresh
        assessment's); the others (rewritten in place) first."""
        if len(ids) <= 1:
            return list(ids)
        tail = list(itertools.islice(reversed(self.links if records is None else records), len(ids)))[::-1]
        return sorted(ids.difference(tail)) + [i for i in tail if i in ids]

    def _schedule_assessment(self, change: ChangeSet | None = None) -> None:
        """Assess once a burst of edits is over; a link edit alone, or a marker dropped on the
        map, on the next turn of the loop (a drop is one edit at the mouse-up: waiting for more
        put ASSESS_DELAY_MS of the ~100 ms from a drop to its checks)."""
        links_only = (change is not None and change.links and not change.reset and not change.settings
                      and not (change.upserted or change.removed)
                      and bool(change.link_upserted or change.link_removed))
        dropped = (change is not None and change.origin == "map" and not change.reset
                   and not change.settings and not change.links and not change.removed
                   and change.upserted == change.moved)
        if not self._held:
            at_once = links_only or dropped
            self._assess_timer.start(0 if at_once else self.ASSESS_DELAY_MS)  # restart: one run per burst

    def release_assessment(self) -> None:
        if self._held:
            self._held = False
            if len(self.members) >= MAP_BIG_BLOCKS_FROM:
                map_big_blocks()  # before the worker's read and rules (issue 17: their peak)
            trim_heap()  # what the open's reads freed (issue 17: a million members)
            self.record_slices.resume()
            self._assess_timer.start(self.ASSESS_DELAY_MS)
            self.openPainted.emit()

    @property
    def painting(self) -> bool:
        """The map is painting a freshly opened project (hold_assessment). The blobs it fetches
        move only while the GUI thread is free, so background work that holds the GIL waits
        for ``openPainted`` (issue 17)."""
        return self._held

    def assess_on(self, day: str, deliver: Callable[[Assessed], None], lane: str = "as_of") -> None:
        """The project as it stands, assessed on ``day`` (ISO; the past view), on the worker
        thread: ``deliver`` gets an Assessed (``results``, ``participants``: that day's ids) on
        the GUI thread, unless ``assess_on`` was called again in the lane meanwhile. Nothing of
        the session changes (the live checks stay as they are)."""
        request = self._request(on=day)
        self.assessor.run(lane, lambda engine: engine.assess(request), deliver, self._report_failure)

    def links_snapshot(self, build: bool = True) -> tuple[Link, ...] | None:
        """The links as an immutable tuple for worker threads, the same object while the links
        are unchanged (300,000 links: ~5 ms to build); ``build=False``: None if not built since."""
        if self._links_snapshot is None and build:
            self._links_snapshot = tuple(self.links.values())
        return self._links_snapshot

    def links_of(self, member_id: str) -> list[Link]:
        """The links with ``member_id`` at either end, in file order; only those records are
        built when the links' records are not (the member form)."""
        if self.project is None or self.links.loaded:
            return [lk for lk in self.links.values() if member_id in (lk.source, lk.target)]
        return [self.links[i] for i in self.project.link_ids_of(member_id) if i in self.links]

    def current_arrays(self) -> Any:
        """The checks' arrays (core.checks.context.Arrays) of the project as it stands, for a
        caller that assesses on its own (the timeline's day cache): read from the file (or its
        arrays cache) while the records are not built, else from the records."""
        from cluster_desk.core.checks.context import Arrays

        if self.project is not None and not (self.members.loaded and self.links.loaded):
            from cluster_desk.store.assess_columns import read_for_assessment

            texts = self.opened.shared_texts() if self.opened is not None else None
            return read_for_assessment(Path(self.project.path), texts)[0]
        return Arrays(list(self.members.values()), list(self.links.values()))

    def members_snapshot(self) -> tuple[Member, ...]:
        """The members as an immutable tuple, the same object while the members are unchanged."""
        if self._members_snapshot is None:
            self._members_snapshot = tuple(self.members.values())
        return self._members_snapshot

    def when_records_built(self, then: Callable[[], object]) -> bool:
        """True when every member and link record is built: the caller goes on now. Else False:
        they are built a slice at a time between frames (a big project's only when a view that
        walks every record asks; building them in one go froze the window 1-2 s at 100,000
        members, issue 17), and ``then`` runs once they are (unless the project closes first)."""
        if self.project is None or (self.members.loaded and self.links.loaded):
            return True
        if then not in self._after_records:
            self._after_records.append(then)
        if not self.record_slices.active:
            self.record_slices.start(self.project, self.members, self.links, self.check_external_changes)
        return False

    def _records_built(self) -> None:
        waiting, self._after_records = self._after_records, []
        for then in waiting:
            then()

    def roster_request(self) -> AssessRequest:
        """What a job on the assessor's worker hands ``Engine.arrays_of`` to have the roster as
        it is now as arrays (the planner: no record built on the GUI thread, issue 17)."""
        return self._request()

    def roster_arrays(self) -> Callable[[Any], Any]:
        """The roster as it is now, as the checks' arrays, for a job on the assessor's worker
        (called there with the engine): the engine's own, read from the file and brought up to
        date by the edits since (no record built on the GUI thread: the Plan tab and the charts
        dock froze the window seconds at 100,000 members, issue 17); built from the records when
        no file is open."""
        assessed = self.roster_assessed()
        return lambda engine: assessed(engine)[0]

    def roster_assessed(self) -> Callable[[Any], tuple[Any, list[Any] | None]]:
        """``roster_arrays``, with today's results on them when the worker's last run was of the
        roster as it is now with these settings (``Engine.assessed_of``), else None."""
        from cluster_desk.core.checks.context import Arrays

        settings = self.settings
        if self.project is None:
            members, links = self.members_snapshot(), self.links_snapshot()
            return lambda _engine: (Arrays(members, links), None)
        request = self.roster_request()
        return lambda engine: engine.assessed_of(request, settings, date.today().isoformat())

    def _request(self, on: str | None = None) -> AssessRequest:
        """What the worker needs to assess the state now: the file to read the arrays from, the
        roster's version and the edits since the worker may have last looked (ids and values,
        no snapshot of every record: issue 17). ``on``: a past day."""
        from cluster_desk.store.assess_columns import read_for_assessment

        if self.project is None:  # nothing open: an empty roster
            return AssessRequest((), (), self.settings, on=on, participant_ids=on is not None)
        # Just opened (no change since): the arrays hold the open's ids and names (issue 17).
        texts = self.opened.shared_texts() if self.opened is not None else None
        read = functools.partial(read_for_assessment, Path(self.project.path), texts)
        common: dict[str, Any] = {"version": self._version, "steps": tuple(self._steps), "read": read}
        if on is not None:
            return AssessRequest(None, None, self.settings, on=on, participant_ids=True, **common)
        known = self.distances_centre if self.distances or not self.members else None
        # Just opened: the outside members come as the rows the map's page holds them by too.
        rows_of = self.opened.members if self.opened is not None else None
        return AssessRequest(None, None, self.settings, distances=True, known_centre=known,
                             distances_later=True, tag=self._edit_generation, outside_of=rows_of, **common)

    @property
    def distances_centre(self) -> tuple[float, float] | None:
        """The centre ``distances`` are measured from (the roster's column); None when they are
        not measured from any (none yet, or set anew by an open or close). It is the last
        result's ``centre`` once the distances' lane that follows a move of it has come."""
        held = self._distances_from
        return held[1] if held is not None and held[0] is self.distances else None

    def _set_pending(self, pending: bool) -> None:
        if pending != self._pending:
            self._pending = pending
            self.assessmentPending.emit(pending)

    @property
    def assessment_pending(self) -> bool:
        """An edit since the assessment shown: a new one is scheduled or running."""
        return self._pending

    def hold_assessment(self) -> None:
        """Postpone assessing until release_assessment(): the map holds it while it paints a
        freshly opened project, so the GUI thread stays free for that first paint."""
        self._held = True
        self.record_slices.pause()  # the records too are built once it has painted
        self._assess_timer.stop()

    def assess_now(self) -> None:
        """Assess the current state now (no debounce), on the worker thread: ``assessed`` follows
        once it is done, unless the project was edited meanwhile (then the next one follows)."""
        self._assess_timer.stop()
        if self.project is None:
            self.results = []
            self.assessed.emit(self.results)
            return
        request = self._request()
        self.assessor.run("live", lambda engine: engine.assess(request), self._take_assessment,
                          self._assessment_failed, then=("distances", lane_after, self._take_distances))

    def _report_failure(self, error: BaseException) -> None:
        self.errorOccurred.emit(f"{type(error).__name__}: {error}")

    def assess_sync(self) -> None:
        """The same on the calling thread (scripts and benches that time the work itself)."""
        from cluster_desk.ui.project.assess_engine import Engine

        self._assess_timer.stop()
        if self.project is not None:
            engine = Engine()
            done = engine.assess(self._request())
            self._take_assessment(done)
            lane = lane_after(done)
            if lane is not None:
                self._take_distances(lane.run(engine, may_yield=False))

    def _take_assessment(self, done: Assessed) -> None:
        if done.request.tag != self._edit_generation or self.project is None:
            return  # edited since the snapshot: the edit scheduled a new run
        self.results = done.results
        self.outside_rows = done.outside
        self._counts = (self._edit_generation, done.counts)
        if self._slices_after_assessment:
            self._slices_after_assessment = False
            if len(self.members) + len(self.links) <= SLICES_UP_TO:
                self.record_slices.start(self.project, self.members, self.links, self.check_external_changes)
        self.centre = done.centre  # (the map's circle: the distances' centre follows with them)
        if done.distances is not None:  # (no centre: no distance; else they follow in a lane)
            self._set_distances(done.distances, done.centre)
        circle, last = self.circle, self._last_circle
        if circle != last:
            self._last_circle = circle
            # (a centre moved alone: the roster's column changes when its lane comes, told then)
            if not (done.distances_follow and circle and last and circle[2] == last[2]):
                self._all_distances_changed.start()
        self._set_pending(False)
        self.assessed.emit(self.results)

    def _take_distances(self, done: Measured | None) -> None:
        """The distances' lane (see the module docstring): dropped when stale."""
        if done is None or self.project is None or done.centre != self.centre:
            return  # (None: the worker's rows had changed; a newer result asks again)
        if self._geometry_generation > done.tag:
            return  # (measured before members moved, came or went)
        self._set_distances(done.distances, done.centre)
        self._all_distances_changed.start()

    def _set_distances(self, distances: MutableMapping[str, float],
                       centre: tuple[float, float] | None) -> None:
        self.distances = distances
        self._distances_from = None if centre is None else (distances, centre)

    def _assessment_failed(self, error: BaseException) -> None:
        self._set_pending(False)
        self._report_failure(error)

    def effective_centre(self) -> tuple[float, float] | None:
        """The centre now (before the first assessment it is computed on the spot)."""
        if self.centre is not None or self.results:
            return self.centre
        from cluster_desk.core.assessment import effective_centre

        return effective_centre(list(self.members.values()), self.settings)

    @property
    def circle(self) -> tuple[float, float, float] | None:
        """(lat, lon, radius_km) around the effective centre, or None when there is no centre."""
        if self.centre is None:
            return None
        return self.centre[0], self.centre[1], float(self.settings.radius_km)

    def distance(self, member_id: str) -> float | None:
        return self.distances.get(member_id)

    def inside_ids(self) -> list[str]:
        """Located members within the radius (all kinds: what the map shows as the cluster)."""
        r = self.settings.radius_km
        if isinstance(self.distances, RowValues):
            return self.distances.within(r)  # (numpy: a million members)
        return [mid for mid, d in self.distances.items() if d <= r]

    def _measure(self, ids: list[str]) -> None:
        """Geodesic distances (core.geodesy, vectorised) of ``ids`` to the centre the others are
        measured from (``distances_centre``: until the lane after a centre move comes, the old one)."""
        centre = self.distances_centre
        if centre is None or not ids:
            return
        import numpy as np

        from cluster_desk.core.geodesy import distances_km

        members = self.members
        located: list[str] = []
        lats: list[float] = []
        lons: list[float] = []
        for i in ids:
            m = members.get(i)
            if m is not None and m.lat is not None and m.lon is not None:
                located.append(i)
                lats.append(m.lat)
                lons.append(m.lon)
            else:
                self.distances.pop(i, None)
        if located:
            d = distances_km(centre[0], centre[1], np.array(lats, dtype=float),
                             np.array(lons, dtype=float))
            self.distances.update(zip(located, d.tolist(), strict=True))

    def counts(self) -> dict[str, int]:
        """As counted with the last assessment when nothing changed since (the worker did it);
        right after opening, from the columns (counted once: a million statuses take ~0.1 s,
        and the status bar asks again when the first assessment is shown)."""
        if self._counts is not None and self._counts[0] == self._edit_generation:
            return dict(self._counts[1])
        if self.opened is not None:
            got = self._opened_counts
            if got is None or got[0] is not self.opened:
                got = self._opened_counts = (self.opened, counts_from_columns(self.opened.members))
            return dict(got[1])
        if self._counts is not None and (self._counts[0] == self._edit_generation or not self.members.loaded):
            # (records not built: the last counts until the assessment under way brings new ones)
            return dict(self._counts[1])
        return count_members(list(self.members.values()))
