"""The layers hold (napari's import-linter idea, as an AST walk so it needs no extra tool):

* core imports nothing of ours, and no Qt or SQL;
* store, io, tiles, places (and the text renderer) import only core, their own package, the
  path, atomic-write and lazy re-export helpers and the package root's constants;
* only ui (and the self-test, an app entry) imports Qt; psycopg only in team mode;
* no module imports the main window but the app entries.

Every import counts, also the ones inside functions and under ``if TYPE_CHECKING`` (those made
the import circle of the window and its controllers).
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PKG = "cluster_desk"

QT = ("PySide6", "shiboken6", "PyQt5", "PyQt6")
SQL = ("sqlite3", "sqlite_utils", "psycopg", "psycopg2", "apsw")
#: Helpers every non-core layer may use (paths of resources, one atomic write, lazy re-exports,
#: version strings).
HELPERS = (f"{PKG}.paths", f"{PKG}.atomic", f"{PKG}.lazy_exports", PKG)
BASE_LAYER = (f"{PKG}.core", *HELPERS)

#: package -> what of ours it may import (besides itself).
ALLOWED: dict[str, tuple[str, ...]] = {
    f"{PKG}.core": (),
    f"{PKG}.store": BASE_LAYER,
    f"{PKG}.io": BASE_LAYER,
    f"{PKG}.tiles": BASE_LAYER,
    # places reads coordinates with the importers' grammar (one parser for "55°47′N 49°07′E").
    f"{PKG}.places": (*BASE_LAYER, f"{PKG}.io.coords"),
    f"{PKG}.text": BASE_LAYER,
}
#: Who may import Qt: the UI and the self-test (an app entry that renders the map).
QT_ALLOWED = (f"{PKG}.ui", f"{PKG}.selftest")
#: The team server's driver lives in team mode only.
PSYCOPG_ALLOWED = (f"{PKG}.team", f"{PKG}.ui.team")
MAIN_WINDOW = f"{PKG}.ui.shell.main_window"
APP_ENTRIES = (MAIN_WINDOW, f"{PKG}.ui.app", f"{PKG}.ui.screenshot", f"{PKG}.selftest")


def _within(name: str, prefixes: Iterable[str]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@functools.cache
def _raw_imports(module: str, source: str, is_package: bool) -> tuple[tuple[int, str, tuple[str, ...]], ...]:
    """(line, module, names imported from it) per import statement, relative ones resolved."""
    out: list[tuple[int, str, tuple[str, ...]]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name, ()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            out.append((node.lineno, target, tuple(alias.name for alias in node.names)))
    return tuple(out)


def imports_of(module: str, source: str, is_package: bool, known: set[str]) -> list[tuple[int, str]]:
    """(line, imported module) for every import in ``source``; for ``from pkg import name`` the
    submodule ``pkg.name`` when there is one."""
    out: list[tuple[int, str]] = []
    for line, target, names in _raw_imports(module, source, is_package):
        if not names:
            out.append((line, target))
        for name in names:
            sub = f"{target}.{name}"
            out.append((line, sub if sub in known else target))
    return out


def violations(sources: Mapping[str, tuple[str, bool]]) -> list[str]:
    """Every broken rule in ``sources`` (module name -> (source, is_package))."""
    known = set(sources)
    found: list[str] = []
    for module, (source, is_package) in sorted(sources.items()):
        for line, target in imports_of(module, source, is_package, known):
            where = f"{module}:{line} imports {target}"
            top = target.split(".")[0]
            if top in QT and not _within(module, QT_ALLOWED):
                found.append(f"{where}: only the UI imports Qt")
            if top in SQL and _within(module, (f"{PKG}.core",)):
                found.append(f"{where}: the core has no SQL")
            if top in ("psycopg", "psycopg2") and not _within(module, PSYCOPG_ALLOWED):
                found.append(f"{where}: psycopg only in team mode")
            if target == MAIN_WINDOW and module not in APP_ENTRIES:
                found.append(f"{where}: only the app entry imports the main window")
            if top != PKG:
                continue
            for layer, allowed in ALLOWED.items():
                if _within(module, (layer,)) and not _within(target, (layer,)):
                    ok = target == PKG if PKG in allowed else False
                    ok = ok or _within(target, tuple(a for a in allowed if a != PKG))
                    if not ok:
                        found.append(f"{where}: {layer} may import only {', '.join(allowed) or 'itself'}")
    return found


@functools.cache
def _read_sources(root: Path) -> tuple[tuple[str, tuple[str, bool]], ...]:
    return tuple(
        (module_name(p, root), (p.read_text(encoding="utf-8"), p.name == "__init__.py"))
        for p in sorted((root / PKG).rglob("*.py"))
    )


def project_sources(root: Path = ROOT) -> dict[str, tuple[str, bool]]:
    return dict(_read_sources(root))


def test_the_layers_hold() -> None:
    sources = project_sources()
    assert f"{PKG}.core.model" in sources and f"{PKG}.ui.shell.main_window" in sources
    assert violations(sources) == []


@pytest.mark.parametrize(("module", "source", "expected"), [
    (f"{PKG}.core.bad", "from PySide6.QtCore import QObject\n", "only the UI imports Qt"),
    (f"{PKG}.core.bad", "import sqlite3\n", "the core has no SQL"),
    (f"{PKG}.core.bad", "def f():\n    from cluster_desk.store.project import Project\n",
     "cluster_desk.core may import only itself"),
    (f"{PKG}.store.bad", "from cluster_desk.ui.labels import kind_labels\n",
     "cluster_desk.store may import only"),
    (f"{PKG}.io.bad", "from ..store import project\n", "cluster_desk.io may import only"),
    (f"{PKG}.places.bad", "from cluster_desk.io.roster import import_into\n",
     "cluster_desk.places may import only"),
    (f"{PKG}.ui.project.bad",
     "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
     "    from cluster_desk.ui.shell.main_window import MainWindow\n",
     "only the app entry imports the main window"),
    (f"{PKG}.store.bad", "import psycopg\n", "psycopg only in team mode"),
])
def test_a_wrong_import_is_caught(module: str, source: str, expected: str) -> None:
    """Fed one fake module with a wrong import among the real ones, the check names it."""
    sources = project_sources()
    sources[module] = (source, False)
    found = violations(sources)
    assert len(found) == 1 and module in found[0] and expected in found[0], found


def test_allowed_imports_pass() -> None:
    sources = project_sources()
    sources[f"{PKG}.store.fine"] = ("from cluster_desk import APP_NAME\nfrom ..core import model\n"
                                    "from cluster_desk.paths import resource\n", False)
    sources[f"{PKG}.ui.fine"] = ("from PySide6.QtCore import QObject\n"
                                 "from cluster_desk.store.project import Project\n", False)
    assert violations(sources) == []
