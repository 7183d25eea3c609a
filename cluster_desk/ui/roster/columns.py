"""The roster's columns as arrays, so filtering and sorting 100,000 rows is a few numpy calls.

The proxy (proxy.py) never calls Python once per row on a filter or sort change: it asks for
whole columns here. Each array is built once (lazily) from the model's own per-member values and
patched row by row after a single edit; a structural change (rows added or removed) drops them.

- sort keys: one float per row (NaN = blank, sorted last in both orders); text columns become
  their rank among the column's distinct casefolded texts (Python's str order);
- the text filter's haystack: every row's searchable text, casefolded, joined into one string
  with row offsets, so a needle is found with one regex scan over the whole roster;
- kinds and statuses as small ints for the kind/status filters.
"""

from __future__ import annotations

import bisect
import re
import threading
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from cluster_desk.core.tables import TextColumn

_ROW_END = "\x00"  # between rows of the joined haystack: a needle never contains it
_CONTROL = re.compile(r"[\x00-\x1f]")


class RosterColumns:
    def __init__(self, rows: Callable[[], Sequence[Any]], sort_value: Callable[[Any, str], Any],
                 numeric: Callable[[str], bool], haystack: Callable[[Any], str],
                 codes: Callable[[Any], tuple[int, int]],
                 column_values: Callable[[str], list[Any] | np.ndarray] | None = None,
                 codes_all: Callable[[], tuple[list[int], list[int]]] | None = None,
                 haystacks_all: Callable[[], list[str] | None] | None = None) -> None:
        """``rows()`` gives the members in source-row order; the callables say, for one member,
        its sort value in a column (None = blank), whether a column sorts as a number, its
        searchable text (already casefolded) and its (kind, status) codes. ``column_values``
        may give a whole column's sort values at once, faster (None: one member at a time), and
        ``codes_all`` every row's codes at once, ``haystacks_all`` every row's searchable text
        at once (or None: one member at a time)."""
        self._members = rows
        self._sort_value = sort_value
        self._column_values = column_values
        self._numeric = numeric
        self._haystack = haystack
        self._codes = codes
        self._codes_all = codes_all
        self._haystacks_all = haystacks_all
        self._keys: dict[str, np.ndarray] = {}
        self._uniq: dict[str, list[str]] = {}  # text columns: the sorted distinct values
        self._hay: list[str] | None = None
        self._joined: tuple[str, np.ndarray] | None = None
        self._kinds: np.ndarray | None = None
        self._statuses: np.ndarray | None = None
        #: Keys ranked ahead on a thread (``prewarm``): column -> (generation, uniq, key), taken
        #: by ``key`` when the generation is still the same: the rows' (bumped by a drop of all
        #: and by every patch) and the column's own (bumped by a drop of that column).
        self._generation = 0
        self._column_generation: dict[str, int] = {}
        self._warm: dict[str, tuple[tuple[int, int], list[str] | None, np.ndarray]] = {}
        self._warming: dict[str, threading.Thread] = {}
        #: The text filter's haystack read ahead (``prewarm_haystacks``): (generation, rows, joined).
        self._hay_warm: tuple[int, list[str], tuple[str, np.ndarray]] | None = None
        self._hay_warming: threading.Thread | None = None

    # ----- invalidation --------------------------------------------------------------------------

    def drop(self, column: str | None = None) -> None:
        """Forget one column's sort key, or everything (rows added, removed or reset)."""
        if column is not None:
            self._column_generation[column] = self._column_generation.get(column, 0) + 1
            self._keys.pop(column, None)
            self._uniq.pop(column, None)
            return
        self._generation += 1
        self._warm.clear()  # (a thread still running leaves a stale answer: not taken)
        self._keys.clear()
        self._uniq.clear()
        self._hay = self._joined = self._kinds = self._statuses = None

    def drop_status(self) -> None:
        """The statuses shown changed (the as-of view): their sort key and filter codes go."""
        self.drop("status")
        self._kinds = self._statuses = None

    def patch(self, rows: Sequence[int], members: Sequence[Any]) -> None:
        """Rows edited in place (same row numbers; ``members`` are theirs, in the same order):
        update what is built, drop what cannot be."""
        self._generation += 1  # a key ranked ahead from the old values is stale
        for col, key in list(self._keys.items()):
            uniq = self._uniq.get(col)
            for r, m in zip(rows, members, strict=True):
                value = self._sort_value(m, col)
                if value is None:
                    key[r] = np.nan
                elif uniq is None:
                    key[r] = float(value)
                else:
                    at = bisect.bisect_left(uniq, value)
                    if at < len(uniq) and uniq[at] == value:
                        key[r] = at
                    else:  # a text not seen before: rank again when next asked
                        self.drop(col)
                        break
        if self._hay is not None:
            for r, m in zip(rows, members, strict=True):
                self._hay[r] = self._haystack(m)
            self._joined = None
        if self._kinds is not None and self._statuses is not None:
            for r, m in zip(rows, members, strict=True):
                self._kinds[r], self._statuses[r] = self._codes(m)

    # ----- columns -------------------------------------------------------------------------------

    def key(self, column: str) -> np.ndarray:
        """One float per source row to sort by (NaN = blank)."""
        key = self._keys.get(column)
        if key is None:
            key = self._take_warm(column)
        if key is None:
            values = (self._column_values(column) if self._column_values is not None
                      else [self._sort_value(m, column) for m in self._members()])
            uniq, key = _key_of(values, self._numeric(column))
            if uniq is not None:
                self._uniq[column] = uniq
            self._keys[column] = key
        return key

    def has_key(self, column: str) -> bool:
        """Whether ``column``'s sort key is built (not ranked ahead: built)."""
        return column in self._keys

    def wants(self, column: str) -> bool:
        """Whether ranking ``column`` ahead would help: no key built, none being ranked or
        ranked and still current."""
        if column in self._keys:
            return False
        thread = self._warming.get(column)
        if thread is not None and thread.is_alive():
            return False
        warm = self._warm.get(column)
        return warm is None or warm[0] != self._generation_of(column)

    def prewarm(self, column: str, values: Callable[[], list[Any] | None]) -> None:
        """Rank a text column ahead on a thread (a big roster's names after the open, a column
        whose header the pointer rests on), so the first click on it finds the key built.
        ``values()`` runs on that thread: it must read only what the GUI thread does not change
        (a list of str taken beforehand, or the file on a connection of its own); None: nothing
        to rank (the click then ranks as usual)."""
        generation = self._generation_of(column)

        numeric = self._numeric(column)

        def work() -> None:
            got = values()
            if got is not None:
                ranked = _key_of(got, numeric)
                if self._generation_of(column) == generation:  # (a stale thread: the newer one's)
                    self._warm[column] = (generation, *ranked)

        thread = threading.Thread(target=work, daemon=True, name=f"roster-{column}-key")
        self._warming[column] = thread
        thread.start()

    def _take_warm(self, column: str) -> np.ndarray | None:
        thread = self._warming.pop(column, None)
        if thread is not None and thread.is_alive():
            thread.join()  # a click right after the open: wait for it, do not rank twice
        warm = self._warm.pop(column, None)
        if warm is None or warm[0] != self._generation_of(column):
            return None
        _, uniq, key = warm
        if uniq is not None:
            self._uniq[column] = uniq
        self._keys[column] = key
        return key

    def _generation_of(self, column: str) -> tuple[int, int]:
        return self._generation, self._column_generation.get(column, 0)

    def codes(self) -> tuple[np.ndarray, np.ndarray]:
        """(kind codes, status codes), one small int per source row."""
        if (self._kinds is None or self._statuses is None) and self._codes_all is not None:
            kinds, statuses = self._codes_all()
            self._kinds = np.array(kinds, dtype=np.int16)
            self._statuses = np.array(statuses, dtype=np.int16)
        if self._kinds is None or self._statuses is None:
            members = self._members()
            codes = self._codes
            self._kinds = np.fromiter((codes(m)[0] for m in members), dtype=np.int16, count=len(members))
            self._statuses = np.fromiter((codes(m)[1] for m in members), dtype=np.int16,
                                         count=len(members))
        return self._kinds, self._statuses

    def wants_haystacks(self) -> bool:
        """Whether reading the haystack ahead would help: none built, none being read."""
        return self._hay is None and self._hay_warming is None

    def prewarm_haystacks(self, read: Callable[[], list[str] | None]) -> None:
        """Build the text filter's haystack ahead on a thread (from the filter's first keystroke:
        the file read then overlaps the pause the filter waits for). ``read()`` runs on that
        thread and gives every row's searchable text, casefolded (None: not there)."""
        if not self.wants_haystacks():
            return
        generation = self._generation

        def work() -> None:
            hay = read()
            if hay is not None:
                self._hay_warm = (generation, hay, _joined_rows(hay))

        self._hay_warm = None
        self._hay_warming = threading.Thread(target=work, daemon=True, name="roster-haystack")
        self._hay_warming.start()

    def _take_warm_haystacks(self) -> None:
        thread, self._hay_warming = self._hay_warming, None
        if thread is None:
            return
        thread.join()  # typing paused before the read was done: wait for it, do not read twice
        warm, self._hay_warm = self._hay_warm, None
        if warm is not None and warm[0] == self._generation:  # no row changed meanwhile
            _, self._hay, self._joined = warm

    def _haystacks(self) -> list[str]:
        if self._hay is None:
            self._take_warm_haystacks()
        if self._hay is None and self._haystacks_all is not None:
            self._hay = self._haystacks_all()
        if self._hay is None:
            self._hay = [self._haystack(m) for m in self._members()]
        return self._hay

    def text_mask(self, needle: str) -> np.ndarray:
        """Rows whose searchable text contains ``needle`` (already casefolded): one scan."""
        hay = self._haystacks()
        mask = np.zeros(len(hay), dtype=bool)
        needle = clean_needle(needle)
        if not needle:
            mask[:] = True
            return mask
        if self._joined is None:
            self._joined = _joined_rows(hay)
        joined, starts = self._joined
        found = np.fromiter((m.start() for m in re.finditer(re.escape(needle), joined)),
                            dtype=np.int64)
        if len(found):
            mask[np.searchsorted(starts, found, side="right") - 1] = True
        return mask


#: From this many rows a text column is ranked by numpy (np.unique over a fixed-width str array:
#: ~2x faster than sorted(set) + a dict at 100,000 names), when its texts allow it (below).
_NUMPY_RANKS = 5000
#: ...and its longest text is at most this long (the array is rows x longest x 4 bytes).
_NUMPY_WIDTH = 128
#: A ranked text column with more distinct values than this keeps them as a core.tables.TextColumn
#: (bisected when a row is edited; issue 17: a million names).
PACKED_ABOVE = 250_000


def _key_of(values: list[Any] | np.ndarray, numeric: bool) -> tuple[list[str] | None, np.ndarray]:
    """(the sorted distinct texts of a text column, else None; one float per row to sort by,
    NaN: blank). Touches nothing shared: ``prewarm`` calls it on a thread."""
    if isinstance(values, np.ndarray):  # numbers read as an array, NaN: blank
        return None, values.astype(float)
    if numeric:
        return None, np.array([np.nan if v is None else v for v in values], dtype=float)
    if len(values) >= _NUMPY_RANKS and _many_distinct(values):  # names, not regions
        ranked = _numpy_ranks(values)
        if ranked is not None:
            return ranked
    # Python sorts the distinct texts (few for kinds, statuses, regions); each row then gets
    # its text's rank: one dict lookup.
    uniq = sorted(set(values) - {None, ""})  # "" is blank too (a column may give it for None)
    rank: dict[Any, float] = {v: i for i, v in enumerate(uniq)}
    rank[None] = rank[""] = np.nan
    return uniq, np.fromiter(map(rank.__getitem__, values), dtype=float, count=len(values))


def _joined_rows(hay: list[str]) -> tuple[str, np.ndarray]:
    """The rows' texts joined into one string (a regex scans it once) and each row's start."""
    starts = np.zeros(len(hay), dtype=np.int64)
    if len(hay) > 1:
        np.cumsum(np.fromiter(map(len, hay[:-1]), dtype=np.int64, count=len(hay) - 1) + 1, out=starts[1:])
    return _ROW_END.join(hay), starts


def _many_distinct(values: list[Any]) -> bool:
    """Whether a column has many distinct values (names, INNs) rather than a few (kinds,
    regions), judged from a sample: a set of every value costs ~10 ms at 100,000 rows."""
    sample = values[:: max(1, len(values) // _SAMPLE)]
    return len(set(sample)) > len(sample) // 8


#: How many values ``_many_distinct`` looks at.
_SAMPLE = 4096


def _numpy_ranks(values: list[Any]) -> tuple[list[str], np.ndarray] | None:
    """(sorted distinct texts, each row's rank; NaN for None) by numpy, in Python's str order
    (both compare code points), or None when numpy cannot rank these texts alike: a text too
    long, or one holding NUL (numpy's str type drops trailing NULs)."""
    texts = ["" if v is None else v for v in values]  # "" is blank as None is
    joined = "".join(texts)
    if "\x00" in joined or max(map(len, texts), default=0) > _NUMPY_WIDTH:
        return None
    if joined.isascii():  # one byte a character (same order), and digits as numbers (INN, OGRN)
        array = np.array(texts, dtype="S")
        digits = _digit_keys(array) if joined.isdigit() else None
        if digits is not None:
            _, first, inverse = np.unique(digits, return_index=True, return_inverse=True)
            uniq_list = list(map(texts.__getitem__, first.tolist()))
        else:
            uniq, inverse = np.unique(array, return_inverse=True)
            uniq_list = list(map(bytes.decode, uniq.tolist()))
    else:
        uniq, inverse = np.unique(np.array(texts, dtype=str), return_inverse=True)
        uniq_list = uniq.tolist()
    ranks = inverse.reshape(-1).astype(float)
    if uniq_list and uniq_list[0] == "":  # blanks: NaN, and the texts' ranks start at 0
        blank = ranks == 0
        ranks -= 1
        ranks[blank] = np.nan
        uniq_list = uniq_list[1:]
    if len(uniq_list) > PACKED_ABOVE:  # kept as one UTF-8 blob (a million names: ~40 MB, not ~120)
        packed = TextColumn.of(uniq_list)
        if packed is not None:
            return packed, ranks  # type: ignore[return-value]
    return uniq_list, ranks


def _digit_keys(array: np.ndarray) -> np.ndarray | None:
    """ASCII digit strings (at most 18) as int64 numbers in the strings' own order: each digit
    is 1-10 and each missing one 0 (the NUL padding), in base 11. A shorter text is then below
    its extensions, as in str order; ranking ints is several times faster than ranking texts
    (the INN column: issue 17). None: too long for an int64."""
    width = array.dtype.itemsize
    if width > _DIGITS_IN_INT64:
        return None
    chars = array.view(np.uint8).reshape(len(array), width)
    keys = np.zeros(len(array), dtype=np.int64)
    for place in range(width):
        digit = chars[:, place].astype(np.int64)
        digit -= ord("0") - 1
        np.maximum(digit, 0, out=digit)  # the padding NUL: 0
        keys *= 11
        keys += digit
    return keys


#: 11**18 < 2**63: eighteen base-11 digits fit in an int64.
_DIGITS_IN_INT64 = 18


def clean_needle(text: str) -> str:
    """What the text filter looks for: casefolded, without control characters (they separate
    rows and fields in the haystack)."""
    return _CONTROL.sub("", text.strip().casefold())
