"""UI tests run in English with the English catalogue installed (it holds the plural forms),
as the app does at start; ``russian`` puts the Russian catalogue over it for one test."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True, scope="session")
def _english_catalogue(qapp: Any) -> Iterator[None]:
    from cluster_desk.ui.i18n import install_translators, remove_translators

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


@pytest.fixture
def module_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder on sys.path for the start tests' probe modules (``cdesk_start_probe*``), which
    are forgotten afterwards."""
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    for name in [n for n in sys.modules if n.startswith("cdesk_start_probe")]:
        del sys.modules[name]


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """``core.tables.row_map`` spied on (tests/row_map_spy.py): who made the members' id map."""
    from row_map_spy import RowMapBuilds

    from cluster_desk.core import tables

    spy = RowMapBuilds()
    monkeypatch.setattr(tables, "row_map", spy)
    yield spy
    spy.go.set()
