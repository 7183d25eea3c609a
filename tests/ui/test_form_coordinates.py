"""The member form's coordinates as a field officer gets them: degrees with either decimal mark,
degrees-minutes-seconds with Russian hemisphere words, or a whole pair pasted from a map
(Yandex Maps copies "55.796389, 49.108889") into one field. Real dialog, offscreen; a paste is
QLineEdit.insert, what Ctrl+V and the context menu call."""

from __future__ import annotations

from typing import Any

import pytest

from cluster_desk.core.model import Member

pytest.importorskip("PySide6.QtWidgets")


def form(qtbot: Any) -> Any:
    from cluster_desk.ui.project.member_form import MemberForm

    dialog = MemberForm(Member("ООО «Альфа»", id="a"), links=[])
    qtbot.addWidget(dialog)
    return dialog


def test_a_pair_pasted_into_either_field_fills_both(qtbot: Any, russian: None) -> None:
    dialog = form(qtbot)
    dialog.lon.insert("55.796389, 49.108889")
    assert (dialog.lat.text(), dialog.lon.text()) == ("55,796389", "49,108889")
    assert dialog.problems() == [] and (dialog.member().lat, dialog.member().lon) == (55.796389, 49.108889)
    dialog.lat.clear()
    dialog.lon.clear()
    dialog.lat.insert("55°47′47″ с. ш. 49°06′32″ в. д.")  # Russian Wikipedia
    assert dialog.member().lat == pytest.approx(55 + 47 / 60 + 47 / 3600)
    assert dialog.member().lon == pytest.approx(49 + 6 / 60 + 32 / 3600)


def test_typing_degrees_minutes_seconds_is_not_taken_for_a_pair(qtbot: Any) -> None:
    from PySide6.QtTest import QTest

    dialog = form(qtbot)
    QTest.keyClicks(dialog.lat, "55 47 24")  # "55 47" on the way reads as a pair: not split
    QTest.keyClicks(dialog.lon, "49,1")
    assert (dialog.lat.text(), dialog.lon.text()) == ("55 47 24", "49,1")
    assert dialog.member().lat == pytest.approx(55 + 47 / 60 + 24 / 3600) and dialog.member().lon == 49.1


def test_one_coordinate_in_any_common_form_and_a_clear_word_for_the_rest(qtbot: Any) -> None:
    dialog = form(qtbot)
    dialog.lat.setText("55°47′47″ с. ш.")
    dialog.lon.setText("49.1")
    assert dialog.problems() == [] and dialog.member().lat == pytest.approx(55.796389, abs=1e-6)
    dialog.lon.setText("east")
    assert dialog.problems() == ["Write a coordinate as 55,7963 or 55°47′47″ N."]
    dialog.lon.setText("49°06′32″ с. ш.")  # a latitude's hemisphere in the longitude
    assert dialog.problems() == ["Write a coordinate as 55,7963 or 55°47′47″ N."]
    dialog.lon.setText("200")
    assert dialog.problems() == ["Latitude must be within ±90°, longitude within ±180°."]


def test_an_inn_pasted_with_its_label_and_spaces_keeps_its_digits(qtbot: Any) -> None:
    from PySide6.QtTest import QTest

    dialog = form(qtbot)
    dialog.inn.insert("ИНН 1650 018 159")
    assert dialog.inn.text() == "1650018159" and dialog.problems() == []
    dialog.inn.clear()
    QTest.keyClicks(dialog.inn, "16a5")  # a letter typed is dropped, as before
    assert dialog.inn.text() == "165" and dialog.inn.cursorPosition() == 3
