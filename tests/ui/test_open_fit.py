"""The opening fit of a big project builds no record (issue 17): around the bulk of its members,
or around the circle its settings fix. (Fitting a fixed centre used to walk every record for
``effective_centre``: 100,000 records built on the GUI thread inside the open call.)

The real window and map page (offscreen) and a real demo file; "big" is lowered to the demo's
size (``sync.EXACT_FIRST_FIT``).
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()  # before pytest-qt creates the QApplication (module import time)

from ui_helpers import TIMEOUT, demo_file, make_window  # noqa: E402

from cluster_desk.core.circle import circle_bounds  # noqa: E402
from cluster_desk.store.project import Project  # noqa: E402
from cluster_desk.ui.map import sync  # noqa: E402


def _fits(window: Any) -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []

    def record(text: str) -> None:
        op = json.loads(text)
        ops = op["commands"] if op.get("op") == "batch" else [op]
        sent.extend(o for o in ops if o["op"] == "fitBounds")

    window.map.bridge.command.connect(record)
    return sent


@pytest.mark.parametrize("fixed", [True, False], ids=["fixed centre", "no centre"])
def test_a_big_projects_opening_fit_builds_no_record(
        qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fixed: bool) -> None:
    monkeypatch.setattr(sync, "EXACT_FIRST_FIT", 0)
    path = demo_file(tmp_path)
    with Project.open(path) as project:
        lat, lon = (55.1, 51.2) if fixed else (None, None)
        settings = dataclasses.replace(project.settings(), centre_lat=lat, centre_lon=lon, radius_km=150.0)
        project.set_settings(settings)
    window = make_window(qtbot, tmp_path)
    fits = _fits(window)
    assert window.files.open_path(path)
    members = window.session.members
    assert len(members.unbuilt()) == len(members) > 0  # none built by the open
    expected = (circle_bounds(55.1, 51.2, 150.0, margin=0.0) if fixed
                else sync.bulk_bounds(window.session.opened.members))
    assert expected is not None and len(fits) == 1
    assert [fits[0][k] for k in ("south", "west", "north", "east")] == pytest.approx(list(expected))
    seq = window.map.seq
    qtbot.waitUntil(lambda: window.map.last_drawn >= seq, timeout=TIMEOUT)



def test_fit_cluster_reads_no_record_and_fits_the_members_in_the_circle(
        qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """View > Fit Cluster on an opened project: the bounds of the located members within the
    circle, found from the worker's arrays (it built each of them on the GUI thread: ~80,000
    records and 1-2 s at 100,000 members, issue 17). "Big" (no record built for the opening
    fit, nor in slices after the open) is lowered to the demo's size."""
    from cluster_desk.core.circle import members_bounds
    from cluster_desk.ui.project import live_assessment

    monkeypatch.setattr(live_assessment, "SLICES_UP_TO", 0)
    monkeypatch.setattr(sync, "EXACT_FIRST_FIT", 0)

    path = demo_file(tmp_path)
    window = make_window(qtbot, tmp_path)
    assert window.files.open_path(path)
    session = window.session
    qtbot.waitUntil(lambda: bool(session.results and session.inside_ids()) and not session.assessor.busy,
                    timeout=TIMEOUT)
    members = session.members
    unbuilt = len(members.unbuilt())
    assert unbuilt > 0
    fits = _fits(window)
    window.actions.fit_all.trigger()
    qtbot.waitUntil(lambda: len(fits) == 1, timeout=TIMEOUT)
    assert len(members.unbuilt()) == unbuilt  # not one record read for it
    inside = [members[i] for i in session.inside_ids()]
    expected = members_bounds(inside, margin=0.08)
    assert expected is not None and 1 < len(inside) < len(members)
    assert [fits[0][k] for k in ("south", "west", "north", "east")] == pytest.approx(list(expected))
