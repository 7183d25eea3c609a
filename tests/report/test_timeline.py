"""The cluster on a date (core.timeline) and `cluster-desk check --as-of`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cluster_desk.core.assessment import assess
from cluster_desk.core.demo import demo_cluster
from cluster_desk.core.model import ClusterSettings, Link, LinkKind, Member, MemberKind, Status
from cluster_desk.core.timeline import as_of, assess_on, dated_years, links_on, participants_on, yearly_series
from cluster_desk.store.project import Project
from cluster_desk.text import text_for
from cluster_desk.text.checks import check_json

REPO = Path(__file__).resolve().parents[2]


def _roster() -> tuple[list[Member], list[Link]]:
    ms = [
        Member("always", id="a"),  # no join date: counts from the start
        Member("joined 2020", id="b", joined="2020-03-01"),
        Member("left 2022", id="c", status=Status.FORMER, joined="2019-01-01", left="2022-06-30"),
        Member("member with a past leave date", id="d", joined="2018-01-01", left="2021-01-01"),
        Member("candidate", id="e", status=Status.CANDIDATE),
        Member("former, never dated", id="f", status=Status.FORMER),
    ]
    ls = [
        Link("a", "b", LinkKind.RND, id="l1", start="2020-05-01"),
        Link("a", "c", LinkKind.SUPPLY, id="l2", start="2019-02-01", end="2021-12-31"),
        Link("a", "e", LinkKind.OTHER, id="l3"),
    ]
    return ms, ls


def test_participants_follow_domain_rules():
    ms, _ = _roster()
    ids = lambda day: sorted(m.id for m in participants_on(ms, day))  # noqa: E731
    assert ids("2019-12-31") == ["a", "c", "d"]
    assert ids("2020-12-31") == ["a", "b", "c", "d"]
    assert ids("2021-01-01") == ["a", "b", "c"]  # left on that day: no longer counts
    assert ids("2022-06-30") == ["a", "b"]
    assert all(m.status == Status.MEMBER for m in participants_on(ms, "2020-12-31"))


def test_links_count_between_their_dates():
    ms, ls = _roster()
    assert [lk.id for lk in links_on(ls, "2019-12-31")] == ["l2", "l3"]
    assert [lk.id for lk in links_on(ls, "2021-12-31")] == ["l1", "l3"]  # ended that day
    kept, kept_links = as_of(ms, ls, "2021-06-30")
    assert sorted(m.id for m in kept) == ["a", "b", "c", "e"]  # the candidate stays a candidate
    assert sorted(lk.id for lk in kept_links) == ["l1", "l2", "l3"]
    assert dated_years(ms, ls) == (2018, 2022)
    assert dated_years([Member("x")], []) is None


def test_yearly_series_on_the_demo_grows():
    ms, ls, settings = demo_cluster()
    series = yearly_series(ms, ls, settings, until="2024-06-30")
    assert [p.year for p in series][-1] == 2024 and series[-1].day == "2024-06-30"
    assert series[0].day.endswith("-12-31")
    assert series[0].participants < series[-1].participants
    assert series[-1].candidates > 0 and all(p.candidates == 0 for p in series[:-1])
    for p in series:  # counted firms is the critical-mass check's own figure on that day
        assert p.counted_firms == assess_on(ms, ls, settings, p.day)[0].value


def test_assess_on_none_is_the_plain_assessment():
    ms, ls, settings = demo_cluster()
    text = text_for("en")
    assert ([check_json(r, text) for r in assess_on(ms, ls, settings, None)]
            == [check_json(r, text) for r in assess(ms, ls, settings)])


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cluster_desk", *args], capture_output=True, text=True,
                          cwd=REPO, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})


def test_check_as_of_on_the_command_line(tmp_path):
    ms, ls, settings = demo_cluster()
    path = tmp_path / "demo.cdesk"
    with Project.create(path, name=settings.name) as p:
        p.set_settings(settings)
        p.add_members(ms)
        p.add_links(ls)
    run = _cli("check", str(path), "--json", "--as-of", "2019-12-31")
    assert run.returncode == 0, run.stderr
    got = [{k: v for k, v in c.items() if k != "members"} for c in json.loads(run.stdout)]
    with Project.open(path) as p:
        ms, ls, settings = p.members(), p.links(), p.settings()
    want = [check_json(r, text_for("en")) for r in assess_on(ms, ls, settings, "2019-12-31")]
    assert got == json.loads(json.dumps(want))
    today = json.loads(_cli("check", str(path), "--json").stdout)
    assert got[0]["value"] < today[0]["value"]  # fewer firms back then
    table = _cli("check", str(path), "--as-of", "2019-12-31", "--lang", "ru")
    assert table.returncode == 0 and "Критическая масса" in table.stdout


@pytest.mark.parametrize("bad", ["2021-13-01", "yesterday", "31.02.2021"])  # (31.12.2021 is a day)
def test_bad_as_of_is_a_usage_error(tmp_path, bad):
    run = _cli("check", str(tmp_path / "x.cdesk"), "--as-of", bad)
    assert run.returncode == 2
    assert "is not a date" in run.stderr and run.stderr.count("\n") == 1


def test_settings_are_untouched_by_the_view():
    ms, ls = _roster()
    settings = ClusterSettings(name="t")
    before = list(ms)
    assess_on(ms, ls, settings, "2020-12-31")
    assert ms == before and ms[2].status == Status.FORMER and ms[0].kind == MemberKind.FIRM


def test_year_end_snapshot_is_kept_and_shown(tmp_path):
    ms, ls, settings = demo_cluster()
    path = tmp_path / "demo.cdesk"
    with Project.create(path, name=settings.name) as p:
        p.set_settings(settings)
        p.add_members(ms)
        p.add_links(ls)
    run = _cli("snapshot", str(path), "--as-of", "2022-12-31")
    assert run.returncode == 0, run.stderr
    from cluster_desk.report.snapshots import latest_before, snapshots

    with Project.open(path) as p:  # reopened: it is in the file
        stored = snapshots(p)
        assert [s.day for s in stored] == ["2022-12-31"]
        assert latest_before(p, "2022-12-31") is None and latest_before(p, "2023-06-01") == stored[0]
        ms, ls, settings = p.members(), p.links(), p.settings()
    want = [check_json(r, text_for("en")) for r in assess_on(ms, ls, settings, "2022-12-31")]
    assert stored[0].checks == json.loads(json.dumps(want))
    out = tmp_path / "p.html"
    assert _cli("report", str(path), str(out), "--lang", "ru", "--as-of", "2023-12-31").returncode == 0
    assert "Срез на 31.12.2022" in out.read_text(encoding="utf-8")


def test_statuses_counts_and_links_of_a_day_agree_with_the_records() -> None:
    """The as-of view's Status column, status counts and map links (vectorised) say what the
    per-record rules say, on every year-end of the roster and on a random demo."""
    import numpy as np

    from cluster_desk.core.checks.context import Arrays
    from cluster_desk.core.network import is_participant
    from cluster_desk.core.timeline import DayStatus, counts_on, links_shown_on, statuses_on

    ms, ls = _roster()
    a = Arrays(ms, ls)
    codes = statuses_on(a, "2019-12-31")
    names = [DayStatus(c).name for c in codes]
    assert names == ["MEMBER", "NOT_YET", "MEMBER", "MEMBER", "CANDIDATE", "FORMER"]
    assert [DayStatus(c).name for c in statuses_on(a, "2022-12-31")][2:4] == ["FORMER", "FORMER"]
    assert counts_on(codes, a.located) == {"members": 3, "candidates": 1, "former": 1, "drafts": 0,
                                           "unlocated": 5, "total": 5}
    for members, links in ((ms, ls), demo_cluster(seed=7)[:2]):
        arrays = Arrays(members, links)
        ids = {m.id for m in members}
        for year in range(2014, 2027):
            day = f"{year}-12-31"
            codes = statuses_on(arrays, day)
            part = {m.id for m in participants_on(members, day)}
            assert {m.id for m, c in zip(members, codes, strict=True) if c == DayStatus.MEMBER} == part
            for m, c in zip(members, codes, strict=True):
                if c == DayStatus.NOT_YET:
                    assert m.joined is not None and m.joined > day and not is_participant(m, day)
            shown = {lk.id for lk, on in zip(links, links_shown_on(arrays, day), strict=True) if on}
            assert shown == {lk.id for lk in links_on(links, day, part & ids)}
            members_then = int(np.count_nonzero(codes == DayStatus.MEMBER))
            assert members_then == counts_on(codes, arrays.located)["members"]
