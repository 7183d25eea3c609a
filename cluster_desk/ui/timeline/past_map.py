"""The map as of a past date, changed incrementally: a slider step sends only what differs.

Members: the page keeps the participants of the day, drawn as members (a firm that has left since
is drawn in its kind's colour, not former grey); the others leave the map, and come back with
their status of today when the window returns to today. The page keeps the members that leave
(MapView.show_day parks them): one coming back drawn as it left is named by id, not sent again.
Links: the page keeps every link and hides
those that did not count on the day (not started yet, ended, or an end not a participant then)
with links.js's mask, sending only the slots whose state changed. Both go in one ``showDay``
message (MapView.show_day), so the page paints a step once.

The state is numpy masks over the rows of one ``core.checks.context.Arrays`` (the controller's,
built once per state of the project), so a step is a few vectorised comparisons plus the ids of
the members that changed. A change of the project while the past is shown (another process, a
team sync) gives new arrays: the map then gets today's members in one batch and the day's masks
from scratch (rare; a slider step never does that). Each link row's page slot comes from its row in
the link layer's table: found on the thread that makes the arrays (``finder``), where that table's
base and index never change; here only the links added since are laid over them (issue 17).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from cluster_desk.core.checks.context import MEMBER_CODE
from cluster_desk.core.checks.roster_rows import LinkRows, MemberRows
from cluster_desk.core.id_index import FoundIds
from cluster_desk.core.model import Status
from cluster_desk.core.text_column import TextColumn
from cluster_desk.core.timeline import links_shown_on
from cluster_desk.ui.map.messages import PayloadRow, b64, payload_row

#: The arrays' kind and status codes as the map's payload text (Arrays: status 0 member,
#: 1 candidate, 2 former, 3 draft).
_KIND_TEXT = np.array(sorted(MEMBER_CODE, key=MEMBER_CODE.__getitem__), dtype=object)
_STATUS_TEXT = np.array([str(s) for s in (Status.MEMBER, Status.CANDIDATE, Status.FORMER, Status.DRAFT)],
                        dtype=object)

if TYPE_CHECKING:
    from cluster_desk.core.checks.context import Arrays
    from cluster_desk.ui.project.session import ProjectSession


class PastMap:
    def __init__(self, session: ProjectSession, map_view: Any, link_layer: Any) -> None:
        self.session = session
        self.map = map_view
        self.links = link_layer
        self._arrays: Arrays | None = None
        self._day = ""
        self._part: np.ndarray | None = None
        self._hidden = np.zeros(0, dtype=bool)  # member rows taken off the map
        self._restyled = np.zeros(0, dtype=bool)  # member rows drawn as members though not today
        #: Of the hidden rows, the ``_restyled`` they had when they left (the page parks them
        #: drawn so); -1: not parked from these arrays.
        self._parked_as = np.zeros(0, dtype=np.int8)
        self._slots = np.zeros(0, dtype=np.int64)  # page slot of each link row (-1: not drawn)
        self._found: FoundIds | None = None  # the arrays' link ids, their rows found off this thread
        self._masked = np.zeros(0, dtype=bool)  # link rows hidden on the page
        map_view.replay_hooks.append(self._replay)  # after the link layer's: its setLinks clears masks

    @property
    def showing_past(self) -> bool:
        return bool(self._day)

    def show(self, arrays: Arrays, day: str, part: np.ndarray, found: object = None) -> None:
        """Make the map show ``day`` (``part``: ``arrays.participants(day)``), sending the change.
        ``found``: what ``finder``'s job gave for these arrays, if it ran (else None)."""
        if arrays is not self._arrays:
            self._adopt(arrays, found)
        a = arrays
        self._day, self._part = day, part
        on_map = a.located
        want_hidden = on_map & ~part
        want_restyled = on_map & part & (a.status != 0)  # Arrays' status code 0 = member
        links = self._link_change(~links_shown_on(a, day, part))
        self._send(want_hidden, want_restyled, as_member=True, links=links)

    def prepare(self, arrays: Arrays, found: object = None) -> None:
        """Build the masks over ``arrays`` ahead of the first step (the dock was shown)."""
        if arrays is not self._arrays and not self._day:
            self._adopt(arrays, found)

    def finder(self) -> Callable[[Arrays], FoundIds]:
        """A job for the thread that makes the day cache's arrays (taken here when it starts):
        their link ids' rows in the link layer's table, found there (the table's base and its
        index never change; the ids added since are laid over them here, ``_slots_of``). After
        an edit the arrays' ids are another read than the open's: 300,000 ids looked up were
        ~75-120 ms of the GUI thread when the dock was shown (issue 17)."""
        find = self.links.table.finder()
        return lambda a: find(_link_ids(a))

    def today(self, current: Arrays | None = None) -> None:
        """Back to the live project: the members taken off come back as they are today, every
        link is drawn again. ``current``: the arrays of the project as it is now (the day cache's),
        if made: when the map's are those, the members come back from their columns, else from
        the session's records (at 100,000 members ~8,000 of them read one by one: ~1 s)."""
        if self._arrays is None or not self._day:
            self._day = ""
            return
        n = len(self._arrays.members)
        self._masked = np.zeros(len(self._arrays.links), dtype=bool)
        self._send(np.zeros(n, dtype=bool), np.zeros(n, dtype=bool), as_member=current is self._arrays,
                   links={"clear": True})
        self._day, self._part = "", None

    # ----- members ----------------------------------------------------------------------------------

    def _send(self, want_hidden: np.ndarray, want_restyled: np.ndarray, as_member: bool,
              links: dict[str, Any] | None) -> None:
        a = self._arrays
        assert a is not None
        remove = want_hidden & ~self._hidden
        back = ~want_hidden & (self._hidden | (want_restyled != self._restyled))
        if remove.any() or back.any() or links:
            rows = np.flatnonzero(back)
            restore = rows[:0]
            if as_member:  # parked as they are wanted back (and the page still has them)
                same = self._parked_as[rows] == want_restyled[rows]
                restore = rows[same]
                restore = restore[self.map.parked(a.ids[restore].tolist())]
                rows = np.setdiff1d(rows, restore, assume_unique=True)
            payload = self._payload(a, rows, want_restyled if as_member else None)
            self.map.show_day(a.ids[remove].tolist(), payload, links, restore=a.ids[restore].tolist())
            self._parked_as[remove] = self._restyled[remove]
            self._parked_as[back] = -1
        self._hidden, self._restyled = want_hidden, want_restyled

    def _payload(self, a: Arrays, rows: np.ndarray, restyled: np.ndarray | None) -> list[PayloadRow]:
        """On a step the records are the arrays': built anew after every change of the project
        (DayCache), they are today's. Back to today over arrays no longer current (``restyled``
        None) they are the session's, as a project opened over the past view leaves old arrays."""
        if restyled is not None:
            return day_payload(a, rows, restyled)
        now, old = self.session.members, a.members
        records = [now.get(old[i].id, old[i]) for i in rows.tolist()]
        return [row for row in map(payload_row, records) if row is not None]

    # ----- links ------------------------------------------------------------------------------------

    def _slots_of(self, a: Arrays) -> np.ndarray:
        ids: Any = self._found  # (found for these arrays, ``_adopt``)
        if ids is None or ids.base is not self.links.table.base:  # (none, or for a table reset since)
            ids = _link_ids(a)
        return np.asarray(self.links.slots(ids), dtype=np.int64)

    def _link_change(self, want: np.ndarray, clear: bool = False) -> dict[str, Any] | None:
        """The mask message that takes the page from what it hides to ``want`` (None: no change)."""
        want = want & (self._slots >= 0)
        if clear:
            hide, show = self._slots[want], self._slots[:0]
        else:
            hide, show = self._slots[want & ~self._masked], self._slots[self._masked & ~want]
        self._masked = want
        if clear or hide.size or show.size:
            # (as int32 bytes: ~40,000 slots a year's step at 300,000 links, ~300 KB as JSON lists)
            return {"hide": b64(hide.astype("<i4")), "show": b64(show.astype("<i4")), "clear": clear}
        return None

    # ----- a new state of the project, a reloaded page ----------------------------------------------

    def _adopt(self, arrays: Arrays, found: object = None) -> None:
        """Masks over new arrays (``found``: their link ids' rows, ``finder``'s, or None). If the
        old ones showed the past, the map gets today's members in one batch first (what the page
        shows is then known exactly)."""
        if self._arrays is not None and self._day:
            self.map.set_members([m for m in self.session.members.values() if m.located])
            self.map.send_command("maskLinks", clear=True)
        n = len(arrays.members)
        self._arrays = arrays
        self._hidden = np.zeros(n, dtype=bool)
        self._restyled = np.zeros(n, dtype=bool)
        self._parked_as = np.full(n, -1, dtype=np.int8)
        self._found = found if isinstance(found, FoundIds) else None
        self._slots = self._slots_of(arrays)
        self._masked = np.zeros(len(arrays.links), dtype=bool)

    def _replay(self) -> None:
        """A reloaded page got every link again (new slot numbers): mask the day's links anew."""
        if self._arrays is None or not self._day or self._part is None:
            return
        self._slots = self._slots_of(self._arrays)
        change = self._link_change(~links_shown_on(self._arrays, self._day, self._part), clear=True)
        self.map.send_command("maskLinks", **(change or {}))


def _link_ids(a: Arrays) -> Any:
    # (arrays read from the file hold the link ids as a column: no 300,000 row views for them)
    return a.links.ids if isinstance(a.links, LinkRows) else [lk.id for lk in a.links]


def day_payload(a: Arrays, rows: np.ndarray, restyled: np.ndarray) -> list[PayloadRow]:
    """The map's payload rows (= messages.payload_row of each record) of these rows of ``a``,
    those in ``restyled`` (a mask over all rows) as members, from the arrays' columns: 4,000
    members a step with no record copied and no enum turned to text one by one. Rows off the
    map (no or invalid coordinates) are left out."""
    rows = rows[a.located[rows] & (np.abs(a.lon[rows]) <= 180.0)]
    ms = a.members
    if isinstance(ms, MemberRows):  # rows over the columns: the names' column, not a row view each
        names = a.names.take(rows) if isinstance(a.names, TextColumn) else [a.names[i] for i in rows.tolist()]
    else:
        names = [ms[i].name for i in rows.tolist()]
    kinds = _KIND_TEXT[a.kind[rows]].tolist()
    statuses = _STATUS_TEXT[np.where(restyled[rows], 0, a.status[rows])].tolist()
    lat, lon = a.lat[rows].tolist(), a.lon[rows].tolist()
    return list(zip(a.ids[rows].tolist(), names, kinds, statuses, lat, lon, strict=True))
