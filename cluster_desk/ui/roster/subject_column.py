"""The roster's "Region" column: each member's federal subject, from its coordinates.

The lookup (``cluster_desk.places.regions``, shapely STRtree) runs vectorised over the members
that are new or moved, when the column is next read; results are cached by member id. The
subject index loads once (about a second) on first use.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
from PySide6.QtWidgets import QComboBox, QWidget

from cluster_desk.core.model import Member
from cluster_desk.places.regions import Subject, SubjectIndex, default_subjects

log = logging.getLogger(__name__)


#: With more members than this waiting, a read of one row looks up that row alone (opening 100k
#: members must not wait ~1 s for the whole column before the roster shows its first rows).
_ONE_BY_ONE = 5000


class SubjectColumn:
    """Member id -> federal subject (or None: abroad, not placed, or the data is missing)."""

    def __init__(self, lang: str = "en") -> None:
        self.lang = lang
        self._subject: dict[str, Subject | None] = {}
        #: (lat, lon) by member id, looked up together on the next read of many (a sort, a filter)
        self._pending_map: dict[str, tuple[float | None, float | None]] = {}
        #: An opened project's (ids, lats, lons), turned into _pending when first needed.
        self._pending_cols: tuple[list[str], Any, Any] | None = None
        self._index: SubjectIndex | None = None
        self._failed = False
        self._loader: threading.Thread | None = None
        #: Called (on the loader thread) once the index has loaded in the background: the
        #: model repaints the column (see ``name``).
        self.on_loaded: Callable[[], None] | None = None

    def _lookup_index(self) -> SubjectIndex | None:
        if self._index is None and not self._failed:
            try:
                self._index = default_subjects()
            except (OSError, ValueError, KeyError):  # a missing or damaged data file: no column
                log.warning("roster: federal subjects not available", exc_info=True)
                self._failed = True
        return self._index

    def _load_in_background(self) -> None:
        if self._loader is not None:
            return

        def load() -> None:
            try:
                self._index = default_subjects()
            except (OSError, ValueError, KeyError):
                return  # _lookup_index says so when the column is next read
            if self.on_loaded is not None:
                with contextlib.suppress(RuntimeError):  # the model was deleted meanwhile
                    self.on_loaded()

        self._loader = threading.Thread(target=load, daemon=True, name="subjects-index")
        self._loader.start()

    def update(self, members: Iterable[Member]) -> None:
        """Mark these members (new, moved or all) for a lookup; it runs, vectorised over all
        that are waiting, when the column is first read (opening a project does not wait)."""
        for m in members:
            self._pending[m.id] = (m.lat, m.lon)
            self._subject.pop(m.id, None)

    def update_points(self, ids: list[str], lats: Iterable[float], lons: Iterable[float]) -> None:
        """As ``update`` from columns (an opened project: no records built); NaN: not placed.
        Kept as given until first needed when nothing else is pending (a project just opened)."""
        if not self._pending_map and self._pending_cols is None and not self._subject:
            self._pending_cols = (ids, lats, lons)
            return
        lat, lon = np.asarray(lats, dtype=float).tolist(), np.asarray(lons, dtype=float).tolist()
        self._pending.update(zip(ids, zip(lat, lon, strict=True), strict=True))
        if self._subject:
            for mid in ids:
                self._subject.pop(mid, None)

    @property
    def _pending(self) -> dict[str, tuple[float | None, float | None]]:
        if self._pending_cols is not None:
            ids, lats, lons = self._pending_cols
            self._pending_cols = None
            lat, lon = np.asarray(lats, dtype=float).tolist(), np.asarray(lons, dtype=float).tolist()
            self._pending_map.update(zip(ids, zip(lat, lon, strict=True), strict=True))
        return self._pending_map

    @_pending.setter
    def _pending(self, value: dict[str, tuple[float | None, float | None]]) -> None:
        self._pending_map, self._pending_cols = value, None

    def _resolve(self, only: str | None = None) -> None:
        """Look up what is pending (or only the member ``only``)."""
        if not self._pending:
            return
        if only is None:
            pending, self._pending = self._pending, {}
        else:
            pending = {only: self._pending.pop(only)}
        placed = [(mid, lat, lon) for mid, (lat, lon) in pending.items()
                  if lat is not None and lon is not None and lat == lat and lon == lon]  # NaN: not placed
        for mid in pending:
            self._subject[mid] = None
        index = self._lookup_index() if placed else None
        if index is None:
            return
        found = index.lookup([p[1] for p in placed], [p[2] for p in placed])  # type: ignore[misc]
        self._subject.update(zip((p[0] for p in placed), found, strict=True))

    def resolve_all(self) -> None:
        """Look up every member waiting, in one vectorised call (loading the index if need be):
        what a sort or filter over the whole column needs first (``subject`` of a member while
        more than ``_ONE_BY_ONE`` wait looks that one up alone)."""
        self._resolve()

    def forget(self, ids: Iterable[str] | None = None) -> None:
        if ids is None:
            self._subject = {}
            self._pending = {}
        else:
            for i in ids:
                self._subject.pop(i, None)
                self._pending.pop(i, None)

    def subject(self, member_id: str) -> Subject | None:
        if member_id in self._pending:
            # A big project just opened: only the rows shown, for now (a sort reads them all).
            self._resolve(member_id if len(self._pending) > _ONE_BY_ONE else None)
        return self._subject.get(member_id)

    def name(self, member_id: str) -> str:
        waiting = len(self._pending_cols[0]) if self._pending_cols is not None else len(self._pending_map)
        if self._index is None and not self._failed and waiting > _ONE_BY_ONE:
            # A big project just opened and the index is not loaded yet (~0.3 s of Python):
            # load it on a thread; the cell is blank until on_loaded repaints it. (A filter, a
            # sort or a small roster still wait for it: they need the answer.)
            self._load_in_background()
            return ""
        s = self.subject(member_id)
        return s.name(self.lang) if s is not None else ""

    def present(self) -> list[Subject]:
        """The subjects that have members, sorted by name in the UI language."""
        self._resolve()
        seen = {s.code: s for s in self._subject.values() if s is not None}
        return sorted(seen.values(), key=lambda s: s.name(self.lang).casefold())


class SubjectFilterCombo(QComboBox):
    """"All regions" plus the federal subjects that have members, refreshed when it opens
    (members come and go; the list is cheap to rebuild)."""

    def __init__(self, column: SubjectColumn, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.column = column
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(12)
        self.refresh()

    def refresh(self) -> None:
        current = self.currentData()
        self.blockSignals(True)
        self.clear()
        self.addItem(self.tr("All regions"), None)
        for s in self.column.present():
            self.addItem(s.name(self.column.lang), s.code)
        i = self.findData(current) if current is not None else 0
        self.setCurrentIndex(max(0, i))
        self.blockSignals(False)
        if current is not None and i < 0:  # its last member left: the filter is off now
            self.currentIndexChanged.emit(0)

    def showPopup(self) -> None:
        self.refresh()
        super().showPopup()
