"""The nearest known town to each member ("Kazan (12 km)"), for the roster and its tooltips.

Computed lazily, only for the members a view asks about (the rows on screen), on a thread (the
rows waiting are sent together, one batch at a time), and cached per member id and coordinates
(issue 17: looked up on the GUI thread, the ~20 rows a sort brought on screen cost it 20-30 ms of
CPU after every sort or scroll at 100,000 members). The GeoNames
index takes about a second to load: it loads in a background thread (``places.default_index``
is shared and locked, so when the search box has already started the load this waits for that
one; its end comes back through ``ui.thread_answers``) and nothing is looked up before it is
ready; opening a project never waits for it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from itertools import compress

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from cluster_desk.core.model import Member
from cluster_desk.ui.i18n import ui_text
from cluster_desk.ui.thread_answers import run_off_gui

log = logging.getLogger(__name__)
translate = QCoreApplication.translate
#: A member's point and its nearest place's name and distance (km), as the thread found them.
Found = tuple[float, float, str, float]



def nearest_text(name: str, km: float) -> str:
    """"Kazan (4.2 km)", "Казань (4,2 км)": one decimal under 10 km, written as the language does."""
    dist = ui_text().number(km, 1 if km < 10 else 0)
    return translate("Roster", "%1 (%2 km)").replace("%1", name).replace("%2", dist)


class NearestPlaces(QObject):
    """``lookup(member)`` gives the cached text or None (and queues the member); ``filled``
    reports the ids whose text became known."""

    filled = Signal(list)  # member ids

    def __init__(self, lang: str = "en", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self._cache: dict[str, tuple[float, float, str]] = {}  # id -> (lat, lon, text)
        self._pending: dict[str, tuple[float, float]] = {}
        self._loaded = False
        self._failed = False
        self._started = False
        self._busy = False  # a batch is being looked up on its thread
        self._generation = 0  # bumped by forget(None): a batch of before is not taken
        self._work_timer = QTimer(self, singleShot=True, interval=0)
        self._work_timer.timeout.connect(self._work)

    @property
    def ready(self) -> bool:
        return self._loaded and not self._failed

    def start_loading(self) -> None:
        if self._started:
            return
        self._started = True
        run_off_gui(self, _load_index, self._index_loaded, name="nearest-places")

    def _index_loaded(self, ok: bool) -> None:
        self._loaded, self._failed = True, not ok
        if self._pending and ok:
            self._work_timer.start()

    def lookup(self, m: Member) -> str | None:
        """The text for ``m`` if known; else None, and ``m`` is computed soon (located only)."""
        if m.lat is None or m.lon is None:
            return None
        hit = self._cache.get(m.id)
        if hit is not None and hit[0] == m.lat and hit[1] == m.lon:
            return hit[2]
        if self._failed:
            return None
        self._pending[m.id] = (float(m.lat), float(m.lon))
        self.start_loading()
        if self._loaded and not self._work_timer.isActive():
            self._work_timer.start()
        return None

    def cached(self, m: Member) -> str | None:
        """The text only if already known (never queues work): for tooltips."""
        hit = self._cache.get(m.id)
        return hit[2] if hit is not None and (hit[0], hit[1]) == (m.lat, m.lon) else None

    def sort_texts(self, ids: list[str], member_at: Callable[[int], Member]) -> list[str | None]:
        """``cached(m)`` casefolded (None: unknown) for every row's member (``ids`` are theirs,
        ``member_at(row)`` gives one): the column's sort values; most are unknown until their rows
        were shown, so the loop in Python runs over the known ones only (and builds only their
        records)."""
        hits = list(map(self._cache.get, ids))
        out: list[str | None] = [None] * len(ids)
        for i in compress(range(len(ids)), hits):
            lat, lon, text = hits[i]  # type: ignore[misc]
            m = member_at(i)
            if lat == m.lat and lon == m.lon:
                out[i] = text.casefold() or None
        return out

    def forget(self, ids: list[str] | None = None) -> None:
        """Drop cached values (None: all, e.g. another project was opened)."""
        if ids is None:
            self._generation += 1
            self._cache.clear()
            self._pending.clear()
            return
        for i in ids:
            self._cache.pop(i, None)
            self._pending.pop(i, None)

    def _work(self) -> None:
        """The rows waiting, looked up together on a thread (one batch at a time)."""
        if self._busy or not self._pending:
            return
        batch, self._pending = self._pending, {}
        self._busy = True
        generation, lang = self._generation, self.lang
        run_off_gui(self, lambda: _nearest_of(batch, lang), lambda found: self._batch_done(generation, found),
                    self._batch_failed, name="nearest-rows")

    def _batch_done(self, generation: int, found: dict[str, Found]) -> None:
        self._busy = False
        if generation == self._generation:
            for mid, (lat, lon, name, km) in found.items():
                self._cache[mid] = (lat, lon, nearest_text(name, km))
            if found:
                self.filled.emit(list(found))
        if self._pending:
            self._work_timer.start()

    def _batch_failed(self, error: BaseException) -> None:
        self._busy = False
        log.error("nearest place: lookup failed", exc_info=error)
        self._failed = True


def _nearest_of(points: dict[str, tuple[float, float]], lang: str) -> dict[str, Found]:
    """On the thread: each point's nearest place and its distance (a point that has none: left out)."""
    from cluster_desk.places import nearest_place

    found: dict[str, Found] = {}
    for mid, (lat, lon) in points.items():
        try:
            name, km = nearest_place(lat, lon, lang=lang)
        except ValueError:
            continue
        found[mid] = (lat, lon, name, km)
    return found


def _load_index() -> bool:
    """On the thread: load the shared place index; False if it cannot be (the column stays empty)."""
    try:
        from cluster_desk.places import default_index

        default_index()
    except Exception:  # a missing or damaged data file
        log.exception("nearest place: could not load the place index")
        return False
    return True
