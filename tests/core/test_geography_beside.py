"""``assess_arrays(geography_beside=True)`` (``cluster-desk check``): the geographic checks run on
a thread of their own while the network's rules run, and the results are the very ones a serial
run gives, in the same order (issue 17: ~0.2 s of a million members' command)."""

from __future__ import annotations

import threading

import pytest

from cluster_desk.core.assessment import assess_arrays
from cluster_desk.core.checks import geography
from cluster_desk.core.checks.context import Arrays
from cluster_desk.core.demo import demo_cluster

DAY = "2026-06-30"


def test_the_geography_beside_gives_what_a_serial_run_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    ms, links, s = demo_cluster()
    serial = assess_arrays(Arrays(ms, links), s, on=DAY)
    threads: list[str] = []
    locate = geography.locate

    def recorded(*args, **kw):  # (the real function, its thread noted)
        threads.append(threading.current_thread().name)
        return locate(*args, **kw)

    monkeypatch.setattr(geography, "locate", recorded)
    beside = assess_arrays(Arrays(ms, links), s, on=DAY, geography_beside=True)
    assert repr(beside) == repr(serial) and [r.id for r in beside] == [r.id for r in serial]
    assert len(threads) == 1 and threads[0].startswith("geography")
    assert not [t for t in threading.enumerate() if t.name.startswith("geography")]  # (shut down)


def test_an_error_in_the_geography_beside_reaches_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    ms, links, s = demo_cluster()

    def broken(*args, **kw):
        raise RuntimeError("geography failed")

    monkeypatch.setattr(geography, "locate", broken)
    with pytest.raises(RuntimeError, match="geography failed"):
        assess_arrays(Arrays(ms, links), s, on=DAY, geography_beside=True)
