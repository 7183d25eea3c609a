"""UI tests run in English with the English catalogue installed (it holds the plural forms),
as the app does at start; ``russian`` puts the Russian catalogue over it for one test."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from qt_catalogues import _english_catalogue, russian  # noqa: F401 (fixtures for these tests)


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
