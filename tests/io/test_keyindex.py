"""The import's index of keys seen so far gives a plain dict's answers, in memory and past the
spill (hashes in memory, the text in a file), also when different keys share a hash."""

from __future__ import annotations

import random

import pytest

from cluster_desk.io import keyindex
from cluster_desk.io.keyindex import KeyIndex


def _reference(batches: list[tuple[int, list[str], list[int]]]) -> list[list[tuple[int, int]]]:
    seen: dict[int, dict[str, int]] = {}
    out = []
    for kind, keys, rows in batches:
        known = seen.setdefault(kind, {})
        firsts = [known.setdefault(key, row) for key, row in zip(keys, rows, strict=True)]
        out.append([(k, f) for k, (f, row) in enumerate(zip(firsts, rows, strict=True)) if f != row])
    return out


def _batches(seed: int, distinct: int) -> list[tuple[int, list[str], list[int]]]:
    rng = random.Random(seed)
    out, row = [], 2
    for _ in range(80):
        keys = [f"ключ {rng.randrange(distinct)}" for _ in range(rng.randrange(1, 90))]
        out.append((rng.choice((1, 2)), keys, list(range(row, row + len(keys)))))
        row += len(keys)
    return out


@pytest.mark.parametrize("weak_hash", [False, True])
@pytest.mark.parametrize("spill", [10**9, 0, 700])
def test_repeats_equal_a_plain_dict(monkeypatch, spill, weak_hash):
    monkeypatch.setattr(KeyIndex, "SPILL_KEYS", spill)
    monkeypatch.setattr(keyindex._HashedKeys, "BLOCK", 64)  # keys read back from the file
    monkeypatch.setattr(keyindex._HashedKeys, "FIRST_FILTER_BYTES", 16)  # the filter grows
    if weak_hash:  # 7 hashes for 3,000 keys: nearly every hit is another key's, told apart by text
        monkeypatch.setattr(keyindex, "hash", lambda key: len(key) % 7, raising=False)
    batches = _batches(3, 3000)
    index = KeyIndex()
    try:
        got = [index.repeats(kind, keys, rows) for kind, keys, rows in batches]
        assert (index._seen is None) == (spill < 10**9)
    finally:
        index.close()
    assert got == _reference(batches)
    assert sum(map(len, got)) > 300  # repeats across batches and within one


def test_first_one_at_a_time_equals_the_batches(monkeypatch):
    monkeypatch.setattr(KeyIndex, "SPILL_KEYS", 500)
    batches = _batches(4, 1500)
    index = KeyIndex()
    try:
        got = []
        for kind, keys, rows in batches:
            firsts = [index.first(kind, key, row) for key, row in zip(keys, rows, strict=True)]
            got.append([(k, f) for k, f in enumerate(firsts) if f is not None])
    finally:
        index.close()
    assert got == _reference(batches)


@pytest.mark.parametrize("weak_hash", [False, True])
def test_lookup_and_add_new_equal_a_plain_dict(monkeypatch, weak_hash):
    monkeypatch.setattr(KeyIndex, "SPILL_KEYS", 100)
    monkeypatch.setattr(keyindex._HashedKeys, "BLOCK", 64)
    if weak_hash:
        monkeypatch.setattr(keyindex, "hash", lambda key: len(key) % 7, raising=False)
    rng = random.Random(5)
    index, known, row = KeyIndex(), {}, 2
    try:
        for _ in range(300):
            keys = list(dict.fromkeys(f"id {rng.randrange(3000)}" for _ in range(rng.randrange(1, 8))))
            rows = list(range(row, row + len(keys)))
            row += len(keys)
            assert index.lookup(1, keys) == [known.get(k) for k in keys]
            hits = [(k, known[key]) for k, key in enumerate(keys) if key in known]
            assert index.add_new(1, keys, rows) == hits
            if not hits:
                known.update(zip(keys, rows, strict=True))
        assert index._seen is None and len(known) > 300  # spilled: batches added both ways
    finally:
        index.close()


def test_any_text_read_back_from_the_file(monkeypatch):
    """Keys of any text (empty, NUL, lone surrogates from a damaged file, astral letters) come
    back from the file's blocks as they went in: the repeats found past the spill are exact."""
    monkeypatch.setattr(KeyIndex, "SPILL_KEYS", 0)
    monkeypatch.setattr(keyindex._HashedKeys, "BLOCK", 16)
    odd = ["", "\x00", "a\x00b", "\udc80", "x\udcff\udc80", "😀", "ё́", "ключ", " ", "\u2028"]
    rng = random.Random(7)
    batches, row = [], 2
    for _ in range(60):
        keys = [rng.choice(odd) + str(rng.randrange(40)) * rng.randrange(3)
                for _ in range(rng.randrange(1, 30))]
        batches.append((1, keys, list(range(row, row + len(keys)))))
        row += len(keys)
    index = KeyIndex()
    try:
        got = [index.repeats(kind, keys, rows) for kind, keys, rows in batches]
        entries = [index._hashed[1]._entry(serial) for serial in range(index._hashed[1].serials)]
    finally:
        index.close()
    assert got == _reference(batches)
    assert [key for _, keys, _ in batches for key in keys] == [key for key, _ in entries]
    assert [r for _, _, rows in batches for r in rows] == [r for _, r in entries]
