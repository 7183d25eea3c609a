"""The map: a Qt WebEngine view of our own Leaflet page, driven over a QWebChannel bridge.

Python -> page: one JSON command per call on ``MapBridge.command`` (ops in ARCHITECTURE.md,
"The map bridge"), queued until the page says ready, then sent incrementally. Page -> Python: one
JSON string per message into a slot of :class:`MapBridge`, parsed and validated here (known ids,
finite in-range numbers) before :class:`MapView` emits a typed Qt signal. Bad messages are logged
and dropped; nothing the page sends can raise in Python.

The page is locked down: served only from the ``cdesk`` scheme (see ``scheme.py``), no file or
remote access, no navigation away, no new windows, and an off-the-record profile (no disk cache,
no cookies). Call ``scheme.register_scheme()`` before the QApplication exists.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, Qt, QUrl, Signal, Slot
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import (
    QWebEngineLoadingInfo,
    QWebEnginePage,
    QWebEngineProfile,
    QWebEngineSettings,
)
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QWidget

from cluster_desk.core.model import Member
from cluster_desk.core.palette import FORMER_GREY, KIND_COLOURS, OUTSIDE_RED  # noqa: F401 - re-exported
from cluster_desk.tiles.mbtiles import MBTiles
from cluster_desk.ui.map.scheme import HOST, PAGE_URL, SCHEME, SchemeHandler

log = logging.getLogger(__name__)


MODES = ("browse", "place")
#: Page messages are tiny; anything longer is not from our page.
MAX_MESSAGE_CHARS = 4096
MAX_RADIUS_KM = 20_000.0
#: The towns layer's columns (``places.towns``), in this order.
TOWN_FIELDS = ("lat", "lon", "name", "pop")


# ---- validation of page messages -----------------------------------------------------------


class _BadMessage(ValueError):
    pass


def _reject_constant(name: str) -> Any:
    raise _BadMessage(f"non-finite number {name}")  # json.loads would accept NaN/Infinity


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise _BadMessage(f"duplicate key {k!r}")
        out[k] = v
    return out


def parse_message(text: object) -> dict[str, Any]:
    """A page message as a dict, or _BadMessage."""
    if not isinstance(text, str):
        raise _BadMessage(f"not a string: {type(text).__name__}")
    if len(text) > MAX_MESSAGE_CHARS:
        raise _BadMessage(f"too long ({len(text)} characters)")
    try:
        obj = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_no_duplicate_keys)
    except (ValueError, RecursionError) as e:
        raise _BadMessage(f"not JSON: {e}") from None
    if not isinstance(obj, dict):
        raise _BadMessage("not a JSON object")
    return obj


def _number(obj: dict[str, Any], key: str, lo: float, hi: float, *, open_low: bool = False) -> float:
    v = obj.get(key)
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise _BadMessage(f"{key} is not a number: {v!r}")
    f = float(v)
    if not math.isfinite(f) or f > hi or f < lo or (open_low and f == lo):
        raise _BadMessage(f"{key} out of range: {f!r}")
    return f


def _lat_lon(obj: dict[str, Any]) -> tuple[float, float]:
    return _number(obj, "lat", -90.0, 90.0), _number(obj, "lon", -180.0, 180.0)


#: What the page gets about a member (no notes, no contacts), in this order.
PAYLOAD_FIELDS = ("id", "name", "kind", "status", "lat", "lon")
_Row = tuple[str, str, str, str, float, float]


def _row(m: Member) -> _Row | None:
    """The member's payload fields, or None if it is not on the map."""
    if m.lat is None or m.lon is None:
        return None
    lat, lon = float(m.lat), float(m.lon)
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):  # NaN and infinities fail too
        log.warning("map: member %s has invalid coordinates %r, %r", m.id, m.lat, m.lon)
        return None
    return (m.id, m.name, str(m.kind), str(m.status), lat, lon)


def _columns(rows: Iterable[_Row], outside: set[str]) -> dict[str, list[Any]]:
    """Members as columns: much less JSON to build, send and parse than one object each."""
    rows = list(rows)
    cols: dict[str, list[Any]] = {k: [r[j] for r in rows] for j, k in enumerate(PAYLOAD_FIELDS)}
    cols["outside"] = [1 if i in outside else 0 for i in cols["id"]]
    return cols


def _json(obj: dict[str, Any]) -> str:
    # Raw UTF-8 rather than \uXXXX escapes: a Cyrillic name is a third of the size, and
    # 100,000 of them are parsed twice on the page (QWebChannel's envelope, then ours).
    text = json.dumps(obj, allow_nan=False, separators=(",", ":"), ensure_ascii=False)
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: Qt would drop it; escape it instead
            text = json.dumps(obj, allow_nan=False, separators=(",", ":"))
    return text


class TownsPayload:
    """The towns layer's columns (``places.towns``: ``lat``, ``lon``, ``name``, ``pop`` of equal
    length, largest first), validated and encoded as JSON once. Pure Python and no Qt: build it
    in a worker thread (``ui.offline_maps.TownsLayer`` does) so the GUI thread only sends it.
    Rows with a bad value (no name, coordinates out of range, NaN) are dropped."""

    def __init__(self, columns: dict[str, Sequence[Any]]) -> None:
        if not isinstance(columns, dict) or any(
            not isinstance(columns.get(k), Sequence) or isinstance(columns.get(k), str) for k in TOWN_FIELDS
        ):
            raise ValueError(f"towns need the columns {', '.join(TOWN_FIELDS)}")
        lat, lon, name, pop = (columns[k] for k in TOWN_FIELDS)
        if not len(lat) == len(lon) == len(name) == len(pop):
            raise ValueError("towns: columns of different lengths")
        ok = [
            i for i, (a, o, n, p) in enumerate(zip(lat, lon, name, pop, strict=True))
            if isinstance(n, str) and n and isinstance(a, int | float) and isinstance(o, int | float)
            and isinstance(p, int | float) and not isinstance(p, bool)
            and -90 <= a <= 90 and -180 <= o <= 180 and math.isfinite(p) and p >= 0
        ]
        if len(ok) == len(lat):
            cols: dict[str, list[Any]] = {k: list(columns[k]) for k in TOWN_FIELDS}
        else:
            cols = {k: [columns[k][i] for i in ok] for k in TOWN_FIELDS}
        self.count = len(ok)
        self.json = _json(cols)


# ---- the bridge ------------------------------------------------------------------------------


class MapBridge(QObject):
    """The one object the page sees ("bridge"). Only ``command`` and the slots are exposed.

    Each slot takes one JSON string from the page, validates it and hands typed values to the
    callbacks given by the view. It never raises: bad input is logged and dropped.
    """

    command = Signal(str)

    def __init__(self, view: MapView) -> None:
        super().__init__(view)
        self._view = view
        self.rejected = 0  # how many page messages were dropped (tests and diagnostics)

    def _handle(self, name: str, text: object, action: Callable[[dict[str, Any]], None]) -> None:
        try:
            action(parse_message(text))
        except _BadMessage as e:
            self.rejected += 1
            log.warning("map bridge: dropped %s message: %s", name, e)
        except Exception:  # a bug of ours must not escape into Qt's event loop
            self.rejected += 1
            log.exception("map bridge: error handling %s", name)

    def _known_id(self, obj: dict[str, Any]) -> str:
        mid = obj.get("id")
        if not isinstance(mid, str) or not self._view.has_member(mid):
            raise _BadMessage(f"unknown member id {mid!r}")
        return mid

    @Slot(str)
    def ready(self, text: str) -> None:
        self._handle("ready", text, lambda _o: self._view._on_page_ready())

    @Slot(str)
    def drawn(self, text: str) -> None:
        def act(o: dict[str, Any]) -> None:
            seq = o.get("seq")
            if isinstance(seq, bool) or not isinstance(seq, int):
                raise _BadMessage(f"seq is not an integer: {seq!r}")
            self._view._on_drawn(seq)

        self._handle("drawn", text, act)

    @Slot(str)
    def mapClicked(self, text: str) -> None:
        self._handle("mapClicked", text, lambda o: self._view.mapClicked.emit(*_lat_lon(o)))

    @Slot(str)
    def markerMoved(self, text: str) -> None:
        def act(o: dict[str, Any]) -> None:
            mid = self._known_id(o)
            lat, lon = _lat_lon(o)
            self._view.memberMoved.emit(mid, lat, lon)

        self._handle("markerMoved", text, act)

    @Slot(str)
    def markerClicked(self, text: str) -> None:
        self._handle(
            "markerClicked", text, lambda o: self._view.memberClicked.emit(self._known_id(o))
        )

    @Slot(str)
    def centreMoved(self, text: str) -> None:
        self._handle("centreMoved", text, lambda o: self._view.centreMoved.emit(*_lat_lon(o)))

    @Slot(str)
    def radiusDragged(self, text: str) -> None:
        self._handle(
            "radiusDragged",
            text,
            lambda o: self._view.radiusChanged.emit(
                _number(o, "radiusKm", 0.0, MAX_RADIUS_KM, open_low=True)
            ),
        )

    @Slot(str)
    def linkClicked(self, text: str) -> None:
        def act(o: dict[str, Any]) -> None:
            slot = o.get("slot")
            if isinstance(slot, bool) or not isinstance(slot, int):
                raise _BadMessage(f"slot is not an integer: {slot!r}")
            link_id = self._view.link_at_slot(slot)
            if link_id is None:
                raise _BadMessage(f"no link in slot {slot}")
            self._view.linkClicked.emit(link_id)

        self._handle("linkClicked", text, act)

    @Slot(str)
    def cursorMoved(self, text: str) -> None:
        self._handle("cursorMoved", text, lambda o: self._view.cursorMoved.emit(*_lat_lon(o)))


# ---- the page --------------------------------------------------------------------------------


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

    def acceptNavigationRequest(
        self, url: QUrl, nav_type: QWebEnginePage.NavigationType, is_main_frame: bool
    ) -> bool:
        if is_main_frame and is_page_url(url):
            return True
        log.warning("map: refused navigation to %s", url.toString())
        return False

    def createWindow(self, _type: QWebEnginePage.WebWindowType) -> QWebEnginePage | None:
        log.warning("map: refused to open a window")
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


def _lock_down(settings: QWebEngineSettings) -> None:
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


# ---- the view --------------------------------------------------------------------------------


class MapView(QWebEngineView):
    """The cluster map. Methods return the sequence number of the command they sent (the page
    acknowledges it with ``drawn(seq)`` once it is on screen)."""

    ready = Signal()
    mapClicked = Signal(float, float)  # lat, lon
    memberMoved = Signal(str, float, float)  # id, lat, lon
    memberClicked = Signal(str)
    centreMoved = Signal(float, float)
    radiusChanged = Signal(float)  # km
    cursorMoved = Signal(float, float)
    drawn = Signal(int)  # sequence number of the last command painted
    linkClicked = Signal(str)  # link id (ui.links.map_layer owns the slots)

    def __init__(self, parent: QWidget | None = None, *, autoload: bool = True) -> None:
        super().__init__(parent)
        # Off-the-record profile of our own: no disk cache, no cookies, our scheme handler.
        # Parent it after the page so that Qt deletes the page first (else a profile warning).
        profile = QWebEngineProfile()
        self._scheme_handler = SchemeHandler(profile)
        profile.installUrlSchemeHandler(SCHEME.encode(), self._scheme_handler)
        page = MapPage(profile, self)
        profile.setParent(self)
        self._profile = profile
        _lock_down(page.settings())
        self.bridge = MapBridge(self)
        self._channel = QWebChannel(page)
        self._channel.registerObject("bridge", self.bridge)
        page.setWebChannel(self._channel)
        self.setPage(page)
        self._map_page = page
        # A project file dropped on the map goes to the window, not into the page.
        self.setAcceptDrops(False)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)

        self._seq = 0
        self._page_ready = False
        self._ever_ready = False
        self._queue: list[str] = []
        self.last_drawn = 0
        # What the page shows, kept so a reloaded page can be given it again.
        self._members: dict[str, _Row] = {}
        self._outside: set[str] = set()
        self._highlight: list[str] = []
        self._shown: list[str] | None = None  # the roster filter's members (None: no filter)
        self._selected: str | None = None
        self._mode = "browse"
        self._circle: dict[str, Any] | None = None
        self._language: dict[str, Any] = {"lang": "en", **self._default_labels()}
        self._tiles: dict[str, Any] = {"url": None, "attribution": ""}
        self._active_pack: dict[str, Any] | None = None  # PackInfo.to_json() of the shown pack
        #: The towns reference layer (validated, encoded) and whether it is shown.
        self._towns: TownsPayload | None = None
        self._towns_shown = True
        #: The last view command (fitAll / fitBounds / centreOn): a reloaded page shows it again.
        self._view_op: tuple[str, dict[str, Any]] | None = None
        #: Layers kept by other parts (ui.links.map_layer): called after a reload's replay, and
        #: the lookup of a clicked link's slot.
        self.replay_hooks: list[Callable[[], None]] = []
        self.link_at_slot: Callable[[int], str | None] = lambda _slot: None

        page.loadingChanged.connect(self._on_loading_changed)
        page.renderProcessTerminated.connect(self._on_render_process_terminated)
        if autoload:
            self.load_page()

    def load_page(self) -> None:
        """Load (or reload) our page. Only needed with ``autoload=False`` (e.g. to install a
        request interceptor on :attr:`profile` first)."""
        self.setUrl(PAGE_URL)

    # -- plumbing --

    @property
    def profile(self) -> QWebEngineProfile:
        return self._profile

    @property
    def map_page(self) -> MapPage:
        return self._map_page

    @property
    def is_ready(self) -> bool:
        return self._page_ready

    def has_member(self, member_id: str) -> bool:
        return member_id in self._members

    def member_ids(self) -> set[str]:
        return set(self._members)

    @staticmethod
    def _default_labels() -> dict[str, Any]:
        try:
            from cluster_desk.ui.labels import kind_labels, status_labels

            return {
                "kindLabels": {k.value: v for k, v in kind_labels().items()},
                "statusLabels": {k.value: v for k, v in status_labels().items()},
            }
        except Exception:  # labels are cosmetic; the page falls back to the raw values
            log.debug("map: no translated labels", exc_info=True)
            return {"kindLabels": {}, "statusLabels": {}}

    def _send(self, op: str, _raw: tuple[str, str] | None = None, **fields: Any) -> int:
        """Send one command; ``_raw`` is (key, JSON text) of a field encoded beforehand."""
        self._seq += 1
        text = _json({"op": op, "seq": self._seq, **fields})
        if _raw is not None:  # splice the pre-encoded field in: '{"op":...,"seq":n,"key":<json>}'
            text = f'{text[:-1]},{json.dumps(_raw[0])}:{_raw[1]}}}'
        if self._page_ready:
            self.bridge.command.emit(text)
        elif not self._ever_ready:
            self._queue.append(text)
        # else: the page is reloading; it gets the whole state again when it says ready
        return self._seq

    def _on_loading_changed(self, info: QWebEngineLoadingInfo) -> None:
        # Only a load of our own page replaces the page; refused navigations also report here.
        if not is_page_url(info.url()):
            return
        status = info.status()
        if status == QWebEngineLoadingInfo.LoadStatus.LoadStartedStatus:
            self._page_ready = False
        elif status == QWebEngineLoadingInfo.LoadStatus.LoadFailedStatus:
            log.error("map: page failed to load: %s", info.errorString())

    def _on_render_process_terminated(
        self, status: QWebEnginePage.RenderProcessTerminationStatus, code: int
    ) -> None:
        self._page_ready = False
        if status == QWebEnginePage.RenderProcessTerminationStatus.NormalTerminationStatus:
            return  # the view is closing
        log.error("map: page renderer ended (%s, exit code %s); reloading", status, code)
        self.load_page()  # the state is replayed when the new page says ready

    def _on_page_ready(self) -> None:
        # A second "ready" without a load we saw (e.g. a reload from inside) is a new page too.
        self._page_ready = True
        self._send("configure", kindColours=KIND_COLOURS, **self._language)
        if not self._ever_ready:
            queue, self._queue = self._queue, []
            for text in queue:  # in order, as they were called
                self.bridge.command.emit(text)
        else:
            self._replay_state()
        self._ever_ready = True
        self.ready.emit()

    def _replay_state(self) -> None:
        """After a reload: give the new page everything the old one showed."""
        if self._tiles["url"]:
            self._send("setOnlineTiles", **self._tiles)
        if self._active_pack is not None:
            self._send("setTilePack", pack=self._active_pack)
        self._send("setMembers", columns=_columns(self._members.values(), self._outside))
        if not self._towns_shown:
            self._send("showTowns", show=False)
        if self._towns is not None:
            self._send("setTowns", _raw=("columns", self._towns.json))
        if self._circle is not None:
            self._send("setCircle", **self._circle)
        if self._highlight:
            self._send("highlight", ids=self._highlight)
        if self._shown is not None:
            self._send("setFaded", keep=self._shown)
        if self._selected is not None:
            self._send("select", id=self._selected, pan=False)
        self._send("setMode", mode=self._mode)
        if self._view_op is not None:
            self._send(self._view_op[0], **self._view_op[1])
        for hook in self.replay_hooks:
            hook()

    def send_command(self, op: str, **fields: Any) -> int:
        """Send a command of a layer kept elsewhere (ui.links.map_layer); returns its seq."""
        return self._send(op, **fields)

    def _on_drawn(self, seq: int) -> None:
        self.last_drawn = seq
        self.drawn.emit(seq)

    # -- the API the window uses --

    def set_members(self, members: Iterable[Member]) -> int:
        """Show exactly these members (unlocated ones are skipped). One batch, one redraw."""
        rows: dict[str, _Row] = {}
        for m in members:
            row = _row(m)
            if row is not None:
                rows[m.id] = row
        self._members = rows
        self._outside &= rows.keys()
        if self._selected not in rows:
            self._selected = None
        return self._send("setMembers", columns=_columns(rows.values(), self._outside))

    def upsert_member(self, member: Member) -> int:
        """Add or update one member; a member without coordinates leaves the map."""
        row = _row(member)
        if row is None:
            return self.remove_members([member.id]) if member.id in self._members else self._seq
        self._members[member.id] = row
        payload: dict[str, Any] = dict(zip(PAYLOAD_FIELDS, row, strict=True))
        payload["outside"] = member.id in self._outside
        return self._send("upsertMember", member=payload)

    def remove_members(self, ids: Iterable[str]) -> int:
        gone = [i for i in ids if i in self._members]
        for i in gone:
            del self._members[i]
            self._outside.discard(i)
            if self._selected == i:
                self._selected = None
        self._highlight = [i for i in self._highlight if i in self._members]
        return self._send("removeMembers", ids=gone) if gone else self._seq

    def set_circle(
        self,
        lat: float,
        lon: float,
        radius_km: float,
        outline: Sequence[tuple[float, float]] | None = None,
    ) -> int:
        """Draw the cluster circle. ``outline`` is the geodesic ring as (lat, lon) points with
        unwrapped longitudes (``core.geodesy.circle_outline``); computed here when omitted."""
        if not (
            math.isfinite(lat)
            and math.isfinite(lon)
            and -90 <= lat <= 90
            and math.isfinite(radius_km)
            and 0 < radius_km < MAX_RADIUS_KM
        ):
            raise ValueError(f"invalid circle: {lat!r}, {lon!r}, {radius_km!r} km")
        if outline is None:
            from cluster_desk.core.geodesy import circle_outline

            outline = circle_outline(lat, lon, radius_km)
        ring = [[float(a), float(b)] for a, b in outline]
        if len(ring) < 3 or not all(math.isfinite(a) and math.isfinite(b) for a, b in ring):
            raise ValueError("circle outline needs at least 3 finite points")
        self._circle = {"centre": [lat, lon], "radiusKm": radius_km, "outline": ring}
        return self._send("setCircle", **self._circle)

    def clear_circle(self) -> int:
        self._circle = None
        return self._send("clearCircle")

    def set_outside(self, ids: Iterable[str]) -> int:
        """Mark these members as outside the radius (red outline); all others as inside.
        Sends only the difference when that is shorter (after a drag, one member in or out
        rather than all 27,000 of a 100,000-member project)."""
        new = {i for i in ids if i in self._members}
        added, removed = new - self._outside, self._outside - new
        self._outside = new
        if len(added) + len(removed) < len(new):
            return self._send("changeOutside", add=sorted(added), remove=sorted(removed))
        return self._send("setOutside", ids=sorted(new))

    def highlight(self, ids: Iterable[str]) -> int:
        """Emphasise these members (e.g. the ones an assessment check is about); [] clears."""
        self._highlight = [i for i in dict.fromkeys(ids) if i in self._members]
        return self._send("highlight", ids=self._highlight)

    def set_shown(self, ids: Iterable[str] | None) -> int:
        """The members the roster's filter shows: the others fade on the map. None: no filter,
        nothing fades. (Ids the map does not have are left out.)"""
        shown = None if ids is None else [i for i in dict.fromkeys(ids) if i in self._members]
        if shown == self._shown:
            return self._seq
        self._shown = shown
        return self._send("setFaded", keep=shown)

    def select(self, member_id: str | None, pan: bool = True) -> int:
        """Ring the selected member (None: no selection); ``pan`` centres the map on it.
        The selected member is the one the user can drag."""
        self._selected = member_id if member_id in self._members else None
        return self._send("select", id=self._selected, pan=bool(pan))

    def set_mode(self, mode: str) -> int:
        """ "browse" (select, drag the selected member) or "place" (a click sends mapClicked)."""
        if mode not in MODES:
            raise ValueError(f"unknown map mode {mode!r}")
        self._mode = mode
        return self._send("setMode", mode=mode)

    @property
    def mode(self) -> str:
        return self._mode

    def set_language(
        self,
        lang: str,
        kind_labels: dict[str, str] | None = None,
        status_labels: dict[str, str] | None = None,
    ) -> int:
        """Page language and the kind/status names shown in tooltips (default: ui.labels)."""
        labels = self._default_labels()
        if kind_labels is not None:
            labels["kindLabels"] = {str(k): str(v) for k, v in kind_labels.items()}
        if status_labels is not None:
            labels["statusLabels"] = {str(k): str(v) for k, v in status_labels.items()}
        self._language = {"lang": lang, **labels}
        return self._send("setLanguage", **self._language)

    def fit_all(self) -> int:
        """Zoom to all members and the circle."""
        self._view_op = ("fitAll", {})
        return self._send("fitAll")

    def fit_bounds(self, south: float, west: float, north: float, east: float,
                   padding: tuple[int, int, int, int] = (24, 24, 24, 24)) -> int:
        """Zoom to a box. Longitudes may be unwrapped past ±180° (as ``circle_outline`` gives
        them) so a box across the 180° meridian stays one box: ``west <= east``, at most 360°
        apart, each within ±540°. ``padding`` (left, top, right, bottom) pixels stay clear."""
        pad = [int(p) for p in padding]
        if len(pad) != 4 or not all(0 <= p <= 4000 for p in pad):
            raise ValueError(f"invalid padding: {padding!r}")
        values = (south, west, north, east)
        if not all(isinstance(v, int | float) and math.isfinite(v) for v in values):
            raise ValueError(f"invalid bounds: {values!r}")
        if not (-90 <= south <= north <= 90 and -540 <= west <= east <= 540 and east - west <= 360):
            raise ValueError(f"invalid bounds: {values!r}")
        fields: dict[str, Any] = {"south": float(south), "west": float(west), "north": float(north),
                                  "east": float(east), "padding": pad}
        self._view_op = ("fitBounds", fields)
        return self._send("fitBounds", **fields)

    def set_online_tiles(self, url: str | None, attribution: str = "") -> int:
        """Show the online tile layer over the offline basemap, or None for offline only (the
        default). ``url`` is our own ``cdesk://app/online/{z}/{x}/{y}`` (``scheme.ONLINE_TILE_URL``):
        the scheme handler answers it from the tile cache or fetches in Python, so the page never
        talks to the internet and its Content-Security-Policy stays the same (no reload)."""
        if url is not None:
            parts = urlsplit(url)
            if (
                parts.scheme != SCHEME
                or parts.netloc != HOST
                or not parts.path.startswith("/online/")
                or any(t not in url for t in ("{z}", "{x}", "{y}"))
            ):
                raise ValueError(f"not an online tile URL of ours: {url!r}")
        self._tiles = {"url": url, "attribution": attribution}
        return self._send("setOnlineTiles", **self._tiles)

    # -- the towns reference layer --

    def set_towns(self, towns: TownsPayload | dict[str, Sequence[Any]]) -> int:
        """Give the page the towns layer: a :class:`TownsPayload` (built in a worker) or its
        columns ``lat``, ``lon``, ``name``, ``pop`` (``places.towns``, largest first; validated
        here). Sent once, and again only to a reloaded page; the page draws names as text."""
        payload = towns if isinstance(towns, TownsPayload) else TownsPayload(towns)
        self._towns = payload
        return self._send("setTowns", _raw=("columns", payload.json))

    def show_towns(self, on: bool) -> int:
        """Show or hide the towns layer (no data is sent again)."""
        self._towns_shown = bool(on)
        return self._send("showTowns", show=self._towns_shown)

    @property
    def towns_shown(self) -> bool:
        return self._towns_shown

    # -- offline tile packs and centring --

    def add_tile_pack(self, pack: MBTiles) -> str:
        """Make an open MBTiles pack reachable by the page (not shown yet); returns its id.
        The caller keeps ownership and closes it after :meth:`remove_tile_pack`."""
        return self._scheme_handler.add_pack(pack)

    def remove_tile_pack(self, pack_id: str) -> None:
        if self._active_pack is not None and self._active_pack["id"] == pack_id:
            self.set_tile_pack(None)
        self._scheme_handler.remove_pack(pack_id)

    def set_tile_pack(self, pack_id: str | None) -> int:
        """Show this added pack as the basemap (over the world outlines, which show wherever the
        pack has no tile), or None for the world outlines only."""
        if pack_id is None:
            self._active_pack = None
            return self._send("setTilePack", pack=None)
        pack = self._scheme_handler.packs().get(pack_id)
        if pack is None:
            raise KeyError(f"no tile pack {pack_id!r}: add it first")
        self._active_pack = pack.info.to_json()
        return self._send("setTilePack", pack=self._active_pack)

    @property
    def active_tile_pack(self) -> str | None:
        return None if self._active_pack is None else str(self._active_pack["id"])

    def centre_on(self, lat: float, lon: float, zoom: int | None = None) -> int:
        """Centre the map on a place (e.g. a search result); ``zoom`` None keeps the zoom."""
        if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError(f"invalid position: {lat!r}, {lon!r}")
        if zoom is not None and not (0 <= int(zoom) <= 19):
            raise ValueError(f"invalid zoom: {zoom!r}")
        fields = {"lat": float(lat), "lon": float(lon), "zoom": None if zoom is None else int(zoom)}
        self._view_op = ("centreOn", fields)
        return self._send("centreOn", **fields)

    def request_view_bounds(
        self, callback: Callable[[tuple[float, float, float, float] | None], None]
    ) -> None:
        """Calls ``callback((west, south, east, north))`` with what the map shows (longitudes
        wrapped to [-180, 180]; west > east when the view crosses 180°), or None before ready."""

        def done(text: object) -> None:
            try:
                b = json.loads(text) if isinstance(text, str) and text else None
                w, s, e, n = (float(b[k]) for k in ("west", "south", "east", "north"))
            except (TypeError, ValueError, KeyError):
                callback(None)
                return
            if e - w >= 360:
                w, e = -180.0, 180.0
            else:
                w, e = (w + 180) % 360 - 180, (e + 180) % 360 - 180
            callback((w, max(-85.0511, s), e, min(85.0511, n)))

        self.page().runJavaScript("JSON.stringify(window.__clusterDesk.bounds())", 0, done)
