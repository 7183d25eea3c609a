"""The strict UTF-8 pass reads a file in pieces (``encoding._STRICT_CHUNK``): a character split
between two pieces is still whole, a bad byte right after a piece's end and a sequence cut off at
the end of the file are still found, and the answer is the one a decode of the whole file gives."""

from __future__ import annotations

import pytest

from cluster_desk.io import encoding
from cluster_desk.io.encoding import Encoding, sniff_encoding

PIECE = encoding._STRICT_CHUNK
CYRILLIC = "ООО «Завод», г. Казань\n".encode()


def _file(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(("char", "cut"), [("Ж", 1), ("€", 1), ("€", 2), ("😀", 1), ("😀", 2), ("😀", 3)])
def test_a_character_split_between_pieces_is_whole(tmp_path, monkeypatch, char, cut):
    """A good file is decided by the strict pass alone (the byte-counting pass is not run)."""
    monkeypatch.setattr(encoding, "_UTF8_SEQ", None)  # the counting pass would fail on it
    raw = char.encode()
    head = b"Name,INN\n" + b"a" * (PIECE - 9 - cut)  # the character starts ``cut`` bytes before the end
    data = head + raw + CYRILLIC * 5000  # and again across later pieces
    data += b"b" * (2 * PIECE - len(data) % PIECE - cut) + raw + b"\n"
    assert len(head) + cut == PIECE
    data.decode("utf-8")  # the file is good UTF-8
    assert sniff_encoding(_file(tmp_path, "good.csv", data)) == Encoding("utf-8")
    assert sniff_encoding(_file(tmp_path, "bom.csv", b"\xef\xbb\xbf" + data)) == Encoding("utf-8-sig")


@pytest.mark.parametrize("where", [PIECE - 1, PIECE, PIECE + 1, 3 * PIECE])
def test_a_bad_byte_at_a_piece_boundary_is_found(tmp_path, where):
    data = bytearray(b"Name,INN\n" + CYRILLIC * (4 * PIECE // len(CYRILLIC)))
    data[where] = 0xFF
    got = sniff_encoding(_file(tmp_path, "bad.csv", bytes(data)))
    assert got.name == "utf-8" and got.bad_bytes >= 1


def test_a_sequence_cut_off_at_the_end_is_found(tmp_path):
    data = b"Name,INN\n" + CYRILLIC * (PIECE // len(CYRILLIC) + 3) + "Ж".encode()[:1]
    got = sniff_encoding(_file(tmp_path, "cut.csv", data))
    assert got == Encoding("utf-8", 1)


@pytest.mark.parametrize("chunk", [5, 6, 7, 8, 13, 64])
def test_the_byte_count_does_not_split_a_character_between_pieces(tmp_path, monkeypatch, chunk):
    """A file with bad bytes is decided by counting well-formed sequences against bad bytes, read
    in pieces (``encoding._CHUNK``): a character across a piece's end is one good sequence, not
    bad bytes, so the counts are those of the whole file at once."""
    import random

    rng = random.Random(chunk)
    alphabet = [c.encode() for c in "aЖ€😀,\n"] + [b"\xff", b"\x80", b"\xc3", b"\xe2\x82"]  # bad ones too
    data = b"".join(rng.choice(alphabet) for _ in range(4000))
    seqs = encoding._UTF8_SEQ.findall(data)
    whole = (len(seqs), len(encoding._HIGH.findall(data)) - sum(map(len, seqs)))
    monkeypatch.setattr(encoding, "_CHUNK", chunk)
    assert encoding._count_bad_utf8(_file(tmp_path, "mixed.csv", data)) == whole
