"""Texts all of one width (ids a program made, and the link ends naming them) are made into a
``core.text_blobs.Table`` and looked up straight from their blob (issue 17, ``check`` of a million
members: no starts and lengths of every text, texts of whole words copied as words, the hashes
ordered by radix passes, no bucket-sized temporaries). Every answer must still be a dict's."""

from __future__ import annotations

import random
import tracemalloc

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cluster_desk.core import text_blobs


def _oracle(texts: list[str], queries: list[str]) -> list[int]:
    where = {t: i for i, t in enumerate(texts)}
    return [where.get(q, -1) for q in queries]


def _find(table: text_blobs.Table, queries: list[str]) -> list[int]:
    found = table.find_joined("\x1f".join(queries).encode(), len(queries))
    assert found is not None
    out: list[int] = found.tolist()
    return out


def _ids(rng: random.Random, count: int, width: int) -> list[str]:
    return list({"".join(rng.choice("0123456789abcdef") for _ in range(width)) for _ in range(count)})


def test_one_width_queries_of_whole_words_and_of_bytes() -> None:
    rng = random.Random(7)
    for width in (5, 8, 13, 16, 24, 32):
        texts = _ids(rng, 3000, width)
        same = text_blobs.Table.of_texts(texts)
        assert same.length == width
        mixed = text_blobs.Table.of_texts([*texts, "x", "y" * (width + 3)])  # (a length word a row)
        assert mixed.length is None
        present = rng.sample(texts, 500)
        absent = [t[:-1] + ("0" if t[-1] != "0" else "1") for t in present]
        queries = present + absent
        rng.shuffle(queries)
        assert text_blobs.one_width("\x1f".join(queries).encode(), len(queries)) == width
        assert _find(same, queries) == _oracle(texts, queries)
        assert _find(mixed, queries) == _oracle([*texts, "x", "y" * (width + 3)], queries)
        # one width, but not the table's: none is in it
        other = [t + "a" for t in present]
        assert _find(same, other) == [-1] * len(other)
        assert _find(mixed, other) == _oracle([*texts, "x", "y" * (width + 3)], other)


def test_one_width_over_many_chunks() -> None:
    texts = [f"m{i:07d}" for i in range(70_000)]
    table = text_blobs.Table.of_texts(texts)
    queries = [texts[i] for i in range(69_999, -1, -1) for _ in range(2)] + ["m0070000"]
    assert _find(table, queries) == [*np.repeat(np.arange(69_999, -1, -1), 2).tolist(), -1]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=2**64 - 1), max_size=300), st.integers(0, 3))
def test_sorted_order_is_a_stable_argsort(values: list[int], repeat: int) -> None:
    hashes = np.array(values + values[:repeat], dtype=np.uint64)  # (ties too)
    assert text_blobs.sorted_order(hashes).tolist() == np.argsort(hashes, kind="stable").tolist()


def test_the_table_and_its_lookups_make_no_array_of_every_text_or_bucket_beside_what_is_kept() -> None:
    n = 200_000
    blob = "\x1f".join(f"m{i:07d}" for i in range(n)).encode()
    picked = np.random.default_rng(1).integers(0, n + 1000, 3 * n)  # (some not in the table)
    ends = "\x1f".join(f"m{i:07d}" for i in picked.tolist()).encode()
    tracemalloc.start()
    try:
        table = text_blobs.Table.of(blob, n)
        made_peak = tracemalloc.get_traced_memory()[1]
        kept = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        assert table is not None
        found = table.find_joined(ends, 3 * n)
        find_peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert found is not None
    buckets = 1 << table.bits
    # made: the count of each bucket (8 bytes a bucket) and ~32 bytes a text (the rows, their
    # hashes, the order); the starts and lengths of every text, or a bucket-sized temporary, more
    assert made_peak - kept < 8 * buckets + 32 * n
    # looked up: the answer (4 bytes an end) and one chunk's rows at a time
    assert find_peak - kept < found.nbytes + 100 * text_blobs.CHUNK
    assert np.array_equal(found, np.where(picked < n, picked, -1))
