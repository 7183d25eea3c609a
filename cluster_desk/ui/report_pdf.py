"""The passport's HTML printed to an A4 PDF by the bundled Qt WebEngine (Chromium's PDF writer).

Why this way: one page source for the HTML and the PDF (what the reader sees in a browser is what
prints), Chromium embeds font subsets (DejaVu: Cyrillic is correct), page breaks and tables follow
the print CSS, and no network is involved (the page is a local file whose only images are data:
URIs; it has no script). The command line starts an offscreen QApplication for it when none runs.
QTextDocument + QPdfWriter was the alternative: no SVG and a small CSS subset (charts as PNG,
hand-kept page breaks); matplotlib's PDF backend alone cannot lay out tables of wrapped text.

Speed (issue 14: the demo's passport in ≤ 3 s): Qt WebEngine's start-up (browser context, a
renderer process) costs about a second; given a callable, ``html_to_pdf`` builds the page in a
Python thread (matplotlib: charts and map) while the event loop starts Chromium on a placeholder
page in the same folder, so the renderer is up when the page is ready. The event loop runs C++
with the GIL released, so the two truly overlap.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cluster_desk.atomic import atomic_path

_PROFILE: object = None
_OWN_APPLICATION = False  # the command line's: made here, for printing only


def leave_now(code: int) -> None:
    """End the process at once if this module started Qt for the command line (``python -m
    cluster_desk report … .pdf``): the PDF is complete and in place, and the orderly shutdown
    of Qt WebEngine at interpreter exit (the browser context, its renderer and zygote processes)
    took ~0.3 s idle and over a second under load, after the work was done. Chromium's helper
    processes end with the browser process (their pipe to it closes). Elsewhere: returns."""
    if _OWN_APPLICATION:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _application() -> object:
    from PySide6.QtCore import QCoreApplication, Qt

    app = QCoreApplication.instance()
    if app is not None:
        return app
    headless = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if sys.platform.startswith("linux") and headless:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # Chromium refuses to start its sandbox as root (containers, CI); the page is our own, scriptless.
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu")
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    from PySide6.QtWidgets import QApplication

    global _OWN_APPLICATION
    _OWN_APPLICATION = True
    return QApplication(sys.argv[:1])


class _Build:
    """``build`` run on a Python thread, started before Qt WebEngine is (the GIL is free while the
    event loop runs C++); its answer comes to the GUI thread through ``ui.thread_answers`` (no
    polling: a Python timer on the GUI thread took the GIL from the build every few milliseconds)
    and ``on_done`` is called there."""

    def __init__(self, build: Callable[[], str]) -> None:
        from cluster_desk.ui.thread_answers import run_off_gui

        self.out: dict[str, Any] = {}
        self.finished = False
        self.on_done: Callable[[], None] | None = None
        self.thread = run_off_gui(None, build, self._built, self._failed, name="cd-passport-html")

    def _built(self, html: str) -> None:
        self.out["html"] = html
        self._end()

    def _failed(self, error: BaseException) -> None:  # re-raised on the calling thread by html()
        self.out["error"] = error
        self._end()

    def _end(self) -> None:
        self.finished = True
        if self.on_done is not None:
            self.on_done()

    def html(self) -> str:
        """The page (once ``finished``)."""
        if "error" in self.out:
            raise self.out["error"]
        return str(self.out["html"])


def _build_meanwhile(build: _Build, page: Any, folder: Path) -> str:
    """Load a placeholder page (Chromium starts its renderer) until the build is done too; the
    page's HTML. Errors of the build are raised here."""
    from PySide6.QtCore import QEventLoop, QUrl

    loop = QEventLoop()
    state = {"placeholder": False}

    def check() -> None:
        if state["placeholder"] and build.finished:
            loop.quit()

    def loaded(_ok: bool) -> None:
        state["placeholder"] = True
        check()

    placeholder = folder / "starting.html"
    placeholder.write_text("<!doctype html><meta charset=utf-8><title></title>", encoding="utf-8")
    page.loadFinished.connect(loaded)
    build.on_done = check
    page.load(QUrl.fromLocalFile(str(placeholder)))
    if not (state["placeholder"] and build.finished):
        loop.exec()
    page.loadFinished.disconnect(loaded)
    build.on_done = None
    return build.html()


def html_to_pdf(html: str | Callable[[], str], dest: Path) -> int:
    """Print ``html`` (or the page a callable builds, while Chromium starts) to ``dest`` (A4
    portrait); the number of pages. Raises OSError on failure (the destination is only replaced
    by a complete file)."""
    build = _Build(html) if callable(html) else None  # first: it runs while Qt starts
    app = _application()
    from PySide6.QtCore import QEventLoop, QMarginsF, QTimer, QUrl
    from PySide6.QtGui import QPageLayout, QPageSize
    from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile

    global _PROFILE
    if _PROFILE is None:  # off the record: nothing written to the user's profile; kept for the process
        _PROFILE = QWebEngineProfile()
    page = QWebEnginePage(_PROFILE)
    loop = QEventLoop()
    outcome: dict[str, bool] = {}
    with tempfile.TemporaryDirectory(prefix="cd-passport-") as folder:
        text = _build_meanwhile(build, page, Path(folder)) if build is not None else str(html)
        src = Path(folder) / "passport.html"
        src.write_text(text, encoding="utf-8")

        def loaded(ok: bool) -> None:
            outcome["loaded"] = ok
            loop.quit()

        page.loadFinished.connect(loaded)
        page.load(QUrl.fromLocalFile(str(src)))
        if "loaded" not in outcome:
            loop.exec()
        if not outcome.get("loaded"):
            raise OSError(f"{dest}: the passport page did not render")
        with atomic_path(dest) as tmp:

            def printed(_path: str, ok: bool) -> None:
                outcome["printed"] = ok
                QTimer.singleShot(0, loop.quit)

            page.pdfPrintingFinished.connect(printed)
            # Margins come from the page's @page rule; Qt's are zero so they do not add up.
            layout = QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                 QMarginsF(0, 0, 0, 0))
            page.printToPdf(str(tmp), layout)
            if "printed" not in outcome:
                loop.exec()
            if not outcome.get("printed") or not Path(tmp).is_file():
                raise OSError(f"{dest}: could not write the PDF")
            data = Path(tmp).read_bytes()
    from shiboken6 import delete

    delete(page)  # now, not at exit after the profile (Qt warns about that order)
    del app
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", data))
