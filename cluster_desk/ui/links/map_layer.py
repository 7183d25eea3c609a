"""Keeps the map's link layer (resources/web/links.js) in step with the session, incrementally.

Each link with two placed ends has a *slot* (an index the page uses for its typed arrays); the
page only ever learns slots, coordinates, a kind code and the two member ids, and answers a click
with a slot that is validated here. One link added sends one ``upsertLinks`` with one row; a
member moved sends the rows of its links only. Long ties (over LONG_KM: partner clusters,
foreign partners) go as geodesic polylines (core.geodesy.geodesic_paths).

No per-link Python object is kept (issue 17: at three million links the id -> slot dict, the
slot -> id list and a member -> link ids index took ~1.5 GB): every link is a *row* of an
``IdTable`` (the opened link ids column, packed, plus the ids added since), with its two ends as
member codes in int32 arrays (after an open: the opened columns' own end positions, copied at
the first link edit) and its slot in another; a member's links are one vectorised scan of the
ends (3,000,000 links: a few ms). The link id -> row lookup (sorted hash keys, 8 bytes a link) is
made on the worker once the project is assessed.

Why ~635 lines: the rows and slots bookkeeping (slots that are the rows, or the drawn rows in
order, until the first edit),
the focus and the fade share the same arrays; the reset from records and the reset from the
opened columns are the two ways to fill them.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from itertools import repeat
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal

from cluster_desk.core.geodesy import GEOD, LONG_KM, geodesic_path, geodesic_paths
from cluster_desk.core.id_index import IdIndex, IdTable
from cluster_desk.core.model import DIRECTED_KINDS, Link, LinkKind, Member
from cluster_desk.ui.links.labels import LINK_COLOURS
from cluster_desk.ui.map.messages import b64
from cluster_desk.ui.project.loading import OpenedColumns
from cluster_desk.ui.project.session import ChangeSet, ProjectSession

KINDS: tuple[LinkKind, ...] = tuple(LinkKind)
KIND_CODE: dict[LinkKind, int] = {k: i for i, k in enumerate(KINDS)}


def _grown(array: np.ndarray, size: int, fill: int = -1, copy: bool = False) -> np.ndarray:
    """``array`` if it holds ``size`` rows (a copy if ``copy``), else a copy with room for a
    quarter more (``fill``): the first link added after an open grows five arrays of 300,000
    rows; twice their size, written whole, took ~10 ms of the GUI thread (more when loaded)."""
    if size <= len(array):
        return array.copy() if copy else array
    out = np.empty((max(64, size + size // 4), *array.shape[1:]), dtype=array.dtype)
    out[: len(array)] = array
    out[len(array):] = fill
    return out


class MemberCodes:
    """Member id -> a small int (the links' ends in the layer's arrays). After an open a member's
    code is its position in the opened columns: their own id -> position map (``base``, which
    the checks build anyway), asked for when first needed; members added since get the next
    codes."""

    def __init__(self, base: Callable[[], Mapping[str, int]] | None = None, count: int = 0,
                 ids: Sequence[str] | None = None) -> None:
        #: The ids whose positions the codes are (an open's columns), None when not so.
        self.ids = ids
        self._base_source = base
        self._base: Mapping[str, int] | None = None if base is not None else {}
        self._count = count
        self._extra: dict[str, int] = {}

    @property
    def base(self) -> Mapping[str, int]:
        if self._base is None:
            self._base = self._base_source() if self._base_source is not None else {}
        return self._base

    def __len__(self) -> int:
        return self._count + len(self._extra)

    @property
    def get(self) -> Callable[..., int | None]:
        """``get(member_id, default=None)`` (the base map's own when nothing was added)."""
        base = self.base
        if not self._extra:
            return base.get
        extra = self._extra

        def get(member_id: str, default: int | None = None) -> int | None:
            code = base.get(member_id)
            return code if code is not None else extra.get(member_id, default)

        return get

    def code(self, member_id: str) -> int:
        code = self.get(member_id)
        if code is None:
            code = self._extra[member_id] = len(self)
        return code


class LinkMapLayer(QObject):
    linkClicked = Signal(str)

    def __init__(self, session: ProjectSession, map_view: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.map = map_view
        self._table = IdTable([])  # row -> link id (and back)
        # Each row's two ends as member codes (-1: the link is gone); after an open the opened
        # columns' own arrays until the first change (``_ends_owned``).
        self._src = np.zeros(0, dtype=np.int32)
        self._dst = np.zeros(0, dtype=np.int32)
        self._ends_owned = True
        # row -> slot (-1: not drawn); None after an open that leaves some links undrawn: the
        # slots are then the drawn rows in order, found in ``_slot_row`` by a binary search, and
        # this is made at the first change (3,000,000 links: 12 MB, issue 17)
        self._row_slot: np.ndarray | None = np.zeros(0, dtype=np.int32)
        self._slot_row = np.zeros(0, dtype=np.int32)  # slot -> row (-1: a free slot)
        self._slot_count = 0  # slots handed out (free ones included)
        self._free: list[int] = []
        # After an open that draws every link, slot i is row i: the two arrays above are made
        # only at the first change (``_own_slots``; 3,000,000 links: 23 MB, issue 17). A slot's
        # ends are its row's (no copy per slot: 24 MB more).
        self._slots_are_rows = False
        self._codes = MemberCodes()
        self._index_asked = False  # the link id lookup is being made on the worker
        self.hidden: set[LinkKind] = set()
        self.focus: str | None = None
        self.selected: str | None = None
        #: The members the roster's filter shows (None: no filter); links of the others are faint.
        #: Or a function giving them, asked when first needed (``_shown_members``).
        self._shown_source: frozenset[str] | Callable[[], Collection[str] | None] | None = None
        self._faded_sent = False  # a fade is on the page
        # fade_to's last (member codes, shown set, code -> shown)
        self._kept: tuple[MemberCodes, frozenset[str], np.ndarray] | None = None
        # The roster's rows as member codes (its ids list, their count, the codes, their count)
        self._row_codes: tuple[Sequence[str], int, MemberCodes, int, np.ndarray] | None = None
        map_view.link_at_slot = self.link_at_slot
        map_view.replay_hooks.append(self.replay)
        map_view.linkClicked.connect(self.linkClicked)
        session.changed.connect(self.apply_change)
        session.assessed.connect(self._index_ahead)
        self._configure()

    # ---- rows and slots ----------------------------------------------------------------------

    @property
    def table(self) -> IdTable:
        """The rows' link ids (the as-of map finds its arrays' rows in it off the GUI thread)."""
        return self._table

    def link_at_slot(self, slot: int) -> str | None:
        if 0 <= slot < self._slot_count:
            row = slot if self._slots_are_rows else int(self._slot_row[slot])
            if row >= 0:
                return self._table[row]
        return None

    def slot_of(self, link_id: str) -> int | None:
        row = self._table.find(link_id)
        if row >= 0 and self._slots_are_rows:
            return row
        slot = int(self._slots_of_rows(np.array([row]))[0]) if row >= 0 else -1
        return slot if slot >= 0 else None

    def slots(self, link_ids: Iterable[str]) -> np.ndarray:
        """The page slot of each link (-1: not drawn), in one vectorised lookup (300,000 links)."""
        rows = self._table.find_many(link_ids)
        if self._slots_are_rows:
            return rows
        out = np.full(len(rows), -1, dtype=np.int64)
        found = rows >= 0
        out[found] = self._slots_of_rows(rows[found])
        return out

    def _slots_of_rows(self, rows: np.ndarray) -> np.ndarray:
        """The slot of each of ``rows`` (rows of the table; -1: not drawn), with the row -> slot
        array or, before it is made, a binary search of the drawn rows (ascending then)."""
        if self._row_slot is not None:
            out: np.ndarray = self._row_slot[rows]
            return out
        drawn = self._slot_row[:self._slot_count]
        if not len(drawn):
            return np.full(len(rows), -1, dtype=np.int64)
        at = np.minimum(np.searchsorted(drawn, rows), len(drawn) - 1)
        return np.where(drawn[at] == rows, at, -1)

    def _slot_ends(self) -> tuple[np.ndarray, np.ndarray]:
        """Each handed-out slot's two ends as member codes (-1: a free slot)."""
        n = self._slot_count
        if self._slots_are_rows:
            return self._src[:n], self._dst[:n]
        rows = self._slot_row[:n]
        free = rows < 0
        src, dst = self._src[rows], self._dst[rows]  # (a free slot's -1 picks the last: reset below)
        src[free] = dst[free] = -1
        return src, dst

    def _own_slots(self) -> None:
        """The slot arrays of the layer's own, before the first change to the rows or slots."""
        if self._row_slot is None:  # (the slots: the drawn rows in order)
            self._row_slot = np.full(len(self._table), -1, dtype=np.int32)
            self._row_slot[self._slot_row[:self._slot_count]] = np.arange(self._slot_count, dtype=np.int32)
        if not self._slots_are_rows:
            return
        self._slots_are_rows = False
        self._slot_row = np.arange(self._slot_count, dtype=np.int32)
        self._row_slot = self._slot_row.copy()

    @property
    def _owned_row_slot(self) -> np.ndarray:
        """The row -> slot array (made by ``_own_slots`` if it was not)."""
        self._own_slots()
        assert self._row_slot is not None
        return self._row_slot

    def links_of_members(self, member_ids: Iterable[str]) -> set[str]:
        """The ids of the links with an end at one of ``member_ids`` (drawn or not): one scan of
        the rows' ends (3,000,000 links: a few ms), no member -> links index kept."""
        get = self._codes.get
        codes = sorted({c for c in map(get, member_ids) if c is not None})
        if not codes:
            return set()
        n = len(self._table)
        src, dst = self._src[:n], self._dst[:n]
        if len(codes) == 1:
            hit = (src == codes[0]) | (dst == codes[0])
        else:
            wanted = np.asarray(codes, dtype=np.int32)
            hit = np.isin(src, wanted) | np.isin(dst, wanted)
        table = self._table
        return {table[row] for row in np.flatnonzero(hit).tolist()}

    def _own_ends(self, size: int) -> None:
        """The rows' ends as arrays of the layer's own (the opened columns' are never changed),
        with room for ``size`` rows."""
        row_slot = self._owned_row_slot
        copy = not self._ends_owned
        self._src, self._dst = _grown(self._src, size, copy=copy), _grown(self._dst, size, copy=copy)
        self._ends_owned = True
        self._row_slot = _grown(row_slot, size)

    def _row_for(self, link: Link) -> int:
        """The link's row (a new one for an id not in the table), its ends up to date."""
        row = self._table.find(link.id)
        if row < 0:
            row = self._table.append(link.id)
        self._own_ends(row + 1)
        code = self._codes.code
        self._src[row], self._dst[row] = code(link.source), code(link.target)
        return row

    def focus_slots(self, member_id: str) -> list[int]:
        """The slots of a member's drawn links, ascending."""
        code = self._codes.get(member_id)
        if code is None:
            return []
        n = len(self._table)  # the rows' ends: a gone link's hold -1
        rows = np.flatnonzero((self._src[:n] == code) | (self._dst[:n] == code))
        if self._slots_are_rows:
            return rows.tolist()
        slots = self._slots_of_rows(rows)
        return np.sort(slots[slots >= 0]).tolist()

    def _configure(self) -> int:
        kinds = [{"kind": k.value, "colour": LINK_COLOURS[k], "directed": k in DIRECTED_KINDS} for k in KINDS]
        return int(self.map.send_command("configureLinks", kinds=kinds))

    def _row(self, link: Link) -> list[Any] | None:
        """[lat1, lon1, lat2, lon2, kind code, faded 0/1, geodesic path or None]."""
        members = self.session.members
        a, b = members.get(link.source), members.get(link.target)
        if a is None or b is None or not (a.located and b.located):
            return None
        faded = 1 if self._is_faded(link.source) or self._is_faded(link.target) else 0
        return [a.lat, a.lon, b.lat, b.lon, KIND_CODE[link.kind], faded, geodesic_path(a, b)]

    def _index_ahead(self, _results: Any) -> None:
        """Once a project is assessed (so painted), make the link id lookup on the session's
        worker thread: the first link edit, click in the table or selection then finds it
        (3,000,000 links: ~1 s of hashing and sorting, otherwise on the GUI thread). A reset
        meanwhile drops it (the table it was made for is gone)."""
        table = self._table
        if not self.session.is_open or table.indexed or self._index_asked or not len(table.base):
            return
        self._index_asked = True
        make = table.make_index

        def arrived(index: IdIndex) -> None:
            self._index_asked = False
            table.take_index(index)

        self.session.assessor.run("link-id-index", lambda _engine: make(), arrived)

    # ---- session -> page ---------------------------------------------------------------------

    def replay(self) -> None:
        """A (re)loaded page: kinds, every link, the style."""
        self._configure()
        self.reset()

    def _reset_rows(self, table: IdTable, src: np.ndarray, dst: np.ndarray, owned: bool,
                    drawn: np.ndarray | None) -> None:
        """The rows (their ends), and the slots of the ``drawn`` ones (None: all)."""
        self._table, self._src, self._dst, self._ends_owned = table, src, dst, owned
        self._index_asked = False
        n = len(table)
        self._free = []
        if drawn is None:  # slot i is row i (the arrays are made at the first change)
            self._slots_are_rows, self._slot_count = True, n
            self._slot_row = self._row_slot = np.zeros(0, dtype=np.int32)
            return
        self._slots_are_rows = False
        self._slot_row = np.flatnonzero(drawn).astype(np.int32)  # (ascending: see _slots_of_rows)
        self._row_slot = None
        self._slot_count = len(self._slot_row)

    def reset(self) -> int:
        """Every link in one batch; distances in one vectorised pyproj call (300k: ~0.1 s)."""
        if self.session.opened is not None and self._shown_source is None:  # just opened
            return self._reset_from_columns(self.session.opened)
        members = self.session.members
        links = list(self.session.links.values())
        codes: dict[str, int] = {}  # (setdefault: an id's code is the count before it)
        src = np.fromiter((codes.setdefault(lk.source, len(codes)) for lk in links), dtype=np.int32,
                          count=len(links))
        dst = np.fromiter((codes.setdefault(lk.target, len(codes)) for lk in links), dtype=np.int32,
                          count=len(links))
        self._codes = MemberCodes(lambda: codes, len(codes))
        kept: list[tuple[Link, Member, Member]] = []
        drawn = np.zeros(len(links), dtype=bool)
        for i, link in enumerate(links):
            a, b = members.get(link.source), members.get(link.target)
            if a is not None and b is not None and a.lat is not None and b.lat is not None:
                kept.append((link, a, b))
                drawn[i] = True
        self._reset_rows(IdTable([lk.id for lk in links]), src, dst, True, drawn)
        faded = self._is_faded
        cols: dict[str, list[Any]] = {
            "lat1": [a.lat for _, a, _ in kept],
            "lon1": [a.lon for _, a, _ in kept],
            "lat2": [b.lat for _, _, b in kept],
            "lon2": [b.lon for _, _, b in kept],
            "kind": [KIND_CODE[lk.kind] for lk, _, _ in kept],
            "faded": [int(faded(lk.source) or faded(lk.target)) for lk, _, _ in kept],
        }
        paths: dict[str, list[float]] = {}
        if kept:
            arrays = [np.asarray(cols[k], dtype=np.float64) for k in ("lon1", "lat1", "lon2", "lat2")]
            _, _, dist = GEOD.inv(*arrays)
            dist = np.asarray(dist)
            for i in np.flatnonzero(dist >= LONG_KM * 1000).tolist():
                path = geodesic_path(kept[i][1], kept[i][2], float(dist[i]))
                if path is not None:
                    paths[str(i)] = path
        seq = int(self.map.send_command("setLinks", columns=cols, paths=paths))
        self._send_style()
        return seq

    def _reset_from_columns(self, opened: OpenedColumns) -> int:
        """Every link of a freshly opened project, from its columns (no records, no per-link
        Python): the ends are member positions already, and the page gets typed arrays in a
        blob: each end as the row of the members' blob just sent (the page has their
        coordinates: 8 bytes a link, not 16 of float32 coordinates, and no projection per link
        there), uint8 kinds, the long ties' geodesic lines. Without that members' blob (members
        sent as JSON) the ends go as float32 coordinates. The rows are the opened link columns
        themselves; the link id lookup is made when first asked for."""
        m, lk = opened.members, opened.links
        self._codes = MemberCodes(lambda: m.index, len(m), m.ids)  # a member's code: its position
        located = np.append(m.located, False)  # index -1 (an end not in the file): not drawn
        drawn = located[lk.source_index] & located[lk.target_index]
        # (shared with the links table; the ids as read: a first open's maybe still on its thread)
        table = IdTable(lk.ids_as_read, make_index=lambda: lk.id_index)
        every = bool(drawn.all())
        self._reset_rows(table, lk.source_index, lk.target_index, False, None if every else drawn)
        src, dst = self._slot_ends()
        kind = lk.kind_codes if every else lk.kind_codes[self._slot_row]  # LinkKind order
        path_slot, path_size, path_coords = _long_ties(m.lat, m.lon, src, dst)
        parts: dict[str, np.ndarray] = {}
        rows_seq = getattr(self.map, "member_rows_seq", None)
        if rows_seq is not None:  # the page's member slots are the located members in order
            row = np.cumsum(m.located, dtype=np.int32) - 1
            parts["src"], parts["dst"] = row[src], row[dst]
        else:
            for name, (lat, lon) in (("1", (m.lat[src], m.lon[src])), ("2", (m.lat[dst], m.lon[dst]))):
                parts["lat" + name] = np.ascontiguousarray(lat, dtype="<f4")
                parts["lon" + name] = np.ascontiguousarray(lon, dtype="<f4")
        parts["kind"] = np.ascontiguousarray(kind, dtype=np.uint8)
        parts["pathSlot"], parts["pathSize"] = path_slot.astype("<i4"), path_size.astype("<i4")
        parts["pathCoords"] = path_coords.astype("<f8")
        fields = {} if rows_seq is None else {"memberRows": rows_seq}
        seq = int(self.map.send_blob("setLinks", parts, **fields))
        self._send_style()
        return seq

    def upsert(self, link_ids: Iterable[str]) -> int | None:
        rows: list[list[Any]] = []
        gone: list[int] = []
        for lid in link_ids:
            link = self.session.links.get(lid)
            if link is None:
                continue
            self._own_slots()
            at = self._row_for(link)
            row = self._row(link)
            slot = int(self._owned_row_slot[at])
            if row is None:
                if slot >= 0:
                    gone.append(self._release(at, slot))
                continue
            if slot < 0:
                slot = self._free.pop() if self._free else self._slot_count
                if slot == self._slot_count:
                    self._slot_count += 1
                    self._slot_row = _grown(self._slot_row, self._slot_count)
                self._slot_row[slot], self._owned_row_slot[at] = at, slot
            rows.append([slot, *row])
        seq = None
        if gone:
            seq = int(self.map.send_command("removeLinks", slots=gone))
        if rows:
            seq = int(self.map.send_command("upsertLinks", rows=rows))
        return seq

    def _release(self, row: int, slot: int) -> int:
        self._own_slots()
        self._owned_row_slot[row] = -1
        self._slot_row[slot] = -1
        self._free.append(slot)
        return slot

    def remove(self, link_ids: Iterable[str]) -> int | None:
        slots = []
        for lid in link_ids:
            row = self._table.find(lid)
            if row < 0:
                continue
            self._own_ends(len(self._table))  # (the slots' arrays too)
            self._src[row] = self._dst[row] = -1  # gone: no member's link any more
            slot = int(self._owned_row_slot[row])
            if slot >= 0:
                slots.append(self._release(row, slot))
        if self.selected is not None and self.selected not in self.session.links:
            self.selected = None
        return int(self.map.send_command("removeLinks", slots=slots)) if slots else None

    def apply_change(self, change: ChangeSet) -> None:
        if change.reset:
            self.focus = None
            self.selected = None
            self._shown_source, self._faded_sent = None, False
            self.reset()
            return
        if change.links and not (change.link_upserted or change.link_removed):
            self.reset()  # links changed without saying which: send them all again
            return
        if change.link_removed:
            self.remove(change.link_removed)
        touched: set[str] = set(change.link_upserted)
        members = change.moved | change.upserted | change.removed
        if members:
            touched |= self.links_of_members(members)
        gone = {lid for lid in touched if lid not in self.session.links}
        if gone:
            self.remove(gone)
        if touched - gone:
            self.upsert(sorted(touched - gone))
        if self.focus is not None and (touched or change.link_removed):
            self._send_style()  # the focused member's links may have changed slots

    # ---- style -------------------------------------------------------------------------------

    def _send_style(self) -> int:
        slot = self.slot_of(self.selected) if self.selected else None
        focus = self.focus_slots(self.focus) if self.focus is not None else []
        return int(self.map.send_command(
            "linkStyle", hidden=sorted(KIND_CODE[k] for k in self.hidden), focus=focus,
            selected=-1 if slot is None else slot))  # fmt: skip

    def set_hidden(self, kinds: Iterable[LinkKind]) -> int:
        self.hidden = set(kinds)
        return self._send_style()

    def set_focus(self, member_id: str | None) -> int:
        self.focus = member_id
        return self._send_style()

    def select(self, link_id: str | None) -> int:
        self.selected = link_id
        return self._send_style()

    @property
    def _shown_members(self) -> frozenset[str] | None:
        shown = self._shown_source
        if callable(shown):
            got = shown()
            if got is None:  # (the filter went meanwhile: its fade follows)
                return None
            shown = self._shown_source = got if isinstance(got, frozenset) else frozenset(got)
        return shown

    def fade_to(self, shown: Collection[str] | Callable[[], Collection[str] | None] | None,
                rows: tuple[np.ndarray, Sequence[str]] | None = None) -> int:
        """Links with an end outside ``shown`` (the members the roster's filter lets through;
        None: no filter) are drawn faint: one vectorised pass over the slots' member codes
        (300,000 links: a few ms, where a pass over the link records took ~1 s a date step), sent
        as a bitmask over the slots (37 KB of base64, not a JSON list of up to 300,000 slots).
        ``rows``: the same as the roster's mask over its rows and its ids by row (``RosterProxy.
        shown_rows``): its rows are made member codes once, and each mask after in numpy (a date
        step at 100,000 members: ~25-50 ms of lookups by id, at a million ~3 s). With ``rows``,
        ``shown`` may be a function giving the set, asked only when a link is drawn anew (a check
        card's ~80,000 members: the set was ~13 ms of the click, issue 17)."""
        was, faded = self._shown_source, self._faded_sent
        if callable(shown) and rows is None:  # (the set's path needs it now)
            shown = shown()
        self._shown_source = (shown if shown is None or callable(shown) or isinstance(shown, frozenset)
                              else frozenset(shown))
        self._faded_sent = shown is not None
        if shown is None and not faded:
            return int(self.map.seq)  # nothing faded before or now (after every open): no op
        if shown is None:
            return int(self.map.send_command("fadeLinks", slots=[]))
        src, dst = self._slot_ends()
        used = src >= 0  # free slots hold -1
        if rows is not None:
            kept = self._kept_rows(*rows)
        else:
            shown_now = self._shown_members
            assert shown_now is not None
            kept = self._kept_codes(shown_now, was if isinstance(was, frozenset) else None)
        faded = used & ~(kept[src] & kept[dst])  # (a free slot's -1 reads kept's last: False)
        return int(self.map.send_command("fadeLinks", bits=b64(np.packbits(faded, bitorder="little"))))

    def _kept_codes(self, shown: frozenset[str], was: frozenset[str] | None) -> np.ndarray:
        """Member code -> in ``shown`` (and a last False for -1 and ids with no code). From the
        last one by the change when that is small (a date step: a few thousand of 70,000)."""
        codes = self._codes
        n = len(codes)
        get = codes.get
        last = self._kept
        if (was is not None and last is not None and last[0] is codes and last[1] is was
                and len(last[2]) == n + 1):
            added, gone = shown - was, was - shown
            if len(added) + len(gone) < len(shown) // 2:
                kept = last[2]
                for ids, on in ((gone, False), (added, True)):
                    kept[np.fromiter(map(get, ids, repeat(n)), dtype=np.int64, count=len(ids))] = on
                kept[n] = False
                self._kept = (codes, shown, kept)
                return kept
        kept = np.zeros(n + 1, dtype=bool)
        kept[np.fromiter(map(get, shown, repeat(n)), dtype=np.int64, count=len(shown))] = True
        kept[n] = False
        self._kept = (codes, shown, kept)
        return kept

    def forget_rows(self, *_args: Any) -> None:
        """The roster's rows changed: their member codes are made again at the next fade (a
        delete and its undo between two fades give back the same list and length, other rows)."""
        self._row_codes = None

    def _kept_rows(self, mask: np.ndarray, ids: Sequence[str]) -> np.ndarray:
        """Member code -> its roster row in ``mask`` (and a last False for -1 and ids with no code):
        the rows' codes made once for these ids and codes."""
        n = len(self._codes)
        row_codes = self.row_codes(ids)
        kept = np.zeros(n + 1, dtype=bool)
        kept[row_codes[:len(mask)][mask[:len(row_codes)]]] = True
        kept[n] = False
        self._kept = None  # (the set's path starts afresh: its last is not this)
        return kept

    def row_codes(self, ids: Sequence[str]) -> np.ndarray:
        """The member code of each of ``ids`` (the roster model's ids by row; ``len(codes)``: no
        code), made once for this list and these codes (a check clicked after a member was added
        or taken out looked ~100,000 ids up: ~20 ms; CheckMarks makes it ahead)."""
        codes = self._codes
        n = len(codes)
        made = self._row_codes
        if made is None or made[0] is not ids or made[1] != len(ids) or made[2] is not codes or made[3] != n:
            same = codes.ids is not None and n == len(ids) and (ids is codes.ids or ids == codes.ids)
            if same:  # the roster's rows are the open's columns, whose positions the codes are
                row_codes = np.arange(n, dtype=np.int64)
            else:
                row_codes = np.fromiter(map(codes.get, ids, repeat(n)), dtype=np.int64, count=len(ids))
            made = self._row_codes = (ids, len(ids), codes, n, row_codes)
        return made[4]

    def _is_faded(self, member_id: str) -> bool:
        return self._shown_members is not None and member_id not in self._shown_members


#: Links looked at a chunk at a time for long ties (bounds the temporaries at 3,000,000 links).
CHUNK = 1 << 18
#: Members averaged for the middle at most (any middle serves: see _long_ties).
MIDDLE_SAMPLE = 1 << 13
#: The float32 filter's own slack, radians (its vectors' error is ~1e-6; 6e-5: ~400 m).
FLOAT32_SLACK = 6e-5


def _long_ties(lat: np.ndarray, lon: np.ndarray, src: np.ndarray, dst: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The geodesic lines of the links over LONG_KM (link positions, points per line, the
    lines' [lat, lon, ...]). Two quick passes find the candidates, pyproj measures and draws
    those: a link whose two ends are together within LONG_KM of the members' middle is never
    one (two reads a link, where most links of a cluster stop); the rest are tested on the
    spherical distance of their ends' unit vectors (no trigonometry per link; an unplaced end's
    NaN never is one). 3,000,000 links: ~0.15 s, where six random reads a link took 0.5 s.
    The passes only pick candidates (pyproj decides), so they run in float32 (its SIMD sine and
    cosine: 100,000 members ~0.2 ms, not ~5 ms; issue 17, the GUI thread's open) on chords,
    whose angle is well conditioned (an arccos of a float32 dot near 1 is not), each bound
    loosened by FLOAT32_SLACK besides the 1 % the ellipsoid needs."""
    p, q = np.radians(lat).astype(np.float32), np.radians(lon).astype(np.float32)
    cos_p = np.cos(p)
    xyz = np.stack([cos_p * np.cos(q), cos_p * np.sin(q), np.sin(p)], axis=1)
    angle = LONG_KM * 1000 * 0.99 / 6_371_000.0 - FLOAT32_SLACK
    placed = np.isfinite(p) & np.isfinite(q)
    # Any point serves as the middle (the bound holds for each); the mean of a sample of the
    # placed keeps most close (a mean of all 1,000,000 took ~4 ms a 100,000 of them).
    step = max(1, len(xyz) // MIDDLE_SAMPLE)
    sample = xyz[::step][placed[::step]]
    middle = sample.astype(np.float64).mean(axis=0) if len(sample) else np.array([1.0, 0.0, 0.0])
    middle /= np.linalg.norm(middle) or 1.0
    # Each member's angle from the middle, 2 asin(chord / 2) (float32: metres of error).
    off = xyz - middle.astype(np.float32)
    chord = np.sqrt(np.einsum("ij,ij->i", off, off))
    reach = 2 * np.arcsin(np.minimum(chord / 2, np.float32(1.0)))
    reach[~placed] = np.inf
    found = []
    limit = np.float32(2 * np.sin(angle / 2))  # the chord of ``angle``
    for lo in range(0, len(src), CHUNK):
        s, d = src[lo:lo + CHUNK], dst[lo:lo + CHUNK]
        far = np.flatnonzero(reach[s] + reach[d] >= angle)  # triangle inequality
        if len(far):
            apart = xyz[s[far]] - xyz[d[far]]
            near = np.einsum("ij,ij->i", apart, apart) >= limit * limit
            found.append(lo + far[near])
    candidates = np.concatenate(found) if found else np.zeros(0, dtype=np.intp)
    s, d = src[candidates], dst[candidates]
    i, size, coords = geodesic_paths(lat[s], lon[s], lat[d], lon[d], np.arange(len(candidates)))
    return candidates[i], size, coords
