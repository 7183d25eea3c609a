"""The open's check that a blob of texts is UTF-8 (``store.column_read._utf8``: decoded a chunk
at a time, no str of the whole blob, issue 17) says what decoding it whole says, wherever a
character or a bad byte falls against the chunks' edges."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cluster_desk.store.column_read import _utf8


def _whole(blob: bytes) -> bool:
    try:
        blob.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


_PIECES = st.sampled_from([b"a", b"\x1f", "ж".encode(), "€".encode(), "𝄞".encode(), b"\xff", b"\xd0",
                           b"\xe2\x82", b"\xed\xa0\x80", b"\xc0\xaf", b"\x80"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=30), st.integers(min_value=1, max_value=7))
def test_chunked_check_says_what_a_whole_decode_says(pieces: list[bytes], chunk: int) -> None:
    blob = b"".join(pieces)
    assert _utf8(blob, chunk) == _whole(blob)


def test_characters_across_a_chunk_edge_and_one_cut_off_at_the_end() -> None:
    blob = ("ООО «Компания 1»\x1f" * 1000).encode()
    for chunk in (1, 2, 3, 1 << 20):
        assert _utf8(blob, chunk)
        assert not _utf8(blob[:-2], chunk)  # (the last » cut in half)
        assert not _utf8(blob + b"\xd0", chunk)
        assert not _utf8(blob[:7] + b"\xff" + blob[7:], chunk)
    assert _utf8(b"", 4)
