"""The Qt-free text machinery: number formats, plural forms, one-pass placeholders, the locale."""

from __future__ import annotations

import pytest

from cluster_desk.text import Catalogue, Speaker, Text, load_catalogue, system_language, text_for
from cluster_desk.text.catalogue import PLURAL_RULES
from cluster_desk.text.reports import ImportReportText


@pytest.mark.parametrize(
    ("lang", "x", "digits", "expected"),
    [
        ("ru", 0.19, 2, "0,19"),
        ("en", 0.19, 2, "0.19"),
        ("ru", 295.4, 1, "295,4"),
        ("en", 295.4, 1, "295.4"),
        ("ru", 1234567, 0, "1\u00a0234\u00a0567"),
        ("en", 1234567, 0, "1,234,567"),
        ("ru", -0.001, 1, "0,0"),
    ],
)
def test_numbers_follow_the_language(lang: str, x: float, digits: int, expected: str) -> None:
    assert text_for(lang).number(x, digits) == expected


def test_percent_and_plain_settings() -> None:
    ru, en = text_for("ru"), text_for("en")
    assert (ru.percent(0.195, 1), en.percent(0.195, 1)) == ("19,5\u00a0%", "19.5 %")
    assert ru.percent(None) == "—"
    assert (ru.plain(200.0), ru.plain(150.5), en.plain(150.5)) == ("200", "150,5", "150.5")


@pytest.mark.parametrize(
    ("n", "form"),
    [(1, 0), (2, 1), (4, 1), (5, 2), (11, 2), (12, 2), (14, 2), (21, 0), (22, 1), (111, 2), (0, 2)],
)
def test_russian_plural_rule(n: int, form: int) -> None:
    assert PLURAL_RULES["ru"](n) == form


def test_russian_number_agreement_from_the_catalogue() -> None:
    speak = ImportReportText(text_for("ru"))
    said = [speak.tr("%1 row(s) skipped", None, n).arg(n) for n in (1, 2, 5, 21)]
    assert said == ["пропущена 1 строка", "пропущены 2 строки", "пропущено 5 строк", "пропущена 21 строка"]
    en = ImportReportText(text_for("en"))
    assert [en.tr("%1 row(s) skipped", None, n).arg(n) for n in (1, 2)] == ["1 row skipped", "2 rows skipped"]


def test_arg_fills_placeholders_once_so_names_stay_text() -> None:
    class Sample(Speaker):
        def say(self, name: str, n: int) -> str:
            return self.tr("%1 and %2").arg(name, n)

    assert Sample(text_for("ru")).say("ООО «%2»", 12345) == "ООО «%2» and 12\u00a0345"


def test_missing_entry_gives_the_source_like_qt(tmp_path) -> None:  # type: ignore[no-untyped-def]
    ts = tmp_path / "x.ts"
    ts.write_text(
        '<?xml version="1.0" encoding="utf-8"?><TS version="2.1" language="ru_RU"><context><name>C</name>'
        "<message><source>a</source><translation>А</translation></message>"
        '<message><source>b</source><translation type="unfinished">Б</translation></message>'
        "<message><source>c</source><comment>verb</comment><translation>В</translation></message>"
        "</context></TS>",
        encoding="utf-8",
    )
    cat = Catalogue.read(ts, "ru")
    assert (cat.translate("C", "a"), cat.translate("C", "b"), cat.translate("C", "c")) == ("А", "b", "c")
    assert cat.translate("C", "c", "verb") == "В"


def test_shipped_catalogues_load() -> None:
    assert len(load_catalogue("ru")) > 400
    assert len(load_catalogue("en")) >= 5  # plural forms only
    with pytest.raises(ValueError):
        text_for("de")
    with pytest.raises(FileNotFoundError):
        load_catalogue("de")


@pytest.mark.parametrize(
    ("env", "lang"),
    [
        ({"LANG": "ru_RU.UTF-8"}, "ru"),
        ({"LC_ALL": "en_GB.UTF-8", "LANG": "ru_RU.UTF-8"}, "en"),
        ({"LC_MESSAGES": "ru_RU"}, "ru"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({}, "en"),
    ],
)
def test_language_from_the_locale(env: dict[str, str], lang: str) -> None:
    assert system_language(env) == lang


def test_text_is_a_value() -> None:
    text = Text("ru", load_catalogue("ru").translate)
    assert text.lang == "ru" and text.number(1.5, 1) == "1,5"
