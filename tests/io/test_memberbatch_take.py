"""``MemberBatch.take``: the members kept, in order, whichever way it copies them (the runs
between a few left-out members as slices, or one by one)."""

from __future__ import annotations

import random

import pytest

from cluster_desk.core.model import Member
from cluster_desk.io import memberbatch
from cluster_desk.io.memberbatch import MemberBatch


def _batch(n: int) -> MemberBatch:
    return MemberBatch.of_rows([(i + 2, Member(f"Завод {i}", inn=f"{i:010d}"), frozenset({"name", "inn"}))
                                for i in range(n)])


@pytest.mark.parametrize("seed", range(8))
def test_take_equals_picking_each_member(seed):
    rng = random.Random(seed)
    n = rng.choice((1, 2, 5, 200, 2048))
    batch = _batch(n)
    dropped = rng.sample(range(n), min(n, rng.choice((0, 1, 2, 3, memberbatch.FEW, memberbatch.FEW + 1,
                                                      n // 2, n - 1))))
    keep = [k for k in range(n) if k not in set(dropped)]
    if rng.random() < 0.3 and len(keep) > 2:
        keep = keep[1:] + keep[:1]  # out of order: never the runs' path
    got = batch.take(keep)
    assert got.numbers == [batch.numbers[k] for k in keep]
    assert got.columns == [[c[k] for k in keep] for c in batch.columns]
    assert got.givens == [batch.givens[k] for k in keep]
    assert got.members() == [batch.member(k) for k in keep]
    if keep:
        assert got.columns[0] is not batch.columns[0] or len(keep) == n  # a copy unless all kept


def test_take_leaves_the_batch_as_it_was():
    batch = _batch(300)
    before = ([*batch.numbers], [list(c) for c in batch.columns], [*batch.givens])
    got = batch.take([k for k in range(300) if k not in (0, 17, 299)])
    got.columns[1][0] = "changed"
    assert (batch.numbers, batch.columns, batch.givens) == before


@pytest.mark.parametrize("seed", range(8))
def test_without_equals_take_of_the_rest(seed):
    """``without`` (the caller names the left-out members) keeps what ``take`` of the rest keeps."""
    rng = random.Random(seed)
    n = rng.choice((1, 2, 5, 200, 2048))
    batch = _batch(n)
    dropped = sorted(rng.sample(range(n), min(n, rng.choice((0, 1, 2, memberbatch.FEW,
                                                             memberbatch.FEW + 1, n // 2, n)))))
    keep = [k for k in range(n) if k not in set(dropped)]
    got = batch.without(dropped)
    assert got.numbers == [batch.numbers[k] for k in keep]
    assert got.columns == [[c[k] for k in keep] for c in batch.columns]
    assert got.givens == [batch.givens[k] for k in keep]
    if dropped:
        assert got.columns[0] is not batch.columns[0]
