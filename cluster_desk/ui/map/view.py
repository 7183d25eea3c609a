"""The map: a Qt WebEngine view of our own Leaflet page, driven over a QWebChannel bridge.

Python -> page: one JSON command per call on ``MapBridge.command`` (ops in ARCHITECTURE.md,
"The map bridge"), queued until the page says ready, then sent incrementally. Page -> Python: one
JSON string per message into a slot of :class:`MapBridge` (``bridge.py``), parsed and validated
(``messages.py``: known ids, finite in-range numbers) before :class:`MapView` emits a typed Qt
signal. Bad messages are logged and dropped; nothing the page sends can raise in Python.

The page is locked down (``page.py``): served only from the ``cdesk`` scheme (see ``scheme.py``),
no file or remote access, no navigation away, no new windows, and an off-the-record profile (no
disk cache, no cookies). Call ``scheme.register_scheme()`` before the QApplication exists.

Why ~970 lines: one short method per bridge op (members and their columns, the day shown,
circle, tiles, towns, regional parts, fit, select...), the opened members' ids and names held
back until the paint (they must go before any op naming a member, which only ``_send`` sees),
a big first outside set sent as rows of that open's members (``set_outside``), and a check's
highlight and fade sent as rows of the page's members and kept so, made ids only when a reloaded
page needs them (``highlight_rows``, ``fade_rows``; the rows themselves: ``marks.py``); splitting
the view's face to the page further would scatter the op list the page mirrors.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import operator
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import (
    QWebEngineLoadingInfo,
    QWebEnginePage,
    QWebEngineProfile,
)
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QWidget

from cluster_desk.core.model import Member
from cluster_desk.core.palette import FORMER_GREY, KIND_COLOURS, OUTSIDE_RED  # noqa: F401 - re-exported
from cluster_desk.core.tables import MEMBER_KIND_VALUES, STATUS_VALUES, MemberColumns, TextColumn
from cluster_desk.tiles.mbtiles import MBTiles
from cluster_desk.tiles.regional import PARTS as REGIONAL_PARTS
from cluster_desk.ui.idle_parts import IdleParts
from cluster_desk.ui.map.blobs import Part, code_part, needs_member_ids, text_part
from cluster_desk.ui.map.bridge import MapBridge
from cluster_desk.ui.map.marks import PageRows
from cluster_desk.ui.map.messages import (
    MAX_RADIUS_KM,
    MODES,
    PAYLOAD_FIELDS,
    PayloadRow,
    TownsPayload,
    b64,
    payload_columns,
    payload_row,
    to_json,
)
from cluster_desk.ui.map.page import MapPage, PageLoads, is_page_url, lock_down
from cluster_desk.ui.map.scheme import HOST, PAGE_URL, SCHEME, SchemeHandler

if TYPE_CHECKING:
    from cluster_desk.ui.project.assess_engine import OutsideRows

#: A check's members as ``highlight_rows`` takes them: rows of the page (-1: the next id), the ids.
NamedRows = tuple[np.ndarray, Sequence[str]]

log = logging.getLogger(__name__)
#: From this many members outside, an opened project's first outside set goes as rows of its
#: members' blob rather than as ids (``set_outside``; 100,000 members: ~27,000 outside).
ROWS_FROM = 2_000
#: Members a part of ``make_members_ahead`` puts in the map (~3 ms of the GUI thread).
MEMBERS_AHEAD_PART = 10_000


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
    #: Lines are thinned at this zoom: (lines drawn, lines in view); (0, 0): every line is drawn.
    linksThinned = Signal(int, int)

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
        lock_down(page.settings())
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
        self._loads = PageLoads()
        self._ever_ready = False
        self._queue: list[str] = []
        self._held: list[str] | None = None  # commands of a step kept together (held())
        self.last_drawn = 0
        # What the page shows, kept so a reloaded page can be given it again.
        self._members_dict: dict[str, PayloadRow] | None = {}
        #: Members an as-of step took off the page, which the page keeps as drawn (``show_day``):
        #: id -> what it was sent of them. Cleared with the page's members (a new set, a reload).
        self._parked: dict[str, PayloadRow] = {}
        #: An opened project's member columns, until _members is first needed (set_member_columns).
        #: (the columns, the placed rows or None: all, their lat, lon); the texts picked on need.
        self._member_cols: tuple[MemberColumns, np.ndarray | None] | None = None
        self._ahead = IdleParts(self)  # _members made ahead (make_members_ahead)
        #: The seq of the setMembers blob whose rows are the page's member slots right now (the
        #: links layer sends link ends as those rows), None when members went otherwise.
        self.member_rows_seq: int | None = None
        #: An opened project's member ids and names not sent yet: (rows seq, ids, names). They go
        #: once the open is painted, or before the first command that names a member.
        self._texts: tuple[int, MemberColumns, np.ndarray | None] | None = None
        self._texts_after: int | None = None
        #: The open's columns the page's members blob was made of, and its rows (the placed ones):
        #: what an outside set sent as rows names (set_outside); None when members went otherwise.
        self._rows_of: tuple[MemberColumns, int] | None = None
        #: The members drawn with the red ring (``_outside``): a set, or the ids of a big set sent
        #: as rows, made a set when first needed or in a quiet moment (``make_outside_set``).
        self._outside_set: set[str] = set()
        self._outside_sent: tuple[str, ...] | None = None
        #: The page's member rows (the last full member set sent), which a check's marks name
        #: members by (``highlight_rows``, ``fade_rows``; marks.py), and the ids that left the
        #: map since (the page's rows of them name nobody on it until they come back).
        self.page_rows: PageRows | None = None
        self._off_ids: set[str] = set()
        # The highlight as the page has it: ids, or (highlight_rows) rows made ids only when
        # needed (a reload's replay), less the members that left the map since.
        self._highlight_ids: list[str] = []
        self._highlight_rows: tuple[PageRows, np.ndarray, list[str]] | None = None
        self._highlight_gone: set[str] = set()
        # The ids the page keeps unfaded, as it has them (None: nothing faded): the roster filter's
        # members, plus those a showDay brought back (the page keeps those unfaded too); after
        # ``fade_rows``, its rows and ids, made a set on first need.
        self._shown_ids: set[str] | None = None
        self._shown_rows: tuple[PageRows, np.ndarray, list[str]] | None = None
        self._selected: str | None = None
        self._mode = "browse"
        self._circle: dict[str, Any] | None = None
        self._language: dict[str, Any] = {"lang": "en", **self._default_labels()}
        self._tiles: dict[str, Any] = {"url": None, "attribution": ""}
        self._active_pack: dict[str, Any] | None = None  # PackInfo.to_json() of the shown pack
        #: The towns reference layer (validated, encoded) and whether it is shown.
        self._towns: TownsPayload | None = None
        self._towns_shown = True
        #: The parts of the regional basemap shown (View > Regional Map; all by default).
        self._regional_parts: dict[str, bool] = dict.fromkeys(REGIONAL_PARTS, True)
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
        return self._loads.ready

    @property
    def seq(self) -> int:
        """The sequence number of the last command sent (``drawn`` acks it once painted)."""
        return self._seq

    @property
    def _outside(self) -> set[str]:
        if self._outside_sent is not None:
            self._outside_set, self._outside_sent = set(self._outside_sent), None
        return self._outside_set

    @_outside.setter
    def _outside(self, value: set[str]) -> None:
        self._outside_set, self._outside_sent = value, None

    def make_outside_set(self) -> None:
        """The set of an outside set sent as rows, made now: in a quiet moment (MapSync: the
        checks' worker went quiet), not in the first drag's stretch (120,000 ids: ~12 ms)."""
        _ = self._outside

    @property
    def _highlight(self) -> list[str]:
        if self._highlight_rows is not None:
            page, order, extra = self._highlight_rows
            ids, gone = page.ids, self._highlight_gone
            named = dict.fromkeys(ids[r] if r >= 0 else extra[-1 - r] for r in order.tolist())
            self._highlight_ids = [i for i in named if i not in gone]
            self._highlight_rows = None
        return self._highlight_ids

    @_highlight.setter
    def _highlight(self, value: list[str]) -> None:
        self._highlight_ids, self._highlight_rows, self._highlight_gone = value, None, set()

    def _unhighlight(self, gone: Collection[str]) -> None:
        """Members that left the map leave the highlight (the page forgets them too)."""
        if self._highlight_rows is not None:
            self._highlight_gone.update(gone)
        elif self._highlight_ids:
            members = self._members
            self._highlight_ids = [i for i in self._highlight_ids if i in members]

    @property
    def _shown(self) -> set[str] | None:
        if self._shown_rows is not None:
            page, mask, extra = self._shown_rows
            ids = page.ids
            self._shown_ids = {ids[r] for r in np.flatnonzero(mask).tolist()}
            self._shown_ids.update(extra)
            self._shown_rows = None
        return self._shown_ids

    @_shown.setter
    def _shown(self, value: set[str] | None) -> None:
        self._shown_ids, self._shown_rows = value, None

    def _rows_sent(self, seq: int, count: int, *, cols: MemberColumns | None = None,
                   keep: np.ndarray | None = None, ids: Sequence[str] | None = None) -> None:
        """A full member set went (``seq``): its rows are the page's member rows now."""
        self.page_rows = PageRows(seq, count, cols=cols, keep=keep, ids=ids)
        self._off_ids = set()

    @property
    def _members(self) -> dict[str, PayloadRow]:
        """Member id -> what the page was sent of it (built on first need after an open)."""
        if self._members_dict is None:
            ids, names, kinds, statuses, lat, lon = self._picked_columns()
            self._members_dict = dict(zip(ids, zip(ids, names, kinds, statuses, np.asarray(lat).tolist(),
                                                   np.asarray(lon).tolist(), strict=True), strict=True))
            self._member_cols = None
        return self._members_dict

    def make_members_ahead(self) -> None:
        """``_members`` made ahead of the first edit after an open, a part at a time on idle
        turns of the event loop (at 100,000 members ~0.14 s of that edit's GUI thread)."""
        if self._members_dict is None and self._member_cols is not None and not self._ahead.running:
            self._ahead.start(self._member_parts(self._member_cols))

    def _member_parts(self, cols: tuple[MemberColumns, np.ndarray | None]) -> Iterator[None]:
        made: dict[str, PayloadRow] = {}
        picked = self._picked_columns()
        columns: list[list[Any]] = []
        for column in (*picked[:4], np.asarray(picked[4]), np.asarray(picked[5])):
            yield None
            if self._member_cols is not cols:  # (made at once meanwhile, or another set went)
                return
            columns.append(column.tolist() if isinstance(column, np.ndarray) else list(column))
        ids = columns[0]
        for lo in range(0, len(ids), MEMBERS_AHEAD_PART):
            yield None
            if self._member_cols is not cols:
                return
            part = [c[lo:lo + MEMBERS_AHEAD_PART] for c in columns]
            made.update(zip(part[0], zip(*part, strict=True), strict=True))
        self._members_dict, self._member_cols = made, None

    @_members.setter
    def _members(self, value: dict[str, PayloadRow]) -> None:
        self._members_dict, self._member_cols = value, None
        self._parked = {}

    def _picked_columns(self) -> tuple[Sequence[str], Sequence[str], Sequence[str], Sequence[str], Any, Any]:
        """The opened columns' placed rows: ids, names, kinds, statuses, lat, lon."""
        if self._member_cols is None:
            return [], [], [], [], [], []
        cols, keep = self._member_cols
        texts = (cols.ids, cols.names, cols.kinds, cols.statuses)
        ids, names, kinds, statuses = texts if keep is None else (_pick(c, keep) for c in texts)
        lat, lon = (cols.lat, cols.lon) if keep is None else (cols.lat[keep], cols.lon[keep])
        return ids, names, kinds, statuses, lat, lon

    def has_member(self, member_id: str) -> bool:
        return member_id in self._members

    def member_ids(self) -> set[str]:
        return set(self._members)

    @staticmethod
    def _default_labels() -> dict[str, Any]:
        try:
            from cluster_desk.ui.labels import basemap_texts, kind_labels, status_labels

            return {
                "kindLabels": {k.value: v for k, v in kind_labels().items()},
                "statusLabels": {k.value: v for k, v in status_labels().items()},
                "basemapTexts": basemap_texts(),
            }
        except Exception:  # labels are cosmetic; the page falls back to the raw values
            log.debug("map: no translated labels", exc_info=True)
            return {"kindLabels": {}, "statusLabels": {}}

    def _send(self, op: str, _raw: tuple[str, str] | None = None, **fields: Any) -> int:
        """Send one command; ``_raw`` is (key, JSON text) of a field encoded beforehand."""
        if op == "setMembers":  # all members anew: pending texts are of the old ones
            self._texts = self._texts_after = self.member_rows_seq = self._rows_of = None
        elif self._texts is not None and needs_member_ids(op, fields):
            self._send_texts()
        self._seq += 1
        text = to_json({"op": op, "seq": self._seq, **fields})
        if _raw is not None:  # splice the pre-encoded field in: '{"op":...,"seq":n,"key":<json>}'
            text = f'{text[:-1]},{json.dumps(_raw[0])}:{_raw[1]}}}'
        if self._held is not None:
            self._held.append(text)
        else:
            self._deliver(text)
        return self._seq

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """Commands sent inside reach the page at the end, in one message ({"op": "batch",
        "commands": [...]}) run in one task: the changes of one as-of step (members, the outside
        rings, the checks' highlight) are painted in one frame, not a full member draw each."""
        if self._held is not None:  # nested: the outer one sends
            yield
            return
        self._held = []
        try:
            yield
        finally:
            self.send_held()

    def send_held(self) -> None:
        """Send what is held now, as one message (the step's map part is complete: the page
        paints it while the window catches up); what follows goes out as usual."""
        held, self._held = self._held, None
        if held and len(held) > 1:  # the commands' JSON as it is, spliced into the batch's
            self._deliver(f'{{"op":"batch","commands":[{",".join(held)}]}}')
        elif held:
            self._deliver(held[0])

    def _deliver(self, text: str) -> None:
        if self._loads.ready:
            self.bridge.command.emit(text)
        elif not self._ever_ready:
            self._queue.append(text)
        # else: the page is reloading; it gets the whole state again when it says ready

    def _on_loading_changed(self, info: QWebEngineLoadingInfo) -> None:
        # Only a load of our own page replaces the page; refused navigations also report here.
        if not is_page_url(info.url()):
            return
        status = info.status()
        if status == QWebEngineLoadingInfo.LoadStatus.LoadStartedStatus:
            self._loads.load_started()
        elif status == QWebEngineLoadingInfo.LoadStatus.LoadStoppedStatus:
            self._loads.load_stopped()
        elif status == QWebEngineLoadingInfo.LoadStatus.LoadFailedStatus:
            log.error("map: page failed to load: %s", info.errorString())

    def _on_render_process_terminated(
        self, status: QWebEnginePage.RenderProcessTerminationStatus, code: int
    ) -> None:
        self._loads.renderer_gone()
        if status == QWebEnginePage.RenderProcessTerminationStatus.NormalTerminationStatus:
            return  # the view is closing
        log.error("map: page renderer ended (%s, exit code %s); reloading", status, code)
        self.load_page()  # the state is replayed when the new page says ready

    def _on_page_ready(self) -> None:
        # A second "ready" without a load we saw (e.g. a reload from inside) is a new page too.
        self._loads.said_ready()
        self._send("configure", kindColours=KIND_COLOURS, nextBlob=self._scheme_handler.next_secret,
                   **self._language)
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
        self._parked = {}  # (the new page has none)
        members = self._members
        seq = self._send("setMembers", columns=payload_columns(members.values(), self._outside))
        self._rows_sent(seq, len(members), ids=list(members))
        if not self._towns_shown:
            self._send("showTowns", show=False)
        if not all(self._regional_parts.values()):
            self._send("setRegionalParts", parts=self._regional_parts)
        if self._towns is not None:
            self._send("setTowns", _raw=("columns", self._towns.json))
        if self._circle is not None:
            self._send("setCircle", **self._circle)
        if self._highlight:
            self._send("highlight", ids=self._highlight)
        if self._shown is not None:
            self._send("setFaded", keep=list(self._shown))
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

    def send_blob(self, op: str, parts: dict[str, Part], **fields: Any) -> int:
        """Send a command whose big columns go as binary the page fetches from our scheme
        (``blobs.py``): no JSON, no base64; the page reads typed array views. The blobs of
        commands sent in one go (until the event loop turns: an open's members and links) are
        one bundle: one transfer. (A transfer moves only while this thread is in its event loop:
        Qt WebEngine reads the reply on it, a pipe's worth at a time.) The page keeps requests
        waiting for the next bundle (``scheme.SchemeHandler.push``): the bundle goes into one at
        the first turn of the event loop, with no request to wait for (a request made after the
        open call has to pass this thread twice before it is answered: 0.2-0.9 s under load)."""
        handler = self._scheme_handler
        token, layout = handler.blobs.add(parts)
        QTimer.singleShot(0, self, self._close_blobs)
        blob: dict[str, Any] = {"token": token, "parts": layout}
        if handler.reserve(token):  # the page has a request waiting: it comes in that one
            blob["pushed"] = True
        return self._send(op, blob=blob, **fields)

    def _close_blobs(self) -> None:
        """The event loop turned: the bundle is complete; push it if the page is waiting."""
        self._scheme_handler.blobs.close()
        self._scheme_handler.push()

    def _on_drawn(self, seq: int) -> None:
        self.last_drawn = seq
        if self._texts is not None and self._texts_after is not None and seq >= self._texts_after:
            self._send_texts()
        self.drawn.emit(seq)

    def _arm_texts(self) -> None:
        """Once the open has sent everything (an event loop turn after it), the member texts
        wait for the page to paint that, so their transfer and decoding come after the paint."""
        if self._texts is not None:
            self._texts_after = self._seq
            if self.last_drawn >= self._seq:
                self._send_texts()

    def _send_texts(self) -> None:
        if self._texts is None:
            return
        rows, cols, keep = self._texts
        self._texts = self._texts_after = None
        ids, names = cols.ids, cols.names
        if keep is not None:
            ids, names = _pick(ids, keep), _pick(names, keep)
        id_text, name_text = text_part(ids), text_part(names)
        if id_text is not None and name_text is not None:
            self.send_blob("setMemberTexts", {"id": id_text, "name": name_text}, rows=rows)
        else:  # a text the blob cannot carry (a NUL, a lone surrogate): JSON lists
            self._send("setMemberTexts", rows=rows, ids=list(ids), names=list(names))

    # -- the API the window uses --

    def set_members(self, members: Iterable[Member]) -> int:
        """Show exactly these members (unlocated ones are skipped). One batch, one redraw."""
        rows: dict[str, PayloadRow] = {}
        for m in members:
            row = payload_row(m)
            if row is not None:
                rows[m.id] = row
        self._members = rows
        self._outside &= rows.keys()
        if self._selected not in rows:
            self._selected = None
        seq = self._send("setMembers", columns=payload_columns(rows.values(), self._outside))
        self._rows_sent(seq, len(rows), ids=list(rows))
        return seq

    def set_member_columns(self, cols: MemberColumns) -> int:
        """As ``set_members`` from an opened project's columns (no records), as one binary blob
        (``send_blob``): float64 coordinates, kinds and statuses as uint8 codes with their code
        tables, ids and names as NUL-joined UTF-8; out-of-range or unplaced rows are left out
        (ids are unique: the table's primary key)."""
        located = cols.located
        rows = np.int32 if len(located) < 2**31 else np.int64
        keep: np.ndarray | None = np.flatnonzero(located).astype(rows)
        if len(located) == int(located.sum()):
            keep = None
        lat = np.ascontiguousarray(cols.lat if keep is None else cols.lat[keep], dtype="<f8")
        lon = np.ascontiguousarray(cols.lon if keep is None else cols.lon[keep], dtype="<f8")
        # The id -> payload map (for a reload's replay, upserts, checks) is built on first need,
        # the placed rows' texts and positions picked then (or for the page after the paint; the
        # positions sent are not kept: a million members' ~16 MB, issue 17).
        self._members_dict, self._member_cols = None, (cols, keep)
        self._parked = {}
        self._outside = set()
        if self._selected is not None and not _placed(cols.ids, located, self._selected):
            self._selected = None
        kind_codes, status_codes = _code_parts(cols)
        if kind_codes and status_codes:
            # What the first paint needs; ids and names follow it (setMemberTexts, _send_texts).
            codes = [c[1] if keep is None else c[1][keep] for c in (kind_codes, status_codes)]
            parts: dict[str, Part] = {"lat": lat, "lon": lon, "kind": codes[0], "status": codes[1]}
            tables = {"kind": kind_codes[0], "status": status_codes[0]}
            seq = self.send_blob("setMembers", parts, codes=tables, texts="later")
            self.member_rows_seq, self._texts, self._texts_after = seq, (seq, cols, keep), None
            self._rows_of = (cols, len(lat))
            self._rows_sent(seq, len(lat), cols=cols, keep=keep)
            QTimer.singleShot(0, self, self._arm_texts)
            return seq
        # More kinds or statuses than a code table holds: JSON lists, as for records.
        ids, names, kinds, statuses, _, _ = self._picked_columns()
        texts = to_json({"id": list(ids), "name": list(names), "kind": kinds, "status": statuses})
        # base64 needs no JSON escaping: spliced in as it is
        columns = f'{texts[:-1]},"lat":"{b64(lat)}","lon":"{b64(lon)}"}}'
        seq = self._send("setMembers", _raw=("columns", columns))
        self._rows_sent(seq, len(lat), ids=list(ids))
        return seq

    def upsert_member(self, member: Member) -> int:
        """Add or update one member; a member without coordinates leaves the map."""
        row = payload_row(member)
        if row is None:
            return self.remove_members([member.id]) if member.id in self._members else self._seq
        self._members[member.id] = row
        self._parked.pop(member.id, None)
        self._off_ids.discard(member.id)
        payload: dict[str, Any] = dict(zip(PAYLOAD_FIELDS, row, strict=True))
        payload["outside"] = member.id in self._outside
        return self._send("upsertMember", member=payload)

    def show_day(self, remove: Iterable[str], upsert: Sequence[PayloadRow],
                 links: dict[str, Any] | None = None, restore: Sequence[str] = ()) -> int:
        """The as-of view's step (ui.timeline.past_map) in one message, painted once: these
        members leave the map, these are added or updated (payload rows, as ``payload_row``
        makes them: valid coordinates), and ``links`` ({"hide": slots, "show": slots (base64 int32),
        "clear": bool}) goes to the links layer's mask. The members go as columns (a few
        thousand a step: no object per member to build, encode and parse).

        The members leaving are parked: the page keeps them as drawn, and ``restore`` brings
        parked ones back as they were by id alone (Back to Today at 100,000 members: ~35,000
        rows not built, encoded nor parsed again; when they are all it keeps, ``restoreAll`` says
        so instead of naming them). Only ids ``parked`` says are parked may be restored."""
        members, parked = self._members, self._parked  # (properties: looked up once)
        gone = list(filter(members.__contains__, remove))
        for i in gone:
            parked[i] = members.pop(i)
        if gone:
            self._outside.difference_update(gone)
            if self._selected is not None and self._selected not in members:
                self._selected = None
            self._unhighlight(gone)
            self._off_ids.update(gone)
        for row in upsert:
            members[row[0]] = row
            parked.pop(row[0], None)
        back = list(restore)
        # Every member parked coming back (Back to Today) is not named: the page brings back all
        # it keeps (~35,000 ids at 100,000 members: ~30-50 ms of the GUI thread to look up here,
        # encode and send, issue 17).
        every = bool(back) and len(back) == len(parked)
        if every:
            coming, self._parked = parked, {}
        else:
            coming = {i: parked.pop(i) for i in back}
        members.update(coming)
        if self._off_ids:
            self._off_ids.difference_update(row[0] for row in upsert)
            self._off_ids.difference_update(coming)
        if self._shown is not None:  # the page keeps the members coming back unfaded (map.js)
            self._shown.update(row[0] for row in upsert)
            self._shown.update(coming)
        outside = self._outside
        ringed = ([i for i in outside if i in coming] if len(outside) < len(coming)
                  else [i for i in coming if i in outside])
        return self._send("showDay", remove=gone, upsert=payload_columns(upsert, outside), links=links,
                          restore=[] if every else back, restoreAll=every, restoreOutside=ringed)

    def parked(self, ids: Sequence[str]) -> np.ndarray:
        """Which of these members the page keeps parked (``show_day``), as a mask."""
        return np.fromiter(map(self._parked.__contains__, ids), dtype=bool, count=len(ids))

    def remove_members(self, ids: Iterable[str]) -> int:
        ids = list(ids)
        for i in ids:  # (a member deleted while parked is not brought back)
            self._parked.pop(i, None)
        gone = [i for i in ids if i in self._members]
        for i in gone:
            del self._members[i]
            self._outside.discard(i)
            if self._selected == i:
                self._selected = None
        self._unhighlight(gone)
        self._off_ids.update(gone)
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

    def set_outside(self, ids: Collection[str], rows: OutsideRows | None = None) -> int:
        """Mark these members as outside the radius (red outline); all others as inside.
        Sends only the difference when that is shorter (after a drag, one member in or out
        rather than all 27,000 of a 100,000-member project).

        The ids are the assessment's: located members of the project, so members of the map.
        They are not looked up here: the page passes over an id it has no marker for (only a
        result made before a delete could hold one, and the next result replaces it), and at a
        million members the lookup held the GUI thread 280 ms as the first result arrived.

        ``rows``: the same members (``rows.ids is ids``) as rows of the open's columns, made by
        the checks' worker (``assess_engine.OutsideRows``). When none is ringed yet, they are
        many (an opened project's first result) and the page's members are that open's blob,
        they go as a bit per row of the blob (base64, made by the worker), which the page names
        by the blob's ids: no JSON of ~120,000 ids, no set made now (a million members: 60-120
        ms of this thread's CPU, issue 17). In the command itself, not a blob to fetch: the page ran
        it ~1.5 s later at a million members, its fetch waiting behind the page's redraws."""
        if (rows is not None and len(ids) >= ROWS_FROM and not (self._outside_set or self._outside_sent)
                and self._rows_fit(ids, rows)):
            self._outside_set, self._outside_sent = set(), tuple(ids)
            return self._send("setOutside", mask=rows.mask, rows=self.member_rows_seq, count=rows.count,
                              ids=list(rows.by_id))
        new = set(ids)
        added, removed = new - self._outside, self._outside - new
        self._outside = new
        # Unsorted: the page does not care, and after the proposed centre moved at 100,000
        # members sorting the ~20,000 ids alone took 5 ms of the GUI thread.
        if len(added) + len(removed) < len(new):
            return self._send("changeOutside", add=list(added), remove=list(removed))
        return self._send("setOutside", ids=list(new))

    def _rows_fit(self, ids: Collection[str], rows: OutsideRows) -> bool:
        """Whether ``rows`` are of these ids and of the page's members blob: that open's columns,
        a bit per row of it (the mask itself the worker made; the page checks its length too)."""
        basis = self._rows_of  # (set and cleared with ``member_rows_seq``)
        return (basis is not None and rows.of is basis[0] and rows.ids is ids and rows.count == basis[1]
                and len(rows.rows) + len(rows.by_id) == len(ids))

    def highlight(self, ids: Iterable[str]) -> int:
        """Emphasise these members (e.g. the ones an assessment check is about); [] clears."""
        self._highlight = [i for i in dict.fromkeys(ids) if i in self._members]
        return self._send("highlight", ids=self._highlight)

    def highlight_rows(self, page: PageRows, order: np.ndarray, missing: Sequence[str]) -> int:
        """As ``highlight``, the members named by rows of ``page`` (``page_rows``; marks.py): a
        row each in ``order``, in the order given (highlighted members are drawn on top in it),
        -1 for a member with no row, whose id is the next of ``missing``. As ``highlight``, members
        not on the map are passed over (the page's rows of members that left it name nobody)."""
        if page is not self.page_rows:
            raise ValueError("not the page's member rows")
        order, extra = self._named_rows(page, order, missing)
        self._highlight_ids, self._highlight_gone = [], set()
        self._highlight_rows = (page, order, extra)
        return self._send("highlight", rows=page.seq, count=page.count, order=b64(order.astype("<i4")),
                          ids=extra)

    def _named_rows(self, page: PageRows, order: np.ndarray, missing: Sequence[str]
                    ) -> tuple[np.ndarray, list[str]]:
        """``order`` (rows of ``page``, -1 for the next of ``missing``) as the page is sent it: the
        members off the map left out, each -1 as -1 - k for the k-th of the ids returned."""
        order = np.asarray(order, dtype=np.int32)
        off = self._off_ids
        if off:  # (the page passes over them too: this keeps what it has, for a reload)
            rows = page.of(list(off))
            gone = np.zeros(page.count + 1, dtype=np.bool_)
            gone[rows[rows >= 0]] = True
            order = order[~gone[order]]  # (-1 indexes the last: False)
        extra: list[str] = []
        holes = np.flatnonzero(order < 0)
        if len(holes):
            members = self._members_dict or {}  # (None: no member but the rows' on the map)
            on = np.fromiter(map(members.__contains__, missing), dtype=np.bool_, count=len(missing))
            extra = [i for i, o in zip(missing, on.tolist(), strict=True) if o]
            order = order.copy()
            order[holes[on]] = -1 - np.arange(len(extra), dtype=np.int32)
            order = np.delete(order, holes[~on])
        return order, extra

    def set_shown(self, ids: Iterable[str] | None) -> int:
        """The members the roster's filter shows: the others fade on the map. None: no filter,
        nothing fades. Only the change goes to the page when it is the shorter (a date step
        changes a few thousand of 100,000: ``changeFaded``, not the 70,000 ids again)."""
        if ids is None:
            if self._shown_ids is None and self._shown_rows is None:
                return self._seq
            self._shown = None
            return self._send("setFaded", keep=None)
        new = ids if isinstance(ids, set | frozenset) else frozenset(ids)
        old = self._shown
        self._shown = set(new)
        if old is not None:
            add, remove = new - old, old - new
            if not add and not remove:
                return self._seq
            if len(add) + len(remove) < len(new):
                return self._send("changeFaded", add=list(add), remove=list(remove))
        return self._send("setFaded", keep=list(new))

    def fade_rows(self, page: PageRows, keep: np.ndarray, missing: Sequence[str]) -> int:
        """As ``set_shown`` (not None), the members kept named by rows of ``page`` (marks.py):
        ``keep`` a mask over its rows, ``missing`` the ids of those kept with no row (their
        faint or not when they come on the map, as with ids). Sent as a bit per row."""
        if page is not self.page_rows or len(keep) != page.count:
            raise ValueError("not the page's member rows")
        self._shown_ids, self._shown_rows = None, (page, keep, list(missing))
        return self._send("setFaded", rows=page.seq, count=page.count, ids=list(missing),
                          mask=b64(np.packbits(keep, bitorder="little")))

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

    def refit_padding(self, padding: tuple[int, int, int, int]) -> int:
        """The opening fit again with new padding (the legend moved), if the user has not moved
        the map since; the page decides, as it knows."""
        pad = [int(p) for p in padding]
        if len(pad) != 4 or not all(0 <= p <= 4000 for p in pad):
            raise ValueError(f"invalid padding: {padding!r}")
        if self._view_op is not None and self._view_op[0] == "fitBounds":
            self._view_op[1]["padding"] = pad  # a reloaded page fits with it too
        return self._send("refitPadding", padding=pad)

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

    def prepare_check_view(self, rings: tuple[PageRows, Sequence[NamedRows]] | None = None) -> int:
        """A check's faint crowd and lines made for the view as it is, when the page is idle: the
        first check clicked lays them (map.js fadedCrowd, links.js faintBase) instead of drawing
        them (~200-270 ms of that click at 100,000 members). ``rings``: the checks with many
        members, each as ``highlight_rows`` takes them (order, missing) (the page keeps them: None
        sends none and it makes the rings of those it has): their highlighted rings are made
        ahead too (map.js keptHighlights; ~30-130 ms of a click)."""
        if rings is None:
            return self._send("prepareCheckView")
        page, checks = rings
        if page is not self.page_rows:
            raise ValueError("not the page's member rows")
        named = [self._named_rows(page, order, missing) for order, missing in checks]
        return self._send("prepareCheckView", rows=page.seq, count=page.count,
                          highlights=[{"order": b64(o.astype("<i4")), "ids": ids} for o, ids in named])

    def show_towns(self, on: bool) -> int:
        """Show or hide the towns layer (no data is sent again)."""
        self._towns_shown = bool(on)
        return self._send("showTowns", show=self._towns_shown)

    @property
    def towns_shown(self) -> bool:
        return self._towns_shown

    def set_regional_parts(self, parts: dict[str, bool]) -> int:
        """Which parts of the built-in regional basemap to draw (``water``, ``rivers``,
        ``borders`` with the subjects' names); parts not named keep their state."""
        for key, on in parts.items():
            if key not in REGIONAL_PARTS:
                raise ValueError(f"not a part of the regional basemap: {key!r}")
            self._regional_parts[key] = bool(on)
        return self._send("setRegionalParts", parts=dict(self._regional_parts))

    @property
    def regional_parts(self) -> dict[str, bool]:
        return dict(self._regional_parts)

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


def _placed(ids: list[str], located: np.ndarray, member_id: str) -> bool:
    """Whether ``member_id`` is among ``ids`` at a placed row (one C-level scan, no index)."""
    try:
        return bool(located[ids.index(member_id)])
    except ValueError:
        return False


def _code_parts(cols: MemberColumns) -> tuple[tuple[list[str], np.ndarray] | None, ...]:
    """The kinds' and statuses' code tables and codes for the page: the columns' own codes when
    read so (a million members: no pass over their strs), else made from the texts."""
    if cols.kind_codes is not None and cols.status_codes is not None:
        return (list(MEMBER_KIND_VALUES), cols.kind_codes), (list(STATUS_VALUES), cols.status_codes)
    return code_part(cols.kinds), code_part(cols.statuses)


def _pick(values: Sequence[Any], keep: np.ndarray) -> Sequence[Any]:
    """``values`` at the positions ``keep`` (ascending), in one C-level pass (an object array
    of 100,000 texts took ~30 ms a column); a TextColumn (a snapshot's names) cut from its blob."""
    if isinstance(values, TextColumn):
        mask = np.zeros(len(values), dtype=np.bool_)
        mask[keep] = True
        return values.kept(mask)
    if len(keep) < 2:
        return [values[int(i)] for i in keep]
    return list(operator.itemgetter(*keep.tolist())(values))
