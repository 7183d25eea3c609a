"""The ``cdesk`` URL scheme: serves the map page (``resources/web``), map data (``maps/``) and tiles.

``cdesk://app/index.html`` is the page; ``cdesk://app/maps/<file>`` is map data;
``cdesk://app/tiles/<pack-id>/<z>/<x>/<y>`` is a tile read from an MBTiles pack added with
:meth:`SchemeHandler.add_pack` (a missing tile is "not found", so the layer below shows);
``cdesk://app/basemap/<z>/<x>/<y>`` is a vector tile of the built-in regional basemap;
``cdesk://app/data/<token>`` is a binary payload the view put in :attr:`SchemeHandler.blobs`
(members and links of an opened project: ``blobs.py``), served once;
``cdesk://app/data/next/<secret>`` is a request the page keeps waiting for the next payload:
answered (:meth:`SchemeHandler.push`) the moment the view has one, so an open's data block
needs no request made after it exists (see ``blobs.py``);
``cdesk://app/online/<z>/<x>/<y>`` is an online tile, answered by :attr:`SchemeHandler.online`
from the local tile cache or, while the user's online source is on, fetched in Python (see
``online_tiles.py``): the page itself never talks to the internet. A custom scheme
instead of ``setHtml`` (which fails above 2 MB) or ``file://`` (which would need
``LocalContentCanAccessFileUrls``): the page can reach exactly the files below, nothing else.
The scheme must be registered before the QApplication exists: call :func:`register_scheme`
first thing (it is idempotent).
"""

from __future__ import annotations

import json
import logging
import re
import secrets
from pathlib import Path, PurePosixPath

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QObject, QUrl
from PySide6.QtWebEngineCore import (
    QWebEngineUrlRequestJob,
    QWebEngineUrlScheme,
    QWebEngineUrlSchemeHandler,
)

from cluster_desk.paths import map_data, resource
from cluster_desk.tiles.mbtiles import MBTiles, valid_tile
from cluster_desk.tiles.regional import RegionalTiles
from cluster_desk.ui.map.blobs import BlobStore
from cluster_desk.ui.offline.online_tiles import OnlineTiles

log = logging.getLogger(__name__)

SCHEME = "cdesk"
HOST = "app"
PAGE_URL = QUrl(f"{SCHEME}://{HOST}/index.html")
#: ``/tiles/<pack-id>/<z>/<x>/<y>`` (an image suffix is allowed and ignored): a tile of a pack.
TILE_PATH = re.compile(r"/tiles/([a-z0-9]{1,40})/(\d{1,2})/(\d{1,10})/(\d{1,10})(?:\.(?:png|jpg|jpeg|webp))?")

#: ``/online/<z>/<x>/<y>``: a tile of the online layer (cache, else fetched when the source is on).
ONLINE_PATH = re.compile(r"/online/(\d{1,2})/(\d{1,10})/(\d{1,10})(?:\.(?:png|jpg|jpeg|webp))?")
#: ``/data/<token>``: a blob of map data (blobs.BlobStore), fetched once by the page.
DATA_PATH = re.compile(r"/data/([0-9a-f]{32})")
#: ``/data/next/<secret>``: a request the page keeps waiting for the next blob (pushed).
NEXT_PATH = re.compile(r"/data/next/([0-9a-f]{32})")
#: At most this many such requests wait at a time (the page keeps two: see map.js askNext).
NEXT_WAITING = 2
#: The pushed reply's header naming the blob it carries.
BLOB_HEADER = b"X-Cdesk-Blob"
#: ``/basemap/<z>/<x>/<y>``: a vector tile of the built-in regional basemap (tiles/regional.py).
REGIONAL_PATH = re.compile(r"/basemap/(\d{1,2})/(\d{1,10})/(\d{1,10})")
#: The online layer's URL template as the page gets it.
ONLINE_TILE_URL = f"{SCHEME}://{HOST}/online/{{z}}/{{x}}/{{y}}"

#: Only these file types are served; anything else is "not found".
MIME_TYPES: dict[str, bytes] = {
    ".html": b"text/html",
    ".js": b"text/javascript",
    ".css": b"text/css",
    ".json": b"application/json",
    ".png": b"image/png",
    ".svg": b"image/svg+xml",
}

#: Strict policy for every response. No 'unsafe-inline' anywhere: Leaflet only sets styles
#: through element.style (CSSOM), which style-src does not govern. qrc: is for qwebchannel.js.
#: Images only from cdesk: and data: — online tiles too come through our scheme.
CSP = (
    "default-src 'none'; script-src cdesk: qrc:; style-src cdesk:; img-src cdesk: data:; "
    "connect-src cdesk:; font-src cdesk:; base-uri 'none'; form-action 'none'; "
    "frame-src 'none'; frame-ancestors 'none'; object-src 'none'; worker-src 'none'"
)


def register_scheme() -> None:
    """Register ``cdesk`` with Qt WebEngine. Must run before the QApplication exists."""
    if QWebEngineUrlScheme.schemeByName(SCHEME.encode()).name() == SCHEME.encode():
        return  # already registered: idempotent
    if QCoreApplication.instance() is not None:
        raise RuntimeError("register_scheme() must be called before the QApplication is created")
    # Qt WebEngine widgets must also be imported before the application exists.
    import PySide6.QtWebEngineWidgets  # noqa: F401

    scheme = QWebEngineUrlScheme(SCHEME.encode())
    scheme.setSyntax(QWebEngineUrlScheme.Syntax.Host)  # cdesk://app/...: a real origin for CORS/CSP
    scheme.setFlags(
        QWebEngineUrlScheme.Flag.SecureScheme
        | QWebEngineUrlScheme.Flag.LocalScheme
        | QWebEngineUrlScheme.Flag.LocalAccessAllowed
        | QWebEngineUrlScheme.Flag.CorsEnabled
        | QWebEngineUrlScheme.Flag.FetchApiAllowed
    )
    QWebEngineUrlScheme.registerScheme(scheme)


def resolve_request_path(url_path: str) -> Path | None:
    """The file a decoded URL path names, or None if it is outside what we serve.

    Refuses empty and dot segments, backslashes, NULs, drive letters, unknown file types and
    anything that resolves (symlinks included) outside ``resources/web`` or ``maps/``.
    """
    if not url_path.startswith("/") or "\\" in url_path or "\x00" in url_path or ":" in url_path:
        return None
    parts = PurePosixPath(url_path).parts[1:]  # drop the leading "/"
    if not parts or any(p in ("", ".", "..") for p in parts):
        return None
    if url_path.count("/") != len(parts):  # "//" or a trailing "/" hid an empty segment
        return None
    if parts[0] == "maps":
        root, rel = map_data(), parts[1:]
    else:
        root, rel = resource("web"), parts
    if not rel:
        return None
    root = root.resolve()
    candidate = root.joinpath(*rel).resolve()
    if not candidate.is_relative_to(root) or not candidate.is_file():
        return None
    if candidate.suffix.lower() not in MIME_TYPES:
        return None
    return candidate


class SchemeHandler(QWebEngineUrlSchemeHandler):
    """Answers ``cdesk://app/...`` requests from files, with the CSP on every response."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._packs: dict[str, MBTiles] = {}
        #: The online layer: tile cache and (only when the user turned it on) the online source.
        self.online = OnlineTiles(self._reply, self)
        #: The built-in regional basemap (water, rivers, federal-subject borders).
        self.regional = RegionalTiles()
        #: Members and links the view sends as binary (map.js fetches them by token).
        self.blobs = BlobStore()
        #: The page's waiting requests for the next blob (``/data/next/<secret>``), by id, and
        #: those given to a bundle not closed yet (token -> job); the secret is in ``configure``.
        self.next_secret = secrets.token_hex(16)
        self._waiting: dict[int, QWebEngineUrlRequestJob] = {}
        self._reserved: dict[str, QWebEngineUrlRequestJob] = {}
        self.pushed = 0

    # -- tile packs (MBTiles) --

    def add_pack(self, pack: MBTiles) -> str:
        """Serve ``pack`` under ``cdesk://app/tiles/<pack.info.pack_id>/{z}/{x}/{y}``."""
        self._packs[pack.info.pack_id] = pack
        return pack.info.pack_id

    def remove_pack(self, pack_id: str) -> None:
        self._packs.pop(pack_id, None)  # the owner closes it

    def packs(self) -> dict[str, MBTiles]:
        return dict(self._packs)

    def tile_response(self, url_path: str) -> tuple[bytes, bytes] | None:
        """(data, mime) for a tile URL path, or None: not a tile path, unknown pack, no such tile."""
        m = TILE_PATH.fullmatch(url_path)
        if m is None:
            return None
        pack = self._packs.get(m.group(1))
        if pack is None:
            return None
        z, x, y = int(m.group(2)), int(m.group(3)), int(m.group(4))
        data = pack.tile(z, x, y)
        return None if data is None else (data, pack.mime_type.encode())

    def content_security_policy(self) -> str:
        return CSP

    def requestStarted(self, job: QWebEngineUrlRequestJob) -> None:
        url = job.requestUrl()
        method = bytes(job.requestMethod().data())
        if method not in (b"GET", b"HEAD"):
            log.warning("cdesk: refused %s %s", method, url.toString())
            job.fail(QWebEngineUrlRequestJob.Error.RequestDenied)
            return
        if url.host() != HOST or url.port() != -1:
            job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
            return
        url_path = url.path(QUrl.ComponentFormattingOption.FullyDecoded)
        if url_path.startswith("/tiles/"):
            self._serve_tile(job, url_path)
            return
        if url_path.startswith("/online/"):
            self._serve_online(job, url_path)
            return
        if url_path.startswith("/basemap/"):
            self._serve_regional(job, url_path)
            return
        if url_path.startswith("/data/next/"):
            self._wait(job, url_path)
            return
        if url_path.startswith("/data/"):
            m = DATA_PATH.fullmatch(url_path)
            data = self.blobs.take(m.group(1)) if m is not None else None
            if data is None:
                job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
                return
            self._reply(job, data, b"application/octet-stream", b"no-store")
            return
        path = resolve_request_path(url_path)
        if path is None:
            log.warning("cdesk: refused %s", url.toString())
            job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
            return
        try:
            data = path.read_bytes()
        except OSError as e:
            log.warning("cdesk: cannot read %s: %s", path, e)
            job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
            return
        self._reply(job, data, MIME_TYPES[path.suffix.lower()], b"no-store")

    # -- blobs pushed into requests the page keeps waiting --

    def _wait(self, job: QWebEngineUrlRequestJob, url_path: str) -> None:
        m = NEXT_PATH.fullmatch(url_path)
        if m is None or m.group(1) != self.next_secret or len(self._waiting) >= NEXT_WAITING:
            job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
            return
        key = id(job)
        self._waiting[key] = job
        # Qt deletes a job whose page went away (reloaded, closed): forget it then.
        job.destroyed.connect(lambda *_: self._waiting.pop(key, None))

    def reserve(self, token: str) -> bool:
        """Whether blob ``token`` goes out in a request the page has waiting (then :meth:`push`
        sends it once its bundle is closed); False: the page fetches it as usual."""
        if token in self._reserved:
            return True
        if not self._waiting:
            return False
        _, self._reserved[token] = self._waiting.popitem()
        return True

    def push(self) -> None:
        """Send every reserved blob whose bundle is closed into its waiting request. A request
        that went away meanwhile leaves the blob in the store (the page, if it is still there,
        fetches it by its token instead)."""
        for token in [t for t in self._reserved if not self.blobs.is_open(t)]:
            job = self._reserved.pop(token)
            data = self.blobs.take(token)
            if data is None:
                continue
            try:
                self._reply(job, data, b"application/octet-stream", b"no-store",
                            {BLOB_HEADER: token.encode()})
                self.pushed += 1
            except RuntimeError:  # the job was deleted (the page went away)
                self.blobs.put_back(token, data)

    def _serve_tile(self, job: QWebEngineUrlRequestJob, url_path: str) -> None:
        try:
            found = self.tile_response(url_path)
        except Exception:  # a damaged pack must not take the page down: the tile is just missing
            log.warning("cdesk: tile %s failed", url_path, exc_info=True)
            found = None
        if found is None:
            # "Not found": Leaflet keeps the tile hidden and the layer below (the world basemap)
            # shows through. Not logged: packs routinely lack tiles at the edges and zooms.
            job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
            return
        # Tiles of a pack do not change while it is open: let the page's memory cache keep them.
        self._reply(job, found[0], found[1], b"private, max-age=600")

    def _serve_regional(self, job: QWebEngineUrlRequestJob, url_path: str) -> None:
        m = REGIONAL_PATH.fullmatch(url_path)
        try:
            if url_path == "/basemap/meta.json":  # the zooms the file holds (the page overzooms the last)
                zooms = self.regional.zoom_range()
                data = json.dumps({"minzoom": zooms[0], "maxzoom": zooms[1]}).encode() if zooms else None
            else:
                data = self.regional.tile(*(int(v) for v in m.groups())) if m is not None else None
        except Exception:  # a damaged file must not take the page down: the tile is just empty
            log.warning("cdesk: regional tile %s failed", url_path, exc_info=True)
            data = None
        if data is None:  # no tile: nothing of ours there (sea, abroad); the page draws nothing
            job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
            return
        self._reply(job, data, b"application/json", b"private, max-age=600")

    def _serve_online(self, job: QWebEngineUrlRequestJob, url_path: str) -> None:
        m = ONLINE_PATH.fullmatch(url_path)
        z, x, y = (int(v) for v in m.groups()) if m is not None else (-1, 0, 0)
        if not valid_tile(z, x, y):
            job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
            return
        try:
            self.online.serve(job, z, x, y)  # replies now (cache) or later (fetch), or fails
        except Exception:  # a broken cache must not take the page down: the tile is just missing
            log.warning("cdesk: online tile %s failed", url_path, exc_info=True)
            job.fail(QWebEngineUrlRequestJob.Error.RequestFailed)

    def _reply(self, job: QWebEngineUrlRequestJob, data: bytes | QByteArray, mime: bytes,
               cache: bytes, extra: dict[bytes, bytes] | None = None) -> None:
        # PySide maps a QMultiMap from a dict of lists (a bare value would be split up).
        headers = {
            QByteArray(b"Content-Security-Policy"): [QByteArray(self.content_security_policy().encode())],
            QByteArray(b"X-Content-Type-Options"): [QByteArray(b"nosniff")],
            QByteArray(b"Cache-Control"): [QByteArray(cache)],
        }
        for name, value in (extra or {}).items():
            headers[QByteArray(name)] = [QByteArray(value)]
        job.setAdditionalResponseHeaders(headers)
        buf = QBuffer(job)  # parented to the job: lives exactly as long as the request
        buf.setData(data if isinstance(data, QByteArray) else QByteArray(data))
        buf.open(QIODevice.OpenModeFlag.ReadOnly)
        job.reply(QByteArray(mime), buf)
