"""Link ids that are all 32 lowercase hex digits (what the program makes: ``uuid4().hex``) held as
16 raw bytes each, not 33 bytes of text and a 4-byte end (issue 17: three million link ids in
48 MB instead of ~111 MB, in the open's columns, the snapshot and every holder sharing them).

``HexIds`` is a ``core.text_column.TextColumn`` (the same reads, edits beside the block and
copies; callers cannot tell) whose block is an (n, 16) uint8 array. ``packed`` makes one of a
column's texts only when every id is exactly 32 of ``0-9a-f``; anything else (an uppercase
digit, another length, a Cyrillic id from an import) leaves the whole column as text, so an id
always reads back as it was stored. Qt-free and SQL-free.
"""

from __future__ import annotations

import binascii
import io

import numpy as np

from cluster_desk.core.text_column import TextColumn

_DIGITS = b"0123456789abcdef"
_SEP = bytes([TextColumn.SEP])
#: Ids converted at a time (bounds the temporary bytes at millions of ids: ~2 MB).
_CHUNK = 1 << 16
WIDTH = 16  # bytes an id
TEXT = 2 * WIDTH  # digits an id


class HexIds(TextColumn):
    """Ids of 32 lowercase hex digits as an (n, 16) uint8 array (``raw``, never changed)."""

    def __init__(self, raw: np.ndarray) -> None:  # (no TextColumn.__init__: there is no blob)
        if raw.ndim != 2 or raw.shape[1] != WIDTH or raw.dtype != np.uint8:
            raise ValueError("hex ids: not rows of 16 bytes")
        self._raw = np.ascontiguousarray(raw)
        self._words: np.ndarray | None = None  # the rows as two uint64 (made by the first find)
        self._start(len(raw))

    @property
    def raw(self) -> np.ndarray:
        """The ids' bytes as read ((n, 16) uint8; values set or added since are not in it)."""
        return self._raw

    @property
    def block(self) -> object:
        return self._raw

    def _value(self, i: int) -> str:
        return bytes(self._raw[i]).hex()

    def _values(self, lo: int, hi: int) -> list[str]:
        if lo >= hi:
            return []
        out: list[str] = []
        for at in range(lo, hi, _CHUNK):
            out += _text(self._raw[at:min(hi, at + _CHUNK)]).decode("ascii").split(chr(self.SEP))
        return out

    def _find_read(self, value: str, before: int) -> int:
        packed = pack_one(value)
        if packed is None:
            return -1  # not an id this block can hold
        if self._words is None:
            self._words = self._raw.view("<u8")  # (n, 2): a view, no copy
        words = np.frombuffer(packed, dtype="<u8")
        w = self._words[:before]
        for row in np.flatnonzero((w[:, 0] == words[0]) & (w[:, 1] == words[1])).tolist():
            if row not in self._set:
                return int(row)
        return -1

    def _kept_read(self, keep: np.ndarray, count: int) -> TextColumn:
        return HexIds(self._raw[keep])

    def _joined_read(self) -> bytes:
        # A chunk at a time into one buffer that getvalue() hands over as it is: the text's size
        # once (three million ids: 99 MB), not its parts and their join besides.
        out = io.BytesIO()
        for lo in range(0, self._count, _CHUNK):
            if lo:
                out.write(_SEP)
            out.write(_text(self._raw[lo:lo + _CHUNK]))
        return out.getvalue()


def _text(raw: np.ndarray) -> bytes:
    """Rows of 16 bytes as their hex digits, SEP between them (C speed)."""
    return binascii.hexlify(raw.tobytes(), _SEP, WIDTH) if len(raw) else b""


def pack_one(value: str) -> bytes | None:
    """One id's 16 bytes; None when it is not 32 lowercase hex digits."""
    if len(value) != TEXT or not value.isascii():
        return None
    digits = value.encode("ascii")
    return None if digits.translate(None, _DIGITS) else bytes.fromhex(value)


def packed(blob: bytes, count: int) -> HexIds | None:
    """The ``count`` ids joined by SEP in ``blob`` (UTF-8, as SQLite's ``group_concat`` or a
    TextColumn gives them) as ``HexIds``; None unless every one is 32 lowercase hex digits."""
    if count == 0 or len(blob) != count * (TEXT + 1) - 1:
        return None
    if count > 1 and bool(np.any(np.frombuffer(blob, dtype=np.uint8)[TEXT::TEXT + 1] != TextColumn.SEP)):
        return None  # (a separator where each id's 32 digits end)
    raw = np.empty((count, WIDTH), dtype=np.uint8)
    for lo in range(0, count, _CHUNK):
        hi = min(count, lo + _CHUNK)
        part = blob[lo * (TEXT + 1):hi * (TEXT + 1) - 1]
        if part.translate(None, _DIGITS) != _SEP * (hi - lo - 1):
            return None  # a byte that is not a lowercase hex digit, or not the separators alone
        digits = binascii.unhexlify(part.replace(_SEP, b""))
        raw[lo:hi] = np.frombuffer(digits, dtype=np.uint8).reshape(-1, WIDTH)
    return HexIds(raw)


def column_of(blob: bytes, count: int) -> TextColumn:
    """The ids joined in ``blob`` as ``HexIds`` when they all can be, else as a TextColumn of the
    text (ValueError when the blob does not split into ``count``)."""
    hex_ids = packed(blob, count)
    return hex_ids if hex_ids is not None else TextColumn(blob, count)
