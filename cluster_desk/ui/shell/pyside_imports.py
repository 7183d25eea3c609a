"""A cheaper check in PySide6's import hook (issue 17: start <= 2 s).

Once PySide6 is imported it wraps ``__import__`` (its ``__feature__`` switch: ``from __feature__
import snake_case``), and after each new module asks ``shibokensupport.feature._mod_uses_pyside``
whether the module's source mentions "PySide6". That check goes through ``inspect.getsource``
(file-name checks, ``linecache``, decoding and splitting the whole source into lines, kept in
memory afterwards): ~75 ms of CPU over the ~400 modules the start imports after Qt, about 8 % of
the start's imports. The same question answered from the file's bytes costs a few ms.

Same answer: a module without a ``.py`` source file (built-in, extension, frozen) is "no", as
``inspect.getsource`` failing is; a source file is read and searched. Python sources name
"PySide6" in ASCII whatever their declared encoding, so searching the bytes finds it where the
decoded text would.
"""

from __future__ import annotations

import sys
from types import ModuleType

import PySide6.QtCore  # noqa: F401 - loads shibokensupport.feature, the hook patched here


def mentions_pyside(module: ModuleType) -> bool:
    """Whether ``module``'s source file mentions PySide6 (False without a .py source)."""
    path = getattr(module, "__file__", None)
    if not isinstance(path, str) or not path.endswith(".py"):
        return False
    try:
        with open(path, "rb") as source:
            return b"PySide6" in source.read()
    except OSError:
        return False


def speed_up_pyside_import_hook() -> bool:
    """Install the cheaper check; False if this PySide6 has no such hook (nothing changed)."""
    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False
    feature._mod_uses_pyside = mentions_pyside
    return True
