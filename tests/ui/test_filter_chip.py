"""The roster's check chip ("Critical mass: 15,711 members ✕") never widens its row: short of
room it takes its short wording, then cuts the check's name, and keeps the count and the ✕
(in Russian a check clicked had made the window 1,388-1,497 px wide, past a laptop's screen)."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("PySide6.QtWidgets")

from PySide6.QtWidgets import QHBoxLayout, QWidget

from cluster_desk.ui.widgets.filter_chip import FilterChip

FORMS = ("%1: 15,711 members  ✕", "%1: 15,711  ✕")
NAME = "Industrial-cluster registry"


@pytest.fixture
def row(qtbot: Any) -> tuple[QWidget, FilterChip]:
    """The chip alone in a row with no margins: as wide as the row, down to its minimum."""
    widget = QWidget()
    layout = QHBoxLayout(widget)
    layout.setContentsMargins(0, 0, 0, 0)
    chip = FilterChip("Show all members again")
    layout.addWidget(chip)
    chip.set_text(FORMS, NAME)
    qtbot.addWidget(widget)
    widget.show()
    return widget, chip


def test_the_chip_asks_for_its_whole_text_and_shrinks_to_a_few_letters(row: Any) -> None:
    _widget, chip = row
    whole = "Industrial-cluster registry: 15,711 members  ✕"
    assert chip.whole == whole
    assert chip.toolTip() == f"{whole}\nShow all members again"
    assert chip.sizeHint().width() > chip.fontMetrics().horizontalAdvance(whole)
    assert chip.minimumSizeHint().width() < chip.sizeHint().width() // 2


def test_short_of_room_the_chip_keeps_the_count_and_cuts_the_name(qtbot: Any, row: Any) -> None:
    widget, chip = row
    advance = chip.fontMetrics().horizontalAdvance
    frame = chip.sizeHint().width() - advance(chip.whole)
    widget.resize(chip.sizeHint().width(), widget.height())
    qtbot.waitUntil(lambda: chip.text() == chip.whole)
    widget.resize(frame + advance("Industrial-cluster registry: 15,711  ✕") + 2, widget.height())
    qtbot.waitUntil(lambda: chip.text() == "Industrial-cluster registry: 15,711  ✕")
    widget.resize(10, widget.height())  # (the chip stays at its minimum)
    qtbot.waitUntil(lambda: chip.width() <= chip.minimumSizeHint().width() + 1)
    shown = chip.text()
    assert shown.startswith("In") and shown.endswith("…: 15,711  ✕"), shown
    assert advance(shown) <= chip.width() - frame + 1
    assert chip.toolTip().startswith("Industrial-cluster registry: 15,711 members  ✕")
