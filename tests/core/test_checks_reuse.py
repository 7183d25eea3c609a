"""Speed-neutral correctness of the fast paths of the checks (issue 13): assess() keeps its arrays
and brings them up to date after edits (Arrays.refreshed), and a drag updates the distances and
circles only for the moved member. Each must give exactly what a fresh assessment gives."""

from __future__ import annotations

import random
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from cluster_desk.core.assessment import assess, assess_arrays
from cluster_desk.core.checks.context import Arrays, day_code
from cluster_desk.core.demo import demo_cluster
from cluster_desk.core.model import ClusterSettings, Industry, Link, LinkKind, Member, MemberKind, Status

DAY = "2026-06-01"
CENTRED = ClusterSettings(centre_lat=55.79, centre_lon=49.12, mass_min=20, mass_max=60)
NO_CENTRE = ClusterSettings(mass_min=20, mass_max=60)


def roster(n: int, seed: int) -> tuple[list[Member], list[Link]]:
    rng = random.Random(seed)
    kinds = [MemberKind.FIRM] * 6 + [MemberKind.RESEARCH, MemberKind.AUTHORITY, MemberKind.EDUCATION,
                                     MemberKind.FOREIGN_PARTNER]  # fmt: skip
    ms = [
        Member(f"m{i}", rng.choice(kinds), Status.CANDIDATE if i % 17 == 0 else Status.MEMBER, id=f"m{i}",
               sector=f"{rng.randrange(20, 30)}.1", industry=rng.choice(list(Industry)),
               employees=rng.randrange(1, 900), lat=55.79 + rng.gauss(0, 1.2), lon=49.12 + rng.gauss(0, 2.0),
               joined=rng.choice([None, "2020-01-01", "2026-01-01"]), output=rng.choice([None, 1e8]))
        for i in range(n)
    ]  # fmt: skip
    links = [
        Link(f"m{a}", f"m{b}", rng.choice(list(LinkKind)), id=f"l{j}", volume=rng.choice([None, 1e6]),
             start=rng.choice([None, "2025-09-01"]))
        for j in range(3 * n)
        for a, b in [rng.sample(range(n), 2)]
    ]  # fmt: skip
    return ms, links


def fresh(ms: list[Member], links: list[Link], s: ClusterSettings, **kw: object) -> str:
    return repr(assess_arrays(Arrays(ms, links), s, on=DAY, **kw))  # type: ignore[arg-type]


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), edits=st.lists(st.sampled_from(["move", "edit", "add", "drop", "link"]),
                                                    min_size=1, max_size=6))
def test_reused_arrays_give_what_fresh_ones_give(seed: int, edits: list[str]) -> None:
    ms, links = roster(60, seed)
    rng = random.Random(seed)
    assess(ms, links, CENTRED, on=DAY)  # keeps its arrays
    for what in edits:
        i = rng.randrange(len(ms))
        if what == "move":
            ms[i] = replace(ms[i], lat=(ms[i].lat or 55.0) + rng.uniform(-3, 3), lon=ms[i].lon)
        elif what == "edit":
            ms[i] = replace(ms[i], status=rng.choice(list(Status)), industry=Industry.CORE, sector="29.1",
                            employees=None, joined=rng.choice([None, "2027-01-01"]))
        elif what == "add":
            ms.append(Member(f"new{len(ms)}", id=f"new{len(ms)}", lat=56.0, lon=49.0, industry=Industry.CORE))
            links.append(Link(ms[-1].id, ms[0].id, LinkKind.RND, id=f"nl{len(links)}"))
        elif what == "drop":
            gone = ms.pop(i).id
            links[:] = [lk for lk in links if gone not in (lk.source, lk.target)]
        else:
            links[i] = replace(links[i], kind=LinkKind.SUPPLY, end="2026-01-01")
        s = rng.choice([CENTRED, NO_CENTRE])
        assert repr(assess(ms, links, s, on=DAY)) == fresh(ms, links, s)
        assert repr(assess(ms, links, s, on=DAY, as_if=[ms[0].id])) == fresh(ms, links, s, as_if=[ms[0].id])


def test_a_drag_updates_the_geographic_checks_as_a_full_assessment_would() -> None:
    ms, links = roster(400, 7)
    for s in (CENTRED, NO_CENTRE):
        results = assess(ms, links, s, on=DAY)
        rng = random.Random(1)
        for step in range(40):
            i = rng.randrange(len(ms))
            far = step % 5 == 0  # now and then across the norm radius or beyond every circle
            ms[i] = replace(ms[i], lat=(ms[i].lat or 55.0) + rng.uniform(-4, 4) * (3 if far else 0.05),
                            lon=(ms[i].lon or 49.0) + rng.uniform(-0.1, 0.1))
            dragged = assess(ms, links, s, on=DAY, previous=results)
            full = assess_arrays(Arrays(ms, links), s, on=DAY)
            assert repr(dragged[:2]) == repr(full[:2]), (s, step)


def test_the_demo_is_assessed_alike_through_reused_and_fresh_arrays() -> None:
    ms, links, s = demo_cluster()
    assess(ms[:10], links[:5], s)  # another roster first: the kept arrays must not leak into it
    assert repr(assess(ms, links, s, on=DAY)) == fresh(list(ms), list(links), s)


def test_drafts_never_count_but_can_be_assessed_as_if_they_joined() -> None:
    ms, links = roster(80, 3)
    firm = Member("Draft firm", id="d1", status=Status.DRAFT, industry=Industry.CORE, sector="29.1",
                  lat=55.8, lon=49.1, employees=50)
    with_draft = [*ms, firm]
    today = assess(with_draft, links, CENTRED, on=DAY)
    assert repr(today) == repr(assess(ms, links, CENTRED, on=DAY))  # a draft changes nothing
    as_if = assess(with_draft, links, CENTRED, on=DAY, as_if=["d1"])
    assert as_if[0].value == today[0].value + 1  # counted firm, inside the circle


def test_day_codes_keep_the_order_of_iso_dates() -> None:
    days = ["1999-12-31", "2000-01-01", "2026-02-28", "2026-03-01", "2026-10-09"]
    assert [day_code(d) for d in days] == sorted(day_code(d) for d in days)
    assert day_code("2026-06-01") == 20260601
