"""The passport's page printed to an A4 PDF by Qt WebEngine without blocking the window.

``ui.report_pdf.html_to_pdf`` (the command line's) waits in nested event loops; here each step
is a callback: load the page (built and written by the worker, passport_work.py), print it to a
hidden temp file beside the destination, fsync and rename it over the destination. Chromium
lays out and prints in its own processes, so the GUI thread only passes the messages. A failure
or a cancel removes the temp file and leaves the destination as it was.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMarginsF, QObject, QUrl
from PySide6.QtGui import QPageLayout, QPageSize
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile

from cluster_desk.atomic import fsync_dir, fsync_file, temp_sibling
from cluster_desk.ui.exchange.export_work import ExportCancelled

_PROFILE: QWebEngineProfile | None = None  # off the record, kept for the process


class PdfPrint(QObject):
    """Print ``page`` (an HTML file in a folder of its own, removed at the end) to ``dest``;
    ``finish(None)`` or ``finish(error)``. ``cancelled()`` is asked between the steps."""

    def __init__(self, page: Path, dest: Path, finish: Callable[[BaseException | None], None],
                 cancelled: Callable[[], bool], parent: QObject | None = None) -> None:
        super().__init__(parent)
        global _PROFILE
        if _PROFILE is None:
            _PROFILE = QWebEngineProfile()
        self.page_file, self.dest, self._finish, self._cancelled = page, dest, finish, cancelled
        self.tmp = temp_sibling(dest)
        self.page = QWebEnginePage(_PROFILE, self)
        self.page.loadFinished.connect(self._loaded)
        self.page.pdfPrintingFinished.connect(self._printed)
        self.page.load(QUrl.fromLocalFile(str(page)))

    def _loaded(self, ok: bool) -> None:
        if self._cancelled():
            self._end(ExportCancelled())
        elif not ok:
            self._end(OSError(f"{self.dest}: the passport page did not render"))
        else:
            # Margins come from the page's @page rule; Qt's are zero so they do not add up.
            layout = QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                 QMarginsF(0, 0, 0, 0))
            self.page.printToPdf(str(self.tmp), layout)

    def _printed(self, _path: str, ok: bool) -> None:
        if self._cancelled():
            self._end(ExportCancelled())
            return
        if not ok or not self.tmp.is_file():
            self._end(OSError(f"{self.dest}: could not write the PDF"))
            return
        try:
            fsync_file(self.tmp)
            os.replace(self.tmp, self.dest)
            fsync_dir(self.dest.parent)
        except OSError as e:
            self._end(e)
            return
        self._end(None)

    def _end(self, error: BaseException | None) -> None:
        if error is not None:
            with contextlib.suppress(OSError):
                self.tmp.unlink(missing_ok=True)
        shutil.rmtree(self.page_file.parent, ignore_errors=True)
        self.page.loadFinished.disconnect(self._loaded)
        self.page.pdfPrintingFinished.disconnect(self._printed)
        self.page.deleteLater()
        self.deleteLater()
        self._finish(error)
