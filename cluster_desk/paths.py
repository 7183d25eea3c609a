"""Find shipped files (``resources/``, ``maps/``) from a checkout, an installed wheel or a frozen build."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path


@cache
def app_root() -> Path:
    """The folder that holds ``resources/`` and ``maps/``."""
    frozen_root = getattr(sys, "_MEIPASS", None)  # PyInstaller unpacks data files here
    if frozen_root:
        return Path(frozen_root)
    package = Path(__file__).resolve().parent
    for candidate in (package.parent, package / "_data"):  # checkout, then wheel layout
        if (candidate / "resources").is_dir():
            return candidate
    raise FileNotFoundError(f"Cluster Desk resources not found next to {package}")


def resource(*parts: str) -> Path:
    return app_root().joinpath("resources", *parts)


def map_data(*parts: str) -> Path:
    return app_root().joinpath("maps", *parts)
