"""The as-of view's assessments per day (ui.timeline.day_cache): cached, assessed ahead off the GUI
thread, forgotten when the project changes; always equal to ``cluster-desk check --as-of``."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")

from cluster_desk.core.demo import demo_cluster
from cluster_desk.core.timeline import assess_on
from cluster_desk.store.project import Project
from cluster_desk.ui.project.session import ProjectSession
from cluster_desk.ui.timeline.day_cache import DayCache

DAYS = ["2017-12-31", "2019-12-31", "2021-12-31"]


@pytest.fixture
def session(qapp: Any, tmp_path: Path) -> Any:
    members, links, settings = demo_cluster(seed=3)
    path = tmp_path / "demo.cdesk"
    with Project.create(path, name="Demo") as p:
        p.set_settings(settings)
        p.add_members(members)
        p.add_links(links)
    s = ProjectSession()
    s.open(path)
    yield s
    s.close()


def _values(results: list[Any]) -> list[tuple[str, Any]]:
    return [(r.id, r.value) for r in results]


def test_days_are_cached_and_equal_the_check_of_that_day(session: Any) -> None:
    cache = DayCache(session)
    ms, ls = list(session.members.values()), list(session.links.values())
    for day in DAYS:
        assert _values(cache.results(day)) == _values(assess_on(ms, ls, session.settings, day))
    assert cache.computed == 3
    assert cache.results(DAYS[0]) is cache.results(DAYS[0]) and cache.computed == 3
    cache.drop()  # the project changed
    cache.results(DAYS[0])
    assert cache.computed == 4
    cache.close()


def test_days_ahead_run_on_the_submit_hook_and_a_step_waits_for_its_run(session: Any) -> None:
    pool = ThreadPoolExecutor(max_workers=1)
    submitted: list[Any] = []

    def submit(fn: Any) -> Any:
        submitted.append(fn)
        return pool.submit(fn)

    cache = DayCache(session, submit)
    cache.prefetch(DAYS)
    cache.prefetch(DAYS)  # days known or running are not submitted again
    assert len(submitted) == 3
    first = cache.results(DAYS[-1])  # queued or running: waited for or run here, never twice
    pool.shutdown(wait=True)
    assert all(cache.cached(d) for d in DAYS) and cache.computed == 3
    assert cache.results(DAYS[-1]) is first
    ms, ls = list(session.members.values()), list(session.links.values())
    assert _values(first) == _values(assess_on(ms, ls, session.settings, DAYS[-1]))
    cache.close()
