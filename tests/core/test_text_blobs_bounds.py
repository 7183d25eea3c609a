"""Splitting a blob of joined texts (core.text_blobs.bounds, issue 17's cold open): when every
text is as long (the ids a program makes, and the link ends naming them) the separators are
found with no mask of every byte; the answer is the same as splitting at every separator, and a
blob that does not split into its count is still refused."""

from __future__ import annotations

import random
import tracemalloc

import numpy as np
import pytest

from cluster_desk.core import text_blobs
from cluster_desk.core.text_column import TextColumn


def _split(blob: bytes, count: int) -> tuple[list[int], list[int]] | None:
    texts = blob.split(bytes([text_blobs.SEP])) if count else []
    if len(texts) != count or (count == 0 and blob):
        return None
    starts, at = [], 0
    for t in texts:
        starts.append(at)
        at += len(t) + 1
    return starts, [len(t) for t in texts]


def test_bounds_are_those_of_a_plain_split() -> None:
    rng = random.Random(3)
    for _ in range(5000):
        n = rng.randrange(1, 6)
        texts = ["".join(rng.choice("ab\x1fж") for _ in range(rng.randrange(0, 4))) for _ in range(n)]
        blob = "\x1f".join(texts).encode()
        for count in {n, n + 1, max(1, n - 1)}:
            got, want = text_blobs.bounds(blob, count), _split(blob, count)
            assert (got is None) == (want is None), (texts, count)
            if got is not None and want is not None:
                assert got[0].tolist() == want[0] and got[1].tolist() == want[1], (texts, count)
    same = "\x1f".join(["ab\x1f", "cde"]).encode()  # as long as two texts of 3, one holding SEP
    assert text_blobs.bounds(same, 2) is None


def test_texts_of_one_width_are_split_without_a_mask_of_every_byte() -> None:
    count = 300_000
    blob = "\x1f".join(f"m{i:07d}" for i in range(count)).encode()  # 9 bytes a text
    tracemalloc.start()
    try:
        got = text_blobs.bounds(blob, count)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert got is not None
    assert np.array_equal(got[0], np.arange(count) * 9) and bool((got[1] == 8).all())
    # the answer's two int64 arrays and a bool a text; a mask of every byte and the separators'
    # positions (what splitting at every separator holds) would be ~4 MB more
    assert peak < 2 * 8 * count + count + (1 << 20)


def test_separators_found_a_block_at_a_time_are_those_of_one_mask(monkeypatch: pytest.MonkeyPatch) -> None:
    """``separators`` looks at a block of bytes at a time: with blocks of 5 bytes, separators on
    either side of a block's edge, at the ends, side by side, or none at all are all found, in
    order; TextColumn splits by it alike."""
    monkeypatch.setattr(text_blobs, "SCAN_BLOCK", 5)
    rng = random.Random(11)
    blobs = [b"", b"\x1f", b"\x1f" * 12, b"abcdefghijk", "ж\x1fж".encode()]
    blobs += [bytes(rng.choice(b"ab\x1f") for _ in range(rng.randrange(0, 40))) for _ in range(300)]
    for blob in blobs:
        want = np.flatnonzero(np.frombuffer(blob, dtype=np.uint8) == text_blobs.SEP)
        got = text_blobs.separators(blob)
        assert got.dtype == np.int64 and got.tolist() == want.tolist(), blob
    texts = ["Альфа", "", "b", "ООО «Компания 1»", "x" * 9]
    column = TextColumn("\x1f".join(texts).encode(), len(texts))
    assert list(column) == texts
