"""Keeps the map's link layer (resources/web/links.js) in step with the session, incrementally.

Each link with two placed ends has a *slot* (an index the page uses for its typed arrays); the
page only ever learns slots, coordinates, a kind code and the two member ids, and answers a click
with a slot that is validated here. One link added sends one ``upsertLinks`` with one row; a
member moved sends the rows of its links only. Long ties (over LONG_KM: partner clusters,
foreign partners) go as geodesic polylines (core.geodesy.geodesic_paths).

Why ~510 lines: the slot bookkeeping, its lazy maps after an open (built on the worker once
painted), the focus and the fade share the same arrays; the reset from records and the reset from
the opened columns are the two ways to fill them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from itertools import repeat
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal

from cluster_desk.core.geodesy import GEOD, LONG_KM, geodesic_path, geodesic_paths
from cluster_desk.core.model import DIRECTED_KINDS, Link, LinkKind, Member
from cluster_desk.ui.links.labels import LINK_COLOURS
from cluster_desk.ui.map.messages import b64
from cluster_desk.ui.project.loading import OpenedColumns
from cluster_desk.ui.project.session import ChangeSet, ProjectSession

KINDS: tuple[LinkKind, ...] = tuple(LinkKind)
KIND_CODE: dict[LinkKind, int] = {k: i for i, k in enumerate(KINDS)}
def links_by_member(links: Iterable[Link]) -> dict[str, set[str]]:
    """Member id -> ids of its links."""
    index: dict[str, set[str]] = {}
    for link in links:
        index.setdefault(link.source, set()).add(link.id)
        index.setdefault(link.target, set()).add(link.id)
    return index


class LinkMapLayer(QObject):
    linkClicked = Signal(str)

    def __init__(self, session: ProjectSession, map_view: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.map = map_view
        self._slots: dict[str, int] | None = {}  # see _slot_of
        self._id_list: list[str | None] | None = []  # slot -> link id (None: a free slot); see _ids
        #: After an open: (the link ids column, positions of the drawn ones or None: all), until
        #: _ids is first needed (a click on a line asks one slot without it).
        self._id_source: tuple[Sequence[str], np.ndarray | None] | None = None
        self._free: list[int] = []
        # Each slot's two ends as member codes (-1: free): a member's links stand out from one
        # vectorised scan of these (300k slots: ~1 ms), with no member -> links index to build.
        self._member_codes: dict[str, int] | None = {}  # None: made from _member_code_source first
        self._member_code_source: Sequence[str] = ()
        self._ends = np.full((0, 2), -1, dtype=np.int32)
        self._by_member_map: dict[str, set[str]] = {}
        self._by_member_built = True
        self._index_asked = False  # the index is being built on the session's worker thread
        self._index_since: list[Link] | None = None  # links upserted since it was asked (None: reset)
        self.hidden: set[LinkKind] = set()
        self.focus: str | None = None
        self.selected: str | None = None
        #: The members the roster's filter shows (None: no filter); links of the others are faint.
        self._shown_members: frozenset[str] | None = None
        # fade_to's last (member codes, shown set, code -> shown)
        self._kept: tuple[dict[str, int], frozenset[str], np.ndarray] | None = None
        map_view.link_at_slot = self.link_at_slot
        map_view.replay_hooks.append(self.replay)
        map_view.linkClicked.connect(self.linkClicked)
        session.changed.connect(self.apply_change)
        session.assessed.connect(self._index_ahead)
        self._configure()

    # ---- plumbing ----------------------------------------------------------------------------

    @property
    def _slot_of(self) -> dict[str, int]:
        if self._slots is None:  # only right after a reset: no free slots yet
            self._slots = dict(zip(self._ids, range(len(self._ids)), strict=True))  # type: ignore[arg-type]
        return self._slots

    @_slot_of.setter
    def _slot_of(self, value: dict[str, int]) -> None:
        self._slots = value

    @property
    def _ids(self) -> list[str | None]:
        if self._id_list is None:
            self._id_list = _id_list(self._id_source)
            self._id_source = None
        return self._id_list

    @_ids.setter
    def _ids(self, value: list[str | None]) -> None:
        self._id_list, self._id_source = value, None

    def link_at_slot(self, slot: int) -> str | None:
        if self._id_list is None and self._id_source is not None:
            ids, keep = self._id_source
            if 0 <= slot < (len(ids) if keep is None else len(keep)):
                return ids[slot if keep is None else int(keep[slot])]
            return None
        if 0 <= slot < len(self._ids):
            return self._ids[slot]
        return None

    def slot_of(self, link_id: str) -> int | None:
        return self._slot_of.get(link_id)

    def slots(self, link_ids: Iterable[str]) -> np.ndarray:
        """The page slot of each link (-1: not drawn), in one C-level pass (300,000 links)."""
        ids = list(link_ids)
        return np.fromiter(map(self._slot_of.get, ids, repeat(-1)), dtype=np.int64, count=len(ids))

    @property
    def _member_code(self) -> dict[str, int]:
        if self._member_codes is None:  # after an open: built on the first focus or link edit
            source = self._member_code_source
            self._member_codes = dict(zip(source, range(len(source)), strict=True))
            self._member_code_source = ()
        return self._member_codes

    @_member_code.setter
    def _member_code(self, value: dict[str, int]) -> None:
        self._member_codes, self._member_code_source = value, ()

    def _code(self, member_id: str) -> int:
        code = self._member_code.get(member_id)
        if code is None:
            code = self._member_code[member_id] = len(self._member_code)
        return code

    def _set_ends(self, slot: int, link: Link | None) -> None:
        if slot >= len(self._ends):
            grown = np.full((max(64, 2 * slot + 2), 2), -1, dtype=np.int32)
            grown[: len(self._ends)] = self._ends
            self._ends = grown
        self._ends[slot] = (self._code(link.source), self._code(link.target)) if link else (-1, -1)

    def focus_slots(self, member_id: str) -> list[int]:
        """The slots of a member's drawn links, ascending."""
        code = self._member_code.get(member_id)
        if code is None:
            return []
        ends = self._ends  # free and unused slots hold -1
        return np.flatnonzero((ends[:, 0] == code) | (ends[:, 1] == code)).tolist()

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

    @property
    def _by_member(self) -> dict[str, set[str]]:
        """Member id -> ids of its links (for moves and the focus)."""
        if not self._by_member_built:
            self._by_member_map = links_by_member(self.session.links.values())
            self._by_member_built = True
        return self._by_member_map

    def _index_ahead(self, _results: Any) -> None:
        """Once a project is assessed (so painted), build the index on the session's worker
        thread: the first marker drop then finds it (300,000 links: ~0.5 s of Python, otherwise
        on the GUI thread). A change before it arrives builds it here, as before."""
        if not self.session.is_open:
            return
        self._maps_ahead()
        if self._by_member_built or self._index_asked:
            return
        self._index_asked = True
        self._index_since = []
        ends = self.session.link_ends()  # (read from the file on the worker: no record built)
        self.session.assessor.run("links-by-member", lambda _engine: links_by_member(ends()),
                                  lambda index: self._index_arrived((), index))

    def _maps_ahead(self) -> None:
        """After an open the slot and member-code maps are lazy; build them on the worker once
        painted, so the first link edit or focus does not (300,000 links: ~0.1 s of the GUI
        thread). An edit or a reset before they arrive builds or replaces them; they are then
        dropped, as the identity checks below see."""
        if self._slots is not None and self._member_codes is not None:
            return
        id_list, id_source, code_source = self._id_list, self._id_source, self._member_code_source

        def build(_engine: Any) -> tuple[list[str | None], dict[str, int], dict[str, int]]:
            ids = id_list if id_list is not None else _id_list(id_source)
            slots = {lid: slot for slot, lid in enumerate(ids) if lid is not None}
            return ids, slots, dict(zip(code_source, range(len(code_source)), strict=True))

        def arrived(maps: tuple[list[str | None], dict[str, int], dict[str, int]]) -> None:
            ids, slots, codes = maps
            if self._slots is None and self._id_list is id_list and self._id_source is id_source:
                self._id_list, self._id_source, self._slots = ids, None, slots
            if self._member_codes is None and self._member_code_source is code_source:
                self._member_codes, self._member_code_source = codes, ()

        self.session.assessor.run("link-maps", build, arrived)

    def _index_arrived(self, links: tuple[Link, ...], index: dict[str, set[str]]) -> None:
        """Kept even when links were edited meanwhile (dropping it made the worker build it again
        after every edit, ~0.5 s that each next assessment queued behind): the links upserted
        since are added; a removed one may stay listed, as everywhere in this index (the users
        skip ids no longer in the session). A reset meanwhile drops it."""
        self._index_asked = False
        since, self._index_since = self._index_since, None
        if not self._by_member_built and since is not None:
            for link in since:
                index.setdefault(link.source, set()).add(link.id)
                index.setdefault(link.target, set()).add(link.id)
            self._by_member_map = index
            self._by_member_built = True

    def _index(self, link: Link) -> None:
        if not self._by_member_built:
            if self._index_since is not None:
                self._index_since.append(link)
            return  # built from the session's links (this one included) when first needed
        self._by_member.setdefault(link.source, set()).add(link.id)
        self._by_member.setdefault(link.target, set()).add(link.id)

    def _unindex(self, link_id: str, link: Link | None) -> None:
        if link is None or not self._by_member_built:
            return
        for end in (link.source, link.target):
            ids = self._by_member.get(end)
            if ids is not None:
                ids.discard(link_id)

    # ---- session -> page ---------------------------------------------------------------------

    def replay(self) -> None:
        """A (re)loaded page: kinds, every link, the style."""
        self._configure()
        self.reset()

    def reset(self) -> int:
        """Every link in one batch; distances in one vectorised pyproj call (300k: ~0.1 s)."""
        self._slot_of, self._ids, self._free = {}, [], []
        self._by_member_built = False  # built on first need (a focus, a move): not on the open path
        self._index_since = None  # an index being built is of links before this reset
        if self.session.opened is not None and self._shown_members is None:  # just opened
            return self._reset_from_columns(self.session.opened)
        members = self.session.members
        kept: list[tuple[Link, Member, Member]] = []
        for link in self.session.links.values():
            a, b = members.get(link.source), members.get(link.target)
            if a is not None and b is not None and a.lat is not None and b.lat is not None:
                kept.append((link, a, b))
        self._ids = [lk.id for lk, _, _ in kept]
        self._slot_of = {lid: i for i, lid in enumerate(self._ids)}
        self._member_code = {}
        code = self._code
        self._ends = np.array([(code(lk.source), code(lk.target)) for lk, _, _ in kept],
                              dtype=np.int32).reshape(-1, 2)
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
        sent as JSON) the ends go as float32 coordinates. The link id -> slot map is built when
        first asked for."""
        m, lk = opened.members, opened.links
        src, dst = lk.source_index, lk.target_index  # -1: an end not in the file
        self._member_codes, self._member_code_source = None, m.ids  # a member's code: its position
        located = np.append(m.located, False)  # index -1 (an end not in the file): not drawn
        drawn = located[src] & located[dst]
        kind = lk.kind_codes  # LinkKind order, as KIND_CODE
        if drawn.all():
            self._id_list, self._id_source = None, (lk.ids, None)
        else:
            keep = np.flatnonzero(drawn)
            src, dst, kind = src[keep], dst[keep], kind[keep]
            self._id_list, self._id_source = None, (lk.ids, keep)
        self._slots = None  # see _slot_of
        self._ends = np.empty((len(src), 2), dtype=np.int32)
        self._ends[:, 0], self._ends[:, 1] = src, dst
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
            self._index(link)
            row = self._row(link)
            slot = self._slot_of.get(lid)
            if row is None:
                if slot is not None:
                    gone.append(self._release(lid, slot))
                continue
            if slot is None:
                slot = self._free.pop() if self._free else len(self._ids)
                if slot == len(self._ids):
                    self._ids.append(lid)
                else:
                    self._ids[slot] = lid
                self._slot_of[lid] = slot
            self._set_ends(slot, link)
            rows.append([slot, *row])
        seq = None
        if gone:
            seq = int(self.map.send_command("removeLinks", slots=gone))
        if rows:
            seq = int(self.map.send_command("upsertLinks", rows=rows))
        return seq

    def _release(self, link_id: str, slot: int) -> int:
        del self._slot_of[link_id]
        self._ids[slot] = None
        self._set_ends(slot, None)
        self._free.append(slot)
        return slot

    def remove(self, link_ids: Iterable[str], old: dict[str, Link] | None = None) -> int | None:
        slots = []
        for lid in link_ids:
            self._unindex(lid, (old or {}).get(lid))
            slot = self._slot_of.get(lid)
            if slot is not None:
                slots.append(self._release(lid, slot))
        if self.selected is not None and self.selected not in self.session.links:
            self.selected = None
        return int(self.map.send_command("removeLinks", slots=slots)) if slots else None

    def apply_change(self, change: ChangeSet) -> None:
        if change.reset:
            self.focus = None
            self.selected = None
            self._shown_members = None
            self.reset()
            return
        if change.links and not (change.link_upserted or change.link_removed):
            self.reset()  # links changed without saying which: send them all again
            return
        if change.link_removed:
            self.remove(change.link_removed)
        touched: set[str] = set(change.link_upserted)
        for mid in change.moved | change.upserted | change.removed:
            touched |= self._by_member.get(mid, set())
        gone = {lid for lid in touched if lid not in self.session.links}
        if gone:
            self.remove(gone)
        if touched - gone:
            self.upsert(sorted(touched - gone))
        if self.focus is not None and (touched or change.link_removed):
            self._send_style()  # the focused member's links may have changed slots

    # ---- style -------------------------------------------------------------------------------

    def _send_style(self) -> int:
        slot = self._slot_of.get(self.selected) if self.selected else None
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

    def fade_to(self, shown: Collection[str] | None) -> int:
        """Links with an end outside ``shown`` (the members the roster's filter lets through;
        None: no filter) are drawn faint: one vectorised pass over the slots' member codes
        (300,000 links: a few ms, where a pass over the link records took ~1 s a date step), sent
        as a bitmask over the slots (37 KB of base64, not a JSON list of up to 300,000 slots)."""
        was = self._shown_members
        self._shown_members = shown if shown is None or isinstance(shown, frozenset) else frozenset(shown)
        if shown is None and was is None:
            return int(self.map.seq)  # nothing faded before or now (after every open): no op
        if shown is None:
            return int(self.map.send_command("fadeLinks", slots=[]))
        ends = self._ends
        used = ends[:, 0] >= 0  # free and spare slots hold -1
        kept = self._kept_codes(self._shown_members, was)
        n = len(kept) - 1
        ends = np.where(ends < 0, n, ends)
        faded = used & ~(kept[ends[:, 0]] & kept[ends[:, 1]])
        return int(self.map.send_command("fadeLinks", bits=b64(np.packbits(faded, bitorder="little"))))

    def _kept_codes(self, shown: frozenset[str], was: frozenset[str] | None) -> np.ndarray:
        """Member code -> in ``shown`` (and a last False for -1 and ids with no code). From the
        last one by the change when that is small (a date step: a few thousand of 70,000)."""
        codes = self._member_code
        n = len(codes)
        last = self._kept
        if (was is not None and last is not None and last[0] is codes and last[1] is was
                and len(last[2]) == n + 1):
            added, gone = shown - was, was - shown
            if len(added) + len(gone) < len(shown) // 2:
                kept = last[2]
                for ids, on in ((gone, False), (added, True)):
                    kept[np.fromiter(map(codes.get, ids, repeat(n)), dtype=np.int64, count=len(ids))] = on
                kept[n] = False
                self._kept = (codes, shown, kept)
                return kept
        kept = np.zeros(n + 1, dtype=bool)
        kept[np.fromiter(map(codes.get, shown, repeat(n)), dtype=np.int64, count=len(shown))] = True
        kept[n] = False
        self._kept = (codes, shown, kept)
        return kept

    def _is_faded(self, member_id: str) -> bool:
        return self._shown_members is not None and member_id not in self._shown_members

    def _touches_faded(self, link_id: str) -> bool:
        link = self.session.links.get(link_id)
        return link is not None and (self._is_faded(link.source) or self._is_faded(link.target))


#: Links looked at a chunk at a time for long ties (bounds the temporaries at 3,000,000 links).
CHUNK = 1 << 18


def _long_ties(lat: np.ndarray, lon: np.ndarray, src: np.ndarray, dst: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The geodesic lines of the links over LONG_KM (link positions, points per line, the
    lines' [lat, lon, ...]). Two quick passes find the candidates, pyproj measures and draws
    those: a link whose two ends are together within LONG_KM of the members' middle is never
    one (two reads a link, where most links of a cluster stop); the rest are tested on the
    spherical distance of their ends' unit vectors (no trigonometry per link; an unplaced end's
    NaN never is one). 3,000,000 links: ~0.15 s, where six random reads a link took 0.5 s."""
    p, q = np.radians(lat), np.radians(lon)
    cos_p = np.cos(p)
    xyz = np.stack([cos_p * np.cos(q), cos_p * np.sin(q), np.sin(p)], axis=1)
    angle = LONG_KM * 1000 * 0.99 / 6_371_000.0
    placed = np.isfinite(p) & np.isfinite(q)
    # Any point serves as the middle (the bound holds for each); the mean keeps most close.
    middle = xyz[placed].mean(axis=0) if placed.any() else np.array([1.0, 0.0, 0.0])
    middle /= np.linalg.norm(middle) or 1.0
    # Each member's angle from the middle (float32: metres of error, the margin is kilometres).
    reach = np.arccos(np.clip(xyz @ middle, -1.0, 1.0)).astype(np.float32)
    reach[~placed] = np.inf
    found = []
    limit = np.cos(angle)
    for lo in range(0, len(src), CHUNK):
        s, d = src[lo:lo + CHUNK], dst[lo:lo + CHUNK]
        far = np.flatnonzero(reach[s] + reach[d] >= angle)  # triangle inequality
        if len(far):
            near = np.einsum("ij,ij->i", xyz[s[far]], xyz[d[far]]) <= limit
            found.append(lo + far[near])
    candidates = np.concatenate(found) if found else np.zeros(0, dtype=np.intp)
    s, d = src[candidates], dst[candidates]
    i, size, coords = geodesic_paths(lat[s], lon[s], lat[d], lon[d], np.arange(len(candidates)))
    return candidates[i], size, coords


def _id_list(source: tuple[Sequence[str], np.ndarray | None] | None) -> list[str | None]:
    """Slot -> link id from the opened columns (``keep``: the positions drawn)."""
    ids, keep = source or ([], None)
    return list(ids) if keep is None else np.array(list(ids), dtype=object)[keep].tolist()
