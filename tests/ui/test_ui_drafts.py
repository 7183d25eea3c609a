"""Issue 13: draft members in the window. A member marked "Draft" in the member form leaves the
assessment, shows under the roster's Draft filter, and the Plan tab offers it "as if it joined"
(real window, real project file)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()  # before pytest-qt creates the QApplication (module import time)

from PySide6.QtCore import Qt  # noqa: E402
from ui_helpers import TIMEOUT, check, demo_file, make_window, reopen, wait_map_synced  # noqa: E402

from cluster_desk.core.model import MemberKind, Status  # noqa: E402


def test_a_draft_leaves_the_assessment_and_the_plan_brings_it_back(qtbot: Any, tmp_path: Path) -> None:
    window = make_window(qtbot, tmp_path)
    path = demo_file(tmp_path)
    assert window.files.open_path(path)
    wait_map_synced(qtbot, window)
    mass = check(window, "critical_mass")
    counted_before = int(mass.value)
    # A counted firm (core or related, inside the circle): marked a draft in the member form.
    firm = next(m for m in window.session.members.values()
                if m.status is Status.MEMBER and m.kind is MemberKind.FIRM and m.industry
                and m.lat is not None and m.id not in mass.member_ids
                and (window.session.distance(m.id) or 1e9) < 150)
    window.roster.select_ids([firm.id])
    window.actions.edit_member.trigger()
    qtbot.waitUntil(lambda: window.edits.form is not None, timeout=TIMEOUT)
    form = window.edits.form
    form.status.setCurrentIndex(form.status.findData(Status.DRAFT.value))
    assert form.status.currentText() == "Draft"
    form.accept()
    assert reopen(path)[0][firm.id].status is Status.DRAFT
    qtbot.waitUntil(lambda: check(window, "critical_mass").value == counted_before - 1, timeout=TIMEOUT)
    assert window.session.counts()["drafts"] == 1
    # The roster's status filter has Draft and shows just it.
    combo = window.roster.status_combo
    combo.setCurrentIndex(combo.findText("Draft"))
    qtbot.waitUntil(lambda: window.roster.proxy.rowCount() == 1, timeout=TIMEOUT)
    # The Plan tab ranks it beside the candidates, marked, and "as if" counts it again.
    panel = window.assessment
    panel.tabs.setCurrentWidget(panel.planner)
    planner = panel.planner
    qtbot.waitUntil(lambda: any(g.id == firm.id for g in planner.ranked), timeout=TIMEOUT)
    model = planner.model
    row = next(r for r in range(model.rowCount())
               if model.index(r, 0).data(Qt.ItemDataRole.UserRole) == firm.id)
    assert model.index(row, 0).data() == f"{firm.name} (draft)"
    planner.tick([firm.id])

    def as_if() -> str:  # critical mass, as if it joined (assessed on the worker thread)
        item = planner.compare.item(0, 2)
        return "" if item is None else item.text()

    qtbot.waitUntil(lambda: f"{counted_before} " in as_if() or as_if().endswith(f"{counted_before}"),
                    timeout=TIMEOUT)
    planner.apply.click()  # one undo step makes it a member again
    qtbot.waitUntil(lambda: reopen(path)[0][firm.id].status is Status.MEMBER, timeout=TIMEOUT)
    window.actions.undo.trigger()
    qtbot.waitUntil(lambda: reopen(path)[0][firm.id].status is Status.DRAFT, timeout=TIMEOUT)
