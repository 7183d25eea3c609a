"""The link tallies (core/checks/tallies.py): after random link edits patched into a day's network
(Arrays.patch_links), every tally equals one built afresh from the same links in the same order,
and the network's degrees and pair count are the ones its pairs give; the exact volume sum is
math.fsum's, whatever order values come and go in."""

from __future__ import annotations

import dataclasses
import math
import random
from fractions import Fraction

import numpy as np
import pytest

from cluster_desk.core.checks import context, relations, tallies
from cluster_desk.core.checks.context import Arrays
from cluster_desk.core.checks.tallies import ExactSum, GapTally, PairTally, RuleTally
from cluster_desk.core.demo import demo_cluster
from cluster_desk.core.model import Link, LinkKind, SizeScheme
from cluster_desk.core.network import degree

DAYS = ("2026-06-01", "2021-06-30")


def _tallied(a: Arrays, day: str, scheme: SizeScheme) -> tuple[PairTally, GapTally, RuleTally]:
    net, rows = a.network(day)
    settings = dataclasses.replace(demo_cluster()[2], size_scheme=scheme)
    return PairTally.of(net), GapTally.of(net), relations.rule_tally(a, rows, net, settings)


def _same(patched: Arrays, day: str, scheme: SizeScheme) -> None:
    """The patched network's tallies against a fresh build from its live links, in row order."""
    net = patched.network(day)[0]
    pair, gap, rule = _tallied(patched, day, scheme)
    live = [lk for j, lk in enumerate(patched.links) if j not in set(patched._dead)]
    fresh = Arrays(patched.members, live)
    f_pair, f_gap, f_rule = _tallied(fresh, day, scheme)
    assert pair.equal(f_pair)
    assert np.array_equal(gap.counts, f_gap.counts) and np.array_equal(gap.links, f_gap.links)
    assert rule.equal(f_rule)
    fresh_net = fresh.network(day)[0]
    assert net.link_count == fresh_net.link_count and net.pair_count == fresh_net.pair_count
    assert np.array_equal(degree(net), degree(fresh_net))
    # and the patched network's own pairs, when asked for, agree with its tally
    net.memo.pop("pairs", None)
    assert net.pair_a.size == pair.pair_count


@pytest.mark.parametrize(("max_touched", "dead_rows"), [(5_000, 1_000), (3, 1_000), (5_000, 4)])
def test_patched_tallies_equal_fresh_ones(max_touched: int, dead_rows: int,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Adds, edits (kind directed <-> not, volume, end date, an end moved), deletes and bursts;
    small limits make some patches rebuild instead (many members touched, many dead rows)."""
    monkeypatch.setattr(tallies, "PATCH_MAX_TOUCHED", max_touched)
    monkeypatch.setattr(context, "DEAD_LINK_ROWS", dead_rows)
    rng = random.Random(17)
    members, links, _settings = demo_cluster(seed=4)
    a = Arrays(members, links)
    live = {lk.id: lk for lk in links}
    ids = [m.id for m in members]
    kinds = list(LinkKind)
    for day in DAYS:  # both days' networks are cached and carry tallies into the patches
        for scheme in SizeScheme:
            _tallied(a, day, scheme)
    for step in range(45):
        what = rng.choice(["add", "edit", "edit", "delete", "burst", "end"])
        upserted: list[Link] = []
        removed: list[str] = []
        if what in ("add", "burst"):
            for k in range(5 if what == "burst" else 1):
                s, t = rng.sample(ids, 2)
                upserted.append(Link(s, t, rng.choice(kinds), id=f"n{step}-{k}",
                                     start=rng.choice([None, "2020-01-01", "2023-05-01"]),
                                     end=rng.choice([None, None, "2022-01-01"]),
                                     volume=rng.choice([None, 1e6, 5e7, 0.1, 1e-3])))
        elif what in ("edit", "end") and live:
            old = live[rng.choice(sorted(live))]
            new = (dataclasses.replace(old, end=rng.choice([None, "2021-01-01", "2026-01-01", "2030-01-01"]))
                   if what == "end" else
                   dataclasses.replace(old, kind=rng.choice(kinds), volume=rng.choice([None, 2e6, 3.3]),
                                       target=rng.choice(ids) if rng.random() < 0.3 else old.target))
            if new.source != new.target:
                upserted.append(new)
        elif live:
            removed = rng.sample(sorted(live), min(len(live), rng.choice([1, 1, 6])))
        for lid in removed:
            del live[lid]
        for lk in upserted:
            live[lk.id] = lk
        a.patch_links(upserted, removed)
        day = rng.choice(DAYS)
        _same(a, day, rng.choice(list(SizeScheme)))


def test_exact_sum_is_fsum_in_any_order() -> None:
    rng = np.random.default_rng(3)
    for trial in range(60):
        k = int(rng.integers(0, 40))
        values = [rng.uniform(-1e12, 1e12, k), rng.lognormal(10, 8, k), np.round(rng.uniform(0, 1e7, k), 2),
                  np.round(rng.uniform(0, 1e9, k)), rng.uniform(0, 1, k) * 1e-300][trial % 5]
        got = ExactSum.of(values)
        assert got.value == math.fsum(values.tolist())
        assert got.total == sum((Fraction(x) for x in values.tolist()), Fraction(0))
        kept = values[k // 2:]
        for x in values[: k // 2][::-1].tolist():  # taken away in another order than they came
            got.add(x, -1)
        assert got.value == math.fsum(kept.tolist())
    inf = ExactSum.of(np.array([1.0, math.inf]))
    assert inf.value == math.inf
    inf.add(math.inf, -1)
    assert inf.value == 1.0
