"""The locked-down web page of the map: only our ``cdesk`` scheme, no navigation away, no new
windows, no local or remote file access; console messages go to our log. ``PageLoads`` says
whether the page shown can take commands."""

from __future__ import annotations

import logging

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineSettings

from cluster_desk.ui.map.scheme import HOST, SCHEME

log = logging.getLogger(__name__)


def is_page_url(url: QUrl) -> bool:
    """Only our own page may ever be loaded in the view."""
    return (
        url.scheme() == SCHEME
        and url.host() == HOST
        and url.port() == -1
        and url.path() == "/index.html"
        and not url.hasQuery()
        and not url.userInfo()
    )


class MapPage(QWebEnginePage):
    """Refuses navigation away from our page and new windows; forwards console messages."""

    consoleMessage = Signal(int, str)  # level (QWebEnginePage.JavaScriptConsoleMessageLevel), text
    refused = Signal(str)  # the URL of a refused navigation, or "window" for a refused new window

    def acceptNavigationRequest(
        self, url: QUrl, nav_type: QWebEnginePage.NavigationType, is_main_frame: bool
    ) -> bool:
        if is_main_frame and is_page_url(url):
            return True
        log.warning("map: refused navigation to %s", url.toString())
        self.refused.emit(url.toString())
        return False

    def createWindow(self, _type: QWebEnginePage.WebWindowType) -> QWebEnginePage | None:
        log.warning("map: refused to open a window")
        self.refused.emit("window")
        return None

    def javaScriptConsoleMessage(
        self, level: QWebEnginePage.JavaScriptConsoleMessageLevel, message: str, line: int, source: str
    ) -> None:
        text = f"{message} ({source}:{line})"
        if level == QWebEnginePage.JavaScriptConsoleMessageLevel.ErrorMessageLevel:
            log.error("map page: %s", text)
        elif level == QWebEnginePage.JavaScriptConsoleMessageLevel.WarningMessageLevel:
            log.warning("map page: %s", text)
        else:
            log.debug("map page: %s", text)
        self.consoleMessage.emit(int(level.value), text)


def lock_down(settings: QWebEngineSettings) -> None:
    A = QWebEngineSettings.WebAttribute
    for attr, on in (
        (A.LocalContentCanAccessFileUrls, False),
        (A.LocalContentCanAccessRemoteUrls, False),
        (A.JavascriptCanOpenWindows, False),
        (A.JavascriptCanAccessClipboard, False),
        (A.JavascriptCanPaste, False),
        (A.PluginsEnabled, False),
        (A.PdfViewerEnabled, False),
        (A.NavigateOnDropEnabled, False),
        (A.ErrorPageEnabled, False),
        (A.LocalStorageEnabled, False),
        (A.XSSAuditingEnabled, True),
    ):
        settings.setAttribute(attr, on)


class PageLoads:
    """Whether the map page can take commands, from two streams of events Qt does not order.

    A load of our page starts (``loadingChanged``), then its document says "ready" over the
    QWebChannel. Under load the "ready" can arrive first (seen: ready, then LoadStarted of the
    same document): a flag cleared at every LoadStarted then stayed cleared, and the view dropped
    every later command. Counting both keeps the order out of it: the page takes commands
    once it has said ready as often as loads of it started.
    """

    def __init__(self) -> None:
        self._started = 0
        self._readies = 0
        self._renderer_gone = False

    @property
    def ready(self) -> bool:
        return self._readies > 0 and self._readies >= self._started and not self._renderer_gone

    def load_started(self) -> None:
        self._started += 1

    def load_stopped(self) -> None:
        """A load of our page stopped before it gave a new document: the one shown stays."""
        self._started = max(self._readies, self._started - 1)

    def said_ready(self) -> None:
        self._readies += 1
        self._renderer_gone = False

    def renderer_gone(self) -> None:
        """The page's process ended: nothing takes commands until a new page says ready."""
        self._renderer_gone = True
