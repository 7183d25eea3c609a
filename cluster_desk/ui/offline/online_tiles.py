"""Answers the page's online tile layer, ``cdesk://app/online/{z}/{x}/{y}``, so that the page
never talks to the internet (its CSP admits only ``cdesk:`` and ``data:`` images).

A request is answered from the local :class:`~cluster_desk.tiles.cache.TileCache` first. Only a
tile the cache lacks, and only while the user's online tile source is on, is fetched — here, in
Python, asynchronously with :class:`QNetworkAccessManager` (the GUI thread never waits) — then
stored in the cache and given to the page. With the source off nothing is fetched: a tile not in
the cache is "not found" and the world outlines below show.

Polite: our User-Agent, at most :data:`MAX_IN_FLIGHT` requests at a time (the rest wait in a
queue; several page requests for one tile share one fetch), a 429/503 answer pauses fetching for
its Retry-After (capped). A request job the page gives up on (panned away, page reloaded) is
dropped from the queue: it is never answered after it is gone.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections import deque
from collections.abc import Callable
from functools import partial

import shiboken6
from PySide6.QtCore import QObject, QUrl
from PySide6.QtNetwork import QNetworkAccessManager, QNetworkReply, QNetworkRequest
from PySide6.QtWebEngineCore import QWebEngineUrlRequestJob

from cluster_desk.tiles.cache import TileCache
from cluster_desk.tiles.downloader import MAX_RETRY_AFTER_S, MAX_TILE_BYTES, USER_AGENT, TileSource
from cluster_desk.tiles.mbtiles import MIME_BY_FORMAT, sniff_format

log = logging.getLogger(__name__)

MAX_IN_FLIGHT = 4
TIMEOUT_MS = 20_000
#: Page requests waiting for a fetch; beyond this the oldest waiting tiles are given up.
MAX_QUEUED = 256
DEFAULT_PAUSE_S = 30.0

Key = tuple[int, int, int]
Reply = Callable[[QWebEngineUrlRequestJob, bytes, bytes, bytes], None]
#: Online tiles may be refetched later: the page may keep one a while, not forever.
CACHE_CONTROL = b"private, max-age=600"


def _mime(data: bytes) -> bytes:
    return MIME_BY_FORMAT[sniff_format(data[:16]) or "png"].encode()


class OnlineTiles(QObject):
    def __init__(self, reply: Reply, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._reply = reply
        self._cache: TileCache | None = None
        self._source: TileSource | None = None
        self._nam: QNetworkAccessManager | None = None  # made on the first fetch only
        self._waiting: dict[Key, dict[int, QWebEngineUrlRequestJob]] = {}
        self._queue: deque[Key] = deque()
        self._in_flight: dict[Key, QNetworkReply] = {}
        self._paused_until = 0.0
        self._next_token = 0
        #: Counters for the status line and the tests.
        self.stats = {"cache_hits": 0, "fetched": 0, "not_found": 0, "failed": 0, "dropped": 0}

    # ----- configuration --------------------------------------------------------------------------

    @property
    def cache(self) -> TileCache | None:
        return self._cache

    def set_cache(self, cache: TileCache | None) -> None:
        """The cache to answer from and store into (the caller owns and closes it)."""
        self._cache = cache

    @property
    def source(self) -> TileSource | None:
        return self._source

    def set_source(self, source: TileSource | None) -> None:
        """The online source to fetch missing tiles from, or None: fetch nothing (requests in
        flight are aborted and every waiting request fails)."""
        if source is not None and not source.url_template.startswith(("https://", "http://")):
            raise ValueError(f"not a web tile URL template: {source.url_template!r}")
        self._source = source
        self._paused_until = 0.0
        if source is None:
            self._queue.clear()
            for reply in list(self._in_flight.values()):
                reply.abort()  # -> finished: its waiting jobs fail
            for key in list(self._waiting):
                self._fail(key, QWebEngineUrlRequestJob.Error.UrlNotFound)

    def pending(self) -> int:
        """Page requests waiting for a fetch."""
        return sum(len(j) for j in self._waiting.values())

    # ----- serving --------------------------------------------------------------------------------

    def serve(self, job: QWebEngineUrlRequestJob, z: int, x: int, y: int) -> None:
        key = (z, x, y)
        data = self._cache.get(z, x, y) if self._cache is not None else None
        if data is not None:
            self.stats["cache_hits"] += 1
            self._reply(job, data, _mime(data), CACHE_CONTROL)
            return
        if self._source is None or time.monotonic() < self._paused_until:
            self.stats["not_found"] += 1
            job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)  # the layer below shows
            return
        token = self._next_token
        self._next_token += 1
        jobs = self._waiting.setdefault(key, {})
        jobs[token] = job
        # Qt deletes the job when the page cancels the request: forget it then, never reply to it.
        job.destroyed.connect(partial(self._job_gone, key, token))
        if len(jobs) == 1 and key not in self._in_flight:
            self._queue.append(key)
            while len(self._queue) > MAX_QUEUED:
                self._fail(self._queue.popleft(), QWebEngineUrlRequestJob.Error.RequestFailed)
        self._pump()

    def _job_gone(self, key: Key, token: int, *_args: object) -> None:
        jobs = self._waiting.get(key)
        if jobs is None or jobs.pop(token, None) is None:
            return
        self.stats["dropped"] += 1
        if not jobs:
            del self._waiting[key]
            # Nobody waits for it: do not fetch it (in flight: let it finish, it is cached).
            with contextlib.suppress(ValueError):
                self._queue.remove(key)

    def _pump(self) -> None:
        while self._queue and len(self._in_flight) < MAX_IN_FLIGHT and self._source is not None:
            key = self._queue.popleft()
            if key in self._waiting:
                self._start(key)

    def _start(self, key: Key) -> None:
        assert self._source is not None
        if self._nam is None:
            self._nam = QNetworkAccessManager(self)
        request = QNetworkRequest(QUrl(self._source.url(*key)))
        request.setHeader(QNetworkRequest.KnownHeaders.UserAgentHeader, USER_AGENT)
        request.setRawHeader(b"Accept", b"image/png,image/jpeg,image/webp,image/*;q=0.8")
        request.setTransferTimeout(TIMEOUT_MS)
        reply = self._nam.get(request)
        self._in_flight[key] = reply
        reply.downloadProgress.connect(partial(self._progress, reply))
        reply.finished.connect(partial(self._finished, key, reply))

    @staticmethod
    def _progress(reply: QNetworkReply, received: int, _total: int) -> None:
        if received > MAX_TILE_BYTES:
            reply.abort()

    def _finished(self, key: Key, reply: QNetworkReply) -> None:
        self._in_flight.pop(key, None)
        reply.deleteLater()
        status = reply.attribute(QNetworkRequest.Attribute.HttpStatusCodeAttribute)
        status = int(status) if status is not None else 0
        data = bytes(reply.readAll().data()) if reply.error() == QNetworkReply.NetworkError.NoError else b""
        if data and status == 200 and len(data) <= MAX_TILE_BYTES and sniff_format(data[:16]) is not None:
            self.stats["fetched"] += 1
            if self._cache is not None:
                self._cache.put(*key, data)
            for job in self._take(key):
                self._reply(job, data, _mime(data), CACHE_CONTROL)
        else:
            if status in (429, 503):
                self._pause(reply)
            if status in (404, 204):
                self.stats["not_found"] += 1
            else:
                self.stats["failed"] += 1
                if reply.error() != QNetworkReply.NetworkError.OperationCanceledError:
                    log.info("online tile %s: %s (HTTP %s)", reply.url().toString(),
                             reply.errorString(), status)
            self._fail(key, QWebEngineUrlRequestJob.Error.UrlNotFound if status in (404, 204)
                       else QWebEngineUrlRequestJob.Error.RequestFailed)
        self._pump()

    def _pause(self, reply: QNetworkReply) -> None:
        raw = bytes(reply.rawHeader(b"Retry-After").data()).decode("latin-1").strip()
        wait = min(float(raw), MAX_RETRY_AFTER_S) if raw.isdigit() else DEFAULT_PAUSE_S
        self._paused_until = time.monotonic() + wait
        log.info("online tiles: the server asked us to wait; pausing %.0f s", wait)
        for k in list(self._queue):
            self._fail(k, QWebEngineUrlRequestJob.Error.RequestFailed)
        self._queue.clear()

    def _take(self, key: Key) -> list[QWebEngineUrlRequestJob]:
        """The live jobs waiting for ``key``, no longer tracked."""
        jobs = self._waiting.pop(key, {})
        return [j for j in jobs.values() if shiboken6.isValid(j)]

    def _fail(self, key: Key, error: QWebEngineUrlRequestJob.Error) -> None:
        for job in self._take(key):
            job.fail(error)
