"""The roster and its links as arrays, once per assessment, and the network on any day.

``Arrays(members, links)`` turns every member and link into numpy columns in one pass (the only
per-record Python work: attribute lists mapped through dicts, dates as YYYYMMDD integers);
``Arrays.from_columns`` builds the same columns from the file's values with no record at all
(store.assess_columns; the conversion is core.checks.roster_rows, shared by both);
``arrays.network(day)`` then picks the participants on that day (DOMAIN.md: status member,
joined on or before it, not left; a former member that had not left yet on a past day;
candidates and drafts never) and the links counting on it (both ends participants, started on
or before the day or undated, not ended) with vectorised masks, and returns a
core.network.Network (its members and links are views, not copied lists) so its measures apply.
The year-earlier network of the gap trend costs masks only, not a second pass over the records;
when the day's holds every link counting then (links only added since, the same participants)
it is taken from the day's (``_within``: no member row map or gather of every link's ends).
``arrays.refreshed(members, links)`` brings the columns up to date after an edit by rewriting
the replaced records' rows (what assess() does between calls, and the Plan tab);
``arrays.patch_links(upserted, removed)`` does it for a few links the caller names (the window's
worker after a link edit) and patches each day's cached network instead of rebuilding it: every
Patchable in the network's memo (core.checks.tallies) gets the Delta of those links;
``arrays.patch_members`` rewrites, appends or takes out the rows of the members it is given.
Why ~870 lines: the columns, their in-place upkeep, their compact forms (narrow types, one-value
columns copied before a write) and the day's network they give change together (a patch must
leave exactly what a fresh build gives; tests compare the two).
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, NamedTuple, TypeVar, overload

import numpy as np
import numpy.typing as npt

from cluster_desk.core.check_facts import KEEP_NAMES, Names, names_at
from cluster_desk.core.checks.roster_rows import (
    EXTERNAL_CODES,
    EXTERNAL_KINDS,
    LINK_CODE,
    LINK_COLUMNS,
    MEMBER_CODE,
    MEMBER_COLUMNS,
    NO_DAY_HIGH,
    NO_DAY_LOW,
    STATUS_CODE,
    LinkRows,
    MemberRows,
    UnreadIds,
    day_code,
    division_of,
    link_block,
    links_of_parts,
    member_block,
    members_of_parts,
)
from cluster_desk.core.id_index import RowMap, row_map
from cluster_desk.core.model import Link, LinkKind, Member, MemberKind, Status
from cluster_desk.core.network import Network
from cluster_desk.core.tables import SharedTexts, TextColumn

__all__ = ["EXTERNAL_CODES", "EXTERNAL_KINDS", "LINK_CODE", "MEMBER_CODE", "NO_DAY_HIGH", "NO_DAY_LOW",
           "Arrays", "Delta", "Patchable", "capped", "day_code", "division_of", "year_before"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

FIRM = MEMBER_CODE[MemberKind.FIRM]
_STATUS = STATUS_CODE
_T = TypeVar("_T")
INDUSTRY_CORE, INDUSTRY_RELATED, INDUSTRY_NONE = 0, 1, 2
#: Removed links' rows kept (patch_links) before the columns are compacted (~30 ms at 300,000).
DEAD_LINK_ROWS = 1_000
#: A patch naming up to this many links finds their rows by searching the ids' blob (~30 ms a
#: link at three million) when no id -> row map is built; more build the map (issue 17: three
#: million link ids in a dict take ~0.4 GB).
SEARCHED_LINKS = 16
#: The order of a rows reader's batches: (member batches, link batches), each batch a list of
#: tuples in MEMBER_VALUES / LINK_VALUES order (store.assess_columns reads them from the file).
RowBatches = Iterable[Sequence[Sequence[Any]]]


class _Rows(Sequence[_T]):
    """``base[rows[i]]`` without building the list (a network's participants and links)."""

    __slots__ = ("_base", "_rows")

    def __init__(self, base: Sequence[_T], rows: IntArray) -> None:
        self._base = base
        self._rows = rows

    def __len__(self) -> int:
        return int(self._rows.size)

    @overload
    def __getitem__(self, i: int) -> _T: ...
    @overload
    def __getitem__(self, i: slice) -> list[_T]: ...
    def __getitem__(self, i: int | slice) -> _T | list[_T]:
        base = self._base
        if isinstance(i, slice):
            return [base[j] for j in self._rows[i].tolist()]
        return base[int(self._rows[i])]

    def __iter__(self) -> Iterator[_T]:
        base = self._base
        return (base[j] for j in self._rows.tolist())


class Arrays:
    """Every member (any status) and link as columns. Rows follow ``members``' order.

    ``refreshed(members, links)`` brings them up to date after edits: replaced records are
    rewritten in place (a drag, an edit), appended ones added; only a removal or a reorder costs
    a rebuild. Masks per day are cached until then.
    """

    def __init__(self, members: Sequence[Member], links: Sequence[Link]) -> None:
        self._set_members(list(members))
        self.set_links(links)

    @classmethod
    def from_columns(cls, member_parts: Iterable[Sequence[Sequence[Any]]],
                     link_parts: Iterable[Sequence[Sequence[Any]]]) -> Arrays:
        """The arrays of the roster as stored, from parts of its columns (each part: one sequence
        per value of MEMBER_VALUES / LINK_VALUES, the rows of a part in file order; a part's link
        ids may come as one text joined by core.tables.TextColumn.SEP): the same columns as
        ``Arrays(records)`` of the same members and links, with no record built. The link parts
        are taken after the member ones (their ends are looked up in the members)."""
        out = cls.__new__(cls)
        ids, names, block = members_of_parts(member_parts)
        out._adopt_members(ids, names, block, None)
        link_ids, link_columns = links_of_parts(link_parts, out.index)
        out._adopt_links(LinkRows(link_ids), link_columns)
        return out

    @classmethod
    def of_columns(cls, ids: list[str], names: Sequence[str], members: dict[str, Any],
                   link_ids: Sequence[str], links: dict[str, Any],
                   shared: SharedTexts | None = None) -> Arrays:
        """Arrays holding these columns as they are (MEMBER_COLUMNS, LINK_COLUMNS: what a saved
        copy of freshly read arrays holds, store.arrays_cache). ``shared``: the texts to hold
        instead (``share_texts``; ``ids``, ``names`` and ``link_ids`` are then not read)."""
        if shared is not None:
            ids, names, link_ids = shared.ids, shared.names, shared.link_ids
        if any(len(members[c]) != len(ids) for c in MEMBER_COLUMNS) or len(names) != len(ids) or any(
                len(links[c]) != len(link_ids) for c in LINK_COLUMNS):
            raise ValueError("columns of different lengths")
        out = cls.__new__(cls)
        out._adopt_members(ids, names, members, None, None if shared is None else shared.index)
        out._adopt_links(LinkRows(link_ids), links)
        if shared is not None:
            out.share_texts(shared)
        return out

    @classmethod
    def from_rows(cls, member_batches: RowBatches, link_batches: RowBatches) -> Arrays:
        """``from_columns`` of batches of rows (tuples in MEMBER_VALUES / LINK_VALUES order)."""
        return cls.from_columns((tuple(zip(*b, strict=True)) for b in member_batches if b),
                                (tuple(zip(*b, strict=True)) for b in link_batches if b))

    # ----- building ---------------------------------------------------------------------------

    def _set_members(self, ms: list[Member]) -> None:
        ids = [m.id for m in ms]
        names = [m.name for m in ms]
        block = member_block(ids, names, [m.kind for m in ms], [m.status for m in ms], [m.sector for m in ms],
                             [m.industry for m in ms], [m.employees for m in ms], [m.lat for m in ms],
                             [m.lon for m in ms], [m.joined for m in ms], [m.left for m in ms],
                             [m.output for m in ms], [m.special_territory for m in ms],
                             [m.organising_production for m in ms])
        self._adopt_members(ids, names, block, ms)

    def _adopt_members(self, ids: list[str], names: Sequence[str], block: dict[str, Any],
                       records: list[Member] | None, index: Callable[[], RowMap] | None = None) -> None:
        """Take these columns; ``records`` None: built from rows (``members`` then reads the
        columns: MemberRows). ``names``: a list, or a TextColumn (this arrays' own). ``index``:
        the shared id -> row map of these ids, asked for when first used (``index``)."""
        n = len(ids)
        self.names: Any = names  # list[str] or TextColumn
        self._names_shared = False  # a list held by another too (share_texts): copied before a change
        self.ids: npt.NDArray[np.object_] = np.array(ids, dtype=object) if n else np.zeros(0, dtype=object)
        # (a big map is an IdRows over the id column held here: the list ``ids`` may go)
        if index is not None:
            self._shared_index_of(index)
        else:
            self.index = row_map(self.ids)
            self._index_shared = False
        for name in MEMBER_COLUMNS:
            setattr(self, name, compact_column(name, block[name]))
        #: The records (Arrays(records)), or MemberRows over the columns (from_rows).
        self.members: Any = records if records is not None else MemberRows(self)
        self._part: dict[str, BoolArray] = {}
        self._nets: dict[str, _DayNet] = {}

    _index_from: Callable[[], RowMap]  # (what makes a shared ``index``: _shared_index_of)
    # The columns (set by _adopt_members / _adopt_links; typed here for the checks). Codes and
    # rows are held in the narrowest type that fits (COMPACT); a network's columns are int64.
    status: npt.NDArray[np.int8]
    kind: IntArray  # int8 codes
    joined: npt.NDArray[np.int32]
    left: npt.NDArray[np.int32]
    lat: FloatArray
    lon: FloatArray
    located: BoolArray
    local: BoolArray
    employees: FloatArray
    output: FloatArray
    industry: npt.NDArray[np.int8]
    division: IntArray  # int8: 1..99, -1
    special: BoolArray
    organising: BoolArray
    src: IntArray  # int32 member rows (-1: none)
    dst: IntArray
    link_kind: IntArray  # int8 codes
    volume: FloatArray
    start: npt.NDArray[np.int32]
    end: npt.NDArray[np.int32]

    def set_links(self, links: Sequence[Link]) -> None:
        ls = list(links)
        block = link_block([lk.source for lk in ls], [lk.target for lk in ls], [lk.kind for lk in ls],
                           [lk.volume for lk in ls], [lk.start for lk in ls], [lk.end for lk in ls],
                           self.index)
        self._adopt_links(ls, block)

    def _adopt_links(self, links: list[Link] | LinkRows, block: dict[str, Any]) -> None:
        self.links: Any = links  # records, or LinkRows (ids) when built from rows
        for name in LINK_COLUMNS:
            setattr(self, name, compact_column(name, block[name]))
        m = len(links)
        self.dated = bool(m) and bool(np.any(self.start != NO_DAY_LOW) or np.any(self.end != NO_DAY_HIGH))
        self._active: dict[str, BoolArray] = {}
        self._nets = {}
        self._link_rows: dict[str, int] | None = None  # id -> row, built by the first patch_links
        self._dead: list[int] = []  # rows of links removed by patch_links (never count)

    def share_texts(self, shared: SharedTexts) -> None:
        """Hold the member ids, names, id -> row map and link ids of an open's columns of the
        same state of the file (the same rows in the same order) instead of copies of their own
        (issue 17: one copy of a million ids and names, of three million link ids). What is
        shared is never changed here: a list or map is copied before its first change, a
        TextColumn is this arrays' own copy of the blob."""
        ids, names, link_ids = shared.ids, shared.names, shared.link_ids
        if not isinstance(self.members, MemberRows) or not isinstance(self.links, LinkRows) or (
                len(ids) != len(self.names) or len(names) != len(ids) or len(link_ids) != len(self.links)):
            raise ValueError("shared texts of other rows")
        self.names, self._names_shared = _texts_of(names)
        if self.ids.size != len(ids) or (len(ids) and self.ids[0] is not ids[0]):
            self.ids = np.array(ids, dtype=object) if ids else np.zeros(0, dtype=object)
        self._shared_index_of(shared.index)  # (the map of ``ids``: made when first asked)
        shared_links, _ = _texts_of(link_ids)
        held = isinstance(shared_links, TextColumn | UnreadIds)  # (a list is copied: it may change)
        self.links = LinkRows(shared_links if held else list(link_ids))
        self._link_rows = None
        # The open's positions and link ends where they are these (a million members and three
        # million links: 40 MB), read-only: copied before this arrays' first write (_writable).
        pairs = [("lat", shared.members.lat), ("lon", shared.members.lon)]
        if shared.link_ends is not None:
            pairs += [("src", shared.link_ends[0]), ("dst", shared.link_ends[1])]
        for name, theirs in pairs:
            if _same_bits(getattr(self, name), theirs):
                view = theirs.view()
                view.flags.writeable = False
                setattr(self, name, view)

    @property
    def index(self) -> RowMap:
        """Member id -> row. A shared map (an open's, ``share_texts``) is asked for when first
        used, not when the arrays are made: ``cluster-desk check`` looks no id up unless asked
        to (--as-if, the JSON's names), and a million members' map is ~0.15 s of CPU (issue 17)."""
        made: RowMap | None = self.__dict__.get("_index")
        if made is None:
            made = self._index = self._index_from()
            self._index_from = _no_index  # (the open's columns it came from are not held after)
        return made

    @index.setter
    def index(self, value: RowMap) -> None:
        self._index = value

    def _shared_index_of(self, source: Callable[[], RowMap]) -> None:
        """Hold the map ``source`` gives (made once by its owner, who never changes it) from its
        first use on; copied before a change here (``_own_index``)."""
        self.__dict__.pop("_index", None)
        self._index_from = source
        self._index_shared = True

    def rows_of_shared(self, made: RowMap | None) -> bool:
        """Whether the member rows are still those of the open whose map was shared here
        (``share_texts``): the map not asked for yet (a row added or taken out gives these
        arrays a map of their own first), or the very map ``made`` that its owner made."""
        own = self.__dict__.get("_index")
        return own is None or (made is not None and own is made)

    def shared_index(self) -> RowMap:
        """The member id -> row map, for a reader that keeps it (it is not changed here after)."""
        self._index_shared = True
        return self.index

    def _own_names(self) -> Any:
        if self._names_shared:
            self.names, self._names_shared = list(self.names), False
        return self.names

    def _own_index(self) -> RowMap:
        if self._index_shared:  # (an IdRows' copy shares its column and hashes)
            self.index, self._index_shared = self.index.copy(), False
        return self.index

    def _set_member_row(self, i: int, m: Member) -> None:
        if not isinstance(self.members, MemberRows):
            self.members[i] = m
        self._own_names()[i] = m.name
        block = member_block([m.id], [m.name], [m.kind], [m.status], [m.sector], [m.industry], [m.employees],
                             [m.lat], [m.lon], [m.joined], [m.left], [m.output], [m.special_territory],
                             [m.organising_production])
        for name in MEMBER_COLUMNS:
            self._writable(name)[i] = block[name][0]

    def _set_link_row(self, j: int, lk: Link) -> None:
        if isinstance(self.links, LinkRows) and isinstance(self.links.ids, TextColumn):
            self.links.ids[j] = lk.id  # (kept beside the blob, not a list of every id)
        else:
            self.links[j] = lk
        block = link_block([lk.source], [lk.target], [lk.kind], [lk.volume], [lk.start], [lk.end], self.index)
        for name in LINK_COLUMNS:
            self._writable(name)[j] = block[name][0]
        self.dated = self.dated or lk.start is not None or lk.end is not None

    def _writable(self, name: str) -> Any:
        """Column ``name``, its own copy first when it is held as one value throughout (UNIFORM)."""
        column = getattr(self, name)
        if not column.flags.writeable:
            column = column.copy()
            setattr(self, name, column)
        return column

    def member_fields(self, i: int) -> tuple[Any, ...]:
        """What the checks read of row ``i`` but its position (an edit that changes none of it
        is a move: only the geographic checks run again)."""
        emp, out = float(self.employees[i]), float(self.output[i])
        return (self.names[i], int(self.status[i]), int(self.kind[i]), int(self.joined[i]), int(self.left[i]),
                None if math.isnan(emp) else emp, None if math.isnan(out) else out, int(self.industry[i]),
                int(self.division[i]), bool(self.special[i]), bool(self.organising[i]))

    @staticmethod
    def fields_of(m: Member) -> tuple[Any, ...]:
        """``member_fields`` of a record (compare the two to tell a move from an edit)."""
        one = Arrays.__new__(Arrays)
        one._set_members([m])
        return one.member_fields(0)

    def patch_members(self, upserted: Sequence[Member], removed: Iterable[str]) -> None:
        """A few members edited: each removed id's row is taken out (the rows after it move up;
        link ends follow), each upserted record rewrites its id's row or is appended. Removing
        an id not held, or upserting one held, is harmless: a patch may be applied again to
        arrays read after it (the window's first read of the file races its edits)."""
        gone = [self.index[mid] for mid in removed if mid in self.index]
        if gone:
            keep = np.ones(len(self.names), dtype=np.bool_)
            keep[gone] = False
            for name in MEMBER_COLUMNS:
                setattr(self, name, getattr(self, name)[keep])
            flags = keep.tolist()
            if isinstance(self.names, TextColumn):
                self.names = self.names.kept(keep)
            else:
                self.names = [v for v, k in zip(self.names, flags, strict=True) if k]
            self._names_shared = False
            self.ids = self.ids[keep]
            if not isinstance(self.members, MemberRows):
                self.members = [v for v, k in zip(self.members, flags, strict=True) if k]
            self.index = row_map(self.ids)
            self._index_shared = False
            remap = np.full(keep.size + 1, -1, dtype=np.int64)  # index -1 -> -1
            remap[np.flatnonzero(keep)] = np.arange(len(self.names))
            self.src, self.dst = (compact_column(c, remap[getattr(self, c)]) for c in ("src", "dst"))
        new: list[Member] = []
        for m in upserted:
            i = self.index.get(m.id)
            if i is None:
                self._own_index()[m.id] = len(self.names) + len(new)
                new.append(m)
            else:
                self._set_member_row(i, m)
        if new:
            more = Arrays.__new__(Arrays)
            more._set_members(new)
            for name in MEMBER_COLUMNS:
                setattr(self, name, np.concatenate((getattr(self, name), getattr(more, name))))
            self.ids = np.concatenate((self.ids, more.ids))
            self._own_names().extend(more.names)
            if not isinstance(self.members, MemberRows):
                self.members = [*self.members, *new]
        self._part = {}
        self._nets = {}

    def detached(self) -> Arrays:
        """A copy another thread may read while these go on being patched (the as-of view's day
        cache takes the window's engine's arrays so: no read of the file after each edit, issue 17).
        What a patch writes in place is copied (the writable columns, the texts' edits, the link
        ids, the records' lists); read-only columns and the id column are shared (never written:
        a patch replaces them); the id -> row map is shared and copied by whichever changes it
        first. Links removed by ``patch_links`` are left out (their rows may still hold their ids,
        which an undo adds again in new rows: a reader matching rows by id would find two). No
        day's mask or network is carried over."""
        out = Arrays.__new__(Arrays)
        out.__dict__.update(self.__dict__)
        for name in (*MEMBER_COLUMNS, *LINK_COLUMNS):
            column = getattr(self, name)
            if column.flags.writeable:
                setattr(out, name, column.copy())
        out.names = self.names.copy() if isinstance(self.names, TextColumn) else list(self.names)
        out._names_shared = False
        if "_index" in self.__dict__:  # (else both make it from the same source when first asked)
            self._index_shared = out._index_shared = True
        out.members = MemberRows(out) if isinstance(self.members, MemberRows) else list(self.members)
        if isinstance(self.links, LinkRows):
            ids = self.links.ids
            # (a TextColumn or a list is changed in place; UnreadIds never: a change makes a list)
            out.links = LinkRows(ids.copy() if isinstance(ids, TextColumn) else list(ids) if isinstance(
                ids, list) else ids)
        else:
            out.links = list(self.links)
        if self._dead:
            out._dead = list(self._dead)
            out._drop_dead()
        out._link_rows = None
        out._part, out._nets, out._active = {}, {}, {}
        return out

    def forget_networks(self) -> None:
        """Drop the day networks kept for the next request (and their tallies): the next one
        builds its day's network again (issue 17: a million members' network and tallies hold
        ~0.23 GB; the window's engine keeps them only up to a size, assess_engine)."""
        self._nets = {}

    def slim_networks(self) -> None:
        """Drop what only a kept network's first tallies read (its distinct pairs, its links'
        codes: ~10 % of a network): a patch never reads them, and they are made again if asked."""
        for dn in self._nets.values():
            memo = dn.net.memo
            pairs = memo.pop("pairs", None)
            if pairs is not None:
                memo.setdefault("pair_count", int(pairs[0].size))
            memo.pop("link_code", None)
            memo.pop("within", None)
            memo.pop("repeats", None)

    def link_rows(self) -> dict[str, int]:
        """Link id -> row (built once, kept up to date by patch_links)."""
        if self._link_rows is None:
            ids = self.links.ids if isinstance(self.links, LinkRows) else [lk.id for lk in self.links]
            self._link_rows = dict(zip(ids, range(len(self.links)), strict=True))
            if self._dead and isinstance(self.links, LinkRows) and isinstance(self.links.ids, TextColumn):
                self._link_rows.pop("", None)  # removed rows searched for (see _found_link)
        return self._link_rows

    def _found_link(self, lid: str) -> int | None:
        """A link's row by a search of the ids' blob (no id -> row map): a removed row's id is
        blanked, so a link removed and added again is found in its new row."""
        j = self.links.ids.find(lid) if lid else -1
        return None if j < 0 else j

    def patch_links(self, upserted: Sequence[Link], removed: Iterable[str]) -> None:
        """A few links edited (a link added, edited or deleted in the window): each removed id's row
        becomes a dead row (no ends, never active, not dated), each upserted record rewrites its
        id's row or is appended. Costs the changed rows, not a pass over every link (set_links:
        ~0.4 s at 300,000). Row order then differs from the caller's list; no rule depends on it."""
        removed = list(removed)
        searched = (self._link_rows is None and isinstance(self.links, LinkRows) and isinstance(
            self.links.ids, TextColumn) and len(removed) + len(upserted) <= SEARCHED_LINKS)
        rows: dict[str, int] = {} if searched else self.link_rows()  # searched: the new ones only
        dead = self._dead
        old_size = self.src.size
        touched: list[int] = []  # rows rewritten in place (removed or replaced)
        for lid in removed:
            j = rows.pop(lid, None)
            if j is None and searched:
                j = self._found_link(lid)
                if j is not None:
                    self.links.ids[j] = ""  # (not found again: see _found_link)
            if j is not None:
                touched.append(j)
                self._writable("src")[j] = self._writable("dst")[j] = -1
                self._writable("start")[j], self._writable("end")[j] = NO_DAY_LOW, NO_DAY_HIGH
                dead.append(j)
        new: list[Link] = []
        for lk in upserted:
            j = rows.get(lk.id)
            if j is None and searched:
                j = self._found_link(lk.id)
            if j is None:
                rows[lk.id] = len(self.links) + len(new)
                new.append(lk)
            else:
                touched.append(j)
                self._set_link_row(j, lk)
        if new:
            more = Arrays.__new__(Arrays)
            more.index = self.index
            more.set_links(new)
            for name in LINK_COLUMNS:
                setattr(self, name, _grown(getattr(self, name), getattr(more, name)))
            if isinstance(self.links, LinkRows) and isinstance(self.links.ids, TextColumn):
                self.links.ids.extend(lk.id for lk in new)
            else:
                self.links.extend(new)
        live = self.src.size - len(self._dead)
        self.dated = live > 0 and bool(np.any((self.start != NO_DAY_LOW) | (self.end != NO_DAY_HIGH)))
        self._active = {}
        if len(dead) > DEAD_LINK_ROWS:
            self._drop_dead()
        else:
            changed = np.array(sorted(set(touched)), dtype=np.int64)
            added = np.concatenate((changed, np.arange(old_size, self.src.size, dtype=np.int64)))
            self._nets = {day: self._patched(day, dn, changed, added) for day, dn in self._nets.items()}

    def _drop_dead(self) -> None:
        keep = np.ones(self.src.size, dtype=np.bool_)
        keep[self._dead] = False
        for name in LINK_COLUMNS:
            setattr(self, name, getattr(self, name)[keep])
        if isinstance(self.links, LinkRows) and isinstance(self.links.ids, TextColumn):
            self.links = LinkRows(self.links.ids.kept(keep))
        elif isinstance(self.links, LinkRows):
            self.links = self.links.kept(keep.tolist())
        else:
            self.links = [lk for lk, k in zip(self.links, keep.tolist(), strict=True) if k]
        self._dead = []
        self._link_rows = None
        self._nets = {}

    def refreshed(self, members: Sequence[Member], links: Sequence[Link] | None) -> Arrays:
        """These arrays brought up to date (see the class). ``links`` None: the links did not
        change (a drag). Returns self, or a new Arrays when a record was removed or reordered."""
        ms = list(members)
        if isinstance(self.members, MemberRows):  # built from rows: no records to compare with
            if links is None:
                raise TypeError("arrays built from rows follow edits through patch_members/patch_links")
            return Arrays(ms, links)
        old = self.members
        changed = _replaced(old, ms)
        if changed is None:
            return Arrays(ms, self.links if links is None else links)
        appended = ms[len(old):]
        patch = [(i, ms[i]) for i in changed]
        if any(m.id != old[i].id for i, m in patch) or any(m.id in self.index for m in appended):
            return Arrays(ms, self.links if links is None else links)
        if appended:
            keep_links = self.links
            self._set_members(ms)  # new rows at the end: the links' rows stay valid ...
            self.links = keep_links
            get = self.index.get
            dangling = (self.src < 0) | (self.dst < 0)
            dangling[self._dead] = False  # removed links stay removed
            for j in np.flatnonzero(dangling).tolist():  # ... but dangling ends
                self.src[j] = get(keep_links[j].source, -1)
                self.dst[j] = get(keep_links[j].target, -1)
        else:
            for i, m in patch:
                self._set_member_row(i, m)
        if patch or appended:
            self._part = {}
            self._nets = {}
        if links is not None:
            self._refresh_links(list(links))
        return self

    def _refresh_links(self, ls: list[Link]) -> None:
        old = self.links
        changed = _replaced(old, ls)
        if changed is None or any(ls[j].id != old[j].id for j in changed):
            self.set_links(ls)
            return
        if self._dead:  # patched rows no longer follow the caller's list
            self.set_links(ls)
            return
        self._link_rows = None
        for j in changed:
            self._set_link_row(j, ls[j])
        if len(ls) > len(old):
            more = Arrays.__new__(Arrays)
            more.index = self.index
            more.set_links(ls[len(old):])
            for name in ("src", "dst", "link_kind", "volume", "start", "end"):
                setattr(self, name, np.concatenate((getattr(self, name), getattr(more, name))))
            self.dated = self.dated or more.dated
        self.links = ls
        self._active = {}
        self._nets = {}

    # ----- on a day -------------------------------------------------------------------------------

    def participants(self, day: str) -> BoolArray:
        """Members counting on ``day`` (DOMAIN.md "Checks, rule by rule"); a draft never counts."""
        mask = self._part.get(day)
        if mask is None:
            code = day_code(day)
            member = self.status == _STATUS[Status.MEMBER]
            former = (self.status == _STATUS[Status.FORMER]) & (self.left != NO_DAY_HIGH)
            mask = (self.joined <= code) & (self.left > code) & (member | former)
            self._part = {day: mask} if len(self._part) > 8 else {**self._part, day: mask}
        return mask

    def link_active(self, day: str) -> BoolArray:
        """Links that count on ``day`` by their dates (started on or before it, not ended)."""
        mask = self._active.get(day)
        if mask is None:
            code = day_code(day)
            mask = (self.start <= code) & (self.end > code)
            self._active = {day: mask} if len(self._active) > 8 else {**self._active, day: mask}
        return mask

    def ids_of(self, rows: IntArray) -> list[str]:
        """Member ids of ``rows`` (one numpy take, not a loop over records)."""
        out: list[str] = self.ids[rows].tolist()
        return out

    def names_of(self, rows: IntArray) -> list[str]:
        """Member names of ``rows`` (check_facts.names_at: cut from the names' block at once)."""
        return names_at(self.names, rows)

    def network(self, day: str, include: BoolArray | None = None,
                remember: bool = True) -> tuple[Network, IntArray]:
        """The network on ``day`` and the member row (into ``members``) of each of its rows.
        ``include``: extra rows counted as participants (a plan's candidates). ``remember`` False:
        not kept for the next request (the charts' days: the window's engine keeps the checks'
        own days, which an edit's assessment patches)."""
        if include is None and day in self._nets:
            return self._nets[day].net, self._nets[day].rows
        part = self.participants(day)
        if include is not None:
            part = part | include
        rows = _narrow_rows(np.flatnonzero(part))
        wider = self._wider(day, rows) if include is None and self.dated else None
        if wider is not None:
            net, kept = self._within(day, rows, wider)
            if remember:
                self._nets = {**dict(list(self._nets.items())[-3:]), day: _DayNet(net, rows, kept)}
            return net, rows
        # The ends as network rows in 32 bits (member rows fit: COMPACT), kept so in the network
        # (core.network widens them where row * n could overflow), and the kept links' rows too
        # (issue 17: three million links, ~0.1 GB less at the first assessment's peak, and
        # ~30 MB less held while the rules run).
        remap = np.full(len(self.members) + 1, -1, dtype=np.int32)  # index -1 -> -1
        remap[rows] = np.arange(rows.size, dtype=np.int32)
        a = remap[self.src]
        b = remap[self.dst]
        del remap
        keep = a >= 0
        keep &= b >= 0
        keep &= a != b
        if self.dated:  # (no link dated: every link counts on any day, no mask of them made)
            keep &= self.link_active(day)
        kept = np.flatnonzero(keep)
        del keep
        if kept.size and int(kept[-1]) < 2**31:
            kept = kept.astype(np.int32)
        src: Any = a[kept]  # (int32: core.network's measures take them)
        dst: Any = b[kept]
        del a, b
        net = Network(
            day,
            _Rows(self.members, rows),
            _Rows(self.links, kept),
            {},
            self.kind[rows].astype(np.int64),
            src,
            dst,
            self.link_kind[kept],
            taken(self.volume, kept),
            self.ids,
            rows,  # (the ids by row: not a copy of a million of them)
        )
        if include is None and remember:
            self._nets = {**dict(list(self._nets.items())[-3:]), day: _DayNet(net, rows, kept)}
        return net, rows

    def _wider(self, day: str, rows: IntArray) -> _DayNet | None:
        """A kept network of another day with these participants whose links include every link
        counting on ``day`` (none counts on ``day`` that does not on its day): today's for the
        links check's year before, when links were only added since and no one joined or left."""
        active = self.link_active(day)
        for other, dn in self._nets.items():
            if other == day or dn.rows.size != rows.size or not np.array_equal(dn.rows, rows):
                continue
            if not np.any(active & ~self.link_active(other)):
                return dn
        return None

    def _within(self, day: str, rows: IntArray, wider: _DayNet) -> tuple[Network, IntArray]:
        """``day``'s network taken from ``wider``'s (``_wider``): its links that count on ``day``,
        in their order (issue 17: no member row map and no gather of every link's ends again; the
        same columns a build gives). Its degree then looks for repeated pairs among those that
        repeat in ``wider`` only (core.network: no sort of its pair codes)."""
        w = wider.net
        sel = np.flatnonzero(np.take(self.link_active(day), wider.kept))
        kept = wider.kept[sel]
        if not kept.size:
            kept = np.zeros(0, dtype=np.intp)  # (as a build's flatnonzero of none)
        elif kept.dtype != np.int32 and int(kept[-1]) < 2**31:
            kept = kept.astype(np.int32)
        net = Network(day, _Rows(self.members, rows), _Rows(self.links, kept), {}, w.kind, w.src[sel],
                      w.dst[sel], w.link_kind[sel], taken(w.volume, sel), self.ids, rows)
        net.memo["within"] = w
        return net, kept

    def _patched(self, day: str, dn: _DayNet, changed: IntArray, added: IntArray) -> _DayNet:
        """``day``'s network after patch_links: the ``changed`` link rows (removed or rewritten)
        taken out, the ``added`` ones (rewritten or appended) put in where they count. Every
        tally in the network's memo (core.checks.tallies) is patched by those links alone."""
        net, rows, kept = dn
        if not changed.size and not added.size:
            return dn
        pos, found = _find(kept, changed)
        pos = pos[found]
        gone = (net.src[pos], net.dst[pos], net.link_kind[pos], net.volume[pos])
        # the added rows that count on the day: both ends participants, no loop, dates around it
        (a, a_ok), (b, b_ok) = _find(rows, self.src[added]), _find(rows, self.dst[added])
        code = day_code(day)
        ok = a_ok & b_ok & (a != b) & (self.start[added] <= code) & (self.end[added] > code)
        add, a, b = added[ok], a[ok], b[ok]
        came = (a, b, self.link_kind[add], self.volume[add])
        new_cols = (add, *came)
        old_cols: tuple[Any, ...] = (kept, net.src, net.dst, net.link_kind, net.volume)
        grown: list[Any]
        if pos.size and np.array_equal(kept[pos], add):  # edited links that still count: same rows
            grown = [c.copy() for c in old_cols]
            for c, v in zip(grown, new_cols, strict=True):
                c[pos] = v
        else:
            cols: list[Any] = [np.delete(c, pos) if pos.size else c for c in old_cols]
            at = np.searchsorted(cols[0], add)
            if not add.size:
                grown = cols
            elif bool(np.all(at == cols[0].size)):  # new rows at the end (a link added): no shifting
                grown = [_grown(c, v) for c, v in zip(cols, new_cols, strict=True)]  # the parent is dropped
            else:
                grown = [np.insert(c, at, v) for c, v in zip(cols, new_cols, strict=True)]
        kept, src, dst, kind, volume = grown
        patched = Network(day, net.members, _Rows(self.links, kept), {}, net.kind, src, dst, kind, volume,
                          net.id_array, net.id_rows)
        delta = Delta(patched, gone, came)
        for key, value in list(net.memo.items()):
            if isinstance(value, Patchable):
                patched.memo[key] = value.patched(delta)
        return _DayNet(patched, rows, kept)


#: A few links as (src, dst, kind, volume) columns.
LinkColumns = tuple[IntArray, IntArray, IntArray, FloatArray]


class Patchable:
    """A figure kept in a network's memo that follows a link edit (core.checks.tallies): a
    base class, not a Protocol (isinstance on a runtime Protocol costs ~0.5 ms a call)."""

    __slots__ = ()

    def patched(self, delta: Delta) -> Patchable:
        raise NotImplementedError


class Delta:
    """The links a patch took out of a day's network and put in (each as (src, dst, kind,
    volume) in the network's member rows), and the patched network ``net``."""

    def __init__(self, net: Network, gone: LinkColumns, came: LinkColumns) -> None:
        self.net, self.gone, self.came = net, gone, came
        ends = np.concatenate((gone[0], gone[1], came[0], came[1]))
        #: The members at either end of a link taken out or put in (sorted).
        self.touched: IntArray = np.unique(ends)
        self._incident: IntArray | None = None

    @property
    def incident(self) -> IntArray:
        """Rows of ``net``'s links with an end among ``touched`` (every link of theirs)."""
        if self._incident is None:
            hit = np.zeros(self.net.n, dtype=np.bool_)
            hit[self.touched] = True
            self._incident = np.flatnonzero(hit[self.net.src] | hit[self.net.dst])
        return self._incident


#: Columns held narrower than the int64 their blocks are built in (issue 17: a million members
#: and three million links, 38 MB less): member kind and division codes fit a byte, link ends
#: (member rows) 32 bits. Every rule reads them by comparison or as indexes; the day's network
#: takes the member kinds as int64 (the tallies do arithmetic on them).
COMPACT: dict[str, Any] = {"kind": np.int8, "division": np.int8, "src": np.int32, "dst": np.int32,
                           "link_kind": np.int8}


#: Columns often one value throughout (no link dated, no volume, output or date recorded): such a
#: column is held as a read-only view of that one value (np.broadcast_to: a million members and
#: three million links of the bench, 56 MB less), copied out before its first write (_writable).
UNIFORM = frozenset({"joined", "left", "employees", "output", "volume", "start", "end"})


def compact_column(name: str, column: Any) -> Any:
    """``column`` as the arrays hold column ``name``: in its COMPACT type, or, of one value
    throughout (UNIFORM), a read-only view of that value."""
    dtype = COMPACT.get(name)
    if dtype is not None:
        return column.astype(dtype, copy=False)
    if name in UNIFORM and column.size > 1 and _uniform(column):
        return np.broadcast_to(column[:1].copy(), column.shape)
    return column


def _narrow_rows(rows: IntArray) -> IntArray:
    """Member rows in 32 bits when they fit (issue 17: a million participants' rows, held by the
    day's network while every rule runs, 3.5 MB less); every rule reads them as indexes."""
    if rows.size and int(rows[-1]) < 2**31:
        return rows.astype(np.int32)
    return rows


def _same_bits(mine: Any, theirs: Any) -> bool:
    """Two columns of one dtype and length holding the same bits (NaN is NaN, -0.0 is not 0.0)."""
    if not isinstance(theirs, np.ndarray) or mine.dtype != theirs.dtype or mine.shape != theirs.shape:
        return False
    kind = f"u{mine.dtype.itemsize}"
    return bool(np.array_equal(mine.view(kind), theirs.view(kind)))


def _uniform(column: Any) -> bool:
    """Every value has the same bits as the first (NaN included; -0.0 is not 0.0)."""
    bits = column.view(f"u{column.dtype.itemsize}")
    return bool(np.all(bits == bits[0]))


def _no_index() -> RowMap:
    raise AssertionError("the members' map was taken already")  # (never called: _index is set)


def _texts_of(values: Sequence[str]) -> tuple[Any, bool]:
    """Texts held by another too, as these arrays hold them: a TextColumn's own copy (shares
    the blob), or the list itself, marked shared (copied before a change)."""
    if isinstance(values, TextColumn):
        return values.copy(), False
    return values, True


def taken(column: Any, rows: IntArray) -> Any:
    """``column[rows]``; a column of one value throughout (UNIFORM: a read-only view) stays one,
    a view as long as ``rows`` (no volume recorded: three million NaN, 24 MB, not written out)."""
    if column.size and column.strides[0] == 0:
        return np.broadcast_to(column[:1], rows.shape)
    return column[rows]


def _grown(column: Any, more: Any) -> Any:
    """``column`` with ``more`` after it. A column grown here is a view of a larger buffer, so the
    next few appends write into its spare room instead of copying 300,000 rows each (Arrays owns
    its columns; nothing else holds a view of the room beyond them)."""
    m, k = column.size, more.size
    buf = column.base
    if not (isinstance(buf, np.ndarray) and column.flags.writeable and buf.ndim == 1 and buf.size >= m + k
            and column.ctypes.data == buf.ctypes.data and column.strides == buf.strides):
        buf = np.empty(m + k + max(1_024, (m + k) // 8), dtype=column.dtype)
        buf[:m] = column
    buf[m:m + k] = more
    return buf[:m + k]


def _find(ordered: IntArray, values: IntArray) -> tuple[IntArray, BoolArray]:
    """Where each of ``values`` is in the sorted ``ordered``, and whether it is there."""
    pos = np.searchsorted(ordered, values)
    if not ordered.size:
        return pos, np.zeros(values.size, dtype=np.bool_)
    return pos, ordered[np.minimum(pos, ordered.size - 1)] == values


class _DayNet(NamedTuple):
    """A day's network as Arrays.network built it, and the link row of each of its links."""

    net: Network
    rows: IntArray
    kept: IntArray


def _replaced(old: list[Any], new: list[Any]) -> list[int] | None:
    """Positions where ``new`` holds another record than ``old`` (``new`` may be longer: the
    extra ones are appended); None when records were removed (a rebuild is needed)."""
    if len(new) < len(old):
        return None
    same = np.fromiter(map(operator.is_, old, new), np.bool_, len(old))
    out: list[int] = np.flatnonzero(~same).tolist()
    return out


def capped(members: Sequence[Member], rows: IntArray) -> Names:
    """Names of ``members[rows]``, the first KEEP_NAMES of them, with the group's size."""
    if isinstance(members, _Rows):  # the records' own rows: no call per name
        base = members._base
        return Names([base[j].name for j in members._rows[rows[:KEEP_NAMES]].tolist()], int(rows.size))
    keep = rows[:KEEP_NAMES].tolist()
    return Names((members[i].name for i in keep), int(rows.size))


def year_before(day: str) -> str:
    """The same date a year earlier (29 February becomes 28 February)."""
    y, m, d = int(day[:4]), day[5:7], day[8:10]
    if m == "02" and d == "29":
        d = "28"
    return f"{y - 1:04d}-{m}-{d}"


SUPPLY_LIKE = {LinkKind.SUPPLY, LinkKind.PRODUCTION_SERVICES}
