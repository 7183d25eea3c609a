"""core.id_index's linear steps (issue 17, the checks' rows growing faster than the members from
100,000 to a million): the ids' order by two 16-bit radix passes is numpy's stable argsort, and
a lookup of many ids over an object array of ids (the checks' arrays) confirms its hits in one
numpy compare: the same rows as a dict, also when many ids share a key (keys made coarse here so
that most hits are another id's and must be looked at further)."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cluster_desk.core import id_index
from cluster_desk.core.id_index import IdIndex, IdRows, radix_order
from cluster_desk.core.tables import TextColumn

INT32 = st.integers(-(2**31), 2**31 - 1)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(INT32, st.sampled_from([-(2**31), -1, 0, 1, 2**31 - 1, 65535, 65536])),
                max_size=300))
def test_radix_order_is_the_stable_argsort(keys: list[int]) -> None:
    k = np.array(keys, dtype=np.int32)
    assert radix_order(k).tolist() == np.argsort(k, kind="stable").tolist()


def test_radix_order_of_many_ties_and_every_high_half() -> None:
    rng = np.random.default_rng(5)
    for high in (4, 70_000, 2**31):
        k = rng.integers(-min(high, 2**31), min(high, 2**31 - 1), 50_000).astype(np.int32)
        assert np.array_equal(radix_order(k), np.argsort(k, kind="stable"))


@pytest.mark.parametrize("coarse", [False, True])
@pytest.mark.parametrize("n", [3, 70, 5_000])
def test_many_ids_found_as_a_dict_finds_them(monkeypatch: pytest.MonkeyPatch, n: int, coarse: bool) -> None:
    if coarse:  # (a key to every 16 ids, 8 keys at least: almost every hit is first another id's;
        # 8 keys for 5,000 ids made each lookup walk ~600 others: 40-105 s, the suite's slowest)
        keys = max(8, n // 16)
        monkeypatch.setattr(id_index, "key_of", lambda v: np.int32(hash(v) % keys))
        monkeypatch.setattr(id_index, "_keys",
                            lambda vs: np.fromiter((hash(v) % keys for v in vs), np.int32, len(vs)))
    rng = random.Random(n)
    ids = [f"m{rng.randrange(10**9)}-{i}" for i in range(n)]
    want = {mid: i for i, mid in enumerate(ids)}
    # fresh strs (not the column's own objects, as ends read from a file), misses among them
    probe = [k[:1] + k[1:] for k in rng.choices(ids, k=3 * n)]
    probe += ["nope", "", "m1-", *(f"x{i}" for i in range(70))]
    rng.shuffle(probe)
    expected = [want.get(k, -1) for k in probe]
    for column in (np.array(ids, dtype=object), ids, TextColumn.of(ids)):
        index = IdIndex(column)  # type: ignore[arg-type]
        assert index.find_many(probe).tolist() == expected
        assert index.find_many(np.array(probe, dtype=object)).tolist() == expected  # type: ignore[arg-type]
        assert index.find_many(probe[:50]).tolist() == expected[:50]  # (few: no order taken)
        assert IdRows(column).find_many(probe).tolist() == expected  # type: ignore[arg-type]
