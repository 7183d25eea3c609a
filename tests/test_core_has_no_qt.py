"""The domain, the store and the text renderer must import without Qt (they run in the CLI and in
tests headless)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_SCRIPT = textwrap.dedent(
    """
    import importlib
    import importlib.abc
    import pkgutil
    import sys

    BLOCKED = ("PySide6", "shiboken6", "PyQt5", "PyQt6")

    class NoQt(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ImportError(f"Qt import blocked in core/store: {name}")
            return None

    sys.meta_path.insert(0, NoQt())

    imported = []
    for pkg_name in ("cluster_desk.core", "cluster_desk.store", "cluster_desk.text"):
        pkg = importlib.import_module(pkg_name)
        imported.append(pkg_name)
        for info in pkgutil.walk_packages(pkg.__path__, pkg_name + "."):
            importlib.import_module(info.name)
            imported.append(info.name)

    leaked = sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED)
    assert not leaked, leaked
    print("\\n".join(imported))
    """
)


def test_core_store_and_text_import_without_qt() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", _SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr
    imported = proc.stdout.split()
    assert "cluster_desk.core.model" in imported
    assert "cluster_desk.core.geodesy" in imported
    assert "cluster_desk.core.assessment" in imported
    assert "cluster_desk.store" in imported
    assert "cluster_desk.text.checks" in imported and "cluster_desk.text.catalogue" in imported


def test_blocker_really_blocks() -> None:
    # Guard against a finder that silently lets Qt through: importing PySide6 must fail under it.
    script = _SCRIPT.split("imported = []")[0] + "import PySide6\n"
    proc = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode != 0
    assert "Qt import blocked" in proc.stderr
