"""Issue 17: the Region filter box of a big roster never looks the regions up on the GUI thread.

Opened while the lookup runs on its thread, it lists what is known ("All regions…", a busy pointer)
and fills in when the thread answers; a region chosen then filters to the members in it.
"""

from __future__ import annotations

import random
import threading
from typing import Any

from PySide6.QtCore import Qt
from test_roster_fast_keys import _random_members, _shown, _views_side

from cluster_desk.places.regions import default_subjects
from cluster_desk.ui.project.session import ChangeSet
from cluster_desk.ui.roster import subject_column
from cluster_desk.ui.roster.panel import RosterPanel


def test_the_region_box_opens_while_the_lookup_runs_and_fills_in_when_it_answers(
        qapp: Any, qtbot: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(subject_column, "_ONE_BY_ONE", 50)
    members = _random_members(random.Random(21), 300)
    index = default_subjects()
    real = index.codes
    gate = threading.Event()
    callers: list[str] = []

    def gated(lats: Any, lons: Any) -> Any:  # the real lookup, held until the box was opened
        callers.append(threading.current_thread().name)
        gate.wait(timeout=20)
        return real(lats, lons)

    monkeypatch.setattr(index, "codes", gated)
    session, model = _views_side([])
    panel = RosterPanel(model)
    qtbot.addWidget(panel)
    panel.resize(900, 400)
    panel.show()
    session.members = {m.id: m for m in members}
    model.apply_change(ChangeSet(reset=True))
    box = panel.region_combo
    try:
        box.showPopup()  # while the thread is held: returns at once, looks nothing up itself
        assert box.pending and box.count() == 1 and box.itemText(0).endswith("…")
        assert box.cursor().shape() == Qt.CursorShape.BusyCursor
        qtbot.waitUntil(lambda: bool(callers))
        assert "MainThread" not in callers  # the lookup is the thread's
    finally:
        gate.set()
    qtbot.waitUntil(lambda: not box.pending)  # the thread answered: the open list shows them all
    assert "MainThread" not in callers
    assert box.view().isVisible() and box.count() > 3
    box.hidePopup()
    assert not box.itemText(0).endswith("…") and box.cursor().shape() != Qt.CursorShape.BusyCursor

    def code_of(m: Any) -> str | None:
        if m.lat is None:
            return None
        s = index.code_table[int(real([m.lat], [m.lon])[0])]
        return None if s is None else s.code

    codes = {m.id: code_of(m) for m in members}
    listed = [box.itemData(i) for i in range(1, box.count())]
    assert sorted(listed) == sorted({c for c in codes.values() if c is not None})
    assert len(listed) > 3
    box.setCurrentIndex(2)  # a region chosen: its members, in the rows' order
    assert _shown(panel.proxy) == [m.id for m in members if codes[m.id] == listed[1]]
    box.setCurrentIndex(0)
    assert len(_shown(panel.proxy)) == len(members)
    session.project = None


def test_a_small_rosters_region_box_lists_its_regions_at_once(qapp: Any, qtbot: Any) -> None:
    members = _random_members(random.Random(22), 40)
    session, model = _views_side(members)
    panel = RosterPanel(model)
    qtbot.addWidget(panel)
    box = panel.region_combo
    box.showPopup()
    assert not box.pending and box.count() > 2 and box.itemText(0) == box.tr("All regions")
    box.hidePopup()
    session.project = None


def test_an_opened_projects_packed_ids_get_their_regions_from_the_thread_part_by_part(
        qapp: Any, monkeypatch: Any) -> None:
    """The thread's id -> region map is made a part at a time from an opened project's packed ids
    (a TextColumn: its block, then ids appended since; issue 17: iterating it whole held the GIL
    ~0.1-0.8 s at a million): every member gets the region a lookup of its own point gives."""
    from cluster_desk.core.tables import TextColumn

    monkeypatch.setattr(subject_column, "_MAP_CHUNK", 7)
    monkeypatch.setattr(subject_column, "_CHUNK", 11)
    members = _random_members(random.Random(5), 60)
    ids = TextColumn.of([m.id for m in members[:50]])
    assert ids is not None
    ids.extend(m.id for m in members[50:])  # (a tail beside the packed block)
    lats = [float("nan") if m.lat is None else m.lat for m in members]
    lons = [float("nan") if m.lon is None else m.lon for m in members]
    column = subject_column.SubjectColumn()
    done = threading.Event()
    column.on_loaded = done.set
    column.update_points(ids, lats, lons)
    column._prefetch()
    assert done.wait(timeout=60)
    assert column.adopt()
    index = default_subjects()
    assert [column.subject(m.id) for m in members] == index.lookup(lats, lons)
