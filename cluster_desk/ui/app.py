"""Start the desktop app: scheme registration, QApplication, translations, the main window."""

from __future__ import annotations

import importlib
import os
import sys
import threading
from pathlib import Path
from types import ModuleType

from PySide6.QtCore import QCoreApplication, QEventLoop, QMetaObject, Qt, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from cluster_desk import APP_NAME, __version__
from cluster_desk.paths import resource

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
    app, _translators, lang = create_application()
    from cluster_desk.ui.map.view import MapView

    # The map's web view first: Chromium starts its processes while the rest of the window is
    # imported and built (~0.6 s of the GUI thread), not after (issue 17: start <= 2 s).
    map_view = MapView()
    MainWindow = import_while_events_run("cluster_desk.ui.shell.main_window").MainWindow

    window = MainWindow(lang=lang, map_view=map_view)
    window.restore_layout()
    window.show()
    if project_path:
        window.files.open_path(Path(project_path))
    else:
        recent = [p for p in window.prefs.recent_files if Path(p).exists()]
        if recent:
            window.files.open_path(recent[0])
    return app.exec()


def import_while_events_run(name: str) -> ModuleType:
    """Import module ``name`` on a thread while this (GUI) thread's event loop runs.

    The map page's start is served on the GUI thread (its files come through our URL scheme
    handler, its process talks to this thread's loop), so importing the rest of the window
    here would hold Chromium up for the whole import. On a thread, the two overlap; the loop
    wakes for the page's requests between the import's bytecodes (the GIL is switched every
    few ms). Imported modules create no Qt object at import time, so any thread may import them.
    """
    loop = QEventLoop()
    outcome: dict[str, object] = {}

    def work() -> None:
        try:
            outcome["module"] = importlib.import_module(name)
        except BaseException as error:  # raised again on the GUI thread
            outcome["error"] = error
        finally:
            QMetaObject.invokeMethod(loop, "quit", Qt.ConnectionType.QueuedConnection)

    threading.Thread(target=work, name=f"import {name}", daemon=True).start()
    loop.exec()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    module = outcome["module"]
    assert isinstance(module, ModuleType)
    return module
