"""The Russian interface: our .qm and Qt's own translations load and the window speaks Russian."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()  # before pytest-qt creates the QApplication

from PySide6.QtCore import QLocale, Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from ui_helpers import demo_file, make_window  # noqa: E402

from cluster_desk.ui import i18n  # noqa: E402
from cluster_desk.ui.i18n import choose_language, install_translators, remove_translators  # noqa: E402


@pytest.fixture
def russian(qapp: QApplication) -> Iterator[list[Any]]:
    translators = install_translators(qapp, "ru")
    yield translators
    remove_translators(qapp, translators)
    install_translators(qapp, "en")  # back to the source language and English number format


def test_language_follows_the_system_locale_unless_chosen() -> None:
    assert choose_language("", QLocale(QLocale.Language.Russian, QLocale.Country.Russia)) == "ru"
    assert choose_language("", QLocale(QLocale.Language.German)) == "en"
    assert choose_language("en", QLocale(QLocale.Language.Russian)) == "en"
    assert choose_language("ru", QLocale(QLocale.Language.English)) == "ru"


def test_russian_ui_loads(qtbot: Any, tmp_path: Path, russian: list[Any]) -> None:
    assert len(russian) == 2, "qtbase_ru and cluster_desk_ru should both load"
    assert i18n.current_language() == "ru"
    window = make_window(qtbot, tmp_path, lang="ru")
    assert window.actions.open.text() == "&Открыть…"
    assert window.actions.add_member.text() == "&Добавить участника…"
    assert window.menuBar().actions()[0].text() == "&Файл"
    assert window.files.open_path(demo_file(tmp_path))
    qtbot.waitUntil(lambda: "critical_mass" in window.assessment.cards)  # assessed after the map
    card = window.assessment.cards["critical_mass"]
    assert card.title.text() == "Критическая масса"
    assert card.message.text().startswith("Учтено 95 предприятий (профильных 27, связанных 68")
    assert card.figure.text() == "95 предприятий"
    assert card.threshold.text().startswith("Порог: 100–150 предприятий")
    assert window.assessment.cards["specialisation"].figure.text() == "ИХХ 0,56"
    assert " участник" in window.count_label.text()
    window._update_counts({"members": 91_934, "candidates": 8_066, "unlocated": 2_071})
    nbsp = "\u00a0"  # (Russian groups thousands with a no-break space)
    assert window.count_label.text() == (
        f"91{nbsp}934 участника · 8{nbsp}066 кандидатов · не размещено: 2{nbsp}071")
    window._update_counts()
    from cluster_desk.ui.roster.nearest_place import nearest_text

    assert nearest_text("Казань", 4.3) == "Казань (4,3 км)"  # (the roster's nearest place)
    assert nearest_text("Казань", 1234.4) == f"Казань (1{nbsp}234 км)"
    settings = window.session.settings  # (no centre set: the smallest circle's is shown)
    unset = dataclasses.replace(settings, centre_lat=None, centre_lon=None)
    window.assessment.set_settings(unset, (55.47, 50.79))
    assert window.assessment.centre.text().startswith("Центр: 55,4700; 50,7900 (центр наименьшего круга")
    window.assessment.set_settings(settings, (55.47, 50.79))
    assert window.assessment.centre.text() == "Центр: 55,4700; 50,7900"
    from cluster_desk.ui.roster.model import COL

    model = window.roster_model
    placed = next(r for r in range(model.rowCount()) if model.member_at(r).lat is not None)
    lat = model.member_at(placed).lat
    assert model.data(model.index(placed, COL["lat"])) == f"{lat:.5f}".replace(".", ",")  # (as the cards)
    window.roster.select_ids([model.member_at(placed).id])
    window.edits.edit_selected()
    qtbot.waitUntil(lambda: window.edits.form is not None and window.edits.form.isVisible())
    assert window.edits.form.lat.text() == f"{lat:.6f}".replace(".", ",")  # (the member form's)
    window.edits.form.reject()
    # A check clicked names it in a chip over the roster: the window never widens for it (in
    # Russian it had grown by 169-278 px, past a 1,366 px laptop screen).
    narrowest = window.minimumSizeHint().width()
    for check_id, card in window.assessment.cards.items():
        if card.result is None or not card.result.member_ids or window.assessment.selected:
            continue
        qtbot.mouseClick(card, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.roster.check_chip.isVisible())
        assert window.minimumSizeHint().width() <= narrowest + 40, check_id
        qtbot.mouseClick(card, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not window.roster.check_chip.isVisible())
    assert window.roster_model.headerData(0, Qt.Orientation.Horizontal) == "Название"
