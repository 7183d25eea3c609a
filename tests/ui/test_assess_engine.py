"""The assessor's engine (ui/project/assess_engine.py): whatever it reuses between requests, its
results are those of a fresh core.assessment.assess on the same snapshot; and it imports no Qt
(it runs on the worker thread, where no widget may be touched)."""

from __future__ import annotations

import ast
import dataclasses
import random
from pathlib import Path

import numpy as np
import pytest

from cluster_desk.core.assessment import assess
from cluster_desk.core.checks import context, tallies
from cluster_desk.core.checks.context import Arrays
from cluster_desk.core.demo import demo_cluster
from cluster_desk.core.geodesy import distances_km
from cluster_desk.core.model import ClusterSettings, Link, LinkKind, Member, SizeScheme
from cluster_desk.ui.project import assess_engine
from cluster_desk.ui.project.assess_engine import AssessRequest, Engine, LinkStep, counts

ENGINE = Path(__file__).resolve().parents[2] / "cluster_desk" / "ui" / "project" / "assess_engine.py"


def _run(engine: Engine, members: list[Member], links: list[Link], settings: ClusterSettings,
         on: str | None = None, **kw: object) -> object:
    done = engine.assess(AssessRequest(tuple(members), tuple(links), settings, on=on, **kw))  # type: ignore[arg-type]
    assert done.results == assess(members, links, settings, on=on)
    assert done.counts == counts(members)
    return done


def test_every_reuse_path_gives_the_fresh_results() -> None:
    members, links, settings = demo_cluster()
    engine = Engine()
    assert _run(engine, members, links, settings).arrays == "built"
    again = _run(engine, members, links, settings)
    assert (again.arrays, again.full) == ("reused", False)  # the same state: geographic part only
    # A marker drop: one member moved (positions patched, geographic checks only).
    i = next(k for k, m in enumerate(members) if m.located)
    members[i] = dataclasses.replace(members[i], lat=members[i].lat + 2.5, lon=members[i].lon - 3.0)
    moved = _run(engine, members, links, settings)
    assert (moved.arrays, moved.full) == ("positions", False)
    members[i] = dataclasses.replace(members[i], lat=None, lon=None)  # back to "not placed"
    assert _run(engine, members, links, settings).arrays == "positions"
    settings = dataclasses.replace(settings, radius_km=90.0, centre_lat=55.6, centre_lon=49.4)
    circle = _run(engine, members, links, settings)
    assert (circle.arrays, circle.full) == ("reused", False)
    links = [*links, Link(members[0].id, members[1].id, LinkKind.RND, id="new-tie")]
    added = _run(engine, members, links, settings)
    assert (added.arrays, added.full) == ("links", True)
    members[3] = dataclasses.replace(members[3], employees=(members[3].employees or 0) + 500)
    edited = _run(engine, members, links, settings)
    assert (edited.arrays, edited.full) == ("built", True)
    past = _run(engine, members, links, settings, on="2021-06-30")
    assert (past.arrays, past.full) == ("reused", True)  # another day: every check again
    settings = dataclasses.replace(settings, mass_min=settings.mass_min + 3)
    assert _run(engine, members, links, settings, on="2021-06-30").full  # a threshold changed
    assert _run(engine, members[:-1], links, settings).arrays == "built"  # a member gone


def test_random_edits_match_a_fresh_assessment() -> None:
    """Moves, placements, circle changes, field edits and new links in a random order."""
    rng = random.Random(13)
    members, links, settings = demo_cluster(seed=5)
    engine = Engine()
    for step in range(40):
        what = rng.choice(["move", "move", "move", "circle", "field", "link", "unplace"])
        i = rng.randrange(len(members))
        m = members[i]
        if what == "move":
            members[i] = dataclasses.replace(m, lat=55.0 + rng.uniform(-3, 3), lon=49.0 + rng.uniform(-5, 5))
        elif what == "unplace":
            members[i] = dataclasses.replace(m, lat=None, lon=None)
        elif what == "circle":
            settings = dataclasses.replace(settings, radius_km=rng.uniform(50, 400),
                                           centre_lat=rng.choice([None, 55.8]), centre_lon=49.1)
            if settings.centre_lat is None:
                settings = dataclasses.replace(settings, centre_lon=None)
        elif what == "field":
            members[i] = dataclasses.replace(m, employees=rng.randrange(1, 3000))
        else:
            j = rng.randrange(len(members))
            if j != i:
                links = [*links, Link(m.id, members[j].id, rng.choice(list(LinkKind)), id=f"t{step}")]
        _run(engine, members, links, settings)


def test_distances_only_when_the_centre_moved() -> None:
    members, links, settings = demo_cluster()
    engine = Engine()
    first = _run(engine, members, links, settings, distances=True)
    assert first.centre is not None and first.distances is not None
    located = [m for m in members if m.located]
    want = distances_km(first.centre[0], first.centre[1], np.array([m.lat for m in located]),
                        np.array([m.lon for m in located]))
    assert list(first.distances) == [m.id for m in located]
    assert np.allclose(list(first.distances.values()), want, rtol=0, atol=1e-9)
    same = _run(engine, members, links, settings, distances=True, known_centre=first.centre)
    assert same.distances is None  # the caller's distances stand
    fixed = dataclasses.replace(settings, centre_lat=56.0, centre_lon=50.0)
    moved = _run(engine, members, links, fixed, distances=True, known_centre=first.centre)
    assert moved.centre == (56.0, 50.0) and moved.distances is not None
    assert moved.distances[located[0].id] == pytest.approx(
        float(distances_km(56.0, 50.0, np.array([located[0].lat]), np.array([located[0].lon]))[0]))


def test_participants_of_a_day() -> None:
    members, links, settings = demo_cluster()
    done = Engine().assess(AssessRequest(tuple(members), tuple(links), settings, on="2022-01-01",
                                         participant_ids=True))
    a = Arrays(members, links)
    assert done.participants == tuple(members[i].id for i in np.flatnonzero(a.participants("2022-01-01")))


def test_the_engine_imports_no_qt() -> None:
    """It runs on the worker thread: nothing there may reach a widget (only core is imported,
    and the Qt-free heap trim, which test_layering keeps free of Qt)."""
    tree = ast.parse(ENGINE.read_text(encoding="utf-8"))
    names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    ours = [n for n in names if n.startswith("cluster_desk")]
    assert ours and all(n.startswith("cluster_desk.core") or n == "cluster_desk.memory" for n in ours), ours
    assert not [n for n in names if n.split(".")[0] in ("PySide6", "shiboken6")]


@pytest.mark.parametrize(("dead_rows", "max_touched", "keep_networks"),
                         [(1_000, 5_000, 10**6), (2, 5_000, 10**6), (1_000, 2, 10**6), (1_000, 5_000, 0)])
def test_link_edits_patched_in_place_match_a_fresh_assessment(dead_rows: int, max_touched: int,
                                                              keep_networks: int,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Links added, edited and deleted as the session hands them (a version and the last edits,
    some requests skipped as a burst would), with moves, field edits, a past day and a circle
    change between them: the patched arrays always give a fresh assessment's results. Edits
    change kinds (directed and not), volumes, ends and end dates; a member is deleted with its
    links; the SME size scheme changes. dead_rows 2: removed rows are dropped from the columns
    often; max_touched 2: the tallies are often built again rather than patched; keep_networks
    0: no day network is kept once assessed (a million members), each is built again."""
    monkeypatch.setattr(assess_engine, "KEEP_NETWORKS_UP_TO", keep_networks)
    monkeypatch.setattr(context, "DEAD_LINK_ROWS", dead_rows)
    monkeypatch.setattr(tallies, "PATCH_MAX_TOUCHED", max_touched)
    rng = random.Random(7)
    members, links, settings = demo_cluster(seed=3)
    by_id = {lk.id: lk for lk in links}
    engine = Engine()
    version, steps = 0, []
    kinds = list(LinkKind)
    days = [None, None, None, "2021-06-30"]
    hows = set()
    for step in range(120):
        what = rng.choice(["add", "add", "edit", "edit", "delete", "delete", "burst", "move", "field",
                           "circle", "undated", "end", "volume", "unlink", "scheme", "output"])
        ids = [m.id for m in members]
        before = version
        upserted: list[Link] = []
        removed: list[str] = []
        if what in ("add", "burst", "undated"):
            for k in range(3 if what == "burst" else 1):
                a, b = rng.sample(ids, 2)
                start = None if what == "undated" else rng.choice([None, "2020-01-01", "2023-05-01"])
                lk = Link(a, b, rng.choice(kinds), id=f"n{step}-{k}", start=start,
                          end=rng.choice([None, None, "2022-01-01"]),
                          volume=rng.choice([None, 1e6, 5e7]))
                upserted.append(lk)
        elif what == "edit" and by_id:
            old = by_id[rng.choice(sorted(by_id))]
            upserted.append(dataclasses.replace(old, kind=rng.choice(kinds), volume=rng.choice([None, 2e6]),
                                                target=rng.choice(ids) if rng.random() < 0.3 else old.target))
            if upserted[-1].target == upserted[-1].source:
                upserted.pop()
        elif what in ("end", "volume") and by_id:
            old = by_id[rng.choice(sorted(by_id))]
            upserted.append(dataclasses.replace(old, end=rng.choice([None, "2021-01-01", "2030-01-01"]))
                            if what == "end" else
                            dataclasses.replace(old, volume=rng.choice([None, 0.1, 7.5e6, 1e9])))
        elif what == "delete" and by_id:
            removed = rng.sample(sorted(by_id), min(len(by_id), rng.choice([1, 1, 4])))
        elif what == "unlink":  # a member deleted with its links (the session removes both)
            gone = members.pop(rng.randrange(len(members))).id
            removed = sorted(lid for lid, lk in by_id.items() if gone in (lk.source, lk.target))
        elif what == "scheme":
            settings = dataclasses.replace(settings, size_scheme=rng.choice(list(SizeScheme)))
        elif what == "output":
            i = rng.randrange(len(members))
            members[i] = dataclasses.replace(members[i], output=rng.choice([None, 5e8]),
                                             organising_production=rng.random() < 0.5)
        elif what == "move":
            i = rng.randrange(len(members))
            members[i] = dataclasses.replace(members[i], lat=55 + rng.uniform(-2, 2),
                                             lon=49 + rng.uniform(-3, 3))
        elif what == "field":
            i = rng.randrange(len(members))
            members[i] = dataclasses.replace(members[i], employees=rng.randrange(1, 900))
        elif what == "circle":
            settings = dataclasses.replace(settings, radius_km=rng.uniform(60, 300))
        if upserted or removed:
            for lid in removed:
                del by_id[lid]
            for lk in upserted:
                by_id[lk.id] = lk
            version += 1
            steps = [*steps, LinkStep(before, version, tuple(upserted), tuple(removed))][-16:]
        if rng.random() < 0.25:
            continue  # superseded in the queue: the next request carries both edits
        snapshot = tuple(by_id.values())
        day = rng.choice(days)
        done = engine.assess(AssessRequest(tuple(members), snapshot, settings, on=day,
                                           links_version=version, link_steps=tuple(steps)))
        assert done.results == assess(members, list(snapshot), settings, on=day), (step, what)
        assert done.counts == counts(members)
        nets = engine._arrays._nets  # type: ignore[union-attr]
        assert keep_networks or not nets
        assert not any({"pairs", "link_code"} & set(dn.net.memo) for dn in nets.values())
        hows.add(done.arrays)
    assert {"link edit", "reused", "positions"} <= hows, hows


def test_an_unknown_link_version_reads_every_link() -> None:
    members, links, settings = demo_cluster()
    engine = Engine()
    engine.assess(AssessRequest(tuple(members), tuple(links), settings, links_version=4))
    fewer = tuple(links[1:])
    # Version 9 with no step from 4: the engine cannot patch, so it compares the records.
    done = engine.assess(AssessRequest(tuple(members), fewer, settings, links_version=9))
    assert done.arrays == "links" and done.results == assess(members, list(fewer), settings)


@pytest.mark.parametrize("big", [True, False])
def test_a_big_projects_heap_is_trimmed_before_the_result_goes(big: bool,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Above KEEP_NETWORKS_UP_TO links (a million members) the day networks are dropped once
    assessed and the worker's heap is handed back before ``assess`` returns, i.e. before the
    assessor sends the result (issue 17: the RSS when the first assessment is shown); ``tidy``
    trims again after the send (what the arrays cache's save freed). Smaller projects pay no
    trim before their result."""
    monkeypatch.setattr(assess_engine, "KEEP_NETWORKS_UP_TO", 0 if big else 10**6)
    calls: list[str] = []
    real_trim = assess_engine.trim_heap
    monkeypatch.setattr(assess_engine, "trim_heap", lambda: bool(calls.append("trim")) or real_trim())
    members, links, settings = demo_cluster()
    engine = Engine()
    done = engine.assess(AssessRequest(tuple(members), tuple(links), settings))
    assert done.results == assess(members, links, settings)
    assert calls == (["trim"] if big else [])
    engine.tidy()
    assert calls == (["trim", "trim"] if big else [])
