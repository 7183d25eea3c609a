"""The checks' arrays hold codes and rows narrow, a column of one value as a view of that value,
and the geography caches one copy of the points (issue 17: a million members under 1 GB); the
results are those of the records' plain assessment all the same."""

from __future__ import annotations

import dataclasses
import gc
import weakref

import numpy as np

from cluster_desk.core.assessment import assess, assess_arrays
from cluster_desk.core.checks import geography
from cluster_desk.core.checks.context import Arrays
from cluster_desk.core.checks.roster_rows import joined_blocks
from cluster_desk.core.demo import demo_cluster
from cluster_desk.core.model import Link, LinkKind

DAY = "2026-06-01"


def _undated() -> tuple[list, list, object]:
    members, links, settings = demo_cluster(seed=5)
    links = [dataclasses.replace(lk, start=None, end=None, volume=None) for lk in links]
    return members, links, settings


def test_codes_and_rows_are_narrow() -> None:
    members, links, _settings = _undated()
    a = Arrays(members, links)
    assert (a.kind.dtype, a.division.dtype, a.link_kind.dtype) == (np.int8, np.int8, np.int8)
    assert (a.src.dtype, a.dst.dtype) == (np.int32, np.int32)
    net, _rows = a.network(DAY)  # (its ends as the columns hold them)
    assert (net.kind.dtype, net.src.dtype, net.dst.dtype) == (np.int64, np.int32, np.int32)


def test_a_column_of_one_value_is_a_view_until_written() -> None:
    members, links, settings = _undated()
    a = Arrays(members, links)
    for name in ("start", "end", "volume"):
        column = getattr(a, name)
        assert column.strides == (0,) and not column.flags.writeable, name
        assert column.size == len(links)
    assert a.lat.flags.writeable and a.lat.strides != (0,)  # (varied values: an array of their own)
    assert assess_arrays(a, settings, on=DAY) == assess(members, links, settings, on=DAY)
    dated = dataclasses.replace(links[0], start="2020-01-01", volume=2.5e6)
    a.patch_links([dated, Link(members[0].id, members[1].id, LinkKind.RND, id="new", volume=-0.0)], ())
    assert a.start.flags.writeable and a.volume.flags.writeable
    assert a.end.strides == (0,) or a.end.flags.writeable
    now = [dated, *links[1:], Link(members[0].id, members[1].id, LinkKind.RND, id="new", volume=-0.0)]
    assert assess_arrays(a, settings, on=DAY) == assess(members, now, settings, on=DAY)


def test_negative_zero_is_not_zero() -> None:
    members, links, _settings = _undated()
    links = [dataclasses.replace(lk, volume=0.0) for lk in links]
    links[-1] = dataclasses.replace(links[-1], volume=-0.0)
    a = Arrays(members, links)
    assert a.volume.flags.writeable
    assert np.signbit(a.volume[-1]) and not np.signbit(a.volume[0])


def test_the_geography_keeps_one_copy_of_the_points() -> None:
    members, links, settings = _undated()
    a = Arrays(members, links)
    assess_arrays(a, settings, on=DAY)
    assert geography._last_dist[0].lat is geography._last[0].lat
    assert geography._last_dist[0].lon is geography._last[0].lon


def test_joined_blocks_let_each_columns_parts_go_once_it_is_joined() -> None:
    """Issue 17: the first read's blocks held every column's parts until every column was
    joined (two copies of the columns at its peak); the parts of a column go once it is."""
    blocks = [{"a": np.arange(i, i + 3), "b": np.full(3, float(i))} for i in range(0, 9, 3)]
    parts = [weakref.ref(b[k]) for b in blocks for k in ("a", "b")]
    got = joined_blocks(blocks, ("a", "b"), {})
    gc.collect()
    assert got["a"].tolist() == list(range(9))
    assert got["b"].tolist() == [0.0] * 3 + [3.0] * 3 + [6.0] * 3
    assert [p() for p in parts] == [None] * len(parts)
    assert joined_blocks([], ("a",), {"a": np.zeros(0)})["a"].size == 0
