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
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cluster_desk.atomic import atomic_path

_PROFILE: object = None


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

    return QApplication(sys.argv[:1])


def _build_meanwhile(build: Callable[[], str], page: Any, folder: Path) -> str:
    """Run ``build`` in a thread while the event loop loads a placeholder page (Chromium starts
    its renderer); the page's HTML once both are done. Errors of ``build`` are raised here."""
    from PySide6.QtCore import QEventLoop, QTimer, QUrl

    loop = QEventLoop()
    out: dict[str, Any] = {}

    def run() -> None:
        try:
            out["html"] = build()
        except BaseException as e:  # re-raised on the calling thread below
            out["error"] = e

    placeholder = folder / "starting.html"
    placeholder.write_text("<!doctype html><meta charset=utf-8><title></title>", encoding="utf-8")
    page.loadFinished.connect(lambda _ok: out.setdefault("placeholder", True))
    page.load(QUrl.fromLocalFile(str(placeholder)))
    worker = threading.Thread(target=run, name="cd-passport-html", daemon=True)
    worker.start()
    poll = QTimer(interval=5)
    poll.timeout.connect(lambda: loop.quit() if not worker.is_alive() and "placeholder" in out else None)
    poll.start()
    loop.exec()
    poll.stop()
    page.loadFinished.disconnect()
    worker.join()
    if "error" in out:
        raise out["error"]
    return str(out["html"])


def html_to_pdf(html: str | Callable[[], str], dest: Path) -> int:
    """Print ``html`` (or the page a callable builds, while Chromium starts) to ``dest`` (A4
    portrait); the number of pages. Raises OSError on failure (the destination is only replaced
    by a complete file)."""
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
        if callable(html):
            html = _build_meanwhile(html, page, Path(folder))
        src = Path(folder) / "passport.html"
        src.write_text(html, encoding="utf-8")

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
