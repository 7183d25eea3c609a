"""The cheaper check in PySide6's import hook (ui/shell/pyside_imports.py) answers as PySide6's
own check (``inspect.getsource`` searched for "PySide6") on every module the app imports."""

from __future__ import annotations

import inspect
import sys
from pathlib import Path
from types import ModuleType

from cluster_desk.ui.shell.pyside_imports import mentions_pyside, speed_up_pyside_import_hook


def inspect_says(module: ModuleType) -> bool:
    """PySide6 6.11's ``shibokensupport.feature._mod_uses_pyside``, as it reads."""
    try:
        return "PySide6" in inspect.getsource(module)
    except (TypeError, OSError, SyntaxError):
        return False


def test_the_same_answer_as_inspect_for_every_module_the_window_imports() -> None:
    import cluster_desk.ui.shell.main_window  # noqa: F401 - what the start imports

    modules = [m for m in list(sys.modules.values()) if isinstance(m, ModuleType)]
    assert len(modules) > 300
    differ = [m.__name__ for m in modules if mentions_pyside(m) != inspect_says(m)]
    assert differ == []
    assert any(mentions_pyside(m) for m in modules) and not all(mentions_pyside(m) for m in modules)


def test_modules_without_a_python_source_are_no(tmp_path: Path) -> None:
    assert mentions_pyside(sys) is False  # built in
    import _json

    assert mentions_pyside(_json) is False  # an extension module (or built in)
    gone = ModuleType("cdesk_gone")
    gone.__file__ = str(tmp_path / "cdesk_gone.py")  # its file removed since
    assert mentions_pyside(gone) is False
    here = ModuleType("cdesk_here")
    here.__file__ = str(tmp_path / "cdesk_here.py")
    Path(here.__file__).write_text("# uses PySide6\n", encoding="utf-8")
    assert mentions_pyside(here) is True


def test_the_hook_is_installed() -> None:
    assert speed_up_pyside_import_hook() is True
    assert sys.modules["shibokensupport.feature"]._mod_uses_pyside is mentions_pyside
