"""Which encoding a text roster is in: UTF-8 (with or without BOM), UTF-16, or Windows-1251.

A file that is UTF-8 except for a few bad bytes (a damaged copy, one cell pasted from
elsewhere) is *not* Windows-1251: reading it as cp1251 would garble every Cyrillic name.
``detect_encoding`` says "utf-8" and ``Encoding.bad_bytes`` is set; the reader then decodes
with ``surrogateescape`` and reports the rows that hold the bad bytes.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from cluster_desk.io.errors import ImportFileError

__all__ = ["Encoding", "detect_encoding", "sniff_encoding"]

# A well-formed UTF-8 multi-byte sequence (2-4 bytes) and any byte >= 0x80.
_UTF8_SEQ = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_HIGH = re.compile(rb"[\x80-\xff]")
_CHUNK = 1 << 20
#: The strict pass's pieces: 64 KiB of text decodes into a string the C heap reuses piece after
#: piece; a 1 MiB piece (2 MiB of Cyrillic as a string) was a fresh mapping each time, every page
#: faulted in and zeroed (a 1,000,000-row roster, 200 MB: ~50,000 page faults; 100,000 rows in a
#: fresh process: 30-38 ms against 17 ms). The result does not depend on where the pieces end.
_STRICT_CHUNK = 1 << 16


@dataclass(frozen=True, slots=True)
class Encoding:
    name: str
    #: UTF-8 with this many bytes that are not UTF-8 (their rows are reported, not garbled).
    bad_bytes: int = 0


def sniff_encoding(path: Path) -> Encoding:
    """utf-8-sig, utf-16 (BOM or Excel's "Unicode text" zero-byte pattern), utf-8 or cp1251."""
    with path.open("rb") as f:
        head = f.read(4096)
    if not head:
        raise ImportFileError(f"{path.name}: the file is empty", "empty")
    if head.startswith(codecs.BOM_UTF8):
        return Encoding("utf-8-sig", _count_bad_utf8(path)[1])
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Encoding("utf-16")  # Excel's "Unicode text"
    if head.count(0) > len(head) // 100:  # a stray NUL in a cell is a row's problem, not the file's
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if odd > len(head) // 4 and even == 0:
            return Encoding("utf-16-le")  # UTF-16 without a BOM: ASCII leaves every other byte zero
        if even > len(head) // 4 and odd == 0:
            return Encoding("utf-16-be")
        raise ImportFileError(f"{path.name}: not a text file (an Excel workbook?); save it as CSV first",
                              "binary")
    good, bad = _count_bad_utf8(path)
    if not bad:
        return Encoding("utf-8")
    # Cyrillic in cp1251 almost never forms valid UTF-8 pairs (a letter 0xC0-0xFF followed by
    # 0x80-0xBF, mostly punctuation there); real UTF-8 text has many and few bad bytes.
    if good >= 4 and good >= 10 * bad:
        return Encoding("utf-8", bad)
    return Encoding("cp1251")


def detect_encoding(path: Path) -> str:
    return sniff_encoding(path).name


def _count_bad_utf8(path: Path) -> tuple[int, int]:
    """(well-formed multi-byte sequences, bytes that are not UTF-8); one streaming pass."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:  # the common case: the whole file is UTF-8, decided at C speed
        with path.open("rb") as f:
            while chunk := f.read(_STRICT_CHUNK):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
        return 1, 0
    except UnicodeDecodeError:
        pass
    good = bad = 0
    with path.open("rb") as f:
        carry = b""
        while True:
            chunk = f.read(_CHUNK)
            data = carry + chunk
            if not data:
                break
            cut = _cut(data) if len(chunk) == _CHUNK else len(data)  # (the file's end: all of it)
            data, carry = data[:cut], data[cut:]
            seqs = _UTF8_SEQ.findall(data)
            good += len(seqs)
            bad += len(_HIGH.findall(data)) - sum(len(s) for s in seqs)
    return good, bad


def _cut(data: bytes) -> int:
    """Where to end a piece so that no sequence of up to 4 bytes is split: before the last byte
    among the last four that is not a continuation byte (0x80-0xBF). A sequence starting before
    it ends before it; if all four are continuation bytes, none of them ends a valid sequence
    begun earlier (at most three follow a lead byte) that is not whole already."""
    for at in range(len(data) - 1, max(len(data) - 5, -1), -1):
        if not 0x80 <= data[at] <= 0xBF:
            return at
    return len(data)
