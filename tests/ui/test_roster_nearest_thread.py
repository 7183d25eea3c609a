"""Issue 17: the Nearest place cells of the rows a sort or a scroll brings on screen are looked up
on a thread, the rows waiting in one batch (on the GUI thread they cost it 20-30 ms after every
sort at 100,000 members), and give what ``places.nearest_place`` gives."""

from __future__ import annotations

import random
import threading
from typing import Any

import cluster_desk.places as places
from cluster_desk.core.model import Member
from cluster_desk.ui.roster.nearest_place import NearestPlaces, nearest_text


def test_the_rows_nearest_places_are_looked_up_on_a_thread(qapp: Any, qtbot: Any, monkeypatch: Any) -> None:
    rng = random.Random(4)
    members = [Member(name=f"m{i}", lat=rng.uniform(54, 57), lon=rng.uniform(47, 53)) for i in range(25)]
    real = places.nearest_place
    callers: list[str] = []

    def recorded(lat: float, lon: float, **kwargs: Any) -> tuple[str, float]:
        callers.append(threading.current_thread().name)
        return real(lat, lon, **kwargs)

    monkeypatch.setattr(places, "nearest_place", recorded)
    nearest = NearestPlaces()
    filled: list[str] = []
    nearest.filled.connect(filled.extend)
    assert all(nearest.lookup(m) is None for m in members)  # queued: nothing known yet
    qtbot.waitUntil(lambda: len(set(filled)) == len(members), timeout=60_000)
    assert callers and "MainThread" not in callers
    for m in members:
        name, km = real(m.lat, m.lon)
        assert nearest.lookup(m) == nearest.cached(m) == nearest_text(name, km)


def test_a_batch_of_a_forgotten_roster_is_not_taken(qapp: Any, qtbot: Any, monkeypatch: Any) -> None:
    member = Member(name="m", lat=55.79, lon=49.12)
    gate = threading.Event()
    real = places.nearest_place

    def held(lat: float, lon: float, **kwargs: Any) -> tuple[str, float]:
        assert gate.wait(timeout=30)
        return real(lat, lon, **kwargs)

    monkeypatch.setattr(places, "nearest_place", held)
    nearest = NearestPlaces()
    qtbot.waitUntil(lambda: nearest.lookup(member) is None and nearest._busy, timeout=60_000)
    nearest.forget()  # another project opened meanwhile
    gate.set()
    qtbot.waitUntil(lambda: not nearest._busy, timeout=30_000)
    assert nearest.cached(member) is None


def test_a_filled_screenful_after_a_reset_makes_no_id_map(qapp: Any) -> None:
    """The rows' id -> row map is not made for the few rows a fill names (40-60 ms of the GUI
    thread at 100,000 rows after a reset's paint): the column's cells are told at once."""
    from test_roster_fast_keys import _random_members, _views_side

    from cluster_desk.ui.project.session import ChangeSet
    from cluster_desk.ui.roster.model import COL

    members = _random_members(random.Random(3), 50)
    session, model = _views_side([])
    session.members = {m.id: m for m in members}
    model.apply_change(ChangeSet(reset=True))
    assert model._row_map is None
    told: list[tuple[int, int, int, int]] = []
    model.dataChanged.connect(lambda a, b, *_: told.append((a.row(), b.row(), a.column(), b.column())))
    model._nearest_filled([members[7].id])
    assert model._row_map is None
    col = COL["nearest"]
    assert any(lo <= 7 <= hi and c0 <= col <= c1 for lo, hi, c0, c1 in told)
    session.project = None
