"""Start the desktop app: scheme registration, QApplication, translations, the main window."""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
import sys
import threading
import time
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEventLoop, QMetaObject, Qt, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from cluster_desk import APP_NAME, __version__
from cluster_desk.paths import resource
from cluster_desk.ui.shell.first_open import when_painted

if TYPE_CHECKING:
    from cluster_desk.ui.map.view import MapView

ORGANISATION = "Cluster Desk"
ORGANISATION_DOMAIN = "clusterdesk.app"


def app_icon() -> QIcon:
    icon = QIcon()
    folder = resource("icons")
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        png = folder / f"cluster-desk-{size}.png"
        if png.exists():
            icon.addFile(str(png))
    svg = folder / "cluster-desk.svg"
    if icon.isNull() and svg.exists():
        icon.addFile(str(svg))
    return icon


def create_application(argv: list[str] | None = None,
                       lang: str | None = None) -> tuple[QApplication, list[QTranslator], str]:
    """The QApplication with names, icon and translations; registers the map's URL scheme
    first (Qt WebEngine requires it before the application object exists)."""
    from cluster_desk.ui.map.scheme import register_scheme

    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # Chromium refuses to start its sandbox as root (containers, CI); the page is our own.
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    register_scheme()
    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setOrganizationDomain(ORGANISATION_DOMAIN)
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setApplicationVersion(__version__)
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationDisplayName(APP_NAME)
    app.setWindowIcon(app_icon())
    app.setStyle("Fusion")  # the same look on every platform, and it renders well offscreen

    from cluster_desk.ui.i18n import choose_language, install_translators
    from cluster_desk.ui.preferences import Preferences

    if lang is None:  # CLUSTER_DESK_LANG: a quick override for support and screenshots
        lang = choose_language(os.environ.get("CLUSTER_DESK_LANG", "") or Preferences().language)
    translators = install_translators(app, lang)
    return app, translators, lang


def run_app(project_path: str | None) -> int:
    # PySide6's import hook reads each new module's source through inspect: a cheaper check first.
    from cluster_desk.ui.shell.pyside_imports import speed_up_pyside_import_hook

    speed_up_pyside_import_hook()
    # What the GUI thread needs before the page starts, imported here, first: then the rest of
    # the window is imported on a thread (start_import) while the QApplication and the map's
    # web view are made and Chromium starts its processes and loads the page (issue 17: start
    # <= 2 s). The two threads never import the same module at once: a module the thread needs
    # is then already in sys.modules.
    from cluster_desk.ui import i18n, preferences  # noqa: F401 - create_application's
    from cluster_desk.ui.map.view import MapView

    window_module = start_import("cluster_desk.ui.shell.main_window")
    app, _translators, lang = create_application()
    map_view = MapView()
    MainWindow = window_module.wait().MainWindow

    window = MainWindow(lang=lang, map_view=map_view)
    window.restore_layout()
    window.show()
    opened = False
    if project_path:
        opened = window.files.open_path(Path(project_path))
    else:
        recent = [p for p in window.prefs.recent_files if Path(p).exists()]
        if recent:
            opened = window.files.open_path(recent[0])
    collect_after_first_paint(map_view, opened)
    if opened and os.environ.get(START_MARK_VARIABLE):
        mark_first_paint(map_view, Path(os.environ[START_MARK_VARIABLE]))
    return app.exec()


#: Set to a file's path, the start writes the wall clock (``time.time()``) at which the project
#: it opened was painted there: how bench/bench_start.py times the launch from outside, source and
#: frozen alike. (Its DevTools probe, attached to the page, cost the start it timed ~0.3 s.)
START_MARK_VARIABLE = "CLUSTER_DESK_START_MARK"


def mark_first_paint(map_view: MapView, path: Path) -> None:
    """Write ``time.time()`` to ``path`` once the page has painted every command sent so far."""

    def write() -> None:
        with contextlib.suppress(OSError):  # a bench's file: never the app's failure
            path.write_text(repr(time.time()))

    when_painted(map_view, write)


#: The cyclic collector is enabled by then even if the page never reports its paint.
COLLECT_AT_LATEST_MS = 15_000


def collect_after_first_paint(map_view: MapView, opened: bool) -> None:
    """Enable the cyclic garbage collector (the CLI disables it for the start: see
    ``cli.cmd_app``) once the map has painted the project just opened (its commands so far);
    at once when none was opened. Its first run walks every object the start made: after the
    paint, not before it."""
    if gc.isenabled():
        return
    if not opened:
        _collect_from_now()
        return
    when_painted(map_view, _collect_from_now, COLLECT_AT_LATEST_MS)


def _collect_from_now() -> None:
    """The start's objects (modules, classes, Qt wrappers, the opened project's columns) live as
    long as the process or the project: frozen, no pass of the collector walks them again. Its
    first full pass walked them all holding the GIL, ~0.2 s after the paint of a 100,000-member
    open (at load 12), a stall of the window. (What the start left as cyclic garbage stays:
    ~900 small objects, functions and cells of class bodies.)"""
    if gc.isenabled():
        return
    gc.freeze()
    gc.enable()


class PendingImport:
    """A module being imported on a thread of its own (``start_import``); ``wait`` returns it.

    The map page's start is served on the GUI thread (its files come through our URL scheme
    handler, its process talks to this thread's loop), so importing the rest of the window
    there would hold Chromium up for the whole import. On a thread, the two overlap; the loop
    wakes for the page's requests between the import's bytecodes (the GIL is switched every
    few ms), and the import runs while the GUI thread waits in Qt's C++ (the QApplication's and
    the web view's creation release the GIL). Imported modules create no Qt object at import
    time (tests/ui/test_app_start.py checks), so any thread may import them, even before the
    QApplication exists.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._lock = threading.Lock()
        self._finished = False
        self._loop: QEventLoop | None = None
        self._module: ModuleType | None = None
        self._error: BaseException | None = None
        threading.Thread(target=self._work, name=f"import {name}", daemon=True).start()

    def _work(self) -> None:
        try:
            self._module = importlib.import_module(self.name)
        except BaseException as error:  # raised again on the GUI thread
            self._error = error
        finally:
            with self._lock:
                self._finished = True
                if self._loop is not None:
                    QMetaObject.invokeMethod(self._loop, "quit", Qt.ConnectionType.QueuedConnection)

    @property
    def finished(self) -> bool:
        """The import has ended (``wait`` then returns at once)."""
        with self._lock:
            return self._finished

    def wait(self) -> ModuleType:
        """The imported module (its import error raised here), the GUI thread's event loop
        running until then (the QApplication must exist)."""
        with self._lock:
            if not self._finished:
                self._loop = QEventLoop()
        if self._loop is not None:
            self._loop.exec()  # the quit posted by _work (queued: delivered once this runs)
            self._loop = None
        if self._error is not None:
            raise self._error
        assert self._module is not None
        return self._module


def start_import(name: str) -> PendingImport:
    """Start importing module ``name`` on a thread; ``.wait()`` for it on the GUI thread."""
    return PendingImport(name)


def import_while_events_run(name: str) -> ModuleType:
    """Import module ``name`` on a thread while this (GUI) thread's event loop runs."""
    return start_import(name).wait()
