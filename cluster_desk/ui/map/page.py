"""The locked-down web page of the map: only our ``cdesk`` scheme, no navigation away, no new
windows, no local or remote file access; console messages go to our log."""

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
