"""Texts joined in one UTF-8 blob (what SQLite's ``group_concat`` hands back), matched against
another set of texts with numpy, without a Python str per value (issue 17's cold open).

A first open of 100,000 members and 300,000 links looked each link end up in a dict of member
ids: 300,000 fresh strs split from the blob, and a dict probe each that misses the CPU's caches
when the ends come in no order (~0.7 us a probe: 0.2 s for the targets alone). Here both sides
become fixed-width rows of bytes (the text's byte length first, then its bytes, zero-padded;
no length when every text of the table is as long), each row gets a 64-bit hash, the hashes
are matched through buckets of their top bits, and every match is confirmed byte for byte (a
text of up to 8 bytes, one word, is its own hash): the answer is exact, a hash collision only
ever costs a fallback. At 1,000,000 member ids and 3,000,000 links, both ends' matching took
~1.05 s of CPU in the open, now ~0.45 s (ids of 8 bytes; uuid hex ids ~1.7 -> ~1.2 s).
"""

from __future__ import annotations

import numpy as np

#: The separator between texts in a blob (core.tables.TextColumn.SEP).
SEP = 0x1F
#: Texts longer than this (in bytes) are not made into rows: the caller looks them up otherwise.
MAX_WIDTH = 64
#: Rows made at a time (bounded memory at millions of texts).
CHUNK = 1 << 16
_MUL = np.uint64(0x9E3779B97F4A7C15)  # odd: multiplying by it mixes the bits
#: Bytes of a blob looked through for separators at a time (``separators``): one block's mask
#: stays in the processor's cache. A mask of the whole blob (35 MB for a million names) was
#: fresh pages to fault in and write each time: ~45-195 -> ~20-24 ms at a million names.
SCAN_BLOCK = 1 << 20


def separators(blob: bytes) -> np.ndarray:
    """The offsets (int64, in order) of every SEP byte in ``blob``."""
    data = np.frombuffer(blob, dtype=np.uint8)
    parts = [np.flatnonzero(data[lo:lo + SCAN_BLOCK] == SEP) + lo for lo in range(0, len(data), SCAN_BLOCK)]
    return np.concatenate(parts) if parts else np.zeros(0, np.int64)


def bounds(blob: bytes, count: int) -> tuple[np.ndarray, np.ndarray] | None:
    """(starts, lengths) of the ``count`` texts joined by SEP in ``blob``; None when it does not
    split into ``count`` (a text holding the separator)."""
    if count == 0:
        return (np.zeros(0, np.int64), np.zeros(0, np.int64)) if not blob else None
    same = _same_width(blob, count)
    if same is not None:
        return same
    seps = separators(blob)
    if len(seps) != count - 1:
        return None
    starts = np.empty(count, np.int64)
    starts[0] = 0
    starts[1:] = seps + 1
    ends = np.empty(count, np.int64)
    ends[:-1] = seps
    ends[-1] = len(blob)
    return starts, ends - starts


def _same_width(blob: bytes, count: int) -> tuple[np.ndarray, np.ndarray] | None:
    """``bounds`` when every text is as long (ids a program made, their ends in the links): the
    separators are then every ``width``-th byte and nowhere else, found with no mask of every
    byte (a million members' 3,000,000 link ends: two 27 MB blobs, ~0.1 s each); None
    otherwise (``bounds`` then looks at every byte)."""
    size = one_width(blob, count)
    if size is None:
        return None
    return np.arange(0, count * (size + 1), size + 1, dtype=np.int64), np.full(count, size, np.int64)


def one_width(blob: bytes, count: int) -> int | None:
    """The length in bytes of each of the ``count`` texts joined in ``blob`` when all are as
    long (at least one byte) and none holds the separator; else None."""
    if count == 0:
        return None
    width, rest = divmod(len(blob) + 1, count)  # (a text's bytes and its separator)
    if rest or width < 2 or blob.count(SEP) != count - 1:
        return None
    if not bool((np.frombuffer(blob, dtype=np.uint8)[width - 1::width] == SEP).all()):
        return None  # (count - 1 separators, but not one after each text)
    return width - 1


class Rows:
    """Texts as fixed-width rows of 64-bit words (the length in bytes, then the bytes, zero
    padded) and a hash per row. ``lengthless``: texts all of one length (the caller's to know),
    so no length word: a text of up to 8 bytes is then one word, and its hash (the word times an
    odd number) is as exact as the text."""

    def __init__(self, blob: bytes, starts: np.ndarray, lengths: np.ndarray, width: int,
                 lengthless: bool = False) -> None:
        self.width = width  # bytes per text (a multiple of 8)
        n = len(starts)
        data = np.frombuffer(blob, dtype=np.uint8)
        lead = 0 if lengthless else 1
        words = np.zeros((n, width // 8 + lead), dtype=np.uint64)
        if lead:
            words[:, 0] = lengths.astype(np.uint64)
        as_bytes = words.view(np.uint8).reshape(n, -1)
        at = 8 * lead
        size = int(lengths[0]) if n else 0
        if n and size and int(lengths.min()) == int(lengths.max()) and (
                int(starts[-1]) - int(starts[0]) == (n - 1) * (size + 1)):
            # every text as long (ids made by a program): the blob is a strided array already
            _copy_strided(words, lead, blob, int(starts[0]), size)
        else:
            cols = np.arange(width)
            for lo in range(0, n, CHUNK):
                s, m = starts[lo:lo + CHUNK], np.minimum(lengths[lo:lo + CHUNK], width)
                inside = cols[None, :] < m[:, None]
                as_bytes[lo:lo + CHUNK, at:][inside] = data[(s[:, None] + cols[None, :])[inside]]
        self._hash(words)

    @classmethod
    def of_width(cls, blob: bytes, first: int, n: int, size: int, width: int, lengthless: bool) -> Rows:
        """The rows of the ``n`` texts of ``size`` bytes each from byte ``first`` of ``blob``,
        one separator after each (``one_width``'s blob): no starts nor lengths made (a million
        members' 3,000,000 link ends: two int64 arrays of 24 MB a blob and a pass over each)."""
        rows = cls.__new__(cls)
        rows.width = width
        lead = 0 if lengthless else 1
        words = np.zeros((n, width // 8 + lead), dtype=np.uint64)
        if lead:
            words[:, 0] = size
        _copy_strided(words, lead, blob, first, size)
        rows._hash(words)
        return rows

    def _hash(self, words: np.ndarray) -> None:
        #: The rows' words, a row's side by side (a lookup confirms a text with one gather).
        self.words = words
        h = words[:, 0] * _MUL
        for c in range(1, words.shape[1]):
            h ^= words[:, c]
            h *= _MUL
            h ^= h >> np.uint64(29)
        self.hashes = h


def _copy_strided(words: np.ndarray, lead: int, blob: bytes, first: int, size: int) -> None:
    """The texts of ``size`` bytes each from byte ``first`` of ``blob``, a separator after each,
    into ``words``' rows from word ``lead`` on. Texts of whole words are read as words (unaligned):
    a row's copy a few words, not ``size`` bytes one by one (3,000,000 link ends of 8 bytes:
    ~30 -> ~3 ms a blob)."""
    n = words.shape[0]
    if size % 8 == 0:
        whole = size // 8
        words[:, lead:lead + whole] = np.ndarray((n, whole), dtype=np.uint64, buffer=blob, offset=first,
                                                 strides=(size + 1, 8))
        return
    data = np.frombuffer(blob, dtype=np.uint8)
    as_bytes = words.view(np.uint8).reshape(n, -1)
    as_bytes[:, 8 * lead:8 * lead + size] = np.lib.stride_tricks.as_strided(
        data[first:], shape=(n, size), strides=(size + 1, 1))


def sorted_order(hashes: np.ndarray) -> np.ndarray:
    """``np.argsort(hashes, kind="stable")`` of uint64 hashes in four radix passes of 16 bits
    (numpy sorts 16-bit keys by counting): a million member ids' hashes ~75 -> ~55 ms."""
    mask = np.uint64(0xFFFF)
    order = np.argsort((hashes & mask).astype(np.uint16), kind="stable")
    for shift in (16, 32, 48):
        digit = ((hashes[order] >> np.uint64(shift)) & mask).astype(np.uint16)
        order = order[np.argsort(digit, kind="stable")]
    return order


def widest(lengths: np.ndarray) -> int:
    """The row width (bytes, a multiple of 8) that holds texts of these lengths."""
    longest = int(lengths.max()) if len(lengths) else 0
    return max(8, (longest + 7) // 8 * 8)


class Table:
    """Texts to find others in (member ids): the position of each text. The hashes are kept
    sorted, bucketed by their top bits (~one text a bucket), and each bucket's first hash sits
    beside its text's position (``heads``): most lookups are one gather of 16 bytes (3,000,000
    link ends in random order among 1,000,000 member ids: ~0.12 s, where a lookup through the
    bucket starts, the sorted hashes and the order, three gathers into three arrays, took
    ~0.3 s). The others walk their bucket in the sorted hashes."""

    def __init__(self, rows: Rows, length: int | None = None) -> None:
        #: Every text ``length`` bytes long (rows without a length word), else None.
        self.length = length
        #: One word a text and no length word: a hash is the text (an odd multiple of its
        #: word), so a hash found is the text found, with nothing to confirm.
        self.exact = length is not None and rows.words.shape[1] == 1
        self.width = rows.width
        #: The rows' words, to confirm a match (not kept when a hash is the text: a million
        #: member ids, 8 MB less at an open's peak, as for the hashes once sorted).
        self.words: np.ndarray | None = None if self.exact else rows.words
        order = sorted_order(rows.hashes)
        self.sorted = rows.hashes[order]
        self.order = order.astype(np.int32 if len(order) < 2**31 else np.int64)
        del order
        #: Two texts of the table with one hash (or one text twice): ``find`` cannot answer.
        self.ambiguous = bool(len(self.sorted) > 1 and np.any(self.sorted[1:] == self.sorted[:-1]))
        self.bits = len(self.sorted).bit_length() + 1  # ~1/2 to 1 text a bucket
        self.shift = np.uint64(64 - self.bits)
        buckets = 1 << self.bits
        # (the top bits of a hash: below 2**63, so int64 as they are)
        per_bucket = np.bincount((self.sorted >> self.shift).view(np.int64), minlength=buckets)
        self.first = np.zeros(len(per_bucket) + 1, dtype=np.int32)  # where each bucket starts
        np.cumsum(per_bucket, out=self.first[1:])
        #: Each bucket's first hash and that text's position. An empty bucket holds a hash whose
        #: top bit is not its bucket's (2**63 in the lower half, 0 in the upper), which no text of
        #: this bucket can equal (no bucket-sized temporaries: a million member ids' table made
        #: ~50 MB of them, fresh pages each, issue 17).
        self.heads = np.zeros((buckets, 2), dtype=np.uint64)
        self.heads[:buckets // 2, 0] = np.uint64(1 << 63)
        full = np.flatnonzero(per_bucket)
        del per_bucket
        at = self.first[full]
        self.heads[full, 0] = self.sorted[at]
        self.heads[full, 1] = self.order[at]

    @classmethod
    def of(cls, blob: bytes, count: int) -> Table | None:
        """The table of ``count`` texts joined in ``blob``; None when they cannot be held so
        (a separator inside one, one over MAX_WIDTH bytes, two with one hash)."""
        size = one_width(blob, count)
        if size is not None:  # (ids a program made: no starts nor lengths, as find_joined)
            if size > MAX_WIDTH:
                return None
            width = widest(np.array([size]))
            table = cls(Rows.of_width(blob, 0, count, size, width, True), size)
            return None if table.ambiguous else table
        got = bounds(blob, count)
        if got is None or (count and int(got[1].max()) > MAX_WIDTH):
            return None
        starts, lengths = got
        length = int(lengths[0]) if count and int(lengths.min()) == int(lengths.max()) else None
        table = cls(Rows(blob, starts, lengths, widest(lengths), length is not None), length)
        return None if table.ambiguous else table

    @classmethod
    def of_texts(cls, texts: list[str]) -> Table:
        blob = chr(SEP).join(texts).encode("utf-8")
        table = cls.of(blob, len(texts))
        if table is None:
            raise ValueError("texts that cannot make a table")
        return table

    def find(self, blob: bytes, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """The position in the table of each text of ``blob`` at ``starts``/``lengths`` (int32;
        -1: not in it)."""
        out = np.full(len(starts), -1, dtype=np.int32)
        if not len(self.sorted):
            return out
        width = self.width
        for lo in range(0, len(starts), CHUNK):
            s, n = starts[lo:lo + CHUNK], lengths[lo:lo + CHUNK]
            fits = n <= width if self.length is None else n == self.length
            q = Rows(blob, s, np.where(fits, n, 0), width, self.length is not None)
            self._match(q, fits, out[lo:lo + CHUNK])
        return out

    def _find_one_width(self, blob: bytes, count: int, size: int) -> np.ndarray:
        """``find`` of the ``count`` texts of ``size`` bytes each joined in ``blob`` (``one_width``):
        each chunk's rows straight from the blob, no starts nor lengths (issue 17: a million
        members' 6,000,000 link ends, ~0.1 s of the open's CPU)."""
        out = np.full(count, -1, dtype=np.int32)
        if not len(self.sorted) or size > self.width or (self.length is not None and size != self.length):
            return out  # (none fits: none is in the table)
        for lo in range(0, count, CHUNK):
            q = Rows.of_width(blob, lo * (size + 1), min(CHUNK, count - lo), size, self.width,
                              self.length is not None)
            self._match(q, None, out[lo:lo + CHUNK])
        return out

    def _match(self, q: Rows, fits: np.ndarray | None, chunk: np.ndarray) -> None:
        """Each of ``q``'s rows found (``fits`` False or None: all fit; a row that does not fit
        is not looked for) written as its position into ``chunk`` (left -1 when not found)."""
        bucket = (q.hashes >> self.shift).astype(np.intp)
        head = np.take(self.heads, bucket, axis=0)  # (not heads[bucket]: ~10x slower on rows)
        hit = head[:, 0] == q.hashes
        passed = ~hit & (head[:, 0] < q.hashes)
        if fits is not None:
            hit &= fits
            passed &= fits
        found = np.where(hit, head[:, 1], np.uint64(len(self.sorted))).astype(np.int64)
        # the rest whose bucket holds more: walk it (hashes ascending), found or passed
        todo = np.flatnonzero(passed)
        if len(todo):
            at = self.first[bucket[todo]].astype(np.int64) + 1
            stop = self.first[bucket[todo] + 1].astype(np.int64)
            keep = at < stop
            todo, at, stop = todo[keep], at[keep], stop[keep]
        while len(todo):
            here = self.sorted[at]
            same_hash = here == q.hashes[todo]
            found[todo[same_hash]] = self.order[at[same_hash]]
            go = ~same_hash & (here < q.hashes[todo]) & (at + 1 < stop)
            todo, at, stop = todo[go], at[go] + 1, stop[go]
        if self.exact:  # (a hash found is the text found: every row's answer at once)
            chunk[...] = np.where(found < len(self.sorted), found, -1)
            return
        hit = np.flatnonzero(found < len(self.sorted))
        candidate = found[hit]
        assert self.words is not None  # (kept unless exact)
        theirs = np.take(self.words, candidate, axis=0)  # (one gather a row)
        ours = np.take(q.words, hit, axis=0)
        same = theirs[:, 0] == ours[:, 0]
        for c in range(1, theirs.shape[1]):  # byte for byte
            same &= theirs[:, c] == ours[:, c]
        chunk[hit[same]] = candidate[same]

    def find_joined(self, blob: bytes, count: int) -> np.ndarray | None:
        """``find`` of the ``count`` texts joined in ``blob``; None when it does not split so."""
        size = one_width(blob, count)
        if size is not None:
            return self._find_one_width(blob, count, size)
        got = bounds(blob, count)
        return None if got is None else self.find(blob, *got)
