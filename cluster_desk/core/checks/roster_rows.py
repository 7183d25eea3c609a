"""What core.checks.context.Arrays holds of the members and links, from plain values: the one
place where stored values become the checks' columns, whether they come from frozen records
(``Arrays(members, links)``) or straight from the file's rows (``Arrays.from_rows``: the window's
first assessment, which builds no Member or Link record; issue 17).

``member_block``/``link_block`` turn one batch of values into numpy columns; a reader going
through a million members in batches of ~100,000 concatenates the blocks, so no per-row Python
object outlives its batch. ``MemberRows``/``LinkRows`` stand in for the records where the checks
ask a row for its name, id or kind, when the arrays were built from rows.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from cluster_desk.core.id_index import RowMap, rows_of
from cluster_desk.core.model import Industry, MemberKind, Status
from cluster_desk.core.network import LINK_KINDS, MEMBER_KINDS
from cluster_desk.core.tables import TextColumn

#: The member values the checks read, in the order ``Arrays.from_rows`` takes them (the store
#: selects these columns in this order).
MEMBER_VALUES = ("id", "name", "kind", "status", "sector", "industry", "employees", "lat", "lon",
                 "joined", "left", "output", "special_territory", "organising_production")
#: The link values the checks read, in the order ``Arrays.from_rows`` takes them.
LINK_VALUES = ("id", "source", "target", "kind", "start", "end", "volume")

MEMBER_CODE: dict[str, int] = {k.value: i for i, k in enumerate(MEMBER_KINDS)}
LINK_CODE: dict[str, int] = {k.value: i for i, k in enumerate(LINK_KINDS)}
STATUS_CODE = {Status.MEMBER: 0, Status.CANDIDATE: 1, Status.FORMER: 2, Status.DRAFT: 3}
INDUSTRY_CODE = {Industry.CORE: 0, Industry.RELATED: 1, Industry.UNSPECIFIED: 2}
#: Kinds outside the cluster's territory by definition: left out of the concentration check.
EXTERNAL_KINDS: frozenset[MemberKind] = frozenset({MemberKind.PARTNER_CLUSTER, MemberKind.FOREIGN_PARTNER})
EXTERNAL_CODES = np.array([MEMBER_CODE[k] for k in EXTERNAL_KINDS], dtype=np.int64)
#: Dates are kept as integers YYYYMMDD (compared ~10 times faster than text): no join / start
#: date counts from the start, no leave / end date is still running.
NO_DAY_LOW, NO_DAY_HIGH = 0, 99_999_999

#: The member columns of Arrays, one entry per row (``ids``/``names`` are kept beside them).
MEMBER_COLUMNS = ("status", "kind", "joined", "left", "lat", "lon", "located", "local", "employees",
                  "output", "industry", "division", "special", "organising")
#: The link columns of Arrays, one entry per link row.
LINK_COLUMNS = ("src", "dst", "link_kind", "volume", "start", "end")


def division_of(code: str) -> int:
    """OKVED 2 / NACE division (1..99) of a sector code ("29.10", "C29.1", "2910"); -1 if none."""
    text = (code or "").strip()
    if text[:1].isalpha():
        text = text[1:].lstrip()
    digits = ""
    for ch in text:
        if not ch.isdigit():
            break
        digits += ch
    if not digits or not digits.isascii():
        return -1
    value = int(digits[:2]) if len(digits) >= 2 else int(digits)
    return value if 1 <= value <= 99 else -1


def divisions_in(blob: bytes, starts: npt.NDArray[np.int64],
                 lengths: npt.NDArray[np.int64]) -> npt.NDArray[np.int8]:
    """``division_of`` of each text of ``blob`` (UTF-8; text i is ``blob[starts[i]:][:lengths[i]]``),
    in numpy for the usual codes (issue 17: a million sector texts as strs, a set and a dict
    probe each, ~0.5 s of a first read): all ASCII, beginning with a digit or a letter and a
    digit. ``division_of`` on each distinct other text but the empty one."""
    n = len(starts)
    out = np.full(n, -1, dtype=np.int8)
    if not n:
        return out
    data = np.frombuffer(blob + b"\x00\x00", dtype=np.uint8)  # (a lookahead of two never past it)
    wide = np.zeros(len(data) + 1, dtype=np.int64)
    np.cumsum(data >= 128, out=wide[1:])
    ascii_only = wide[starts + lengths] == wide[starts]
    first, second = data[starts], data[starts + 1]
    lead = _is_alpha(first) & _is_digit(second) & (lengths >= 2)
    simple = ascii_only & (lengths > 0) & (_is_digit(first) | lead)
    at = starts + lead  # where the digits begin
    d0 = data[at].astype(np.int16) - 48
    two = _is_digit(data[at + 1]) & (at + 1 < starts + lengths)
    value = np.where(two, d0 * 10 + data[at + 1].astype(np.int16) - 48, d0)
    out[simple] = np.where((value >= 1) & (value <= 99), value, -1)[simple]
    rest = np.flatnonzero(~simple & (lengths > 0))
    if rest.size:
        texts = [blob[s:s + k].decode("utf-8")
                 for s, k in zip(starts[rest].tolist(), lengths[rest].tolist(), strict=True)]
        cache = {t: division_of(t) for t in set(texts)}
        out[rest] = np.fromiter(map(cache.__getitem__, texts), np.int8, len(texts))
    return out


def _is_digit(b: npt.NDArray[np.uint8]) -> npt.NDArray[np.bool_]:
    return (b >= 48) & (b <= 57)


def _is_alpha(b: npt.NDArray[np.uint8]) -> npt.NDArray[np.bool_]:
    low = b | 32  # (ASCII letters; a byte of a wider UTF-8 character is 128 or more: not one)
    return (low >= 97) & (low <= 122)


def day_code(day: str) -> int:
    """20260601 for "2026-06-01" (ISO dates keep their order as these integers)."""
    if len(day) != 10 or day[4] != "-" or day[7] != "-" or not day.replace("-", "").isdigit():
        raise ValueError(f"not an ISO date YYYY-MM-DD: {day!r}")
    return int(day[:4]) * 10000 + int(day[5:7]) * 100 + int(day[8:10])


def day_codes(values: Sequence[str | None], missing: int) -> npt.NDArray[np.int32]:
    """Day codes of ``values`` (few distinct dates: each is parsed once). The store only keeps
    ISO dates; anything else (a record built by hand) counts as no date."""
    codes: dict[str | None, int] = {None: missing}
    for v in set(values):
        if v is not None:
            try:
                codes[v] = day_code(v)
            except ValueError:
                codes[v] = missing
    return np.fromiter(map(codes.__getitem__, values), np.int32, len(values))


def floats(values: Sequence[float | int | None]) -> npt.NDArray[np.float64]:
    """A float column, NaN for None (numpy converts None itself, in C)."""
    return np.array(values, dtype=np.float64) if len(values) else np.zeros(0, dtype=np.float64)


def _coded(values: Sequence[Any], table: dict[Any, int], dtype: Any, default: int | None = None) -> Any:
    look: Callable[[Any], int] = table.__getitem__ if default is None else (lambda v: table.get(v, default))
    cache = {v: look(v) for v in set(values)}  # a KeyError here: a value the model does not know
    return np.fromiter(map(cache.__getitem__, values), dtype, len(values))


def member_block(ids: Sequence[str], names: Sequence[str], kinds: Sequence[Any], statuses: Sequence[Any],
                 sectors: Sequence[str], industries: Sequence[str], employees: Sequence[float | int | None],
                 lat: Sequence[float | None], lon: Sequence[float | None], joined: Sequence[str | None],
                 left: Sequence[str | None], output: Sequence[float | None], special: Sequence[Any],
                 organising: Sequence[Any]) -> dict[str, Any]:
    """Arrays' member columns (MEMBER_COLUMNS) of these values, one entry per member. Kinds,
    statuses and industries may come as their codes already, sectors as their divisions (int
    arrays: a reader that coded them itself)."""
    n = len(ids)
    out: dict[str, Any] = {
        "status": statuses if isinstance(statuses, np.ndarray) else _coded(statuses, STATUS_CODE, np.int8),
        "kind": kinds if isinstance(kinds, np.ndarray) else _coded(kinds, MEMBER_CODE, np.int64),
        "joined": day_codes(joined, NO_DAY_LOW),
        "left": day_codes(left, NO_DAY_HIGH),
        "lat": floats(lat),
        "lon": floats(lon),
    }
    out["located"] = np.isfinite(out["lat"]) & np.isfinite(out["lon"]) & (np.abs(out["lat"]) <= 90.0)
    out["local"] = ~np.isin(out["kind"], EXTERNAL_CODES)
    emp = floats(employees)
    emp[emp < 0] = math.nan
    out["employees"] = emp
    out["output"] = floats(output)
    # (industries as an int8 array: their codes already; special and organising as arrays:
    # each value's truth is value != 0, as bool() of a number)
    out["industry"] = (industries if isinstance(industries, np.ndarray)
                       else _coded(industries, INDUSTRY_CODE, np.int8, default=2))
    if isinstance(sectors, np.ndarray):  # their divisions already (divisions_in)
        out["division"] = sectors
    else:
        cache = {code: division_of(code) for code in set(sectors)}
        out["division"] = np.fromiter(map(cache.__getitem__, sectors), np.int64, n)
    out["special"] = _truths(special, n)
    out["organising"] = _truths(organising, n)
    return out


def _truths(values: Sequence[Any], n: int) -> npt.NDArray[np.bool_]:
    if isinstance(values, np.ndarray) and values.dtype.kind in "biuf":
        return values != 0
    return np.fromiter(map(bool, values), np.bool_, n)


def link_block(sources: Sequence[str], targets: Sequence[str], kinds: Sequence[str],
               volume: Sequence[float | None], start: Sequence[str | None], end: Sequence[str | None],
               index: RowMap) -> dict[str, Any]:
    """Arrays' link columns (LINK_COLUMNS) of these values; ends as rows of ``index`` (-1: none),
    or given as those rows already (int arrays: a reader that looked the ids up itself)."""
    def rows(ends: Sequence[str] | np.ndarray) -> Any:
        if isinstance(ends, np.ndarray):
            return ends.astype(np.int64, copy=False)
        return rows_of(index, ends)

    return {
        "src": rows(sources),
        "dst": rows(targets),
        "link_kind": _coded(kinds, LINK_CODE, np.int64),
        "volume": floats(volume),
        "start": day_codes(start, NO_DAY_LOW),
        "end": day_codes(end, NO_DAY_HIGH),
    }


def joined_blocks(blocks: list[dict[str, Any]], names: Sequence[str],
                  empty: dict[str, Any]) -> dict[str, Any]:
    """One column per name from the blocks in order (``empty``: the columns of no rows). Takes
    the blocks' columns out: each column's parts are let go as soon as it is joined, not once
    every column is (issue 17: a million members' first read, ~60 MB less at its peak)."""
    if not blocks:
        return empty
    if len(blocks) == 1:
        return blocks[0]
    return {k: np.concatenate([b.pop(k) for b in blocks]) for k in names}


def members_of_parts(parts: Iterable[Sequence[Sequence[Any]]]) -> tuple[list[str], list[str], dict[str, Any]]:
    """(ids, names, MEMBER_COLUMNS) of parts of the members' columns (MEMBER_VALUES order)."""
    ids: list[str] = []
    names: list[str] = []
    blocks = []
    for part in parts:
        if len(part[0]):
            blocks.append(member_block(*part))
            ids.extend(part[0])
            names.extend(part[1])
    return ids, names, joined_blocks(blocks, MEMBER_COLUMNS, member_block(*([()] * len(MEMBER_VALUES))))


def links_of_parts(parts: Iterable[Sequence[Sequence[Any]]],
                   index: RowMap) -> tuple[Sequence[str], dict[str, Any]]:
    """(ids, LINK_COLUMNS) of parts of the links' columns (LINK_VALUES order; the ids of a part
    a list, or one text joined by TextColumn.SEP). The ids come as a TextColumn (three million:
    ~100 MB of bytes, not ~250 MB of str objects), or a list if an id holds the separator."""
    sep = chr(TextColumn.SEP)
    texts: list[bytes] = []
    listed: list[str] | None = None
    blocks = []
    for l_ids, sources, targets, kinds, start, end, volume in parts:
        if not len(sources):
            continue
        blocks.append(link_block(sources, targets, kinds, volume, start, end, index))
        text = l_ids if isinstance(l_ids, str) else sep.join(l_ids)
        if listed is None:
            if text.count(sep) == len(sources) - 1 and _encodes(text):
                texts.append(text.encode("utf-8"))
                continue
            listed = [i for t in texts for i in t.decode("utf-8").split(sep)]
        listed.extend(text.split(sep) if isinstance(l_ids, str) else l_ids)
    count = sum(len(b["src"]) for b in blocks)
    ids: Sequence[str] = listed if listed is not None else (
        TextColumn(bytes([TextColumn.SEP]).join(texts), count) if count else [])
    empty = link_block((), (), (), (), (), (), {})
    return ids, joined_blocks(blocks, LINK_COLUMNS, empty)


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return False
    return True


class MemberRow(NamedTuple):
    """What the checks ask of a member they name (arrays built from rows hold no record)."""

    id: str
    name: str
    kind: MemberKind


class MemberRows(Sequence[MemberRow]):
    """The arrays' members as rows (id, name, kind) read from their columns on demand."""

    __slots__ = ("_arrays",)

    def __init__(self, arrays: Any) -> None:
        self._arrays = arrays  # core.checks.context.Arrays (its columns may be replaced by edits)

    def __len__(self) -> int:
        return len(self._arrays.names)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        a = self._arrays
        return MemberRow(a.ids[i], a.names[i], MEMBER_KINDS[int(a.kind[i])])

    def __iter__(self) -> Iterator[MemberRow]:
        return (self[i] for i in range(len(self)))


class LinkRef(NamedTuple):
    """A link as the checks name one (its id) when the arrays hold no record."""

    id: str


class UnreadIds(Sequence[str]):
    """Link ids a reader left out (``cluster-desk check``: no rule and no report reads one; three
    million of them cost ~0.6 s of CPU at a million members, issue 17): as many as the links, so
    every length check holds, and any read of one raises instead of giving a wrong id."""

    __slots__ = ("_count",)

    def __init__(self, count: int) -> None:
        self._count = count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, j: Any) -> Any:
        raise LookupError(_UNREAD)

    def __iter__(self) -> Iterator[str]:
        raise LookupError(_UNREAD)


_UNREAD = "the link ids were not read (store.column_read.open_columns(link_ids=False))"


class LinkRows(Sequence[LinkRef]):
    """The arrays' links as ids (``ids``: a list, or a core.tables.TextColumn read from the file,
    copied on the first change). Setting a row takes a record's id."""

    __slots__ = ("ids",)

    def __init__(self, ids: Sequence[str]) -> None:
        self.ids: Any = ids

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, j: Any) -> Any:
        if isinstance(j, slice):
            return [LinkRef(i) for i in self.ids[j]]
        return LinkRef(self.ids[j])

    def __iter__(self) -> Iterator[LinkRef]:
        return (LinkRef(i) for i in self.ids)

    def __setitem__(self, j: int, link: Any) -> None:
        self._own()[j] = link.id

    def extend(self, links: Iterable[Any]) -> None:
        self._own().extend(lk.id for lk in links)

    def kept(self, keep: list[bool]) -> LinkRows:
        return LinkRows([i for i, k in zip(self.ids, keep, strict=True) if k])

    def _own(self) -> list[str]:
        if not isinstance(self.ids, list):
            self.ids = list(self.ids)
        out: list[str] = self.ids
        return out
