"""The interface catalogues as the app installs them at start, as fixtures for the conftests of
the folders whose tests drive the window (tests/ui, tests/report): English by default (its
catalogue holds the plural forms: "1 candidate"), ``russian`` over it for one test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(autouse=True, scope="session")
def _english_catalogue(request: pytest.FixtureRequest) -> Iterator[None]:
    try:  # (Qt-free runs of the report tests: nothing to install)
        from cluster_desk.ui.i18n import install_translators, remove_translators

        qapp = request.getfixturevalue("qapp")
    except (ImportError, pytest.FixtureLookupError):
        yield
        return
    translators = install_translators(qapp, "en")
    yield
    remove_translators(qapp, translators)


@pytest.fixture
def russian(qapp: Any) -> Iterator[None]:
    """The Russian catalogue over the session's English one, for this test only."""
    from PySide6.QtCore import QLocale

    from cluster_desk.ui import i18n

    before, locale = i18n.current_language(), QLocale()
    translators = i18n.install_translators(qapp, "ru")
    yield
    i18n.remove_translators(qapp, translators)
    # The interface language and number locale go back too: the next test's ui_text() is English.
    i18n._current = before
    QLocale.setDefault(locale)
