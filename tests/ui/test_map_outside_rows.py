"""An opened project's first outside set (a million members: ~120,000 ids) reaches the page as a
bit per row of its members' blob, made by the checks' worker (ui/project/assess_engine.py
outside_rows, ui/map/view.py set_outside; issue 17), and the page names them by that blob's ids.
Observed on the real page offscreen: which markers carry the red ring; and what the page does
with rows that do not fit (nothing: the rings stay)."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()  # before pytest-qt creates the QApplication (module import time)

import numpy as np  # noqa: E402
from map_page_helpers import TIMEOUT, ModuleBot, js, members_around, open_view, stats, wait_drawn  # noqa: E402
from ui_helpers import demo_file, make_window, wait_for  # noqa: E402

from cluster_desk.core.model import Member, MemberKind, Status  # noqa: E402
from cluster_desk.core.palette import OUTSIDE_RED  # noqa: E402
from cluster_desk.core.tables import MemberColumns  # noqa: E402
from cluster_desk.ui.map import view as map_view  # noqa: E402
from cluster_desk.ui.map.view import MapView  # noqa: E402
from cluster_desk.ui.project.assess_engine import OutsideRows  # noqa: E402
from cluster_desk.ui.project.commands import MoveMember  # noqa: E402


def _record(view: MapView) -> list[dict[str, Any]]:
    ops: list[dict[str, Any]] = []
    view.bridge.command.connect(lambda text: ops.append(json.loads(text)))
    return ops


def _ringed(qtbot: Any, view: MapView, ids: list[str]) -> set[str]:
    """Which of ``ids`` the page draws with the outside ring."""
    colours = js(qtbot, view, f"{json.dumps(ids)}.map((i) => {{ const m = window.__clusterDesk.member(i);"
                              " return m === null ? null : m.style.color; })")
    return {i for i, c in zip(ids, colours, strict=True) if c == OUTSIDE_RED}


def _outside_ops(ops: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [o for o in ops if o["op"] in ("setOutside", "changeOutside")]


def test_the_first_result_rings_by_rows_then_edits_by_id(
        qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo has unplaced members before some outside ones (their blob row is not their row
    in the file): the page rings exactly the members the check counts outside. A move out of the
    radius rings that member, its undo (back in) un-rings it, a redo rings it again."""
    monkeypatch.setattr(map_view, "ROWS_FROM", 1)  # (the demo: 3 outside)
    window = make_window(qtbot, tmp_path)
    ops = _record(window.map)
    assert window.files.open_path(demo_file(tmp_path))
    session = window.session
    qtbot.waitUntil(lambda: bool(session.results) and bool(_outside_ops(ops)), timeout=TIMEOUT)
    wait_drawn(qtbot, window.map, window.map.seq)
    conc = next(r for r in session.results if r.id == "concentration")
    first = _outside_ops(ops)
    assert [o["op"] for o in first] == ["setOutside"] and isinstance(first[0]["mask"], str)
    assert first[0]["rows"] == window.map.member_rows_seq and first[0]["ids"] == []  # no id list
    placed = [m.id for m in session.members.values() if m.located]
    sent = session.outside_rows
    assert sent is not None and sent.ids is conc.member_ids and sent.by_id == ()
    file_rows = sorted(sent.of.ids.index(i) for i in conc.member_ids)
    assert sorted(sent.rows.tolist()) != file_rows  # (an unplaced member comes before one of them)
    assert len(conc.member_ids) == 3 and _ringed(qtbot, window.map, placed) == set(conc.member_ids)

    def ringed_after(step: Any) -> set[str]:
        before = session.results
        step()
        qtbot.waitUntil(lambda: session.results is not before and not session.assessment_pending,
                        timeout=TIMEOUT)
        qtbot.waitUntil(lambda: not window.sync._outside_timer.isActive(), timeout=TIMEOUT)  # (sent)
        wait_drawn(qtbot, window.map, window.map.seq)
        conc = next(r for r in session.results if r.id == "concentration")
        got = _ringed(qtbot, window.map, placed)
        assert got == set(conc.member_ids)
        return got

    member = next(m for m in session.members.values() if m.located and m.id not in conc.member_ids)
    ops.clear()
    far = ringed_after(lambda: session.undo_stack.push(MoveMember(session, member.id, 55.74, 55.0)))
    assert far == {*conc.member_ids, member.id}  # (the centre is the settings': the others stay)
    moves = [(o["op"], o["add"], o["remove"]) for o in _outside_ops(ops)]
    assert moves == [("changeOutside", [member.id], [])]  # (the set kept since the rows: its change)
    assert ringed_after(session.undo_stack.undo) == set(conc.member_ids)  # back in
    assert ringed_after(session.undo_stack.redo) == far
    assert ringed_after(session.undo_stack.undo) == set(conc.member_ids)


@pytest.fixture(scope="module")
def view(qapp: Any) -> Iterator[tuple[MapView, Any]]:
    v = MapView()
    console = open_view(ModuleBot(), v)
    wait_for(lambda: v.is_ready)
    yield v, console
    v.close()
    v.deleteLater()


def _opened(qtbot: Any, view: MapView) -> MemberColumns:
    """Members as an open sends them (a blob, then their ids once painted); one not placed."""
    ms = members_around(12, seed=3)
    lat = np.array([m.lat for m in ms])
    lat[4] = np.nan
    cols = MemberColumns([m.id for m in ms], [m.name for m in ms], [str(m.kind) for m in ms],
                         [str(m.status) for m in ms], lat, np.array([m.lon for m in ms]))
    wait_drawn(qtbot, view, view.set_member_columns(cols))
    qtbot.waitUntil(lambda: view._texts is None, timeout=TIMEOUT)
    wait_drawn(qtbot, view, view.seq)
    return cols


def _mask(rows: Sequence[int], count: int) -> str:
    bits = np.zeros(count, dtype=np.bool_)
    bits[list(rows)] = True
    return base64.b64encode(np.packbits(bits, bitorder="little").tobytes()).decode("ascii")


def _send_mask(view: MapView, mask: object, **fields: object) -> int:
    return view._send("setOutside", _raw=("mask", json.dumps(mask)), **fields)


def test_the_page_rejects_rows_that_do_not_fit(qtbot: Any, view: tuple[MapView, Any]) -> None:
    """Rows of another members' blob, of another count, a mask of another length, with bits past
    the rows or not base64, ids that are not texts: the page logs an error and keeps its rings."""
    v, console = view
    cols = _opened(qtbot, v)
    placed = [i for k, i in enumerate(cols.ids) if k != 4]
    seq = v.member_rows_seq
    assert seq is not None and len(placed) == 11
    wait_drawn(qtbot, v, v.set_outside([placed[1]]))
    good = _mask([2, 3], 11)
    bad: list[tuple[object, dict[str, Any]]] = [
        (good, {"rows": seq - 1, "count": 11, "ids": []}),  # another blob's rows
        (good, {"rows": seq, "count": 10, "ids": []}),
        (_mask([2, 3], 11) + "AAAA", {"rows": seq, "count": 11, "ids": []}),  # 5 bytes, not 2
        (_mask([2, 3, 12], 16), {"rows": seq, "count": 11, "ids": []}),  # a bit past the 11 rows
        ("!!not base64", {"rows": seq, "count": 11, "ids": []}),
        (12, {"rows": seq, "count": 11, "ids": []}),
        (good, {"rows": seq, "count": 11, "ids": [7]}),
        (good, {"rows": seq, "count": 11, "ids": placed[9]}),
    ]
    for k, (mask, fields) in enumerate(bad):
        console.errors.clear()
        wait_drawn(qtbot, v, _send_mask(v, mask, **fields))
        assert stats(qtbot, v)["outsideRejected"] == k + 1
        assert console.errors and "setOutside" in console.errors[-1]
        assert _ringed(qtbot, v, placed) == {placed[1]}, (mask, fields)
    console.errors.clear()
    # What fits: rows 2 and 4 of the blob (the unplaced member left no row) and one by id.
    wait_drawn(qtbot, v, _send_mask(v, _mask([2, 4], 11), rows=seq, count=11, ids=[placed[9]]))
    assert _ringed(qtbot, v, placed) == {placed[2], placed[4], placed[9]} and cols.ids[5] == placed[4]
    assert stats(qtbot, v)["outside"] == 3 and console.errors == []
    # Once members left the page and came back (new slots), a row names the member, not its old slot.
    wait_drawn(qtbot, v, v.remove_members([placed[2], placed[7]]))
    for k in (2, 8):  # (their rows in the columns)
        v.upsert_member(Member(cols.names[k], kind=MemberKind(cols.kinds[k]), status=Status(cols.statuses[k]),
                               id=cols.ids[k], lat=float(cols.lat[k]), lon=float(cols.lon[k])))
    wait_drawn(qtbot, v, v.set_outside([]))
    wait_drawn(qtbot, v, _send_mask(v, _mask([2, 3], 11), rows=seq, count=11, ids=[]))
    assert _ringed(qtbot, v, placed) == {placed[2], placed[3]} and stats(qtbot, v)["outside"] == 2
    assert console.errors == []
    wait_drawn(qtbot, v, v.set_outside([]))


def _rows(cols: MemberColumns, ids: tuple[str, ...], rows: list[int], count: int = 11) -> OutsideRows:
    return OutsideRows(cols, ids, np.array(rows, dtype=np.int32), count, _mask(rows, count), ())


def test_rows_of_other_columns_go_as_ids(qtbot: Any, view: tuple[MapView, Any],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The view sends rows only for the page's own members blob, when nothing is ringed yet and
    they fit it; otherwise the ids, as before."""
    monkeypatch.setattr(map_view, "ROWS_FROM", 1)
    v, console = view
    cols = _opened(qtbot, v)
    placed = [i for k, i in enumerate(cols.ids) if k != 4]
    ids = (placed[0], placed[6])
    ops = _record(v)

    def sent(rows: OutsideRows, of: Sequence[str] | None = None) -> str:
        ops.clear()
        wait_drawn(qtbot, v, v.set_outside(rows.ids if of is None else of, rows))
        assert _ringed(qtbot, v, placed) == set(ids)
        wait_drawn(qtbot, v, v.set_outside(()))
        return "rows" if "mask" in ops[0] else "ids"

    assert sent(_rows(cols, ids, [0, 6])) == "rows"
    other = MemberColumns(list(cols.ids), cols.names, cols.kinds, cols.statuses, cols.lat, cols.lon)
    assert sent(_rows(other, ids, [0, 6])) == "ids"  # another open's columns
    assert sent(_rows(cols, ids, [0, 6], count=12)) == "ids"  # not the blob's rows
    assert sent(_rows(cols, ids, [0, 6]), of=list(ids)) == "ids"  # (made of other ids than these)
    assert sent(_rows(cols, ids, [0])) == "ids"  # not as many as the ids
    wait_drawn(qtbot, v, v.set_outside([placed[3]]))
    ops.clear()
    wait_drawn(qtbot, v, v.set_outside(ids, _rows(cols, ids, [0, 6])))  # some ringed: ids
    assert [("mask" in o, sorted(o["ids"])) for o in ops] == [(False, sorted(ids))]
    assert _ringed(qtbot, v, placed) == set(ids)
    wait_drawn(qtbot, v, v.set_outside(()))
    assert console.errors == []
