"""Members and links as the open project holds them: columns first, records on demand.

Opening 100,000 members and 300,000 links used to build 400,000 frozen records before anything
was drawn (80 % of the open time). The first paint needs only a few columns (ids, kinds, statuses,
coordinates; link ends and kinds), read in one query per table (or from the store's snapshot) as
arrays: a link's ends are positions in the member columns and its kind a uint8 code, so the map
and the checks can work on them with numpy, with no per-link Python. ``LazyRecords`` is the
``{id: record}`` mapping the rest of the program reads: it knows every id from the start and
builds a record the first time it is asked for (one row), or all of them at once the first time
someone walks the values (one query). Qt-free and SQL-free: the loaders come from the store.

Why ~635 lines: the lazy mapping (with its overlay of single edits made before its dict, the
lookup by a row's place in the column, ``at``, and of many ids at once, ``present``: ~165
lines) and the member and link columns (the members' id map made once, under a lock, on a
thread at the paint: ~50 lines) are the one shape the open hands everyone. The packed texts
they may hold (``TextColumn``, a million ids or names as one block, issue 17) live in
core.text_column (re-exported here: callers import it from this module) and core.hex_ids;
ids still being read after an open in core.later_texts.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import (
    Callable,
    Container,
    ItemsView,
    Iterable,
    Iterator,
    KeysView,
    MutableMapping,
    Sequence,
    ValuesView,
)
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain
from typing import Any, Protocol, TypeVar

import numpy as np

from cluster_desk.core.id_index import IdIndex, IdRows, RowMap, row_map, rows_of
from cluster_desk.core.later_texts import LaterTexts, resolved
from cluster_desk.core.model import LinkKind, MemberKind, Status
from cluster_desk.core.soon_thread import SoonThread
from cluster_desk.core.text_column import TextColumn as TextColumn  # (re-exported)


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


R = TypeVar("R", bound=_HasId)
_ABSENT: Any = object()


class LazyRecords(MutableMapping[str, R]):
    """``{id: record}`` in file order whose records are built on first use.

    ``load_one(id)`` builds one record (KeyError if it is gone), ``load_all()`` every record of
    the file. Records set by edits win over what the file says; ``pop`` of a record never built
    returns the default rather than reading a record that is being deleted.
    """

    def __init__(self, ids: Iterable[str], load_one: Callable[[str], R],
                 load_all: Callable[[], Iterable[R]],
                 find: Callable[[], Container[str] | None] | None = None) -> None:
        # The {id: record} dict is made on first need: iterating and counting read the ids as
        # given (an opened project's column, never changed here), so the open path pays no
        # dict over 300,000 link ids (at a million members, three million). ``find``: a lookup
        # of the ids held anyway (the members' id -> row map, the links' IdIndex once the worker
        # has made it; None: not yet). With it, looking records up and single edits need no
        # dict either (a million members' {id: None} is ~30 MB; a link added, deleted, restored
        # or edited on an opened project, issue 17): until the dict is made, the records built
        # and what edits did are kept beside the ids (the overlay below).
        # (a LaterTexts: the ids a first open's links thread reads still, asked for on first use)
        column: Sequence[str] = ids if isinstance(ids, list | TextColumn | LaterTexts) else list(ids)
        self._ids: Sequence[str] | None = column
        self._dict: dict[str, R | None] | None = None
        self._find = find
        self._built: dict[str, R] = {}  # ids of the column built or set (at their place)
        self._added: dict[str, R] = {}  # ids set that the column lacks, or put back: after them
        self._gone: set[str] = set()  # ids not (or no longer) at their place in the column
        self._gone_of_ids = 0  # how many of ``_gone`` are in the column
        self._missing = len(column)
        self._index_part: tuple[dict[str, R | None], int] | None = None  # (map so far, ids in it)
        self._load_one = load_one
        self._load_all = load_all

    @property
    def _data(self) -> dict[str, R | None]:
        if self._dict is None:
            self._data = dict.fromkeys(self._ids or ())
        assert self._dict is not None
        return self._dict

    @_data.setter
    def _data(self, value: dict[str, R | None]) -> None:
        """Adopt ``value`` (made from the ids) as the dict, with the overlay's edits."""
        value.update(self._built)  # (in place: their order stays)
        for key in self._gone:
            value.pop(key, None)
        value.update(self._added)
        self._built, self._added, self._gone, self._gone_of_ids = {}, {}, set(), 0
        self._dict, self._ids = value, None

    def _column_has(self, key: str) -> bool | None:
        """Without the dict: is ``key`` live in the column (None: no lookup to say; the dict is
        needed). Call only for a key in none of the overlay's parts."""
        lookup = self._find() if self._find is not None else None
        if lookup is None:
            return None
        return key in lookup

    @classmethod
    def of(cls, records: Iterable[R]) -> LazyRecords[R]:
        """A mapping holding these records (nothing left to load)."""
        out: LazyRecords[R] = cls((), _no_record, list)
        out._data = {r.id: r for r in records}
        return out

    @property
    def loaded(self) -> bool:
        """Every record is built (walking the values costs nothing more)."""
        return self._missing == 0

    def add_new(self, records: Iterable[R]) -> None:
        """Set records of ids not among these (the file has just taken them as new ids: a link
        added), without making the ``{id: record}`` map of every id for them."""
        if self._dict is not None:
            for record in records:
                self[record.id] = record
            return
        for record in records:
            self._added[record.id] = record

    def __getitem__(self, key: str) -> R:
        data = self._dict
        if data is None:  # (the overlay is empty once the dict is made)
            if key in self._added:
                return self._added[key]
            if key in self._gone:
                raise KeyError(key)
            if key in self._built:
                return self._built[key]
            has = self._column_has(key)
            if has is False:
                raise KeyError(key)
            if has:
                return self._build(key)
            data = self._data
        value = data[key]
        if value is None:
            value = self._load_one(key)
            data[key] = value
            self._missing -= 1
        return value

    def at(self, position: int, key: str) -> R:
        """``self[key]``, told where ``key`` stands in the ids this mapping was made from (a
        view's row over them, as the roster's rows are until one is added or removed). With no
        dict made yet, ``key`` found at that place is in the column, so only the overlay of
        edits is asked whether it is live, never ``find``'s lookup: the roster's first rows of
        a million members made that whole map on the GUI thread (~0.25-0.3 s; issue 17) while
        the window's thread was about to make it. Any other place: as ``self[key]``."""
        data = self._dict
        if data is not None:  # (what ``self[key]`` does, without its call for a record built)
            value = data.get(key)
            return value if value is not None else self[key]
        built = self._built.get(key)  # (live: an id deleted leaves it, one put back is added)
        if built is not None:
            return built
        ids = self._ids
        if ids is not None and 0 <= position < len(ids) and ids[position] == key \
                and key not in self._added and key not in self._gone:
            return self._build(key)
        return self[key]

    def _build(self, key: str) -> R:
        """Build the record of ``key``, an id live in the column and not built (no dict made)."""
        record = self._built[key] = self._load_one(key)
        self._missing -= 1
        return record

    def get(self, key: str, default: Any = None) -> Any:
        data = self._dict
        if key not in (data if data is not None else self):
            return default
        try:
            return self[key]
        except KeyError:  # gone from the file behind our back
            return default

    def __contains__(self, key: object) -> bool:
        if self._dict is not None:
            return key in self._dict
        if isinstance(key, str):
            if key in self._added or key in self._built:
                return True
            if key in self._gone:
                return False
            has = self._column_has(key)
            if has is not None:
                return has
        return key in self._data

    def present(self, keys: Sequence[str]) -> list[str]:
        """``[k for k in keys if k in self]``, the ids' lookup done for all of them at once (a
        check's ~80,000 members at 100,000: ~0.1 s one by one, issue 17)."""
        data = self._dict
        lookup = self._find() if data is None and self._find is not None else None
        if data is not None or lookup is None:
            inside = data if data is not None else self
            return [k for k in keys if k in inside]
        if isinstance(lookup, dict | IdRows):  # (the members' id -> row map: one lookup of all)
            found = (rows_of(lookup, keys) >= 0).tolist()
        else:
            found = [k in lookup for k in keys]
        added, built, gone = self._added, self._built, self._gone
        if not (added or built or gone):
            return [k for k, f in zip(keys, found, strict=True) if f]
        return [k for k, f in zip(keys, found, strict=True)
                if k in added or k in built or (f and k not in gone)]

    def __setitem__(self, key: str, value: R) -> None:
        if self._dict is None:
            if key in self._added or key in self._gone:  # (put back: after the others)
                self._added[key] = value
                return
            if key in self._built:
                self._built[key] = value
                return
            has = self._column_has(key)
            if has is not None:
                if has:
                    self._built[key] = value
                    self._missing -= 1
                else:
                    self._added[key] = value
                return
        if self._data.get(key, _ABSENT) is None:
            self._missing -= 1
        self._data[key] = value

    def __delitem__(self, key: str) -> None:
        self.pop(key)

    def pop(self, key: str, default: Any = _ABSENT) -> Any:
        if self._dict is None:
            value = self._pop_unmapped(key)
        else:
            value = self._dict.pop(key, _ABSENT)
            if value is None:
                self._missing -= 1
        if value is _ABSENT:
            if default is _ABSENT:
                raise KeyError(key)
            return default
        if value is None:  # never built: not read now (the record is being deleted)
            return None if default is _ABSENT else default
        return value

    def _pop_unmapped(self, key: str) -> Any:
        """``pop`` with no dict made: the record, None (an id of the column never built) or
        _ABSENT (not here)."""
        if key in self._added:
            self._gone.add(key)  # (an id of the column put back, or a new one: not here now)
            return self._added.pop(key)
        if key in self._gone:
            return _ABSENT
        if key in self._built:
            self._gone.add(key)
            self._gone_of_ids += 1
            return self._built.pop(key)
        has = self._column_has(key)
        if has is None:
            value = self._data.pop(key, _ABSENT)
            if value is None:
                self._missing -= 1
            return value
        if not has:
            return _ABSENT
        self._gone.add(key)
        self._gone_of_ids += 1
        self._missing -= 1
        return None

    def _live_ids(self) -> Iterator[str]:
        ids = self._ids or ()
        if not self._gone_of_ids:
            return iter(ids)
        gone = self._gone
        return (k for k in ids if k not in gone)

    def __iter__(self) -> Iterator[str]:
        if self._ids is None:
            return iter(self._data)
        if not self._added and not self._gone_of_ids:
            return iter(self._ids)
        return chain(self._live_ids(), list(self._added))

    def __len__(self) -> int:
        if self._ids is None:
            return len(self._data)
        return len(self._ids) - self._gone_of_ids + len(self._added)

    def __reversed__(self) -> Iterator[str]:
        """The ids, the last added first (builds nothing)."""
        if self._ids is None:
            return reversed(self._data)
        gone = self._gone
        return chain(reversed(list(self._added)), (k for k in reversed(self._ids) if k not in gone))

    def load_all(self) -> None:
        """Build every record not built yet, in one pass over the file."""
        if not self._missing:
            return
        data = self._data
        for record in self._load_all():
            if data.get(record.id, _ABSENT) is None:
                data[record.id] = record
        for key in [k for k, v in data.items() if v is None]:  # gone from the file meanwhile
            del data[key]
        self._missing = 0

    def fill(self, records: Iterable[R]) -> int:
        """Take records read from the file (a slice of what ``load_all`` reads) for the ids not
        built yet; an id built or set by an edit meanwhile keeps its record, a deleted one stays
        deleted. Returns how many were taken."""
        data = self._data
        taken = 0
        for record in records:
            if data.get(record.id, _ABSENT) is None:
                data[record.id] = record
                taken += 1
        self._missing -= taken
        return taken

    def index_ids(self, count: int) -> bool:
        """Make the ``{id: record}`` map ``count`` ids further (300,000 ids: ~60 ms at once, the
        hashing of each id; a reader going slice by slice does it in parts). True once made;
        anything that needs the map before makes it whole as usual."""
        if self._dict is not None:
            self._index_part = None
            return True
        ids = self._ids or ()
        part, done = self._index_part if self._index_part is not None else ({}, 0)
        part.update(dict.fromkeys(ids[done:done + count]))
        done += count
        if done < len(ids):
            self._index_part = part, done
            return False
        self._index_part = None
        self._data = part
        return True

    def unbuilt(self) -> list[str]:
        """The ids whose record is not built yet."""
        return [k for k, v in self._data.items() if v is None] if self._missing else []

    def keys(self) -> KeysView[str]:
        """The ids; builds every record first, as ``dict(records)`` and ``keys() | ...`` then read
        each one (iterating the mapping itself builds nothing)."""
        self.load_all()
        return self._data.keys()

    def values(self) -> ValuesView[R]:
        self.load_all()
        return self._data.values()  # type: ignore[return-value]

    def items(self) -> ItemsView[str, R]:
        self.load_all()
        return self._data.items()  # type: ignore[return-value]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MutableMapping):
            return NotImplemented
        return dict(self.items()) == dict(other.items())

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"LazyRecords({len(self)} records, {self._missing} not built)"


def _no_record(key: str) -> Any:
    raise KeyError(key)


@dataclass(frozen=True)
class MemberColumns:
    """What the first paint needs of every member, in file order: coordinates as float arrays
    (NaN: not placed), the rest as lists of the stored text (kinds and statuses: one shared str
    per value; names a list or a TextColumn: index or iterate them, never change them).
    ``kind_codes``/``status_codes``: the kinds and statuses as read, uint8 positions in
    ``MEMBER_KIND_VALUES``/``STATUS_VALUES`` (None: not read so), which the map, the opening
    fit and the counts use instead of a pass over the lists (a million members: ~0.25 s)."""

    ids: list[str]
    names: Sequence[str]
    kinds: list[str]
    statuses: list[str]
    lat: np.ndarray
    lon: np.ndarray
    kind_codes: np.ndarray | None = field(default=None, compare=False)
    status_codes: np.ndarray | None = field(default=None, compare=False)

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def located(self) -> np.ndarray:
        """Boolean mask of the members placed on the map (finite, in range)."""
        with np.errstate(invalid="ignore"):
            mask: np.ndarray = (np.abs(self.lat) <= 90.0) & (np.abs(self.lon) <= 180.0)
        return mask

    #: Held while ``index`` is made: one build, by whichever thread asks first (the others wait).
    _index_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False,
                                        compare=False)

    @property
    def index(self) -> RowMap:
        """Member id -> its position in these columns (built on first use, then kept; a million
        members' as an IdRows, core.id_index: ~12 MB, not a ~75 MB dict). Made once, under a
        lock: a thread asking while another makes it (``index_in_background``) waits for that
        build, never making a second or seeing half of one."""
        made = self.index_made()
        if made is None:
            with self._index_lock:
                made = self._make_index()
        return made

    def index_made(self) -> RowMap | None:
        """``index`` if made already (else None; makes nothing)."""
        made: RowMap | None = self.__dict__.get("_index")
        return made

    def index_in_background(self) -> threading.Thread | None:
        """Make ``index`` on a thread of its own, its lock taken here first: whoever asks from now
        on waits for that one build (None: made, or being made, already). The window starts it
        at the paint (ui.project.loading): at a million members it is ~1.2 s wall, ~0.3 s of
        CPU the GUI thread paid when asked first there (issue 17; the roster's rows now ask
        ``LazyRecords.at``, which needs no map). A daemon: it writes
        nothing, and a process quitting meanwhile loses nothing. Its start does not wait for it
        (``core.soon_thread``: the map is one long call holding the interpreter, which the
        caller waited out at the paint); a start that fails lets the lock go."""
        if self.index_made() is not None or not self._index_lock.acquire(blocking=False):
            return None
        thread = SoonThread(target=self._index_then_release, daemon=True, name="members-index",
                            failed=lambda _exc: self._index_lock.release())
        thread.start()
        return thread

    def _index_then_release(self) -> None:
        try:  # (an error: the thread's excepthook reports it; whoever asks next meets it again)
            self._make_index()
        finally:
            self._index_lock.release()  # (taken by index_in_background's caller)

    def _make_index(self) -> RowMap:
        """``index``, made now if not yet (the lock held)."""
        made = self.index_made()
        if made is None:
            made = row_map(self.ids)
            object.__setattr__(self, "_index", made)  # (frozen: set once, here)
        return made

    def status_counts(self) -> dict[str, int]:
        """How many members have each status value."""
        if self.status_codes is not None:
            counts = np.bincount(self.status_codes, minlength=len(STATUS_VALUES)).tolist()
            return {v: c for v, c in zip(STATUS_VALUES, counts, strict=False) if c}
        return dict(Counter(self.statuses))

    def codes(self, column: str, values: Sequence[str]) -> np.ndarray:
        """``kinds`` or ``statuses`` as uint8 positions in ``values`` (255: a value not listed)."""
        read = {"kinds": (self.kind_codes, MEMBER_KIND_VALUES),
                "statuses": (self.status_codes, STATUS_VALUES)}.get(column)
        if read is not None and read[0] is not None and tuple(values) == read[1]:
            return read[0]
        code = {v: i for i, v in enumerate(values)}
        data: list[str] = getattr(self, column)
        return np.fromiter((code.get(v, 255) for v in data), dtype=np.uint8, count=len(data))


@dataclass(frozen=True)
class SharedTexts:
    """The member ids, names and link ids an open read (its ``MemberColumns``, ``LinkColumns``)
    with the state of the file they were read of (``key``, the store's: compared, never read
    here): the checks' arrays of the same state hold these instead of copies of their own
    (issue 17: at a million members each copy of the ids, names and link ids is ~0.3 GB).
    Nothing here is changed by anyone (lists and maps are copied before a change)."""

    key: Any
    members: MemberColumns
    #: The link ids (a ``LaterTexts`` while a first open's links thread reads them: ``link_ids``
    #: waits for them, on the checks' worker, not on the thread that made this).
    link_ids_as_read: Sequence[str]
    #: The open's link ends (``LinkColumns.source_index``/``target_index``, int32 member rows):
    #: the checks' arrays hold them too when equal to their own (never changed here either).
    link_ends: tuple[np.ndarray, np.ndarray] | None = None
    #: The open's link kinds (``LinkColumns.kind_codes``, uint8 positions in KIND_VALUES): with
    #: the ends, what lets the checks' first read take every column the open read from it.
    link_kinds: np.ndarray | None = None

    @property
    def link_ids(self) -> Sequence[str]:
        return resolved(self.link_ids_as_read)

    @property
    def ids(self) -> list[str]:
        return self.members.ids

    @property
    def names(self) -> Sequence[str]:
        return self.members.names

    def index(self) -> RowMap:
        """Member id -> row (the columns' own map: built once, by whichever asks first; another
        asking meanwhile waits for it)."""
        return self.members.index


class LinkColumns:
    """Every link's id, ends and kind, in file order (``ids``: a list, or a ``TextColumn`` when
    read from a snapshot: index it or iterate it, never change it). The ends are held as positions
    in the members' columns (``source_index``/``target_index``, int32, -1: no such member), so the map
    and the checks need no per-link Python; ``sources``/``targets`` (member ids) and ``kinds``
    (one shared str per kind) are lists built from them on first use. ``kind_codes`` are uint8
    positions in ``KIND_VALUES`` (the order of ``LinkKind``; 255: a kind not known)."""

    def __init__(self, ids: Sequence[str], member_ids: Sequence[str], source_index: np.ndarray,
                 target_index: np.ndarray, kind_codes: np.ndarray,
                 kind_values: Sequence[str] | None = None) -> None:
        if not len(ids) == len(source_index) == len(target_index) == len(kind_codes):
            raise ValueError("link columns of different lengths")
        self._ids = ids
        self.member_ids = member_ids
        self.source_index = source_index
        self.target_index = target_index
        self.kind_codes = kind_codes
        self.kind_values: Sequence[str] = KIND_VALUES if kind_values is None else kind_values

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def ids(self) -> Sequence[str]:
        """The link ids (a first open's may still be read on its links thread: then this waits
        for them, ``core.later_texts``)."""
        return resolved(self._ids)

    @property
    def ids_as_read(self) -> Sequence[str]:
        """``ids`` without waiting: a ``LaterTexts`` while they are read still (for holders made
        before the paint, which count them and look ids up only later)."""
        return self._ids

    @cached_property
    def sources(self) -> list[str]:
        return _ends(self.member_ids, self.source_index)

    @cached_property
    def targets(self) -> list[str]:
        return _ends(self.member_ids, self.target_index)

    @cached_property
    def id_index(self) -> IdIndex:
        """Link id -> position (sorted 32-bit hashes, 8 bytes a link: the links layer and table share
        it, issue 17; made on first use, by the worker once assessed)."""
        return IdIndex(self.ids)

    def id_index_made(self) -> IdIndex | None:
        """``id_index`` if made already (else None: making it is ~1 s at 3,000,000 links)."""
        made: IdIndex | None = self.__dict__.get("id_index")
        return made

    @cached_property
    def kinds(self) -> list[str]:
        table = np.array([*self.kind_values, *[""] * (256 - len(self.kind_values))], dtype=object)
        out: list[str] = table[self.kind_codes].tolist()
        return out

    def __repr__(self) -> str:
        return f"LinkColumns({len(self)} links)"


#: Link kinds in the order of core.model.LinkKind: what ``LinkColumns.kind_codes`` count in.
KIND_VALUES: tuple[str, ...] = tuple(k.value for k in LinkKind)
#: Member kinds and statuses in the model's order: what ``MemberColumns.kind_codes`` and
#: ``status_codes`` count in.
MEMBER_KIND_VALUES: tuple[str, ...] = tuple(k.value for k in MemberKind)
STATUS_VALUES: tuple[str, ...] = tuple(s.value for s in Status)


def _ends(member_ids: Sequence[str], index: np.ndarray) -> list[str]:
    ids = np.array([*member_ids, ""], dtype=object)  # -1: not a member (never in a sound file)
    out: list[str] = ids[index].tolist()
    return out


def member_columns(rows: Sequence[Sequence[Any]]) -> MemberColumns:
    """Columns from rows (id, name, kind, status, lat, lon)."""
    if not rows:
        return MemberColumns([], [], [], [], np.zeros(0), np.zeros(0))
    ids, names, kinds, statuses, lat, lon = (list(c) for c in zip(*rows, strict=True))
    # None (not placed) becomes NaN
    return MemberColumns(ids, names, kinds, statuses, np.array(lat, dtype=float), np.array(lon, dtype=float))


def end_index(members: MemberColumns, ends: Iterable[str], count: int) -> np.ndarray:
    """Member ids as positions in ``members`` (int32; -1: not a member)."""
    listed = ends if isinstance(ends, Sequence) else list(ends)
    if len(listed) != count:
        raise ValueError("link ends: not as many as the links")
    return rows_of(members.index, listed).astype(np.int32)


def kind_codes(kinds: Iterable[str], count: int, values: Sequence[str] = KIND_VALUES) -> np.ndarray:
    code = {v: i for i, v in enumerate(values)}
    return np.fromiter((code.get(k, 255) for k in kinds), dtype=np.uint8, count=count)


def link_columns(rows: Sequence[Sequence[Any]], members: MemberColumns) -> LinkColumns:
    """Columns from rows (id, source, target, kind); ends are looked up in ``members``."""
    if not rows:
        none = np.zeros(0, np.int32)
        return LinkColumns([], members.ids, none, none, np.zeros(0, np.uint8))
    ids, sources, targets, kinds = (list(c) for c in zip(*rows, strict=True))
    n = len(ids)
    return LinkColumns(ids, members.ids, end_index(members, sources, n), end_index(members, targets, n),
                       kind_codes(kinds, n))
