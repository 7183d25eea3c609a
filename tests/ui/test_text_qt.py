"""The Qt-free catalogue reader and QCoreApplication.translate (with the .qm) say the same."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from PySide6.QtCore import QCoreApplication

from cluster_desk.text.catalogue import catalogue_path, load_catalogue
from cluster_desk.ui.i18n import install_translators, remove_translators


def _sample(lang: str) -> list[tuple[str, str, str, bool]]:
    out = []
    for ctx in ET.parse(catalogue_path(lang)).getroot().iter("context"):
        for msg in ctx.iter("message"):
            out.append(
                (
                    ctx.findtext("name") or "",
                    msg.findtext("source") or "",
                    msg.findtext("comment") or "",
                    msg.get("numerus") == "yes",
                )
            )
    return out


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_qt_and_the_reader_agree(qapp: QCoreApplication, lang: str) -> None:
    translators = install_translators(qapp, lang)
    try:
        ours = load_catalogue(lang)
        sample = _sample(lang)
        assert len(sample) > (400 if lang == "ru" else 5)
        for context, source, comment, numerus in sample:
            for n in (0, 1, 2, 3, 5, 11, 21, 22, 25, 101, 1234) if numerus else (-1,):
                qt = QCoreApplication.translate(context, source, comment or None, n)
                assert ours.translate(context, source, comment or None, n) == qt, (context, source, n)
    finally:
        if lang != "en":
            remove_translators(qapp, translators)
            install_translators(qapp, "en")


def test_the_window_and_the_command_line_render_checks_alike(qapp: QCoreApplication) -> None:
    from check_rosters import ROSTERS

    from cluster_desk.core.assessment import assess
    from cluster_desk.text import Text, text_for
    from cluster_desk.text.checks import render_check

    results = [r for build in ROSTERS.values() for r in assess(*build())]
    translators = install_translators(qapp, "ru")
    try:
        qt = Text("ru", QCoreApplication.translate)
        assert [render_check(r, qt) for r in results] == [render_check(r, text_for("ru")) for r in results]
    finally:
        remove_translators(qapp, translators)
        install_translators(qapp, "en")
    qt_en = Text("en", QCoreApplication.translate)
    assert [render_check(r, qt_en) for r in results] == [render_check(r, text_for("en")) for r in results]
