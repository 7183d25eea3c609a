"""A package's names loaded from their modules on first use (PEP 562's module ``__getattr__``).

Importing one small part of a package (``io.coords`` for the place search, ``places.regions`` for
the roster) then does not load every module the package re-exports (issue 17: start <= 2 s).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(package: str, homes: Mapping[str, str]) -> Callable[[str], Any]:
    """The ``__getattr__`` of ``package``: each name of ``homes`` (name -> its module, relative to
    the package) imported on first use, then kept in the package's namespace."""

    def __getattr__(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{home}"), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
