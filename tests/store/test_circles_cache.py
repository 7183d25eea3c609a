"""The smallest circles of a first assessment are kept with the arrays in the user's cache
(store.arrays_cache, core.checks.geography.known_circles): a warm open's first assessment takes
them instead of computing them again (issue 17: ~0.3 s at 100,000 located members), with the
same results; a cache entry of the wrong shape is left out."""

from __future__ import annotations

from pathlib import Path

import pytest

from cluster_desk.core.assessment import assess_arrays
from cluster_desk.core.checks import geography
from cluster_desk.core.demo import demo_cluster
from cluster_desk.store import snapshot
from cluster_desk.store.assess_columns import read_for_assessment
from cluster_desk.store.project import Project


def forget_circles() -> None:
    geography._CIRCLE_CACHE.clear()
    geography._last.clear()
    geography._last_dist.clear()


def test_a_warm_open_takes_the_circles_kept_by_the_first(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLUSTER_DESK_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(snapshot, "MIN_ROWS", 10)
    members, links, cluster = demo_cluster()
    path = tmp_path / "p.cdesk"
    with Project.create(path) as p:
        p.add_members(members)
        p.add_links(links)
    forget_circles()
    arrays, keep = read_for_assessment(path)
    first = assess_arrays(arrays, cluster)
    assert keep is not None and keep()
    forget_circles()  # a new process

    def never(*_args: object, **_kw: object) -> object:
        raise AssertionError("computed again")

    monkeypatch.setattr(geography, "smallest_circle", never)
    monkeypatch.setattr(geography, "circle_pair", never)
    again, keep = read_for_assessment(path)
    assert keep is None  # from the cache, the circles with it
    assert assess_arrays(again, cluster) == first
    with pytest.raises(AssertionError, match="computed again"):  # other points: computed
        geography.smallest_circles(again.lat[:5], again.lon[:5])


def test_circles_of_the_wrong_shape_are_left_out() -> None:
    forget_circles()
    good = ["ab" * 16, [55.0, 49.0, 120.5], [55.1, 49.2, 80.0]]
    geography.remember_circles([good, ["zz", [1, 2, 3], [1, 2, 3]], ["ab" * 16, "123", "123"],
                                ["cd" * 16, [1.0, 2.0, float("nan")], [1.0, 2.0, 3.0]], "x", 5])
    geography.remember_circles("not a list")
    assert geography.known_circles() == [good]
    forget_circles()
