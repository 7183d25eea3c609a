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


def _code_batches(seed: int) -> list[tuple[list[str], list[int]]]:
    """INNs of 10 and 12 digits (leading zeros too: "0012345678" and "000012345678" are two
    INNs), drawn from a small pool so that they repeat within a batch and across batches."""
    rng = random.Random(seed)
    pool = [f"{rng.randrange(10**8):010d}" for _ in range(900)] + \
        [f"{rng.randrange(10**8):012d}" for _ in range(900)] + ["0012345678", "000012345678"]
    out, row = [], 2
    for _ in range(80):
        keys = [rng.choice(pool) for _ in range(rng.randrange(1, 90))]
        out.append((keys, list(range(row, row + len(keys)))))
        row += len(keys)
    return out


@pytest.mark.parametrize("spill", [10**9, 0, 700])
def test_repeat_codes_equal_a_plain_dict_of_the_inns(monkeypatch, spill):
    """INNs given as their numbers (``inn_codes``) repeat exactly where the INN texts do, in the
    dict, past the spill (no text kept), and across the spill; a text kind beside them is not
    mixed up with them."""
    monkeypatch.setattr(KeyIndex, "SPILL_KEYS", spill)
    batches = _code_batches(8)
    index = KeyIndex()
    try:
        got = []
        for keys, rows in batches:
            codes = keyindex.inn_codes(keys)
            assert codes is not None
            got.append(index.repeat_codes(4, codes, rows))
            index.repeats(1, keys, rows)  # the same texts in a text kind: answered apart
    finally:
        index.close()
    assert got == _reference([(4, keys, rows) for keys, rows in batches])
    assert sum(map(len, got)) > 300


def test_inn_codes_one_number_an_inn():
    inns = ["1234567890", "0012345678", "000012345678", "123456789012", "0000000000", "000000000000"]
    codes = keyindex.inn_codes(inns)
    assert codes is not None and len(set(codes.tolist())) == len(inns)
    assert codes.tolist() == keyindex.inn_codes(list(reversed(inns))).tolist()[::-1]
    assert keyindex.inn_codes(["1234567890"] * 3).tolist() == [1234567890] * 3
    for odd in (["123456789"], ["12345678901"], ["123456789O"], ["１２３４５６７８９０"], ["1234567890", ""],
                ["12345\x01789"], ["12345678901", "123456789"]):
        assert keyindex.inn_codes(odd) is None, odd
    assert keyindex.inn_codes([]) is not None and len(keyindex.inn_codes([])) == 0


def test_ascii_keys_read_back_one_at_a_time(monkeypatch):
    """Blocks of ASCII keys (ids) are read back a key at a time (its two ends, its row, its text);
    blocks with any other letter whole: both give every key and row as stored."""
    monkeypatch.setattr(KeyIndex, "SPILL_KEYS", 0)
    monkeypatch.setattr(keyindex._HashedKeys, "BLOCK", 8)
    rng = random.Random(9)
    batches, row = [], 2
    for b in range(30):
        letters = "abcdef0123456789" if b % 3 else "abcdefключ"
        keys = ["".join(rng.choice(letters) for _ in range(rng.randrange(0, 12)))
                for _ in range(rng.randrange(1, 20))]
        batches.append((1, keys, list(range(row, row + len(keys)))))
        row += len(keys)
    index = KeyIndex()
    try:
        got = [index.repeats(kind, keys, rows) for kind, keys, rows in batches]
        hashed = index._hashed[1]
        assert any(plain for _, _, plain in hashed.blocks) and not all(plain for _, _, plain in hashed.blocks)
        entries = [hashed._entry(serial) for serial in range(hashed.serials)]
    finally:
        index.close()
    assert got == _reference(batches)
    assert entries == [(key, r) for _, keys, rows in batches for key, r in zip(keys, rows, strict=True)]
