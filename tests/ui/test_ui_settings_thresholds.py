"""Issue 13: the settings dialog shows every threshold the checks apply, each with its default
and source, validated; a changed one reaches the check's source line as "project setting
(default …)" (real window, real project file, the dialog's own OK button)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()  # before pytest-qt creates the QApplication (module import time)

from PySide6.QtWidgets import QComboBox, QDialogButtonBox  # noqa: E402
from ui_helpers import TIMEOUT, demo_file, make_window, reopen, wait_map_synced  # noqa: E402

from cluster_desk.core.assessment import assess  # noqa: E402
from cluster_desk.core.demo import demo_cluster  # noqa: E402
from cluster_desk.core.model import ClusterSettings  # noqa: E402
from cluster_desk.ui.project.settings_dialog import SettingsDialog  # noqa: E402


def test_every_threshold_the_checks_apply_is_on_the_tab_with_default_and_source(qtbot: Any) -> None:
    members, links, settings = demo_cluster()
    applied = {u.key for r in assess(members, links, settings) for u in r.settings}
    dialog = SettingsDialog(ClusterSettings(), "en")
    qtbot.addWidget(dialog)
    tab = dialog.thresholds
    assert applied and applied <= set(tab.editors)
    assert {"org_fte", "org_fees", "org_private_share"} <= set(tab.editors)  # recorded facts
    assert tab.notes["radius_km"].text().startswith("Default: 200 km. OECD")
    assert "Decree No. 779" in tab.notes["registry_share"].text()
    assert dialog.cluster_settings() == ClusterSettings()  # nothing touched: nothing changes (1/3 too)
    tab.editors["scattered_core_share"].setValue(33.3)
    assert dialog.cluster_settings().scattered_core_share == 1 / 3  # shown as 33.3 %: the default
    tab.editors["gap_min_coverage"].setValue(12.5)
    assert dialog.cluster_settings().gap_min_coverage == pytest.approx(0.125)
    assert tab.notes["gap_min_coverage"].text().startswith("Project setting (default 10 %).")
    tab.restore_defaults()
    assert dialog.cluster_settings() == ClusterSettings()


def test_a_changed_threshold_reaches_the_checks_source_line(qtbot: Any, tmp_path: Path) -> None:
    window = make_window(qtbot, tmp_path)
    path = demo_file(tmp_path)
    assert window.files.open_path(path)
    wait_map_synced(qtbot, window)
    before = reopen(path)[2]
    window.actions.settings.trigger()
    qtbot.waitUntil(lambda: window.edits.settings_dialog is not None, timeout=TIMEOUT)
    dialog = window.edits.settings_dialog
    tab = dialog.thresholds
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    # Bad values keep the dialog open, the problem shown under the fields.
    tab.editors["mass_min"].setValue(300)
    ok.click()
    assert dialog.isVisible() and "lower bound" in tab.error.text() and dialog.tabs.currentWidget() is tab
    tab.editors["mass_min"].setValue(100)
    assert not tab.error.isVisible()
    tab.editors["gap_min_coverage"].setValue(20)
    scheme = tab.editors["size_scheme"]
    assert isinstance(scheme, QComboBox)
    scheme.setCurrentIndex(scheme.findData("eu"))
    ok.click()
    qtbot.waitUntil(lambda: window.edits.settings_dialog is None, timeout=TIMEOUT)
    saved = reopen(path)[2]
    assert saved.gap_min_coverage == pytest.approx(0.2) and saved.size_scheme == "eu"
    assert saved.scattered_core_share == before.scattered_core_share  # untouched: exactly as stored
    qtbot.waitUntil(lambda: "Project setting" in window.assessment.cards["links"].source.text(),
                    timeout=TIMEOUT)
    links_line = window.assessment.cards["links"].source.text()
    assert "20 %" in links_line and "(default 10 %)" in links_line
    assert "(default 209-FZ)" in window.assessment.cards["focal"].source.text()
    assert "Project setting" not in window.assessment.cards["critical_mass"].source.text()
