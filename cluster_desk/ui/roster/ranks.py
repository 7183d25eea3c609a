"""A roster column's sort key: one float per row, text columns as their ranks (issue 17).

Numbers sort as they are (NaN: blank). A text column of few distinct values (kinds, statuses,
regions) is ranked by Python and keeps its sorted distinct texts. One of many (names, INNs) at
scale keeps only float32 ranks and its rows in rank order, ranked by one stable numpy argsort
(ASCII as bytes, digit strings as base-11 int64s; an opened project's names from their blob as
casefolded UTF-8 bytes, ``folded_key``), in Python's str order: no copy of the texts stays (a
million casefolded names: ~37 MB as one packed blob before). Pure functions: the
columns call them on the GUI thread or on a warm-up thread (columns.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from cluster_desk.ui.roster.folding import let_others_run

#: From this many rows a text column of many distinct values (names, INNs) keeps only its ranks:
#: no text (a million casefolded names were ~37 MB as one packed blob, issue 17), one float32 per
#: row and the rows in rank order (to place an edited row by bisecting the rows' own values).
#: It is ranked by numpy (an argsort over a fixed-width str array) when its texts allow it.
_NUMPY_RANKS = 5000
#: ...and its longest text is at most this long (the array is rows x longest x 4 bytes).
_NUMPY_WIDTH = 128
#: float32 holds every whole number below this exactly (and NaN for a blank): ranks of a column
#: with more distinct values, or pushed this high by edits, are float64 (or ranked again).
FLOAT32_EXACT = 2**24
#: Ranks left free above a float32 key's highest for edits (each may move the ranks up one).
_EDIT_ROOM = 1024

#: (the sorted distinct texts of a text column of few values, else None; one float per row to
#: sort by, NaN: blank; a ranks-only column's rows in rank order, blanks last, else None)
Key = tuple[list[str] | None, np.ndarray, np.ndarray | None]


def key_of(values: list[Any] | np.ndarray, numeric: bool) -> Key:
    """A column's sort key (see ``Key``). Touches nothing shared: ``prewarm`` calls it on a thread."""
    if isinstance(values, np.ndarray):  # numbers read as an array, NaN: blank
        return None, values.astype(float), None
    if numeric:
        return None, np.array([np.nan if v is None else v for v in values], dtype=float), None
    if len(values) >= _NUMPY_RANKS and _many_distinct(values):  # names, not regions: ranks only
        ranked = _numpy_ranks(values)
        if ranked is None:  # texts numpy cannot rank alike: Python's sort, then the same
            _, key = _python_ranks(values)
            ranked = _narrow(key), np.argsort(key, kind="stable").astype(index_type(len(key)))
        return None, *ranked
    uniq, key = _python_ranks(values)
    return uniq, key, None


def codes_key(codes: np.ndarray, texts: Sequence[str | None]) -> Key:
    """The key ``key_of`` gives a column of few distinct texts whose row i reads
    ``texts[codes[i]]`` (None or "": blank; a code of -1 reads the last text), by one numpy take
    (an opened project's kinds, statuses, the rows' regions: ~1 ms at 100,000 rows, not a dict
    lookup per row). Every code must index ``texts``."""
    count = np.bincount(codes.astype(np.intp) % len(texts), minlength=len(texts))
    uniq = sorted({t for c in np.flatnonzero(count).tolist() if (t := texts[c])})  # (the rows')
    rank = {text: float(i) for i, text in enumerate(uniq)}
    by_code = np.array([rank.get(t, np.nan) if t else np.nan for t in texts], dtype=float)
    return uniq, by_code[codes], None


def _python_ranks(values: list[Any]) -> tuple[list[str], np.ndarray]:
    """Python sorts the distinct texts (few for kinds, statuses, regions); each row then gets its
    text's rank: one dict lookup."""
    uniq = sorted(set(values) - {None, ""})  # "" is blank too (a column may give it for None)
    rank: dict[Any, float] = {v: i for i, v in enumerate(uniq)}
    rank[None] = rank[""] = np.nan
    return uniq, np.fromiter(map(rank.__getitem__, values), dtype=float, count=len(values))


def _narrow(ranks: np.ndarray) -> np.ndarray:
    """Whole-number ranks (NaN: blank) as float32 when it holds them all exactly."""
    top = np.nanmax(ranks) if len(ranks) and not np.isnan(ranks).all() else 0
    return ranks.astype(np.float32) if top < FLOAT32_EXACT - _EDIT_ROOM else ranks


def index_type(n: int) -> type[np.signedinteger[Any]]:
    return np.int32 if n < 2**31 else np.int64


def _many_distinct(values: list[Any]) -> bool:
    """Whether a column has many distinct values (names, INNs) rather than a few (kinds,
    regions), judged from a sample: a set of every value costs ~10 ms at 100,000 rows."""
    sample = values[:: max(1, len(values) // _SAMPLE)]
    return len(set(sample)) > len(sample) // 8


#: How many values ``_many_distinct`` looks at.
_SAMPLE = 4096
#: Texts compared with their neighbours in rank order per step (``_numpy_ranks``).
_PART = 65536


def _numpy_ranks(values: list[Any]) -> tuple[np.ndarray, np.ndarray] | None:
    """(each row's rank among the distinct texts, NaN for None or ""; the rows in rank order,
    ties in row order, blanks last) by numpy, in Python's str order (both compare code points),
    or None when numpy cannot rank these texts alike: a text too long, or one holding NUL
    (numpy's str type drops trailing NULs). One stable argsort: the rows' order is the ranks'."""
    texts = ["" if v is None else v for v in values]  # "" is blank as None is
    looks = _texts_look(texts)
    if looks is None:
        return None
    width, ascii, digits_only = looks
    # One byte a character when ASCII (same order), and digits as numbers (INN, OGRN).
    array = _array_of(texts, f"S{width}" if ascii else f"U{width}")
    if digits_only:
        digits = _digit_keys(array)
        if digits is not None:
            array = digits  # ("" is 0: the least, as the empty text is)
    return _ranks_of(array)


def _ranks_of(array: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``_numpy_ranks`` of the texts (or numbers) in ``array``, in its own order ("": blank)."""
    n = len(array)
    order = np.argsort(array, kind="stable")
    first = np.empty(n, dtype=bool)  # where a new distinct text starts in rank order
    first[:1] = True
    for lo in range(0, n, _PART):  # (the texts in rank order a part at a time, not all copied)
        part = array[order[lo:lo + _PART + 1]]
        np.not_equal(part[1:], part[:-1], out=first[lo + 1:lo + len(part)])
    blanks = 0 if n == 0 or array[order[0]] else int(np.argmax(first[1:])) + 1 if first[1:].any() else n
    del array
    ranks = np.cumsum(first, dtype=np.int64) - 1 - (1 if blanks else 0)
    key = np.empty(n, dtype=np.float32 if n < FLOAT32_EXACT - _EDIT_ROOM else np.float64)
    key[order] = ranks
    key[order[:blanks]] = np.nan
    rows = np.concatenate([order[blanks:], order[:blanks]]).astype(index_type(n))
    return key, rows


def _texts_look(texts: list[str]) -> tuple[int, bool, bool] | None:
    """(the longest text's length, at least 1; all ASCII; all digits and not all empty), looked
    at a part at a time (a worker lets the GIL go between parts: one join of a million names
    held it ~70 ms); None: a text too long or holding NUL (numpy cannot rank them alike)."""
    width, ascii, digits, some = 1, True, True, False
    for lo in range(0, len(texts), _LOOK_ROWS):
        part = texts[lo:lo + _LOOK_ROWS]
        joined = "".join(part)
        width = max(width, max(map(len, part)))
        if "\x00" in joined or width > _NUMPY_WIDTH:
            return None
        ascii = ascii and joined.isascii()
        # ASCII digits only (_digit_keys reads bytes), checked as bytes: str.isdigit looks up each
        # character's Unicode class (~7 ms of 100,000 INNs; 0.5 as bytes) and takes other digits.
        digits = digits and ascii and (not joined or joined.encode("ascii").isdigit())
        some = some or bool(joined)
        let_others_run()
    return width, ascii, digits and some


def _array_of(texts: list[str], dtype: str) -> np.ndarray:
    """``np.array(texts, dtype)`` filled a part at a time (one call over a million names held the
    GIL ~150 ms)."""
    array = np.empty(len(texts), dtype=dtype)
    for lo in range(0, len(texts), _LOOK_ROWS):
        array[lo:lo + _LOOK_ROWS] = texts[lo:lo + _LOOK_ROWS]
        let_others_run()
    return array


#: Texts looked at or put in the array per call (``_texts_look``, ``_array_of``).
_LOOK_ROWS = 16384


def folded_key(parts: Iterable[list[str]], count: int) -> Key | None:
    """``key_of`` of the ``count`` texts of ``parts`` (lists of str, in order: a TextColumn's
    chunks) casefolded, the same key, with the folded texts held as UTF-8 bytes a part at a
    time and ranked as a fixed-width bytes array: one byte an ASCII character, two a Cyrillic
    one, not a str object each and four bytes a character (a million names' key peaked at
    +0.3 GB, now ~0.1 GB; issue 17). UTF-8's byte order is its code points', Python's str order.
    None: ranked as ``key_of`` does it instead (few rows or few distinct texts, a text too long
    or holding NUL or the separator)."""
    if count < _NUMPY_RANKS:
        return None
    folded: list[bytes] = []  # per part: its texts casefolded, as UTF-8 joined by _SEP
    sample: list[bytes] = []  # the texts _many_distinct looks at (every count // _SAMPLE-th)
    step = max(1, count // _SAMPLE)
    width, rows = 1, 0
    for part in parts:
        joined = _SEP.join(part)
        if "\x00" in joined or joined.count(_SEP) != len(part) - 1:
            return None
        try:
            data = joined.casefold().encode("utf-8")  # (casefolding makes no NUL and no _SEP)
        except UnicodeEncodeError:  # (a lone surrogate)
            return None
        texts = data.split(_SEP_BYTES)
        width = max(width, max(map(len, texts)))
        if width > _NUMPY_WIDTH * 4:
            return None
        sample += texts[-rows % step::step]
        folded.append(data)
        rows += len(texts)
        let_others_run()
    if rows != count or not _many_distinct(sample):
        return None
    array = np.zeros(count, dtype=f"S{width}")
    lo = 0
    for i, data in enumerate(folded):
        folded[i] = b""  # (each part's bytes go once they are in the array)
        texts = data.split(_SEP_BYTES)
        array[lo:lo + len(texts)] = texts
        lo += len(texts)
        let_others_run()
    del folded
    return None, *_ranks_of(array)


_SEP = "\x1f"
_SEP_BYTES = _SEP.encode()


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
