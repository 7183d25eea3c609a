"""UI tests run in English with the English catalogue installed (it holds the plural forms),
as the app does at start."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(autouse=True, scope="session")
def _english_catalogue(qapp: Any) -> Iterator[None]:
    from cluster_desk.ui.i18n import install_translators, remove_translators

    translators = install_translators(qapp, "en")
    yield
    remove_translators(qapp, translators)
