"""Keys seen so far in an import (INNs, names, matched members): bounded memory for any file.

Why ~460 lines: the small dict, the hashed keys past the spill (sorted runs, their filter, the
text in a temporary file read back to confirm a hit), the keys given as exact numbers (INNs) and
the batch walk's view (BatchKeys) answer the same questions; they belong together.
"""

from __future__ import annotations

import os
import struct
import tempfile
from bisect import bisect_right
from collections.abc import Sequence
from itertools import compress, count
from operator import ne
from typing import IO, Any

import numpy as np

__all__ = ["BatchKeys", "KeyIndex", "inn_codes"]

#: Odd, so multiplying by it (mod 2**64) is a bijection: exact codes spread over all 64 bits for
#: the filter's and the runs' sake, and two codes still share a "hash" only if they are equal.
_MIX = np.uint64(0x9E3779B97F4A7C15)
_TWELVE = 1 << 40  # above every 12-digit number: tells "0012345678" from "000012345678"
_POWERS = {n: 10 ** np.arange(n - 1, -1, -1, dtype=np.int64) for n in (10, 12)}


def _mixed(codes: np.ndarray) -> np.ndarray:
    """Exact codes as the runs' int64 "hashes" (``_MIX``: a bijection, so no two codes meet)."""
    mixed: np.ndarray = (codes.astype(np.uint64) * _MIX).view(np.int64)
    return mixed


def inn_codes(inns: Sequence[str]) -> np.ndarray | None:
    """Each INN (10 or 12 ASCII digits) as one number (its digits, plus 2**40 for 12 of them):
    equal INNs, equal numbers, and the other way round. None if any is not such an INN."""
    n = len(inns)
    joined = "\x01".join(inns)
    if not joined.isascii():
        return None
    if len(joined) == 11 * n - 1:  # maybe every one of 10 (the common batch): no length per INN
        cells = np.frombuffer((joined + "\x01").encode("ascii"), dtype=np.uint8).reshape(n, 11)
        digits = cells[:, :10] - 48  # uint8: a character below "0" wraps round above 9
        if (cells[:, 10] == 1).all() and (digits < 10).all():
            return digits @ _POWERS[10]  # int64 (uint8 @ int64)
    lengths = np.fromiter(map(len, inns), dtype=np.int64, count=n)
    out = np.empty(n, dtype=np.int64)
    for width in (10, 12):
        where = np.flatnonzero(lengths == width)
        if len(where):
            picked = "".join(map(inns.__getitem__, where.tolist()))
            digits = np.frombuffer(picked.encode("ascii"), dtype=np.uint8).reshape(-1, width) - 48
            if not (digits < 10).all():
                return None
            out[where] = digits @ _POWERS[width] + (_TWELVE if width == 12 else 0)
    if ((lengths != 10) & (lengths != 12)).any():
        return None
    return out


class KeyIndex:
    """Keys seen so far -> first row number.

    A dict while it is small (a few thousand rows: no file, no numpy); past SPILL_KEYS each kind
    of key moves to a ``_HashedKeys``: ~16 bytes a key in memory (its hash, its serial number, a
    few filter bits), the text and row in a temporary file, read back only to confirm a repeat.
    A 1,000,000-row file keeps ~16 MB of keys of a kind instead of ~150 MB, and a batch costs a
    few numpy operations (~1 µs a key, no slower than the dict's growing) instead of an on-disk
    B-tree insert at a random place per key (which took most of a million-row import's time).
    The spill comes early so that memory stays flat: a dict of 300,000 keys was ~50 MB of a big
    import's peak. A kind given as exact numbers (``repeat_codes``: INNs) keeps its rows in
    memory instead (4 bytes a key): nothing to hash, write to the file or read back.
    """

    SPILL_KEYS = 25_000

    def __init__(self) -> None:
        self._seen: dict[int, dict[Any, int]] | None = {}  # kind -> key -> first row
        self._count = 0
        self._hashed: dict[int, _HashedKeys] = {}
        self._file: IO[bytes] | None = None
        self._exact: set[int] = set()  # the kinds given as codes (``repeat_codes``)

    def first(self, kind: int, key: str, row: int) -> int | None:
        """Remember ``key``; return the row that had it first, or None if it is new."""
        seen = self._seen
        if seen is not None:
            found = (seen.get(kind) or seen.setdefault(kind, {})).setdefault(key, row)
            if found != row:
                return found
            self._count += 1
            if self._count > self.SPILL_KEYS:
                self._spill()
            return None
        hits = self._kind(kind).repeats([key], [row])
        return hits[0][1] if hits else None

    def repeats(self, kind: int, keys: Sequence[str], rows: Sequence[int]) -> list[tuple[int, int]]:
        """``first`` of each key in order (a batch of rows), as (index in ``keys``, the first row)
        for the keys seen before only: the same answers as one at a time."""
        seen = self._seen
        if seen is not None and self._count + len(keys) > self.SPILL_KEYS:
            self._spill()
            seen = None
        if seen is None:
            return self._kind(kind).repeats(keys, rows) if keys else []
        known = seen.get(kind) or seen.setdefault(kind, {})
        size = len(known)
        firsts = list(map(known.setdefault, keys, rows))
        self._count += len(known) - size
        if len(known) - size == len(keys):
            return []  # every key new (the common batch)
        return [(k, firsts[k]) for k in compress(count(), map(ne, firsts, rows))]

    def repeat_codes(self, kind: int, codes: np.ndarray, rows: Sequence[int]) -> list[tuple[int, int]]:
        """``repeats`` of keys given as exact 64-bit codes (one code a key, one key a code: an INN's
        digits as a number, ``inn_codes``), in a kind of their own. Past the spill nothing is
        hashed, written to the file or read back to confirm: an equal code is the same key (a
        1,000,000-row roster of random INNs: ~0.6 s of CPU less, ~5,000 repeats confirmed free)."""
        self._exact.add(kind)
        if self._seen is not None and self._count + len(codes) <= self.SPILL_KEYS:
            return self.repeats(kind, codes.tolist(), rows)
        if self._seen is not None:
            self._spill()
        return self._kind(kind).repeats((), rows, _mixed(codes)) if len(codes) else []

    def lookup(self, kind: int, keys: Sequence[str]) -> list[int | None]:
        """The first row of each key seen before (None: not seen), remembering nothing."""
        seen = self._seen
        if seen is not None:
            return list(map((seen.get(kind) or {}).get, keys))
        got = self._hashed.get(kind)
        return got.lookup(keys) if got is not None and keys else [None] * len(keys)

    def add_new(self, kind: int, keys: Sequence[str], rows: Sequence[int]) -> list[tuple[int, int]]:
        """Remember ``keys`` (distinct) if none of them was seen before; else remember nothing and
        return (index in ``keys``, the first row) of the ones seen (a batch that must be walked
        row by row: a repeated id is reported, and a row not imported is not remembered)."""
        if self._seen is not None or not keys:
            hits = [(k, r) for k, r in enumerate(self.lookup(kind, keys)) if r is not None]
            if not hits:
                self.repeats(kind, keys, rows)  # all new: just stored
            return hits
        return self._kind(kind).add_new(keys, rows)

    def _kind(self, kind: int) -> _HashedKeys:
        got = self._hashed.get(kind)
        if got is None:
            if kind in self._exact:
                got = self._hashed[kind] = _ExactKeys()
                return got
            if self._file is None:
                self._file = tempfile.TemporaryFile(prefix="cluster-desk-import-")  # noqa: SIM115
            got = self._hashed[kind] = _HashedKeys(self._file)
        return got

    def _spill(self) -> None:
        assert self._seen is not None
        seen, self._seen = self._seen, None
        for kind, keys in seen.items():
            if kind in self._exact:  # all new: just stored
                codes = np.fromiter(keys, dtype=np.int64, count=len(keys))
                self._kind(kind).repeats((), list(keys.values()), _mixed(codes))
            else:
                self._kind(kind).repeats(list(keys), list(keys.values()))

    def close(self) -> None:
        self._seen = None
        self._hashed.clear()
        if self._file is not None:
            self._file.close()  # a TemporaryFile: gone with its last handle
            self._file = None


class _HashedKeys:
    """The keys of one kind past the spill, in arrays (no key text in memory).

    Every key given gets the next serial number; its text and row go to the file in blocks of
    BLOCK (the last, unfinished block stays in memory; a block of ASCII keys is read back a key
    at a time). The first serial of each distinct hash is kept in sorted runs (``levels``:
    hashes, serials), merged FANOUT at a time, so a look-up is a few binary searches; a bit
    filter (``bits``: 32-128 bits a key, two of them set for each) skips them for nearly every
    new key. Python's ``hash`` of text is keyed per process, and a hit is
    only a candidate: its text is compared with the first key's before it counts. Two
    different keys of one hash (never seen, but possible) are then told apart by ``collided``,
    which holds the later ones by text.
    """

    BLOCK = 1024  # keys a block (a repeat of non-ASCII text reads its block back: ~40 us)
    exact = False  # a hit is only a candidate until its text is compared (``_ExactKeys``: no need)
    FANOUT = 8
    FIRST_FILTER_BYTES = 1 << 17  # a power of two
    _BITS_PER_KEY = 32

    def __init__(self, file: IO[bytes]) -> None:
        self.file = file
        self.levels: list[list[tuple[np.ndarray, np.ndarray]]] = [[]]  # sorted runs (hashes, serials)
        self.distinct = 0  # hashes in the runs
        self.bits = np.zeros(self.FIRST_FILTER_BYTES, dtype=np.uint8)  # grown 4x as the keys grow
        self.serials = 0
        self.tail: tuple[list[str], list[int]] = ([], [])  # keys and rows of the unwritten block
        self.blocks: list[tuple[int, int, bool]] = []  # (offset, length, all ASCII) in the file
        self.cache: dict[int, tuple[str, np.ndarray, np.ndarray]] = {}  # a few blocks read back
        self.collided: dict[str, int] = {}

    def repeats(self, keys: Sequence[str], rows: Sequence[int], hashes: np.ndarray | None = None,
                ) -> list[tuple[int, int]]:
        n = len(rows)
        base = self.serials
        self.serials += n
        self._store(keys, rows)
        if hashes is None:
            hashes = np.fromiter(map(hash, keys), dtype=np.int64, count=n)
        order = np.argsort(hashes)
        distinct = hashes[order]
        if (distinct[1:] == distinct[:-1]).any():  # a hash twice in the batch: first ones only
            distinct, at, inverse = np.unique(hashes, return_index=True, return_inverse=True)
        else:
            at, inverse = order, None
        earlier = self._earlier(distinct)  # serial of an earlier batch's key
        fresh = earlier < 0
        if fresh.any():
            self._push(distinct[fresh], at[fresh] + base)
        if inverse is None and not (earlier >= 0).any():
            return []  # the common batch: every key new
        firsts = np.where(earlier >= 0, earlier, at + base)
        if inverse is None:
            first = np.empty(n, dtype=np.int64)
            first[order] = firsts
        else:
            first = firsts[inverse]
        candidates = np.flatnonzero(first != np.arange(base, base + n)).tolist()
        out: list[tuple[int, int]] = []
        for k, serial in zip(candidates, first[candidates].tolist(), strict=True):
            key, row = self._entry(serial)
            if self.exact or key == keys[k]:
                out.append((k, row))
                continue
            found = self.collided.setdefault(keys[k], rows[k])  # another key of the same hash
            if found != rows[k]:
                out.append((k, found))
        return out

    def lookup(self, keys: Sequence[str], hashes: np.ndarray | None = None) -> list[int | None]:
        """The first row of each key stored before (None: not seen), storing nothing."""
        out: list[int | None] = [None] * len(keys)
        if hashes is None:
            hashes = np.fromiter(map(hash, keys), dtype=np.int64, count=len(keys))
        earlier = self._earlier(hashes)
        for k in np.flatnonzero(earlier >= 0).tolist():
            key, row = self._entry(int(earlier[k]))
            out[k] = row if key == keys[k] else self.collided.get(keys[k])
        return out

    def add_new(self, keys: Sequence[str], rows: Sequence[int]) -> list[tuple[int, int]]:
        """``KeyIndex.add_new`` past the spill: the keys hashed once for the look-up and the store."""
        n = len(keys)
        hashes = np.fromiter(map(hash, keys), dtype=np.int64, count=n)
        earlier = self._earlier(hashes)
        if (earlier >= 0).any():
            hits = []
            for k in np.flatnonzero(earlier >= 0).tolist():
                key, row = self._entry(int(earlier[k]))
                first = row if key == keys[k] else self.collided.get(keys[k])
                if first is not None:
                    hits.append((k, first))
            if not hits:
                self.repeats(keys, rows, hashes)  # another key's hash: ``collided`` sorts it out
            return hits
        order = np.argsort(hashes)
        distinct = hashes[order]
        if (distinct[1:] == distinct[:-1]).any():
            self.repeats(keys, rows, hashes)  # two keys of one hash in the batch
            return []
        base = self.serials  # every key new (the common batch): stored without a second search
        self.serials += n
        self._store(keys, rows)
        self._push(distinct, order + base)
        return []

    def _earlier(self, hashes: np.ndarray) -> np.ndarray:
        """The serial of the stored key of each hash (-1: none)."""
        earlier = np.full(len(hashes), -1, dtype=np.int64)
        maybe = np.flatnonzero(self._might_hold(hashes))
        if len(maybe):
            probe = hashes[maybe]
            for run, serials in (r for level in self.levels for r in level):
                pos = np.searchsorted(run, probe)
                pos[pos == len(run)] = 0
                hit = run[pos] == probe
                earlier[maybe[hit]] = serials[pos[hit]]
        return earlier

    def _positions(self, hashes: np.ndarray, second: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """Where each hash's filter bit is: its byte, and the bit in that byte; ``second``: its
        other bit, from the hash's high half (two bits a key: of 1,000,000 new keys ~1 in 950 is
        searched for in the runs instead of ~1 in 66)."""
        if second:
            hashes = hashes >> 32
        byte = (hashes >> 3) & (len(self.bits) - 1)
        return byte, np.left_shift(1, (hashes & 7).astype(np.uint8), dtype=np.uint8)

    def _might_hold(self, hashes: np.ndarray) -> np.ndarray:
        byte, bit = self._positions(hashes)
        held: np.ndarray = (self.bits[byte] & bit) != 0
        if held.any():
            maybe = np.flatnonzero(held)
            byte, bit = self._positions(hashes[maybe], second=True)
            held[maybe] = (self.bits[byte] & bit) != 0
        return held

    def _push(self, hashes: np.ndarray, serials: np.ndarray) -> None:
        """A sorted run of new hashes. FANOUT runs of a level are merged into one run of the next
        (each key is moved a few times in all, and a look-up searches a few dozen runs)."""
        self.distinct += len(hashes)
        # 4-byte serials (12 bytes a key with its hash) while they fit
        self.levels[0].append((hashes, serials.astype(np.int32 if self.serials < 2**31 else np.int64)))
        for i, level in enumerate(self.levels):
            if len(level) < self.FANOUT:
                break
            h, s = np.concatenate([r[0] for r in level]), np.concatenate([r[1] for r in level])
            level.clear()  # the runs' arrays go now: a merge holds about two copies of its keys
            order = np.argsort(h, kind="stable")  # sorted runs: merged, not sorted from scratch
            h = h[order]
            s = s[order]
            del order
            if i + 1 == len(self.levels):
                self.levels.append([])
            self.levels[i + 1].append((h, s))
        if self.distinct * self._BITS_PER_KEY > len(self.bits) * 8:
            self.bits = np.zeros(len(self.bits) * 4, dtype=np.uint8)
            for level in self.levels:
                for run, _ in level:
                    self._mark(run)
        else:
            self._mark(hashes)

    def _mark(self, hashes: np.ndarray) -> None:
        for second in (False, True):
            byte, bit = self._positions(hashes, second)
            while len(byte):  # two hashes of one byte: one of the two writes lands; again for the other
                self.bits[byte] |= bit
                unset = (self.bits[byte] & bit) == 0
                byte, bit = byte[unset], bit[unset]

    def _store(self, keys: Sequence[str], rows: Sequence[int]) -> None:
        tail_keys, tail_rows = self.tail
        tail_keys.extend(keys)
        tail_rows.extend(rows)
        while len(tail_keys) >= self.BLOCK:
            # A block is its keys' (end, row) pairs (int64: where each key's text ends, in
            # characters) and their text in UTF-8, one piece: ~3x cheaper than marshal's object
            # per key. "surrogatepass" keeps any text (lone surrogates too); the ends split it back.
            block = tail_keys[: self.BLOCK]
            text = "".join(block).encode("utf-8", "surrogatepass")
            pairs = np.empty((len(block), 2), dtype=np.int64)
            np.cumsum(np.fromiter(map(len, block), dtype=np.int64, count=len(block)), out=pairs[:, 0])
            pairs[:, 1] = tail_rows[: self.BLOCK]
            data = pairs.tobytes() + text
            fd = self.file.fileno()
            offset = os.lseek(fd, 0, os.SEEK_END)
            view = memoryview(data)
            while view:  # unbuffered, so that ``_entry`` can pread any block at once
                view = view[os.write(fd, view):]
            # ASCII text (ids, codes) has a byte a character: a repeat reads only its own key
            self.blocks.append((offset, len(data), len(text) == int(pairs[-1, 0])))
            del tail_keys[: self.BLOCK], tail_rows[: self.BLOCK]

    def _entry(self, serial: int) -> tuple[str, int]:
        """The key and row of ``serial``."""
        block, at = divmod(serial, self.BLOCK)
        if block >= len(self.blocks):
            at = serial - len(self.blocks) * self.BLOCK
            return self.tail[0][at], self.tail[1][at]
        offset, length, ascii_only = self.blocks[block]
        fd = self.file.fileno()
        if ascii_only:  # the pairs of keys at - 1 and at (where its text starts and ends), then its text
            if at:
                start, _, end, row = _FOUR.unpack(os.pread(fd, 32, offset + 16 * (at - 1)))
            else:
                start, (end, row) = 0, _TWO.unpack(os.pread(fd, 16, offset))
            return os.pread(fd, end - start, offset + 16 * self.BLOCK + start).decode("ascii"), row
        got = self.cache.get(block)
        if got is None:
            if len(self.cache) >= 4:
                self.cache.clear()
            got = self.cache[block] = _unpack(os.pread(fd, length, offset), self.BLOCK)
        text, ends, rows = got
        return text[int(ends[at - 1]) if at else 0:int(ends[at])], int(rows[at])


_TWO, _FOUR = struct.Struct("=2q"), struct.Struct("=4q")  # a block's pairs as numpy wrote them


def _unpack(data: bytes, count: int) -> tuple[str, np.ndarray, np.ndarray]:
    """A block written by ``_HashedKeys._store``: its keys end to end, where each ends, their rows.
    Not a list of its keys: a repeat looks up one key of the block (a roster of a million
    repeated names, each in another block: the block's 1,024 keys as strings took ~0.2 ms each
    time)."""
    pairs = np.frombuffer(data, dtype=np.int64, count=2 * count).reshape(count, 2)
    return data[16 * count:].decode("utf-8", "surrogatepass"), pairs[:, 0], pairs[:, 1]


class _ExactKeys(_HashedKeys):
    """The keys of a kind given as exact codes (``KeyIndex.repeat_codes``), past the spill: the
    runs' "hash" of a key is the key itself (mixed, one to one), so a hit needs no confirming and
    no text goes to the file; each key's row is kept in memory (4 bytes a key while rows fit)."""

    exact = True

    def __init__(self) -> None:
        super().__init__(None)  # type: ignore[arg-type]  # no file: nothing is written
        self.parts: list[np.ndarray] = []  # the rows of each call, in serial order
        self.starts: list[int] = []  # the serial of each part's first key

    def _store(self, keys: Sequence[str], rows: Sequence[int]) -> None:
        self.starts.append(self.serials - len(rows))  # ``repeats`` counted them already
        try:
            self.parts.append(np.array(rows, dtype=np.int32))
        except OverflowError:
            self.parts.append(np.array(rows, dtype=np.int64))

    def _entry(self, serial: int) -> tuple[str, int]:
        part = bisect_right(self.starts, serial) - 1
        return "", int(self.parts[part][serial - self.starts[part]])


class BatchKeys:
    """One kind of key of a KeyIndex as the dict a row-by-row walk over one batch needs: ``in``
    and ``[]`` see the keys of earlier batches and the ones set during this walk; ``store()``
    hands the new ones to the index (once, at the end of the batch). Keys are only ever added
    (setting a key already there keeps its first row)."""

    def __init__(self, index: KeyIndex, kind: int, keys: Sequence[str]) -> None:
        self.index, self.kind = index, kind
        distinct = list(dict.fromkeys(keys))
        self.known = dict(zip(distinct, index.lookup(kind, distinct), strict=True))  # earlier batches'
        self.new: dict[str, int] = {}

    def get(self, key: str) -> int | None:
        found = self.new.get(key)
        if found is None:
            if key not in self.known:  # a key the batch's columns did not show (a careful row's)
                self.known[key] = self.index.lookup(self.kind, [key])[0]
            found = self.known[key]
        return found

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def __getitem__(self, key: str) -> int:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def __setitem__(self, key: str, row: int) -> None:
        if self.get(key) is None:
            self.new[key] = row

    def store(self) -> None:
        if self.new:
            self.index.repeats(self.kind, list(self.new), list(self.new.values()))
            self.new = {}
