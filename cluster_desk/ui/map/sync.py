"""Keeps the MapView in step with the session (incremental updates only) and turns map gestures
into undoable commands: marker drags, centre/edge drags, and clicks in place mode."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from cluster_desk.core.checks.context import EXTERNAL_KINDS
from cluster_desk.core.model import ClusterSettings, Member
from cluster_desk.core.tables import MEMBER_KIND_VALUES, MemberColumns
from cluster_desk.ui.map.heap import HeapTrimmer
from cluster_desk.ui.project.assess_engine import OutsideRows
from cluster_desk.ui.project.commands import MoveMember, SetSettings
from cluster_desk.ui.project.session import ChangeSet, ProjectSession

#: Kinds the cluster circle leaves out (core.checks.context.EXTERNAL_KINDS).
FAR_KINDS = frozenset(k.value for k in EXTERNAL_KINDS)
translate = QCoreApplication.translate  # lupdate extracts translate("Context", "text")


class MapSync(QObject):
    #: The user clicked the map in "add" place mode: the window opens the member form.
    addRequested = Signal(float, float)
    #: Place mode started ("add", "place", "centre") or ended ("").
    modeChanged = Signal(str)

    def __init__(self, session: ProjectSession, map_view: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.map = map_view
        self.mode = ""
        self._place_id = ""
        self._circle: tuple[float, float, float] | None = None
        self._outside: tuple[str, ...] | None = None
        self._highlight: tuple[str, ...] = ()
        self._first_paint: int | None = None  # seq of a fresh project's member batch
        #: The outside rings go out on the next turn of the event loop after a result (their set
        #: work, ~5 ms at 100,000 members after the proposed centre moved, is a stretch of its own).
        self._outside_timer = QTimer(self, singleShot=True, interval=0)
        self._outside_timer.timeout.connect(self._send_outside)
        self._release_timer = QTimer(self, singleShot=True, interval=0)
        self._release_timer.timeout.connect(self._release)
        session.changed.connect(self.apply_change)
        session.assessed.connect(self.apply_results)
        map_view.drawn.connect(self._drawn)
        map_view.memberMoved.connect(self._member_moved)
        map_view.centreMoved.connect(self._centre_moved)
        map_view.radiusChanged.connect(self._radius_changed)
        map_view.mapClicked.connect(self._map_clicked)
        self._heap = HeapTrimmer(self)
        assessor = getattr(session, "assessor", None)
        if assessor is not None:
            assessor.busyChanged.connect(self._worker_busy)

    # ----- session -> map -----------------------------------------------------------------------

    def apply_change(self, change: ChangeSet) -> None:
        members = self.session.members
        if change.reset:
            self._circle = None
            self._outside = None
            self._outside_timer.stop()
            self._release_timer.stop()  # (a release due for the project before: not this one's)
            opened = self.session.opened
            if opened is not None:  # just opened: paint from the columns, build no records
                seq = self.map.set_member_columns(opened.members)
            else:
                seq = self.map.set_members([m for m in members.values() if m.located])
            if self.session.is_open:  # assess once the page has painted them (or after 10 s)
                self.session.hold_assessment()
                self._first_paint = seq
                QTimer.singleShot(0, self, self._wait_for_all)  # the links layer sends next
                self._trim_if_big()  # what the open's read and payloads passed through
            return
        if change.removed:
            self.map.remove_members(sorted(change.removed))
        gone = []
        # A drag the page made itself is not sent back to it (it already shows the marker there).
        echo = change.moved if change.origin == "map" else frozenset()
        for mid in change.upserted:
            if mid in echo:
                continue
            m = members.get(mid)
            if m is None:
                continue
            if m.located:
                self.map.upsert_member(m)
            else:
                gone.append(mid)  # moved back to "not placed" (e.g. undo of a placement)
        if gone:
            self.map.remove_members(gone)

    def _wait_for_all(self) -> None:
        """Hold the assessment until everything the open sent (members, links) is painted."""
        if self._first_paint is not None:
            self._first_paint = max(self._first_paint, int(self.map.seq))
            # counted from now, when the open is done: a page that never answers
            QTimer.singleShot(PAINT_WAIT_MS, self, self._release)

    def _drawn(self, seq: int) -> None:
        if self._first_paint is not None and seq >= self._first_paint:
            # On the next turn of the event loop, after the ack's own slots (the member texts
            # sent, the roster let paint): the release starts the assessment and the threads that
            # follow a paint (id map, snapshot, sort keys, the slider's span), whose hold on the
            # interpreter stretched those slots 2-4x; two shorter stretches, not one (issue 17).
            self._release_timer.start()

    def _release(self) -> None:
        self._first_paint = None
        self.session.release_assessment()

    def _worker_busy(self, busy: bool) -> None:
        """The session's worker went quiet: a big project's passing work (the open's payloads,
        the checks' reads, the lookups made after them) is freed; give its pages back. The
        outside set the map sent as rows is made a set then (the next result's difference
        needs it), not in a drag's stretch."""
        if not busy:
            self._trim_if_big()
            self.map.make_outside_set()

    def _trim_if_big(self) -> None:
        s = self.session
        if s.is_open and len(s.members) + len(s.links) >= TRIM_FROM:
            self._heap.soon()

    def apply_results(self, results: list[Any]) -> None:
        """After each (debounced) assessment: the circle around the effective centre (the
        session's, which the core computed) and the members outside it."""
        conc = next((r for r in results if r.id == "concentration"), None)
        circle = self.session.circle
        if circle is not None and circle != self._circle:
            self._circle = circle
            self.map.set_circle(*circle)
        outside = tuple(conc.member_ids) if conc is not None and str(conc.status) != "not_applicable" else ()
        if outside != self._outside:
            self._outside = outside
            # An opened project's first result: the worker gave them as the rows the page holds
            # its members by too (session.outside_rows), which the map sends instead of the ids.
            rows = self.session.outside_rows
            if rows is not None and rows.ids is outside:  # (~2 ms at a million: with the checks)
                self._outside_timer.stop()
                self._send_outside(rows)
            else:
                self._outside_timer.start()

    def _send_outside(self, rows: OutsideRows | None = None) -> None:
        if self._outside is not None:
            self.map.set_outside(self._outside, rows)

    def highlight(self, ids: list[str]) -> None:
        self._highlight = tuple(ids)
        self.map.highlight(list(ids))

    def fit_cluster(self, padding: tuple[int, int, int, int] = (24, 24, 24, 24)) -> int:
        """Zoom the map to the cluster circle (its geodesic outline's bounding box), or to every
        member when there is no centre yet; ``padding`` (left, top, right, bottom) pixels stay
        clear. Returns the command's sequence number."""
        from cluster_desk.core.circle import circle_bounds

        circle = self.session.circle
        opened = self.session.opened
        s = self.session.settings
        if circle is None and opened is not None and len(opened.members) > EXACT_FIRST_FIT:
            # A big project just opened: the exact centre (the smallest circle of every located
            # participant) needs every record and ~0.5 s; fit where the bulk of the members are,
            # or the settings' circle (no record built for it either).
            bounds = opening_box(opened.members, s)
            if bounds is not None:
                return int(self.map.fit_bounds(*bounds, padding))
        if circle is None:  # right after opening, before the first assessment has run
            centre = self.session.effective_centre() if self.session.is_open else None
            if centre is None:
                return int(self.map.fit_all())
            circle = (centre[0], centre[1], float(self.session.settings.radius_km))
        return int(self.map.fit_bounds(*circle_bounds(*circle, margin=0.0), padding))

    def fit_members_in_circle(self, padding: tuple[int, int, int, int] = (24, 24, 24, 24)) -> None:
        """View > Fit Cluster: the located members within the circle, with a margin (foreign
        partners far away do not pull the view out to a continent); the circle when none is
        inside; everything when there is no circle yet. An opened project's are found on the
        worker, from its arrays (reading ~80,000 records here froze the window 1-2 s at 100,000
        members, issue 17); the map moves when they come."""
        from cluster_desk.core.circle import bounds_within, members_bounds

        s = self.session
        circle = s.circle
        if circle is None:
            self.fit_cluster(padding)
            return
        if s.project is None:  # (every record in memory: nothing to read)
            members = s.members
            inside = [members[i] for i in s.inside_ids() if i in members]
            self._fit_to(members_bounds(inside, margin=0.08) if len(inside) > 1 else None, padding)
            return
        request = s.roster_request()

        def bounds(engine: Any) -> Any:  # on the worker thread
            a = engine.arrays_of(request)
            return bounds_within(a.lat, a.lon, a.located, circle, margin=0.08)

        s.assessor.run("fit", bounds, lambda found: self._fit_to(found, padding))

    def _fit_to(self, bounds: Any, padding: tuple[int, int, int, int]) -> None:
        if bounds is None:
            self.fit_cluster(padding)
        else:
            self.map.fit_bounds(*bounds, padding)

    # ----- place mode ---------------------------------------------------------------------------

    def start(self, mode: str, member_id: str = "") -> None:
        """Wait for one click on the map: "add" a member, "place" an unlocated one, or set the
        "centre"."""
        self.mode = mode
        self._place_id = member_id
        self.map.set_mode("place")
        self.modeChanged.emit(mode)

    def cancel(self) -> None:
        if not self.mode:
            return
        self.mode = ""
        self._place_id = ""
        self.map.set_mode("browse")
        self.modeChanged.emit("")

    def set_read_only(self, on: bool) -> None:
        """Map gestures edit the project: while the window shows the past, they do nothing."""
        gestures = [(self.map.memberMoved, self._member_moved), (self.map.centreMoved, self._centre_moved),
                    (self.map.radiusChanged, self._radius_changed), (self.map.mapClicked, self._map_clicked)]
        for signal, slot in gestures:
            if on:
                signal.disconnect(slot)
            else:
                signal.connect(slot)
        if on:
            self.cancel()

    def click_at(self, lat: float, lon: float) -> None:
        """As a click on the map at (lat, lon) in the current place mode (a place found by the
        search box, or typed coordinates)."""
        self._map_clicked(lat, lon)

    def _map_clicked(self, lat: float, lon: float) -> None:
        mode, member_id = self.mode, self._place_id
        if not mode or not self.session.is_open:
            return
        self.cancel()
        if mode == "add":
            self.addRequested.emit(lat, lon)
        elif mode == "place" and member_id in self.session.members:
            self._push(MoveMember(self.session, member_id, lat, lon, place=True))
        elif mode == "centre":
            s = dataclasses.replace(self.session.settings, centre_lat=lat, centre_lon=lon)
            self._push(SetSettings(self.session, s, translate("MapSync", "Set cluster centre")))

    # ----- map gestures -> commands -------------------------------------------------------------

    def _push(self, command: Any) -> None:
        self.session.undo_stack.push(command)

    def _member_moved(self, member_id: str, lat: float, lon: float) -> None:
        if member_id in self.session.members:
            self._push(MoveMember(self.session, member_id, lat, lon, origin="map"))
            m = self.session.members.get(member_id)
            if m is not None and m.located and (m.lat, m.lon) != (lat, lon):
                self.map.upsert_member(m)  # the store refused the move: put the marker back

    def _centre_moved(self, lat: float, lon: float) -> None:
        if self.session.is_open:
            s = dataclasses.replace(self.session.settings, centre_lat=lat, centre_lon=lon)
            self._push(SetSettings(self.session, s, translate("MapSync", "Move cluster centre")))

    def _radius_changed(self, radius_km: float) -> None:
        self.set_radius(radius_km)

    def set_radius(self, radius_km: float) -> None:
        if not self.session.is_open or radius_km <= 0:
            return
        s = self.session.settings
        if abs(s.radius_km - radius_km) < 1e-9:
            return
        centre = self.session.centre
        if s.centre_lat is None and centre is not None:
            # Fix the proposed centre too, so the circle the user is resizing stays put.
            s = dataclasses.replace(s, centre_lat=centre[0], centre_lon=centre[1])
        self._push(SetSettings(self.session, dataclasses.replace(s, radius_km=radius_km),
                               translate("MapSync", "Change radius to %1 km").replace("%1", f"{radius_km:g}"),
                               merge=True))


#: The assessment waits this long at most for the page to paint an opened project.
PAINT_WAIT_MS = 10_000
#: From this many members and links, the heap is trimmed when the worker goes quiet (heap.py).
TRIM_FROM = 200_000
#: Up to this many members, opening fits the exact cluster circle at once (see fit_cluster).
EXACT_FIRST_FIT = 20_000


def opening_box(cols: MemberColumns, settings: ClusterSettings) -> tuple[float, float, float, float] | None:
    """Where a big project just opened is shown (``EXACT_FIRST_FIT``): the settings' circle if
    they fix a centre (``effective_centre`` walked every record for it: built them all on the
    GUI thread during the open), else the bulk of its members (``bulk_bounds``)."""
    from cluster_desk.core.circle import circle_bounds

    if settings.centre_lat is not None and settings.centre_lon is not None:
        return circle_bounds(settings.centre_lat, settings.centre_lon, float(settings.radius_km), margin=0.0)
    return bulk_bounds(cols)


def bulk_bounds(cols: MemberColumns) -> tuple[float, float, float, float] | None:
    """(south, west, north, east) around the middle 98 % of the placed local members (partner
    clusters and foreign partners left out, as the cluster circle leaves them out)."""
    if cols.kind_codes is not None:  # (as read: no pass over a million strs)
        far_codes = [i for i, kind in enumerate(MEMBER_KIND_VALUES) if kind in FAR_KINDS]
        far = np.isin(cols.kind_codes, np.array(far_codes, dtype=np.uint8))
    else:
        far = np.fromiter(map(FAR_KINDS.__contains__, cols.kinds), dtype=np.bool_, count=len(cols))
    keep = cols.located & ~far
    if int(keep.sum()) < 2:
        return None
    lat, lon = cols.lat[keep], cols.lon[keep]
    s, n = np.percentile(lat, [1, 99]).tolist()
    w, e = np.percentile(lon, [1, 99]).tolist()
    return s, w, n, e


def located(members: dict[str, Member], keep: Callable[[Member], bool] = lambda m: True) -> list[Member]:
    return [m for m in members.values() if m.located and keep(m)]
