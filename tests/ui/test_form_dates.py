"""The member and link forms show dates as the interface language writes them and read what a
user types in either way (text.dates); the file keeps ISO days. Real dialogs, offscreen."""

from __future__ import annotations

from typing import Any

import pytest

from cluster_desk.core.model import Link, LinkKind, Member

pytest.importorskip("PySide6.QtWidgets")


def member_form(member: Member) -> Any:
    from cluster_desk.ui.project.member_form import MemberForm

    return MemberForm(member, links=[])


def test_a_russian_member_form_writes_and_reads_days_the_russian_way(qtbot: Any, russian: None) -> None:
    form = member_form(Member("ООО «Альфа»", id="a", lat=55.7, lon=49.1, joined="2016-09-01"))
    qtbot.addWidget(form)
    assert form.joined.text() == "01.09.2016" and form.joined.placeholderText() == "ДД.ММ.ГГГГ"
    assert form.member().joined == "2016-09-01"  # unchanged: the same day
    form.left.setText("3.2.2020")
    assert form.problems() == [] and form.member().left == "2020-02-03"
    form.left.setText("31.02.2020")  # no such day
    assert form.problems() == ["Пишите даты как ДД.ММ.ГГГГ или ГГГГ-ММ-ДД."]


def test_an_english_member_form_shows_iso_and_reads_either(qtbot: Any) -> None:
    form = member_form(Member("Alpha LLC", id="a", joined="2016-09-01"))
    qtbot.addWidget(form)
    assert form.joined.text() == "2016-09-01" and form.joined.placeholderText() == "YYYY-MM-DD"
    form.joined.setText("01.09.2016")
    assert form.member().joined == "2016-09-01"
    form.joined.setText("2016")  # kept as typed: the checks name it
    assert form.problems() == ["Write dates as YYYY-MM-DD or DD.MM.YYYY."]


def test_a_russian_link_form_takes_its_days_and_checks_their_order(qtbot: Any, russian: None) -> None:
    from cluster_desk.ui.links.form import LinkForm

    a, b = Member("А", id="a"), Member("Б", id="b")
    form = LinkForm(a, b, Link("a", "b", LinkKind.SUPPLY, start="2020-01-15"))
    qtbot.addWidget(form)
    assert form.start.text() == "15.01.2020" and form.end.placeholderText() == "ДД.ММ.ГГГГ"
    form.end.setText("31.12.2021")
    assert form.problems() == []
    assert (form.link().start, form.link().end) == ("2020-01-15", "2021-12-31")
    form.end.setText("01.01.2019")
    assert form.problems() == ["Дата окончания раньше даты начала."]
    form.end.setText("вчера")
    assert form.problems() == ["Пишите даты как ДД.ММ.ГГГГ или ГГГГ-ММ-ДД."]
